/** Roles, what each may do, and the ownership rule. Pure: no tokens, no HTTP. */

export const ROLES = ["admin", "moderator", "user"] as const;
export type Role = (typeof ROLES)[number];
export type Permission = "read" | "write" | "delete" | "admin";

const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  user: new Set(["read", "write"]),
  moderator: new Set(["read", "write", "delete"]),
  admin: new Set(["read", "write", "delete", "admin"]),
};

/** The authenticated caller, as the services see it. */
export interface Caller {
  readonly id: string;
  readonly role: Role;
  readonly email?: string;
}

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

export const hasPermission = (role: Role, permission: Permission): boolean =>
  PERMISSIONS[role].has(permission);

/** Moderators and admins act on anything; a user only on what it created. */
export const isPrivileged = (caller: Caller): boolean =>
  caller.role === "admin" || caller.role === "moderator";

/** Whether the caller may change a resource created by `ownerId`. */
export const canModify = (caller: Caller, ownerId: string): boolean =>
  isPrivileged(caller) || caller.id === ownerId;
