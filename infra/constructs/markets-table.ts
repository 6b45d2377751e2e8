/**
 * The one DynamoDB table, built from shared/repositories/table-schema.ts so that the deployed table,
 * the local bootstrap (infra/local/) and the repositories agree on every key and index name.
 */
import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import {
  INDEXES,
  KEY_ATTRIBUTES,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from "../../shared/repositories/table-schema.ts";
import { marketVectorIndex } from "../../shared/repositories/vector-schema.ts";

export interface MarketsTableProps {
  /** Prod keeps the table (and refuses to delete it) when the stack or the resource goes away. */
  readonly retain: boolean;
  /** Length of the embedder's vectors: the vector index's Dimensions. */
  readonly vectorDimensions: number;
}

/**
 * Linter rules that predate vector indexes, acknowledged on the table resource only: E3039 wants
 * AttributeDefinitions to list exactly the key-schema attributes of the table and its GSIs/LSIs,
 * and does not know that a vector index's search-schema attributes must be declared there too;
 * E3002 (cfn-lint's resource schema) does not know the VectorIndexes property at all.
 */
export const PRE_VECTOR_INDEX_LINT_RULES = {
  /** CDK's synth-time CloudFormation validation: reports E3039 as a warning. */
  cdk: ["CloudFormation-Validate::E3039"],
  /** Standalone cfn-lint (1.51 here), read from the resource's Metadata. */
  cfnLint: ["E3039", "E3002"],
} as const;

const LINT_REASON =
  "The vector index's search-schema attributes (searchScope, status) must be in AttributeDefinitions, " +
  "as AWS requires; this rule predates vector indexes and counts only key-schema attributes.";

const attributeType = (type: "S" | "N" | undefined): dynamodb.AttributeType =>
  type === "N" ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING;

export class MarketsTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: MarketsTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: dynamodb.AttributeType.STRING },
      // Spiky, low-volume traffic: on-demand costs nothing when idle and needs no capacity planning.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The aws/dynamodb key: key usage shows up in CloudTrail, at no key-management cost.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: attributeType(index.sortKeyType) },
        // Listing reads whole markets from the index; KEYS_ONLY would cost a GetItem per row.
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.addVectorIndex(props.vectorDimensions);
  }

  /**
   * The vector index SearchVectors reads (vector-schema.ts). The L2 Table has no vector-index
   * property yet, so it is set on the CloudFormation resource; its search-schema attributes must be
   * declared in AttributeDefinitions, so that list is written in full from the same schema.
   */
  private addVectorIndex(dimensions: number): void {
    const index = marketVectorIndex(dimensions);
    const cfn = this.table.node.defaultChild as dynamodb.CfnTable;
    cfn.vectorIndexes = [
      {
        indexName: index.IndexName,
        dimensions: index.Dimensions,
        distanceFunction: index.DistanceFunction,
        vectorAttribute: { attributeName: index.VectorAttribute.AttributeName },
        searchSchema: index.SearchSchema.map((element) => ({
          attributeName: element.AttributeName,
          searchSchemaElementType: element.SearchSchemaElementType,
        })),
        projection: {
          projectionType: index.Projection.ProjectionType,
          nonKeyAttributes: [...(index.Projection.NonKeyAttributes ?? [])],
        },
      },
    ];
    const definitions = new Map<string, string>(KEY_ATTRIBUTES);
    for (const element of index.SearchSchema) definitions.set(element.AttributeName, "S");
    cfn.addPropertyOverride(
      "AttributeDefinitions",
      [...definitions].map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    );
    for (const id of PRE_VECTOR_INDEX_LINT_RULES.cdk)
      Validations.of(cfn).acknowledge({ id, reason: LINT_REASON });
    cfn.cfnOptions.metadata = {
      ...cfn.cfnOptions.metadata,
      "cfn-lint": { config: { ignore_checks: [...PRE_VECTOR_INDEX_LINT_RULES.cfnLint] } },
    };
  }
}
