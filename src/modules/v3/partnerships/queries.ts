/** All the SQL of the partnerships routes (docs/reference/rect/rules.md §13). */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page, SortPart } from "../http/params";
import { partnershipResource } from "./resource";

/** What `sort` may name: SchoolPartnership's columns (orderable.rb:27, db/schema.rb `school_partnerships`); `updated_at` arrives as `api_updated_at`. */
export const PARTNERSHIP_SORT_COLUMNS: Record<string, RawBuilder<unknown>> = {
  id: sql`sp.id`,
  api_id: sql`sp.api_id`,
  api_updated_at: sql`sp.api_updated_at`,
  created_at: sql`sp.created_at`,
  lead_provider_delivery_partnership_id: sql`sp.lead_provider_delivery_partnership_id`,
  school_id: sql`sp.school_id`,
  updated_at: sql`sp.updated_at`,
};

export interface PartnershipFilters {
  /** null: not applied; []: nothing */
  cohorts: number[] | null;
  /** delivery partner api ids, cast; null: not applied; []: nothing */
  deliveryPartnerIds: string[] | null;
  updatedSince: Date | null;
}

/** The caller's school partnerships, with what the document reads (app/services/api/school_partnerships/query.rb:53-61). */
function callerPartnerships(db: DbOrTrx, leadProviderId: number, today: string) {
  return db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .innerJoin("rect_delivery_partners as dp", "dp.id", "lpdp.delivery_partner_id")
    .innerJoin("rect_schools as sc", "sc.id", "sp.school_id")
    .select(partnershipResource.documentSql({ today }).as("document"))
    .where("alp.lead_provider_id", "=", leadProviderId);
}

/** One page, `created_at` ascending unless sorted (query.rb:63-96); ties by age of row (RECT has none). */
export async function partnershipDocuments(db: DbOrTrx, leadProviderId: number, today: string, filters: PartnershipFilters, sort: SortPart[] | null, page: Page): Promise<string[]> {
  let query = callerPartnerships(db, leadProviderId, today);
  if (filters.cohorts !== null) query = filters.cohorts.length ? query.where("alp.contract_period_year", "in", filters.cohorts) : query.where(sql<boolean>`0`);
  if (filters.deliveryPartnerIds !== null) query = filters.deliveryPartnerIds.length ? query.where("dp.api_id", "in", filters.deliveryPartnerIds) : query.where(sql<boolean>`0`);
  if (filters.updatedSince !== null) query = query.where("sp.api_updated_at", ">=", toTimestamp(filters.updatedSince));
  for (const part of sort ?? [{ attribute: "created_at", direction: "asc" as const }]) query = query.orderBy(PARTNERSHIP_SORT_COLUMNS[part.attribute]!, part.direction);
  const rows = await query.orderBy("sp.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function partnershipDocument(db: DbOrTrx, leadProviderId: number, today: string, apiId: string): Promise<string | undefined> {
  return (await callerPartnerships(db, leadProviderId, today).where("sp.api_id", "=", apiId).executeTakeFirst())?.document;
}
