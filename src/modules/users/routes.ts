import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { privateApi } from "../auth/plugin";

/**
 * Undocumented v2 routes of the live private API (`config/routes.rb:123-124`):
 * `GET,POST /users` and `/ecf-users`. Their controllers exist, but they admit
 * only tokens with private API access, so a lead provider's token gets 403
 * with an empty body and an unknown token 401 (docs/live-parity.md §6).
 */
export function usersRoutes(ctx: AppContext) {
  const detail = { hide: true };
  const refused = () => null;
  return new Elysia({ prefix: "/api/v2" })
    .use(privateApi(ctx))
    .get("/users", refused, { detail })
    .post("/users", refused, { parse: "none", detail })
    .get("/ecf-users", refused, { detail })
    .post("/ecf-users", refused, { parse: "none", detail });
}
