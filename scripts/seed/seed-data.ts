/**
 * The sample data set, planned up front from a fixed seed: the same plan on every run and every
 * machine, which is what lets `npm run seed` tell what is already there and add only the rest.
 * Every market has a stable key (its Idempotency-Key and, through its unique name, its identity in
 * the API's lists); every position a key made of the market's and the user's.
 */
import type { Role } from "../../shared/auth/permissions.ts";

export type SeedStatus = "draft" | "active" | "closed" | "resolved";

export interface SeedUser {
  sub: string;
  role: Role;
  displayName: string;
}

export interface SeedPosition {
  key: string;
  user: SeedUser;
  side: "yes" | "no";
  amount: number;
}

export interface SeedMarket {
  key: string;
  name: string;
  description: string;
  category: string;
  closesAt: string;
  creator: SeedUser;
  /** Where the market ends up; closed and resolved markets take their positions while active. */
  status: SeedStatus;
  outcome?: "yes" | "no";
  /** The creator's own stake, taken in the create transaction. */
  initialPosition?: { side: "yes" | "no"; amount: number };
  positions: SeedPosition[];
}

export interface SeedPlan {
  users: SeedUser[];
  /** Moderators resolve markets (a creator may close its market, only moderators resolve). */
  moderators: SeedUser[];
  markets: SeedMarket[];
}

/** mulberry32: a tiny, well-distributed PRNG; the data set depends only on the seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Linus",
  "Margaret",
  "Ken",
  "Barbara",
  "Dennis",
  "Frances",
  "Edsger",
  "Radia",
  "Tim",
  "Hedy",
  "John",
  "Katherine",
  "Guido",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Torvalds",
  "Hamilton",
  "Thompson",
  "Liskov",
  "Ritchie",
  "Allen",
  "Dijkstra",
  "Perlman",
  "Berners-Lee",
  "Lamarr",
  "McCarthy",
  "Johnson",
  "van Rossum",
];

/** Question templates per category; `{x}` and `{y}` are filled from the lists beside them. */
const TEMPLATES: Record<string, { questions: string[]; x: string[]; y: string[] }> = {
  politics: {
    questions: [
      "Will {x} win the {y} election?",
      "Will turnout in the {y} election exceed 70% in {x}?",
      "Will {x} pass a new budget before the {y} deadline?",
    ],
    x: ["the incumbent", "the opposition", "Germany", "Brazil", "Canada", "India", "Kenya", "Japan"],
    y: ["2027", "2028", "regional", "national", "spring", "autumn"],
  },
  sports: {
    questions: [
      "Will {x} win the {y}?",
      "Will {x} reach the final of the {y}?",
      "Will a new record be set by {x} at the {y}?",
    ],
    x: [
      "the Lakers",
      "Real Madrid",
      "the All Blacks",
      "Ferrari",
      "the Yankees",
      "Arsenal",
      "the Warriors",
      "Bayern Munich",
    ],
    y: ["2027 season", "Champions League", "World Cup", "Grand Prix", "Olympics", "playoffs"],
  },
  crypto: {
    questions: [
      "Will {x} close above {y} on any day this year?",
      "Will {x} fall below {y} before the end of the quarter?",
    ],
    x: ["Bitcoin", "Ether", "Solana", "Cardano", "Dogecoin", "Litecoin"],
    y: ["$10", "$100", "$1,000", "$50,000", "$150,000", "$250,000"],
  },
  economics: {
    questions: [
      "Will the {x} cut interest rates in {y}?",
      "Will inflation in {x} be below 2% in {y}?",
      "Will unemployment in {x} rise in {y}?",
    ],
    x: ["Fed", "ECB", "Bank of England", "Bank of Japan", "euro area", "United States"],
    y: ["March", "June", "September", "December", "the first quarter", "the second half"],
  },
  weather: {
    questions: [
      "Will it rain in {x} on {y}?",
      "Will {x} see snow before {y}?",
      "Will {x} record its hottest day ever before {y}?",
    ],
    x: ["Paris", "London", "Tokyo", "Sydney", "Nairobi", "Lima", "Oslo", "Madrid"],
    y: ["New Year's Day", "the end of January", "midsummer", "the spring equinox", "the first of May"],
  },
  science: {
    questions: ["Will {x} announce {y} this year?", "Will a peer-reviewed paper confirm {y} by {x}?"],
    x: ["NASA", "CERN", "ESA", "a university lab", "JAXA", "ISRO"],
    y: [
      "a crewed lunar landing",
      "a room-temperature superconductor",
      "a new exoplanet with water",
      "a fusion energy milestone",
    ],
  },
  technology: {
    questions: [
      "Will {x} release {y} before the end of the year?",
      "Will {x} ship {y} to the public this year?",
    ],
    x: ["a major phone maker", "an open-source project", "a chip designer", "a cloud provider"],
    y: ["a foldable laptop", "a 2 nm chip", "a new programming language", "a quantum computing service"],
  },
  entertainment: {
    questions: ["Will {x} win best picture at the {y}?", "Will {x} top the charts at the {y}?"],
    x: ["a science-fiction film", "an animated feature", "a debut director", "a documentary"],
    y: ["Oscars", "Golden Globes", "BAFTAs", "year-end charts"],
  },
};

