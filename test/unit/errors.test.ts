/**
 * Bundles are minified without keepNames, so an error's `name` (what logs show) must be written in
 * the class, not taken from it: each one here says its own class name.
 */
import { describe, expect, it } from "vitest";
import * as errors from "../../shared/errors.ts";

describe("error names", () => {
  it("every error class names itself as the class is called", () => {
    const classes = Object.entries(errors as Record<string, unknown>).filter(
      (entry): entry is [string, new (...args: unknown[]) => Error] =>
        typeof entry[1] === "function" && entry[1].prototype instanceof Error,
    );
    expect(classes.length).toBeGreaterThan(10);
    for (const [exported, ErrorClass] of classes) {
      // Every constructor takes strings, numbers or nothing first; the name does not depend on them.
      const instance = new ErrorClass("x", "y");
      expect(instance.name, exported).toBe(exported);
    }
  });
});
