import { describe, expect, it } from "vitest";
import {
  type Caller,
  canModify,
  hasPermission,
  isPrivileged,
  isRole,
  type Permission,
  ROLES,
} from "../../../shared/auth/permissions.ts";

const ALL: Permission[] = ["read", "write", "delete", "admin"];

describe("role permissions", () => {
  it.each([
    ["user", ["read", "write"]],
    ["moderator", ["read", "write", "delete"]],
    ["admin", ["read", "write", "delete", "admin"]],
  ] as const)("%s has exactly %j", (role, granted) => {
    expect(ALL.filter((permission) => hasPermission(role, permission))).toEqual(granted);
  });

  it("knows exactly the three roles", () => {
    expect([...ROLES].sort()).toEqual(["admin", "moderator", "user"]);
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ["Admin", "root", "", undefined, null, 1, ["admin"], "toString", "__proto__"])
      expect(isRole(value)).toBe(false);
  });
});

describe("ownership", () => {
  const user: Caller = { id: "u-1", role: "user" };
  const other: Caller = { id: "u-2", role: "user" };
  const moderator: Caller = { id: "m-1", role: "moderator" };
  const admin: Caller = { id: "a-1", role: "admin" };

  it("lets a user change only what it created", () => {
    expect(canModify(user, "u-1")).toBe(true);
    expect(canModify(other, "u-1")).toBe(false);
  });

  it("lets moderators and admins change anything", () => {
    expect(canModify(moderator, "u-1")).toBe(true);
    expect(canModify(admin, "u-1")).toBe(true);
    expect(isPrivileged(moderator)).toBe(true);
    expect(isPrivileged(admin)).toBe(true);
    expect(isPrivileged(user)).toBe(false);
  });
});
