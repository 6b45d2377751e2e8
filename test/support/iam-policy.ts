/**
 * Just enough of IAM's policy evaluation for DynamoDB requests: Allow statements from a synthesized
 * template, their actions and resources (with `*` wildcards), and the condition operators the
 * stack uses. An operator this file does not know fails loudly instead of being read as "allowed".
 * For each function: its statements, keyed by bundle name.
 */
import { bundleName } from "../../shared/routes/route.ts";
import type { AuthorisedRequest } from "./dynamo-requests.ts";

export interface Statement {
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** The ARN a table's `Fn::GetAtt [id, Arn]` stands for in these evaluations. */
export const tableArn = (table: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${table}`;

/** Resolve the intrinsic functions a DynamoDB resource is written with: GetAtt of a table, Join. */
function resolve(value: unknown, tables: Map<string, string>): string {
  if (typeof value === "string") return value;
  const object = value as Record<string, unknown>;
  if (object["Fn::GetAtt"]) {
    const [id, attribute] = object["Fn::GetAtt"] as [string, string];
    const table = tables.get(id);
    if (table && attribute === "Arn") return tableArn(table);
    return `unresolved:${id}.${attribute}`;
  }
  if (object["Fn::Join"]) {
    const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
    return parts.map((part) => resolve(part, tables)).join(separator);
  }
  if (object.Ref) return `unresolved:${String(object.Ref)}`;
  return JSON.stringify(value);
}

export interface ResolvedStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition: Record<string, Record<string, string[]>>;
}

/**
 * Every function's statements, by bundle: the policies attached to its role. `tableName` is what
 * the table's ARN resolves to, so a recording against a local table of that name can be compared.
 */
export function statementsByBundle(
  resources: Record<string, Resource>,
  functions: Record<string, string>,
  tableName: string,
): Map<string, ResolvedStatement[]> {
  const tables = new Map(
    Object.entries(resources)
      .filter(
        ([, resource]) =>
          resource.Type === "AWS::DynamoDB::Table" || resource.Type === "AWS::DynamoDB::GlobalTable",
      )
      .map(([id]) => [id, tableName]),
  );
  const bundleOfRole = new Map<string, string>();
  for (const [handler, functionId] of Object.entries(functions)) {
    const role = resources[functionId]?.Properties?.Role as { "Fn::GetAtt": [string, string] } | undefined;
    if (role) bundleOfRole.set(role["Fn::GetAtt"][0], bundleName(handler));
  }
  const byBundle = new Map<string, ResolvedStatement[]>([...bundleOfRole.values()].map((b) => [b, []]));
  for (const resource of Object.values(resources)) {
    if (resource.Type !== "AWS::IAM::Policy") continue;
    const properties = resource.Properties as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    for (const role of properties.Roles) {
      const bundle = bundleOfRole.get(role.Ref);
      if (!bundle) continue;
      for (const statement of properties.PolicyDocument.Statement) {
        byBundle.get(bundle)?.push({
          effect: statement.Effect,
          actions: [statement.Action].flat(),
          resources: [statement.Resource].flat().map((each) => resolve(each, tables)),
          condition: Object.fromEntries(
            Object.entries(statement.Condition ?? {}).map(([operator, keys]) => [
              operator,
              Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, [values].flat()])),
            ]),
          ),
        });
      }
    }
  }
  return byBundle;
}

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);

/** The request context's value of a condition key: a list, or undefined when the request has none. */
function contextValue(request: AuthorisedRequest, key: string): readonly string[] | undefined {
  switch (key) {
    case "dynamodb:LeadingKeys":
      return request.leadingKeys.length > 0 ? request.leadingKeys : undefined;
    case "dynamodb:Attributes":
      return request.attributes;
    case "dynamodb:Select":
      return request.select === undefined ? undefined : [request.select];
    case "dynamodb:ReturnValues":
      return request.returnValues === undefined ? undefined : [request.returnValues];
    default:
      throw new Error(`condition key ${key} is not evaluated by test/support/iam-policy.ts`);
  }
}

function conditionHolds(operator: string, allowed: readonly string[], actual: readonly string[] | undefined) {
  const equals = (value: string) => allowed.includes(value);
  const like = (value: string) => allowed.some((pattern) => glob(pattern, value));
  switch (operator) {
    // IAM: ForAllValues over a key the request does not carry is true; the policy must not rely on it.
    case "ForAllValues:StringEquals":
      return (actual ?? []).every(equals);
    case "ForAllValues:StringLike":
      return (actual ?? []).every(like);
    case "StringEquals":
      return actual !== undefined && actual.length === 1 && equals(actual[0] as string);
    case "StringEqualsIfExists":
      return actual === undefined || (actual.length === 1 && equals(actual[0] as string));
    case "StringLike":
      return actual !== undefined && actual.length === 1 && like(actual[0] as string);
    default:
      throw new Error(`condition operator ${operator} is not evaluated by test/support/iam-policy.ts`);
  }
}

export const requestResource = (request: AuthorisedRequest): string =>
  request.index ? `${tableArn(request.table)}/index/${request.index}` : tableArn(request.table);

/** Whether one statement allows the request: action, resource and every condition. */
export function statementAllows(statement: ResolvedStatement, request: AuthorisedRequest): boolean {
  if (statement.effect !== "Allow") return false;
  if (!statement.actions.some((action) => glob(action, request.action))) return false;
  const resource = requestResource(request);
  if (!statement.resources.some((pattern) => glob(pattern, resource))) return false;
  return Object.entries(statement.condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) =>
      conditionHolds(operator, values, contextValue(request, key)),
    ),
  );
}

/** Allowed when some Allow statement allows it and no Deny statement matches (the stack writes none). */
export function policyAllows(statements: readonly ResolvedStatement[], request: AuthorisedRequest): boolean {
  if (statements.some((statement) => statement.effect === "Deny"))
    throw new Error("Deny statements are not evaluated");
  return statements.some((statement) => statementAllows(statement, request));
}

/**
 * What a DynamoDB statement grants, as action × resource × key prefix cells: the prefixes of its
 * `dynamodb:LeadingKeys` condition, or `*` when it has none. The "no more" half of the policy test
 * wants a recorded request in each cell.
 */
export interface GrantCell {
  readonly action: string;
  readonly resource: string;
  readonly prefix: string;
}

export function grantCells(statement: ResolvedStatement): GrantCell[] {
  const prefixes = statement.condition["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"] ?? ["*"];
  return statement.actions
    .filter((action) => action.startsWith("dynamodb:"))
    .flatMap((action) =>
      statement.resources.flatMap((resource) => prefixes.map((prefix) => ({ action, resource, prefix }))),
    );
}

export const cellName = (cell: GrantCell): string =>
  `${cell.action} on ${cell.resource.replace(/^arn:aws:dynamodb:[^:]*:[^:]*:table\/[^/]+/, "table")} keys ${cell.prefix}`;

/** Whether a request is one of the statement's grants in that cell (allowed by it, of that key prefix). */
export function requestUsesCell(
  statement: ResolvedStatement,
  cell: GrantCell,
  request: AuthorisedRequest,
): boolean {
  return (
    statementAllows(statement, request) &&
    glob(cell.action, request.action) &&
    glob(cell.resource, requestResource(request)) &&
    (cell.prefix === "*" || request.leadingKeys.some((key) => glob(cell.prefix, key)))
  );
}
