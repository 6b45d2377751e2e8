/**
 * The synthesised template against the sources it is built from: the route table, the table schema,
 * the queue settings and shared/config.ts. Runs on stub bundles, so no build is needed.
 */
import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { CfnTable } from "aws-cdk-lib/aws-dynamodb";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, describe, expect, it } from "vitest";
import { PRE_VECTOR_INDEX_LINT_RULES } from "../../infra/constructs/markets-table.ts";
import { functionId, MarketsApiStack } from "../../infra/markets-api-stack.ts";
import { BATCH_SIZE, MAX_RECEIVE_COUNT, WORKER_TIMEOUT_SECONDS } from "../../infra/queues.ts";
import { routes, workers } from "../../infra/route-table.ts";
import { parseSettings } from "../../infra/settings.ts";
import { parseConfig } from "../../shared/config.ts";
import {
  INDEXES,
  KEY_ATTRIBUTES,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from "../../shared/repositories/table-schema.ts";
import {
  EMBEDDING_DIMENSIONS,
  VECTOR_INDEX,
  VECTOR_ITEM_ATTRIBUTES,
} from "../../shared/repositories/vector-schema.ts";
import { indexMarketsWorker as indexWorker } from "../../shared/routes/index-markets-worker.ts";
import { createFakeBundles } from "../support/fake-bundles.ts";

const bundles = createFakeBundles();
afterAll(() => bundles.cleanup());

/** Build the stack in-process, as infra/app.ts does, with the given context. */
function synth(context: Record<string, string> = {}) {
  const app = new App();
  const values: Record<string, string> = { ...context };
  const settings = parseSettings((key) => values[key]);
  const stack = new MarketsApiStack(app, "MarketsApi", { settings, bundlesDir: bundles.dir });
  return { app, stack, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

const { app, stack, template } = synth();
const resources = template.toJSON().Resources as Record<string, Resource>;
const resourcesOfType = (type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** Actions (with their statements) granted to each function, keyed by the function's logical id. */
function grantsByFunction(source: Record<string, Resource>): Map<string, Statement[]> {
  const roleOf = new Map<string, string>();
  for (const [id, resource] of Object.entries(source)) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    const role = resource.Properties?.Role as { "Fn::GetAtt": [string, string] };
    roleOf.set(role["Fn::GetAtt"][0], id);
  }
  const grants = new Map<string, Statement[]>([...roleOf.values()].map((id) => [id, []]));
  for (const resource of Object.values(source)) {
    if (resource.Type !== "AWS::IAM::Policy") continue;
    const properties = resource.Properties as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    for (const role of properties.Roles) {
      const fn = roleOf.get(role.Ref);
      if (fn) grants.get(fn)?.push(...properties.PolicyDocument.Statement);
    }
  }
  return grants;
}
const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((statement) => [statement.Action].flat());

describe("functions", () => {
  it("has one Lambda per route plus the worker, each under its readable logical id", () => {
    template.resourceCountIs("AWS::Lambda::Function", routes.length + workers.length);
    for (const { handler } of [...routes, ...workers]) {
      expect(resources[functionId(handler)]?.Type, handler).toBe("AWS::Lambda::Function");
    }
    expect(functionId("markets/get")).toBe("MarketsGetFunction");
  });

  it("runs every function on nodejs22.x, arm64, traced, from its bundle", () => {
    for (const [, fn] of resourcesOfType("AWS::Lambda::Function")) {
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        TracingConfig: { Mode: "Active" },
      });
    }
  });

  it("takes memory and timeout from the route table, with defaults", () => {
    const search = resources[functionId("markets/search")]?.Properties;
    expect(search).toMatchObject({ MemorySize: 1024, Timeout: 10 });
    expect(resources[functionId("markets/get")]?.Properties).toMatchObject({ MemorySize: 256, Timeout: 10 });
    expect(resources[functionId(indexWorker.handler)]?.Properties).toMatchObject({
      MemorySize: indexWorker.memoryMb,
      Timeout: WORKER_TIMEOUT_SECONDS,
    });
  });

  it("gives every function an environment that shared/config.ts accepts", () => {
    for (const [id, fn] of resourcesOfType("AWS::Lambda::Function")) {
      const environment = fn.Properties?.Environment as { Variables: Record<string, unknown> } | undefined;
      const variables = environment?.Variables ?? {};
      // Tokens (Ref to the table and queue) become plausible literal values.
      const env = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === "string"
            ? value
            : key.endsWith("_URL")
              ? "https://sqs.example.com/1/q"
              : "resolved",
        ]),
      );
      expect(() => parseConfig(env), id).not.toThrow();
      expect(env.CACHE_DRIVER, id).toBe("none");
    }
  });

  it("uses a per-function log group with retention and no managed policies", () => {
    template.resourceCountIs("AWS::Logs::LogGroup", routes.length + workers.length + 1);
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: Match.anyValue() });
    template.allResourcesProperties("AWS::IAM::Role", { ManagedPolicyArns: Match.absent() });
  });
});