const CATEGORIES = Object.keys(TEMPLATES);
const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
/** Whole cents between min and max: the API takes at most two decimals. */
const amount = (next: () => number, min: number, max: number) =>
  Math.round((min + next() * (max - min)) * 100) / 100;

export interface PlanOptions {
  markets: number;
  users: number;
  seed?: number;
}

/**
 * Every market closes in this year: a fixed date, not "now + n days", so the plan is the same
 * tomorrow (re-runs recognise it), and far enough ahead that positions can be taken before a
 * seeded market is closed by hand.
 */
const CLOSING_YEAR = 2031;

/** The whole data set: users, moderators, and markets with their positions and target status. */
export function planSeed(options: PlanOptions): SeedPlan {
  const next = random(options.seed ?? 20270101);
  const users: SeedUser[] = Array.from({ length: options.users }, (_, index) => ({
    sub: `seed-user-${String(index + 1).padStart(3, "0")}`,
    role: "user" as const,
    displayName: `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`,
  }));
  const moderators: SeedUser[] = Array.from(
    { length: Math.max(1, Math.ceil(options.markets / 60)) },
    (_, index) => ({
      sub: `seed-moderator-${index + 1}`,
      role: "moderator" as const,
      displayName: `Moderator ${index + 1}`,
    }),
  );
  const everyone = [...users, ...moderators];
  const markets: SeedMarket[] = [];
  for (let index = 0; index < options.markets; index += 1) {
    const category = CATEGORIES[index % CATEGORIES.length] as string;
    const template = TEMPLATES[category] as (typeof TEMPLATES)[string];
    const question = pick(next, template.questions)
      .replace("{x}", pick(next, template.x))
      .replace("{y}", pick(next, template.y));
    const key = `m${String(index + 1).padStart(4, "0")}`;
    const roll = next();
    const status: SeedStatus =
      roll < 0.1 ? "draft" : roll < 0.65 ? "active" : roll < 0.82 ? "closed" : "resolved";
    // Round robin, so every seeded user (moderators too) creates markets, and a re-run can read
    // each one's display name back from the lists.
    const creator = everyone[index % everyone.length] as SeedUser;
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const takers =
      status === "draft" ? [] : users.filter((user) => user !== creator && next() < 3 / users.length);
    markets.push({
      key,
      // The key in the name keeps names unique, so a re-run can recognise each market in a list.
      name: `${question} (#${key})`,
      description: `Sample market ${key} from npm run seed. Resolves from the public record once it closes.`,
      category,
      closesAt: new Date(Date.UTC(CLOSING_YEAR, month - 1, day, 12)).toISOString(),
      creator,
      status,
      ...(status === "resolved" ? { outcome: next() < 0.5 ? ("yes" as const) : ("no" as const) } : {}),
      ...(status !== "draft" && next() < 0.5
        ? {
            initialPosition: {
              side: next() < 0.6 ? ("yes" as const) : ("no" as const),
              amount: amount(next, 5, 500),
            },
          }
        : {}),
      positions: takers.map((user) => ({
        key: `${key}-${user.sub}`,
        user,
        side: next() < 0.55 ? ("yes" as const) : ("no" as const),
        amount: amount(next, 1, 250),
      })),
    });
  }
  return { users, moderators, markets };
}
