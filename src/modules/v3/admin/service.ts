/** The v3 control plane's lead providers and tokens (docs/reference/rect/control-plane.md §4.4). */
import type { Db } from "../../../../db/connection";
import { ApiError } from "../../../errors";
import { castUuid } from "../../../http/ruby-compat";
import { generateV3Token, storeV3Token } from "../auth/tokens";
import { type LoadOptions, createV3LeadProvider } from "../scenarios/service";
import * as q from "./queries";

export async function createLeadProvider(db: Db, name: string, cohorts: number[], options: LoadOptions) {
  return db.transaction().execute(async (trx) => {
    if (await q.leadProviderNameTaken(trx, name)) throw ApiError.errors(422, [{ title: "name", detail: "is taken: a v3 lead provider has this name already" }]);
    const years = await q.contractPeriodYears(trx);
    const unknown = cohorts.find((c) => !years.includes(c));
    if (unknown !== undefined) throw ApiError.errors(422, [{ title: "cohorts", detail: `${unknown} is not a contract period (${years.join(", ")})` }]);
    const made = await createV3LeadProvider(trx, { name, cohorts: [...new Set(cohorts)] }, options);
    return { id: made.apiId, name, api_token: made.token };
  });
}

export async function mintToken(db: Db, id: string, now: Date) {
  const apiId = castUuid(id);
  const lp = apiId === null ? undefined : await q.leadProviderByApiId(db, apiId);
  if (!lp) throw ApiError.notFound();
  const token = generateV3Token();
  const tokenId = await storeV3Token(db, token, lp.id, now);
  return { id: tokenId, api_token: token };
}

export async function revokeToken(db: Db, id: string) {
  if (!(await q.deleteToken(db, id))) throw ApiError.notFound();
  return { id, revoked: true as const };
}

/** Every v3 lead provider, its cohorts and its tokens; the token itself only for the demo world's. */
export async function listLeadProviders(db: Db, lastUsed: (tokenId: string, stored: string | null) => string | null) {
  const { providers, cohorts, tokens } = await q.leadProvidersWithTokens(db);
  return providers.map((p) => ({
    id: p.api_id,
    name: p.name,
    cohorts: cohorts.filter((c) => c.lead_provider_id === p.id).map((c) => c.contract_period_year),
    api_tokens: tokens.filter((t) => t.lead_provider_id === p.id && t.demo_token !== null).map((t) => t.demo_token!),
    tokens: tokens
      .filter((t) => t.lead_provider_id === p.id)
      .map((t) => ({ id: t.id, hash_prefix: t.token_hash.slice(0, 12), created_at: t.created_at, last_used_at: lastUsed(t.id, t.last_used_at) })),
  }));
}
