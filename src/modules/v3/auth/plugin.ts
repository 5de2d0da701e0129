import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import type { RackParams } from "../../../http/ruby-compat";
import { tokenFromAuthorization } from "../../auth/tokens";
import { V3_UNAUTHORIZED } from "../http/envelope";
import { v3Params, validateFilters } from "../http/params";
import { v3RequestNow } from "../http/server-date";
import { type V3Caller, findV3Caller } from "./tokens";

/** The caller's token owner, remembered while the database is unchanged (as v2's, src/modules/auth/plugin.ts). */
async function cachedCaller(ctx: AppContext, token: string): Promise<V3Caller | null> {
  const callers = ctx.v3Callers;
  if (!callers) return findV3Caller(ctx.db, token);
  const version = callers.current();
  const hit = callers.get(token, version);
  if (hit !== undefined) return hit;
  const caller = await findV3Caller(ctx.db, token);
  callers.set(token, version, caller);
  return caller;
}

/**
 * `authenticate` (app/controllers/concerns/api/token_authenticatable.rb):
 * `Bearer`/`Token` as Rails reads them; missing, malformed or unknown → 401
 * `{"error":"HTTP Token: Access denied"}`. A v2 token or the admin token is
 * unknown here: v3 has no 403 (docs/reference/rect/rules.md §2.1).
 */
export async function authenticateV3(ctx: AppContext, request: Request): Promise<V3Caller> {
  const token = tokenFromAuthorization(request.headers.get("authorization"));
  const info = ctx.requests.of(request);
  if (!token) {
    info.tokenKind = request.headers.has("authorization") ? "unknown" : "none";
    throw V3_UNAUTHORIZED;
  }
  const caller = await cachedCaller(ctx, token);
  info.tokenKind = caller ? "v3_lead_provider" : "unknown";
  if (!caller) throw V3_UNAUTHORIZED;
  ctx.v3LastUsed.touch(caller.tokenId, ctx.clock.now());
  ctx.requests.of(request).providerId = caller.leadProviderApiId;
  return caller;
}

/**
 * Derives `caller`, `now` and the Rack-nested query `rack` (Elysia's `params` are the path's) for every route of a v3
 * feature module, in RECT's order (docs/reference/rect/rules.md §2.2): the time travel header (a
 * middleware, before everything), the query (Rack), `authenticate`, then
 * `validate_filters`. A derive is a transform, so all of it runs before the
 * route's own body reading and TypeBox checks. A route with required filters
 * (schools) calls `validateFilters` again with them.
 */
export function v3Api(ctx: AppContext) {
  return new Elysia().derive({ as: "scoped" }, async ({ request }) => {
    const now = v3RequestNow(ctx.clock, request);
    const rack: RackParams = v3Params(request);
    const caller = await authenticateV3(ctx, request);
    validateFilters(rack);
    return { caller, now, rack };
  });
}
