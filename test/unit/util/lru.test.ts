import { describe, expect, it } from "vitest";
import { lru } from "../../../shared/util/lru.ts";

describe("lru", () => {
  it("builds a value once per key and reuses it", () => {
    let built = 0;
    const get = lru(2, (key: string) => ({ key, n: ++built }));
    const a = get("a");
    expect(get("a")).toBe(a);
    expect(built).toBe(1);
  });

  it("drops the least recently used key beyond its size", () => {
    const built: string[] = [];
    const get = lru(2, (key: string) => {
      built.push(key);
      return key;
    });
    get("a");
    get("b");
    get("a"); // a is now more recent than b
    get("c"); // evicts b
    get("a");
    expect(built).toEqual(["a", "b", "c"]);
    get("b");
    expect(built).toEqual(["a", "b", "c", "b"]);
  });
});
