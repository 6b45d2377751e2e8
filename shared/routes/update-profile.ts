import { UpdateProfileBody } from "../domain/schemas.ts";
import { route } from "./route.ts";

export const updateProfile = route({
  method: "PUT",
  path: "/api/me",
  handler: "me/update-profile",
  summary: "Upsert the caller's profile",
  description: "Sets the caller's display name, creating the profile on first use.",
  tags: ["me"],
  permission: "write",
  body: UpdateProfileBody,
  example: "UpdateProfile",
  response: { status: 200, description: "The caller's profile.", data: "Profile" },
  rateLimit: "write",
  // The caller's own profile, email included, comes back from the update: no other route sees it.
  access: { writes: [{ keys: ["USER#"], actions: ["UpdateItem"], returns: ["ALL_NEW"] }] },
});