describe("HTTP API", () => {
  it("has exactly one route per route-table entry, keyed as in the table", () => {
    const routeKeys = resourcesOfType("AWS::ApiGatewayV2::Route").map(
      ([, route]) => route.Properties?.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it("answers CORS preflight for the headers the API reads", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({
        AllowHeaders: Match.arrayWith(["Authorization", "Idempotency-Key", "If-Match", "If-None-Match"]),
      }),
    });
  });

  it("throttles and access-logs the default stage", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it("outputs the API URL, the table and both queues", () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(expect.arrayContaining(["ApiUrl", "TableName", "IndexQueueUrl", "IndexDlqUrl"]));
  });
});

describe("table", () => {
  const [[, table] = ["", undefined]] = resourcesOfType("AWS::DynamoDB::Table");
  const properties = table?.Properties as Record<string, unknown>;

  it("has the keys, attribute types and GSIs of table-schema.ts", () => {
    expect(properties.KeySchema).toEqual([
      { AttributeName: PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: SORT_KEY, KeyType: "RANGE" },
    ]);
    const attributes = properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    // Key attributes, plus the vector index's search-schema attributes (AWS requires them declared).
    expect(new Map(attributes.map((a) => [a.AttributeName, a.AttributeType]))).toEqual(
      new Map([...KEY_ATTRIBUTES, ["searchScope", "S"], ["status", "S"]]),
    );
    expect(KEY_ATTRIBUTES.get("volumeKey")).toBe("N");

    const indexes = properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
      Projection: unknown;
    }[];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(INDEXES.map((index) => index.name).sort());
    for (const index of INDEXES) {
      expect(indexes.find((gsi) => gsi.IndexName === index.name)).toMatchObject({
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      });
    }
  });

  it("declares the vector index: embedder dimensions, COSINE, constant HASH scope, status filter", () => {
    expect(properties.VectorIndexes).toEqual([
      {
        IndexName: VECTOR_INDEX.name,
        Dimensions: EMBEDDING_DIMENSIONS.local,
        DistanceFunction: "COSINE",
        VectorAttribute: { AttributeName: "embedding" },
        SearchSchema: [
          { AttributeName: "searchScope", SearchSchemaElementType: "HASH" },
          { AttributeName: "status", SearchSchemaElementType: "INLINE_FILTER" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["marketId"] },
      },
    ]);
  });

  it("acknowledges the lint rules that predate vector indexes on the table resource, and nowhere else", () => {
    const lintMetadata = ([, resource]: [string, Resource]) =>
      (resource as { Metadata?: Record<string, unknown> }).Metadata?.["cfn-lint"];
    expect(lintMetadata(["", table as Resource])).toEqual({ config: { ignore_checks: ["E3039", "E3002"] } });
    expect(Object.entries(resources).filter(lintMetadata)).toHaveLength(1);

    const tables = stack.node.findAll().filter((construct) => construct instanceof CfnTable);
    const acknowledged = tables.flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .map((entry) => entry.data),
    );
    expect(acknowledged).toEqual(
      PRE_VECTOR_INDEX_LINT_RULES.cdk.map((id) => ({
        [id]: expect.stringContaining("predates vector indexes"),
      })),
    );
    const elsewhere = stack.node
      .findAll()
      .filter((construct) => !(construct instanceof CfnTable))
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as object))
      .filter((id) => id.startsWith("CloudFormation-Validate::"));
    expect(elsewhere).toEqual([]);
  });

  it("is on-demand, with TTL, point-in-time recovery and encryption", () => {
    expect(properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: false,
    });
    expect(table).toMatchObject({ DeletionPolicy: "Delete" });
  });

  it("is retained and deletion-protected on stage prod", () => {
    const prod = synth({
      stage: "prod",
      jwtJwksUrl: "https://issuer.example.com/.well-known/jwks.json",
    }).template;
    prod.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});

