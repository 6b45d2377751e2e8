import { ACRONYMS, PHRASE_ALIASES, STOP_WORDS, WORD_ALIASES } from "./search-vocabulary.ts";
import { stem } from "./stemmer.ts";

/**
 * Text → canonical stems. Everything that should match must normalise to the same token on the market
 * side and the query side: accents, casing, possessives, money ("$150k", "150,000", "150 thousand" all
 * become "150000"), ISO dates ("2027-01-01" → "2027 january 1"), synonyms, then Porter stems.
 */

// biome-ignore format: one calendar per line reads better than twelve
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MAGNITUDES: Readonly<Record<string, number>> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mn: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  t: 1e12,
  tn: 1e12,
  trillion: 1e12,
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternation = (keys: readonly string[]): string =>
  [...keys]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|");

const ACRONYM_PATTERN = new RegExp(`(?<![A-Za-z])(${alternation(Object.keys(ACRONYMS))})(?![A-Za-z])`, "g");
const PHRASE_PATTERN = new RegExp(
  `(?<![a-z0-9])(${alternation(Object.keys(PHRASE_ALIASES))})(?![a-z0-9])`,
  "g",
);
const ISO_DATE_PATTERN = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
// Thousands separators only in valid groups, so "1,2" stays two numbers; a letter magnitude must touch
// the digits ("150k"), a word magnitude may follow a space ("5 trillion").
const NUMBER_PATTERN =
  /\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(thousand|million|billion|trillion)\b|(k|mn|m|bn|b|tn|t)\b)?(\s?%)?/g;

function canonicalNumber(integer: string, fraction = "", word?: string, letter?: string, percent?: string) {
  const magnitude = MAGNITUDES[word ?? letter ?? ""] ?? 1;
  const value = Number.parseFloat(integer.replaceAll(",", "") + fraction) * magnitude;
  // Round away float noise ("1.2k" → 1200, not 1199.9999); keep at most 4 decimals for small values.
  const text = String(Math.round(value * 1e4) / 1e4);
  return ` ${text}${percent ? " percent" : ""} `;
}

const expandAcronyms = (raw: string): string =>
  raw.replace(ACRONYM_PATTERN, (acronym) => ` ${ACRONYMS[acronym]} `);

/** Lower-cased, accent-free, alias-resolved tokens, stop words still included. */
export function normaliseTokens(raw: string): string[] {
  let text = expandAcronyms(raw)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
  text = text.replace(
    ISO_DATE_PATTERN,
    (_, year, month, day) => ` ${year} ${MONTHS[Number(month) - 1] ?? ""} ${Number(day)} `,
  );
  text = text
    .replace(/['’]s\b/g, "")
    .replace(/['’]/g, "")
    .replaceAll("&", "");
  text = text.replace(/\b(\d+)(?:st|nd|rd|th)\b/g, "$1");
  text = text.replace(NUMBER_PATTERN, (_, integer, fraction, word, letter, percent) =>
    canonicalNumber(integer, fraction, word, letter, percent),
  );
  // Keep a dot only as a decimal point; every other non-alphanumeric run separates tokens.
  text = text.replace(/(?<!\d)\.|\.(?!\d)|[^a-z0-9.]+/g, " ").trim();
  text = text.replace(PHRASE_PATTERN, (phrase) => PHRASE_ALIASES[phrase] ?? phrase);
  const tokens: string[] = [];
  for (const token of text.split(/\s+/)) {
    if (!token) continue;
    // An own property only: a word such as "constructor" must not find Object.prototype's.
    const alias = Object.hasOwn(WORD_ALIASES, token) ? WORD_ALIASES[token] : undefined;
    if (alias === undefined) tokens.push(token);
    else tokens.push(...alias.split(" "));
  }
  return tokens;
}

/**
 * Content stems grouped by sentence. Stop words are dropped before pairing, so "rain in Paris" and
 * "Paris rain" share the bigram; sentences are kept apart so a bigram never bridges two of them.
 */
export function contentTermsBySentence(raw: string): string[][] {
  const sentences: string[][] = [];
  // Split before normalising: the acronym pass must see "U.S." whole, and decimals ("0.2") never split.
  for (const sentence of expandAcronyms(raw).split(/[.!?;:\n]+(?:\s|$)/)) {
    const stems: string[] = [];
    for (const token of normaliseTokens(sentence)) {
      if (STOP_WORDS.has(token) || (token.length === 1 && !/\d/.test(token))) continue;
      stems.push(stem(token));
    }
    if (stems.length > 0) sentences.push(stems);
  }
  return sentences;
}

/** 32-bit FNV-1a: fast, well-mixed enough for feature hashing, stable across runtimes. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
