/** The rules for values that become part of a DynamoDB key: user ids (a token's `sub`) and resource ids. */
import { describe, expect, it } from "vitest";
import {
  isKeySafeText,
  isUserId,
  MAX_USER_ID_CHARACTERS,
  RESOURCE_ID_PATTERN,
} from "../../../shared/domain/identifiers.ts";

const EMOJI = "\u{1F600}";

describe("isKeySafeText", () => {
  it.each([
    ["plain text", "Weather in Lisbon", true],
    ["accents and emoji", `é-ü-ß ${EMOJI}`, true],
    ["the empty string (length is the caller's rule)", "", true],
    ["a lone high surrogate", "victim\uD8001", false],
    ["a lone low surrogate", "\uDC00", false],
    ["NUL", "nul\u0000", false],
    ["a tab", "tab\there", false],
    ["a newline", "line\nbreak", false],
    ["DEL", "del\u007f", false],
    ["a C1 control", "c1\u0085", false],
  ])("%s: %s", (_name, value, safe) => {
    expect(isKeySafeText(value)).toBe(safe);
  });
});

describe("isUserId", () => {
  it.each<[string, unknown, boolean]>([
    ["a short id", "u-1", true],
    ["one character", "u", true],
    ["a provider's subject", "auth0|5f7c8ec7c33c6c004bbafe82", true],
    [`${MAX_USER_ID_CHARACTERS} characters`, "u".repeat(MAX_USER_ID_CHARACTERS), true],
    // Characters are code points: 128 emoji are 256 UTF-16 units and still one user id.
    [`${MAX_USER_ID_CHARACTERS} emoji`, EMOJI.repeat(MAX_USER_ID_CHARACTERS), true],
    [`${MAX_USER_ID_CHARACTERS + 1} characters`, "u".repeat(MAX_USER_ID_CHARACTERS + 1), false],
    [`${MAX_USER_ID_CHARACTERS} emoji and one more`, `${EMOJI.repeat(MAX_USER_ID_CHARACTERS)}x`, false],
    ["empty", "", false],
    ["a lone surrogate", "victim\uD8001", false],
    ["a control character", "u\u0000", false],
    ["a number", 5, false],
    ["an empty array", [], false],
    ["undefined", undefined, false],
    ["null", null, false],
    ["an object", { length: 1 }, false],
  ])("%s: %s", (_name, value, valid) => {
    expect(isUserId(value)).toBe(valid);
  });
});

describe("RESOURCE_ID_PATTERN", () => {
  it.each<[string, string, boolean]>([
    ["a ULID", "01HMISSING0000000000000000", true],
    ["one character", "a", true],
    ["letters, digits, - and _", "Ab-9_z", true],
    ["128 characters", "a".repeat(128), true],
    ["129 characters", "a".repeat(129), false],
    ["empty", "", false],
    ["a leading slash", "/abc", false],
    ["a trailing slash", "abc/", false],
    ["a space inside", "a b", false],
    ["a trailing newline", "abc\n", false],
    ["a dot", "a.b", false],
    ["a percent-escape", "%30abc", false],
  ])("%s: %s", (_name, value, valid) => {
    expect(RESOURCE_ID_PATTERN.test(value)).toBe(valid);
  });
});