describe("index queue and worker", () => {
  it("redrives to the DLQ after maxReceiveCount, with visibility ≥ 6× the worker timeout", () => {
    const [[, queue] = ["", undefined]] = resourcesOfType("AWS::SQS::Queue").filter(
      ([, q]) => q.Properties?.RedrivePolicy,
    );
    expect(queue?.Properties).toMatchObject({ RedrivePolicy: { maxReceiveCount: MAX_RECEIVE_COUNT } });
    const workerTimeout = resources[functionId(indexWorker.handler)]?.Properties?.Timeout as number;
    expect(queue?.Properties?.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * workerTimeout);
    template.hasResourceProperties("AWS::SQS::Queue", { MessageRetentionPeriod: 14 * 24 * 60 * 60 });
  });

  it("feeds the worker in batches and retries only the failed items", () => {
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: functionId(indexWorker.handler) },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: BATCH_SIZE,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe("least privilege", () => {
  const grants = grantsByFunction(resources);

  it("lets only the routes that declare the index queue send index jobs", () => {
    const senders = [...grants].filter(([, statements]) => actionsOf(statements).includes("sqs:SendMessage"));
    const expected = routes
      .filter((route) => route.access.enqueue?.includes("index"))
      .map((route) => functionId(route.handler));
    expect(senders.map(([id]) => id).sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(5);
  });

  it("grants no wildcard actions", () => {
    for (const [id, statements] of grants) {
      for (const action of actionsOf(statements)) expect(action, id).not.toMatch(/\*/);
    }
  });

  it("lets routes that declare no writes update rate-limit windows only", () => {
    for (const route of routes.filter((r) => !r.access.writes && r.rateLimit !== "none")) {
      const statements = grants.get(functionId(route.handler)) ?? [];
      const actions = actionsOf(statements);
      expect(actions, route.handler).not.toContain("dynamodb:PutItem");
      expect(actions, route.handler).not.toContain("dynamodb:DeleteItem");
      const updates = statements.filter((statement) =>
        [statement.Action].flat().includes("dynamodb:UpdateItem"),
      );
      expect(updates, route.handler).toHaveLength(1);
      expect(updates[0]?.Condition).toEqual({
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["RATE#*"] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_NEW"] },
      });
    }
  });

  it("limits every writer to the actions, partition keys and answers it declares", () => {
    const conditionsOf = (handler: string, action: string) =>
      (grants.get(functionId(handler)) ?? [])
        .filter((statement) => [statement.Action].flat().includes(action))
        .map((statement) => statement.Condition);
    expect(conditionsOf("me/update-profile", "dynamodb:UpdateItem")).toEqual([
      {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["USER#*"] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "ALL_NEW"] },
      },
      {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["RATE#*"] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_NEW"] },
      },
    ]);
    expect(conditionsOf("me/update-profile", "dynamodb:PutItem")).toEqual([]);
    expect(conditionsOf("markets/update", "dynamodb:DeleteItem")).toEqual([]);
    // Profiles ensured beside a write never come back: no other user's email by way of a write.
    expect(conditionsOf("positions/open", "dynamodb:UpdateItem")).toContainEqual({
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["MARKET#*", "USER#*"] },
      StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
    });
    expect(conditionsOf("positions/open", "dynamodb:PutItem")).toEqual([
      {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["IDEMPOTENCY#*"] },
        StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
      },
    ]);
    for (const route of routes) {
      const actions = actionsOf(grants.get(functionId(route.handler)) ?? []);
      const declared = new Set([
        ...(route.access.reads ?? []).flatMap((read) => read.actions),
        ...(route.access.indexes?.length ? ["Query"] : []),
        ...(route.access.writes ?? []).flatMap((write) => write.actions),
        ...(route.rateLimit !== "none" ? ["UpdateItem"] : []),
        ...(route.idempotent ? ["PutItem", "UpdateItem", "DeleteItem"] : []),
        // The default stack deploys the dynamodb search engine.
        ...(route.access.searchesVectors ? ["SearchVectors"] : []),
      ]);
      const granted = actions
        .filter((a) => a.startsWith("dynamodb:"))
        .map((a) => a.slice("dynamodb:".length));
      expect(new Set(granted), route.handler).toEqual(declared);
    }
  });

  it("lets functions that show names read other users' public profile attributes only", () => {
    const userReads = (handler: string) =>
      (grants.get(functionId(handler)) ?? []).filter(
        (statement) =>
          JSON.stringify(statement.Condition ?? {}).includes('"USER#*"') &&
          [statement.Action].flat().some((action) => /GetItem|BatchGetItem|Query/.test(action)),
      );
    const namesOnly = {
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["USER#*"] },
      "ForAllValues:StringEquals": { "dynamodb:Attributes": ["pk", "sk", "id", "displayName"] },
      StringEqualsIfExists: { "dynamodb:Select": "SPECIFIC_ATTRIBUTES" },
    };
    expect(userReads("markets/get")).toEqual([
      { Effect: "Allow", Action: "dynamodb:BatchGetItem", Resource: expect.anything(), Condition: namesOnly },
    ]);
    for (const route of routes) {
      for (const statement of userReads(route.handler))
        expect(statement.Condition, route.handler).toEqual(namesOnly);
    }
    // Nobody reads a profile whole; the caller's own comes back from PUT /api/me's update.
    const granted = JSON.stringify([...grants.values()]);
    expect(granted).not.toContain('"email"');
  });

  it("lets only idempotent routes touch idempotency records", () => {
    for (const [id, statements] of grants) {
      const touches = JSON.stringify(statements).includes("IDEMPOTENCY#");
      const idempotent = routes.some((route) => functionId(route.handler) === id && route.idempotent);
      expect(touches, id).toBe(idempotent);
    }
  });

  it("lets only the search function call SearchVectors, and only on the vector index", () => {
    const searchers = [...grants].filter(([, statements]) =>
      actionsOf(statements).includes("dynamodb:SearchVectors"),
    );
    expect(searchers.map(([id]) => id)).toEqual([functionId("markets/search")]);
    const statements = (searchers[0]?.[1] ?? []).filter((statement) =>
      [statement.Action].flat().includes("dynamodb:SearchVectors"),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe("dynamodb:SearchVectors");
    expect(JSON.stringify(statements[0]?.Resource)).toMatch(/\/index\/marketEmbeddings"/);
  });

  it("grants no SearchVectors when the in-process engine is deployed", () => {
    const inProcess = grantsByFunction(
      synth({ searchEngine: "in-process" }).template.toJSON().Resources as Record<string, Resource>,
    );
    for (const statements of inProcess.values()) {
      expect(actionsOf(statements)).not.toContain("dynamodb:SearchVectors");
    }
  });

  it("lets the index worker put vector items only: PutItem, VECTOR# keys, vector attributes", () => {
    const worker = grants.get(functionId(indexWorker.handler)) ?? [];
    const actions = actionsOf(worker);
    for (const action of ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:SearchVectors"]) {
      expect(actions).not.toContain(action);
    }
    const puts = worker.filter((statement) => [statement.Action].flat().includes("dynamodb:PutItem"));
    expect(puts).toHaveLength(1);
    expect(puts[0]?.Action).toBe("dynamodb:PutItem");
    expect(puts[0]?.Condition).toEqual({
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["VECTOR#*"] },
      "ForAllValues:StringEquals": { "dynamodb:Attributes": [...VECTOR_ITEM_ATTRIBUTES] },
      StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
    });
  });

  it("lets the re-index route read and queue, but not write markets", () => {
    const actions = actionsOf(grants.get(functionId("markets/reindex")) ?? []);
    expect(actions).toContain("sqs:SendMessage");
    expect(actions).not.toContain("dynamodb:PutItem");
    expect(actions).not.toContain("dynamodb:DeleteItem");
  });

  it("gives the liveness, OpenAPI and docs routes no table access", () => {
    for (const handler of ["system/health", "system/openapi", "system/docs"]) {
      expect(
        actionsOf(grants.get(functionId(handler)) ?? []).filter((a) => a.startsWith("dynamodb:")),
      ).toEqual([]);
    }
  });

  it("grants bedrock:InvokeModel to search and the worker only when the embedder is Bedrock", () => {
    const invokers = (source: Record<string, Resource>) =>
      [...grantsByFunction(source)]
        .filter(([, s]) => actionsOf(s).includes("bedrock:InvokeModel"))
        .map(([id]) => id);
    expect(invokers(resources)).toEqual([]);
    const bedrock = synth({ embedder: "bedrock" }).template.toJSON().Resources as Record<string, Resource>;
    expect(invokers(bedrock).sort()).toEqual(
      [functionId("markets/search"), ...workers.map((worker) => functionId(worker.handler))].sort(),
    );
  });
});

describe("cdk-nag", () => {
  it("reports no unacknowledged AwsSolutions findings", () => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe("context keys", () => {
  it("flags unknown keys but not CDK's own", async () => {
    const { unknownContextKeys } = await import("../../infra/settings.ts");
    expect(
      unknownContextKeys([
        "jwksUrl",
        "jwtJwksUrl",
        "@aws-cdk/core:newStyleStackSynthesis",
        "aws:cdk:enable-path-metadata",
      ]),
    ).toEqual(["jwksUrl"]);
  });
});
