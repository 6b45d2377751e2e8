/**
 * `npm run token -- --sub u-1 --role admin [--email a@b.c] [--expires 1h]`: prints a bearer token
 * the local API accepts (HS256 with JWT_SECRET, or the development default).
 */
import { parseArgs } from "node:util";
import { isRole } from "../../shared/auth/permissions.ts";
import { signToken } from "./sign-token.ts";

const USAGE =
  "usage: npm run token -- --sub <user id> --role admin|moderator|user [--email a@b.c] [--expires 1h]";

const { values } = parseArgs({
  options: {
    sub: { type: "string" },
    role: { type: "string", default: "user" },
    email: { type: "string" },
    expires: { type: "string", default: "1h" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help || !values.sub || !isRole(values.role)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 1);
}

console.log(
  await signToken({
    sub: values.sub,
    role: values.role,
    expiresIn: values.expires,
    ...(values.email ? { email: values.email } : {}),
  }),
);
