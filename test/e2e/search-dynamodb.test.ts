/**
 * Search end to end with the `dynamodb` engine: SearchVectors through the local emulation of the
 * vector index (infra/local/search-vectors-proxy.ts); see search-suite.ts.
 */
import { describeSearch } from "./search-suite.ts";

describeSearch("dynamodb");
