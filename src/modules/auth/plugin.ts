import { Elysia } from "elysia";
import { requestNow } from "../../clock";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { railsQuery, validateQueryFilter } from "../../http/rails-params";
import { type TokenOwner, findTokenOwner, tokenFromAuthorization } from "./tokens";

export interface AuthenticatedProvider {
  id: string;
}

/**
 * The token's owner, remembered while the database is unchanged (revoking a
 * token is a write, so it takes effect from the next request on; a revoke by
 * another process changes `data_version`).
 */
async function cachedTokenOwner(ctx: AppContext, token: string): Promise<TokenOwner | null> {
  const owners = ctx.tokenOwners;
  if (!owners) return findTokenOwner(ctx.db, token);
  // the version before the read: a write meanwhile makes the kept owner unusable at once
  const version = owners.current();
  const hit = owners.get(token, version);
  if (hit !== undefined) return hit;
  const owner = await findTokenOwner(ctx.db, token);
  owners.set(token, version, owner);
  return owner;
}

/** The owner of the request's token: missing, malformed or unknown → 401. */
async function requestTokenOwner(ctx: AppContext, request: Request): Promise<TokenOwner> {
  const token = tokenFromAuthorization(request.headers.get("authorization"));
  const info = ctx.requests.of(request);
  if (!token) {
    info.tokenKind = request.headers.has("authorization") ? "unknown" : "none";
    throw ApiError.unauthorized();
  }
  const owner = await cachedTokenOwner(ctx, token);
  info.tokenKind = owner ? owner.kind : "unknown";
  if (!owner) throw ApiError.unauthorized();
  return owner;
}

/**
 * The lead provider behind a request's token (docs/reference/business-rules.md §1.1): missing,
 * malformed or unknown → 401; a known token of another kind (the admin
 * token) → 403 with an empty body.
 */
export async function authenticateLeadProvider(ctx: AppContext, request: Request): Promise<AuthenticatedProvider> {
  const owner = await requestTokenOwner(ctx, request);
  if (owner.kind !== "lead_provider" || !owner.leadProviderId) throw ApiError.forbidden();
  ctx.lastUsed.touch(owner.tokenId, ctx.clock.now());
  ctx.requests.of(request).providerId = owner.leadProviderId;
  return { id: owner.leadProviderId };
}

/** The lead provider of a request's token, or null (none, unknown, the admin's); never refuses (fault rules match on it before routing). */
export async function leadProviderOf(ctx: AppContext, request: Request): Promise<string | null> {
  const token = tokenFromAuthorization(request.headers.get("authorization"));
  if (!token) return null;
  const owner = await cachedTokenOwner(ctx, token).catch(() => null);
  return owner?.kind === "lead_provider" ? (owner.leadProviderId ?? null) : null;
}

/** The admin token only; a lead provider's token is refused with 401. */
export async function authenticateAdmin(ctx: AppContext, request: Request): Promise<void> {
  const token = tokenFromAuthorization(request.headers.get("authorization"));
  if (!token) throw ApiError.unauthorized();
  const owner = await findTokenOwner(ctx.db, token);
  if (!owner || owner.kind !== "admin") throw ApiError.unauthorized();
}

/**
 * Derives `provider`, `now` and the Rails `format` for every route of a v2
 * feature module, in the live order: the query must nest, then
 * authentication, then `validate_filters`. A derive is a
 * transform, so all of it comes before the route's own transform that reads
 * the body (json-api `readJsonApiBody`) and before TypeBox checks it.
 */
export function leadProviderApi(ctx: AppContext) {
  return new Elysia().derive({ as: "scoped" }, async ({ request }) => {
    // Rails reads the query before authentication (docs/live-parity.md §2)
    const query = railsQuery(request);
    // the request's one RequestInfo, and its Rails format (`json` without a suffix, src/http/format.ts)
    const info = ctx.requests.of(request);
    const format = info.format ?? "json";
    const provider = await authenticateLeadProvider(ctx, request);
    validateQueryFilter(query);
    const now = requestNow(ctx.clock, request);
    return { provider, now, format, info };
  });
}

/**
 * The private-API controllers (`/users`, `/ecf-users`): any known token is
 * authenticated, but only tokens with private API access pass
 * `check_access_scope` (live `app/controllers/api/v1/users_controller.rb:43-45`).
 * The sandbox has no such token: unknown → 401, every known one → 403.
 */
export function privateApi(ctx: AppContext) {
  return new Elysia().resolve({ as: "scoped" }, async ({ request }) => {
    railsQuery(request);
    await requestTokenOwner(ctx, request);
    throw ApiError.forbidden();
  });
}

/**
 * The admin guard: mount it first in any module of admin routes. It resolves
 * `now`, and runs as a transform (derive), so before Elysia validates the
 * route's params, query and body: a missing or lead-provider token is a 401
 * before any 422.
 */
export function adminApi(ctx: AppContext) {
  return new Elysia().derive({ as: "scoped" }, async ({ request }) => {
    await authenticateAdmin(ctx, request);
    return { now: requestNow(ctx.clock, request) };
  });
}
