/** Search end to end with the in-process engine (the local default); see search-suite.ts. */
import { describeSearch } from "./search-suite.ts";

describeSearch("in-process");
