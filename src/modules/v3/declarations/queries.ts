/**
 * Every SQL statement of the v3 declarations feature (docs/reference/rect/rules.md §10):
 * the caller's visible set (app/services/api/declarations/query.rb:50-113),
 * the facts POST checks read (app/services/api/declarations/create.rb), and the writes
 * of a create, a void and a clawback.
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page } from "../http/params";
import { declarationResource } from "./resource";

export interface DeclarationFilters {
  /** null: not applied; []: nothing */
  cohorts: number[] | null;
  participantIds: string[] | null;
  deliveryPartnerIds: string[] | null;
  updatedSince: Date | null;
}

/**
 * The `finished_on` (or `9999-12-31` when open) of the caller's latest training period
 * of the declaration's role for its teacher (`metadata_teachers_lead_providers.latest_*_training_period`,
 * app/services/metadata/handlers/teacher.rb:65-91: greatest `started_on`); null when the
 * caller has none. Reads `tp` and `tt`.
 */
function callerLatestEnd(leadProviderId: number): RawBuilder<string | null> {
  return sql<string | null>`(SELECT COALESCE(x.finished_on, '9999-12-31') FROM rect_training_periods x
    JOIN rect_school_partnerships xsp ON xsp.id = x.school_partnership_id
    JOIN rect_lead_provider_delivery_partnerships xl ON xl.id = xsp.lead_provider_delivery_partnership_id
    JOIN rect_active_lead_providers xa ON xa.id = xl.active_lead_provider_id
    WHERE xa.lead_provider_id = ${leadProviderId}
      AND CASE WHEN tp.ect_at_school_period_id IS NOT NULL
        THEN x.ect_at_school_period_id IN (SELECT xe.id FROM rect_ect_at_school_periods xe WHERE xe.teacher_id = tt.id)
        ELSE x.mentor_at_school_period_id IN (SELECT xm.id FROM rect_mentor_at_school_periods xm WHERE xm.teacher_id = tt.id) END
    ORDER BY x.started_on DESC, x.id DESC LIMIT 1)`;
}

/** Declarations with every alias resource.ts reads. */
function declarationRows(db: DbOrTrx) {
  return db
    .selectFrom("rect_declarations as d")
    .innerJoin("rect_training_periods as tp", "tp.id", "d.training_period_id")
    .leftJoin("rect_ect_at_school_periods as ea", "ea.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as ma", "ma.id", "tp.mentor_at_school_period_id")
    .innerJoin("rect_teachers as tt", (j) => j.on(sql<boolean>`tt.id = COALESCE(ea.teacher_id, ma.teacher_id)`))
    .innerJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .innerJoin("rect_lead_providers as lp", "lp.id", "alp.lead_provider_id")
    .innerJoin("rect_delivery_partners as dp", "dp.id", "d.delivery_partner_when_created_id")
    .leftJoin("rect_statements as ps", "ps.id", "d.payment_statement_id")
    .leftJoin("rect_statements as cs", "cs.id", "d.clawback_statement_id")
    .leftJoin("rect_mentorship_periods as msp", "msp.id", "d.mentorship_period_id")
    .leftJoin("rect_mentor_at_school_periods as mma", "mma.id", "msp.mentor_at_school_period_id")
    .leftJoin("rect_teachers as mt", "mt.id", "mma.teacher_id");
}

/**
 * The set a provider sees (query.rb:99-112): its own declarations, and a previous
 * provider's billable-or-changeable ones of the same teacher and role dated on or before
 * the end of the caller's latest training period of that role (timestamp ≤ 00:00 UTC of
 * that day: a PostgreSQL timestamp against a date). Both need that latest period.
 */
function visibleDeclarations(db: DbOrTrx, leadProviderId: number) {
  return declarationRows(db)
    .select(declarationResource.documentSql().as("document"))
    .where(
      sql<boolean>`(alp.lead_provider_id = ${leadProviderId} OR (d.payment_status IN ('no_payment', 'eligible', 'payable', 'paid') AND d.clawback_status = 'no_clawback'
        AND d.declaration_date <= ${callerLatestEnd(leadProviderId)} || 'T00:00:00Z'))`,
    );
}

/** One page, `created_at` ascending (query.rb:14; RECT has no tie-breaker, ours is the row's age). */
export async function declarationDocuments(db: DbOrTrx, leadProviderId: number, filters: DeclarationFilters, page: Page): Promise<string[]> {
  let query = visibleDeclarations(db, leadProviderId);
  const none = sql<boolean>`0`;
  // query.rb:122-146: an empty list (every item dropped) matches nothing
  if (filters.cohorts !== null) query = filters.cohorts.length ? query.where("alp.contract_period_year", "in", filters.cohorts) : query.where(none);
  if (filters.participantIds !== null) query = filters.participantIds.length ? query.where("tt.api_id", "in", filters.participantIds) : query.where(none);
  if (filters.deliveryPartnerIds !== null) query = filters.deliveryPartnerIds.length ? query.where("dp.api_id", "in", filters.deliveryPartnerIds) : query.where(none);
  if (filters.updatedSince !== null) query = query.where("d.api_updated_at", ">=", toTimestamp(filters.updatedSince));
  const rows = await query.orderBy("d.created_at").orderBy("d.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function declarationDocument(db: DbOrTrx, leadProviderId: number, apiId: string): Promise<string | undefined> {
  return (await visibleDeclarations(db, leadProviderId).where("d.api_id", "=", apiId).executeTakeFirst())?.document;
}
