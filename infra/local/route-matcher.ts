/**
 * Matches a method and path against the route table the way API Gateway HTTP APIs do: `{name}`
 * captures one path segment, `{name+}` the rest of the path, and when several routes match, the
 * most specific wins (a literal segment beats a parameter), so `/api/markets/search` is never
 * taken for the market with id "search".
 */

export interface MatchableRoute {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<TRoute extends MatchableRoute> {
  readonly route: TRoute;
  /** API Gateway's route key, e.g. `GET /api/markets/{id}`. */
  readonly routeKey: string;
  /** Decoded path parameters; empty when the route has none. */
  readonly pathParameters: Record<string, string>;
}

type Segment =
  | { kind: "literal"; value: string }
  | { kind: "param"; name: string }
  | { kind: "greedy"; name: string };

interface CompiledRoute<TRoute> {
  readonly route: TRoute;
  readonly segments: readonly Segment[];
}

/** Rank of a segment kind for specificity: lower is more specific. */
const RANK: Record<Segment["kind"], number> = { literal: 0, param: 1, greedy: 2 };

export class RouteMatcher<TRoute extends MatchableRoute> {
  private readonly compiled: readonly CompiledRoute<TRoute>[];

  constructor(routes: readonly TRoute[]) {
    this.compiled = [...routes.map((route) => ({ route, segments: parseTemplate(route.path) }))].sort(
      (a, b) => compareSpecificity(a.segments, b.segments),
    );
  }

  /** The most specific route for `method` and the raw (still percent-encoded) `path`, if any. */
  match(method: string, path: string): RouteMatch<TRoute> | undefined {
    const parts = path.split("/").slice(1);
    for (const { route, segments } of this.compiled) {
      if (route.method !== method.toUpperCase()) continue;
      const pathParameters = matchSegments(segments, parts);
      if (pathParameters) return { route, routeKey: `${route.method} ${route.path}`, pathParameters };
    }
    return undefined;
  }
}

function parseTemplate(template: string): Segment[] {
  return template
    .split("/")
    .slice(1)
    .map((part): Segment => {
      const greedy = /^\{(\w+)\+\}$/.exec(part);
      if (greedy?.[1]) return { kind: "greedy", name: greedy[1] };
      const param = /^\{(\w+)\}$/.exec(part);
      if (param?.[1]) return { kind: "param", name: param[1] };
      return { kind: "literal", value: part };
    });
}

/** Literal before parameter before greedy, compared segment by segment from the left. */
function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const difference = RANK[(a[index] as Segment).kind] - RANK[(b[index] as Segment).kind];
    if (difference !== 0) return difference;
  }
  return b.length - a.length;
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if (segment.kind === "greedy") {
      const rest = parts.slice(index).join("/");
      if (rest === "") return undefined;
      parameters[segment.name] = decode(rest);
      return parameters;
    }
    if (part === undefined) return undefined;
    if (segment.kind === "literal") {
      if (part !== segment.value) return undefined;
    } else {
      // An empty segment (`/api/markets/`) is no id, as in API Gateway.
      if (part === "") return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

/** API Gateway hands path parameters over decoded; a malformed escape is passed on as sent. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
