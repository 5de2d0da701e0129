import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import type { Page, SortPart } from "../http/params";
import { deliveryPartnerResource } from "./resource";

/** What `sort` may name: DeliveryPartner's columns (orderable.rb:27); `updated_at` arrives as `api_updated_at`. */
export const DELIVERY_PARTNER_SORT_COLUMNS: Record<string, RawBuilder<unknown>> = {
  id: sql`dp.id`,
  api_id: sql`dp.api_id`,
  name: sql`dp.name`,
  created_at: sql`dp.created_at`,
  api_updated_at: sql`dp.api_updated_at`,
};

/**
 * Partners with an LP–DP pairing of the caller's (any cohort), and, with
 * `cohorts`, one of the caller's in those cohorts (app/services/api/delivery_partners/query.rb:41-59;
 * docs/reference/rect/rules.md §12 leaves open whether the cohort's pairing must be the caller's: here it must).
 */
function callerPartners(db: DbOrTrx, leadProviderId: number, cohorts: number[] | null) {
  return db
    .selectFrom("rect_delivery_partners as dp")
    .select(deliveryPartnerResource.documentSql({ leadProviderId }).as("document"))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("rect_lead_provider_delivery_partnerships as lpdp")
          .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
          .select(sql`1`.as("one"))
          .whereRef("lpdp.delivery_partner_id", "=", "dp.id")
          .where("alp.lead_provider_id", "=", leadProviderId)
          .$if(cohorts !== null && cohorts.length > 0, (q) => q.where("alp.contract_period_year", "in", cohorts!))
          .$if(cohorts !== null && cohorts.length === 0, (q) => q.where(sql<boolean>`0`)),
      ),
    );
}

export async function deliveryPartnerDocuments(db: DbOrTrx, leadProviderId: number, cohorts: number[] | null, sort: SortPart[] | null, page: Page): Promise<string[]> {
  let query = callerPartners(db, leadProviderId, cohorts);
  for (const part of sort ?? [{ attribute: "created_at", direction: "asc" as const }]) {
    query = query.orderBy(DELIVERY_PARTNER_SORT_COLUMNS[part.attribute]!, part.direction);
  }
  const rows = await query.orderBy("dp.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function deliveryPartnerDocument(db: DbOrTrx, leadProviderId: number, apiId: string): Promise<string | undefined> {
  return (await callerPartners(db, leadProviderId, null).where("dp.api_id", "=", apiId).executeTakeFirst())?.document;
}
