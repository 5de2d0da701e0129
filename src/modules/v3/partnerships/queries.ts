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

// ---------------------------------------------------------------------------
// POST and PUT: the services' look-ups (app/services/api/school_partnerships/{create,update}.rb) and writes
// ---------------------------------------------------------------------------

export async function contractPeriod(db: DbOrTrx, year: number) {
  return db.selectFrom("rect_contract_periods").select(["year", "started_on", "enabled"]).where("year", "=", year).executeTakeFirst();
}

export async function schoolByApiId(db: DbOrTrx, apiId: string) {
  return db.selectFrom("rect_schools").select(["id", "marked_as_eligible", "gias_eligible"]).where("api_id", "=", apiId).executeTakeFirst();
}

export async function deliveryPartnerIdByApiId(db: DbOrTrx, apiId: string): Promise<number | undefined> {
  return (await db.selectFrom("rect_delivery_partners").select("id").where("api_id", "=", apiId).executeTakeFirst())?.id;
}

export async function activeLeadProviderId(db: DbOrTrx, leadProviderId: number, year: number): Promise<number | undefined> {
  return (
    await db.selectFrom("rect_active_lead_providers").select("id").where("lead_provider_id", "=", leadProviderId).where("contract_period_year", "=", year).executeTakeFirst()
  )?.id;
}

export async function pairingId(db: DbOrTrx, activeLeadProviderId: number, deliveryPartnerId: number): Promise<number | undefined> {
  return (
    await db
      .selectFrom("rect_lead_provider_delivery_partnerships")
      .select("id")
      .where("active_lead_provider_id", "=", activeLeadProviderId)
      .where("delivery_partner_id", "=", deliveryPartnerId)
      .executeTakeFirst()
  )?.id;
}

/** The school has a partnership on any LP–DP partnership of the active lead provider (create.rb:90-99). */
export async function schoolPartneredWithActiveLeadProvider(db: DbOrTrx, schoolId: number, activeLeadProviderId: number): Promise<boolean> {
  const row = await db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .select("sp.id")
    .where("sp.school_id", "=", schoolId)
    .where("lpdp.active_lead_provider_id", "=", activeLeadProviderId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The school has a partnership on this LP–DP partnership (update.rb:67-73). */
export async function schoolPartneredOnPairing(db: DbOrTrx, schoolId: number, pairingId: number): Promise<boolean> {
  const row = await db.selectFrom("rect_school_partnerships").select("id").where("school_id", "=", schoolId).where("lead_provider_delivery_partnership_id", "=", pairingId).executeTakeFirst();
  return row !== undefined;
}

/** Any partnership (any lead provider) of the school in the cohort: the school's `in_partnership` (metadata/handlers/school.rb:30,68-73). */
export async function schoolInPartnership(db: DbOrTrx, schoolId: number, year: number): Promise<boolean> {
  const row = await db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .select("sp.id")
    .where("sp.school_id", "=", schoolId)
    .where("alp.contract_period_year", "=", year)
    .executeTakeFirst();
  return row !== undefined;
}

/** One of the caller's partnerships, by api id, with what the update reads. */
export async function callerPartnership(db: DbOrTrx, leadProviderId: number, apiId: string) {
  return db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .select(["sp.id", "sp.api_id", "sp.school_id", "lpdp.active_lead_provider_id"])
    .where("alp.lead_provider_id", "=", leadProviderId)
    .where("sp.api_id", "=", apiId)
    .executeTakeFirst();
}

/** A partnership by its row id, with what the update reads. */
export async function partnershipById(db: DbOrTrx, id: number) {
  return db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .select(["sp.id", "sp.school_id", "lpdp.active_lead_provider_id"])
    .where("sp.id", "=", id)
    .executeTakeFirstOrThrow();
}

export async function insertPartnership(
  trx: DbOrTrx,
  row: { api_id: string; school_id: number; lead_provider_delivery_partnership_id: number; created_at: string; updated_at: string; api_updated_at: string },
): Promise<number> {
  return (await trx.insertInto("rect_school_partnerships").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

/**
 * `TrainingPeriods::Search#linkable_to_school_partnership` (app/services/training_periods/search.rb:15-21):
 * the training periods at the school (ECT or mentor) with no partnership and an EOI naming the active lead provider.
 */
export async function linkableTrainingPeriods(trx: DbOrTrx, schoolId: number, activeLeadProviderId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom("rect_training_periods as tp")
    .leftJoin("rect_ect_at_school_periods as e", "e.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as m", "m.id", "tp.mentor_at_school_period_id")
    .select("tp.id")
    .where("tp.school_partnership_id", "is", null)
    .where("tp.expression_of_interest_id", "=", activeLeadProviderId)
    .where((eb) => eb.or([eb("e.school_id", "=", schoolId), eb("m.school_id", "=", schoolId)]))
    .orderBy("tp.created_at")
    .orderBy("tp.id")
    .execute();
  return rows.map((r) => r.id);
}

export async function assignTrainingPeriods(trx: DbOrTrx, ids: number[], partnershipId: number, at: string): Promise<void> {
  if (ids.length) await trx.updateTable("rect_training_periods").set({ school_partnership_id: partnershipId, updated_at: at }).where("id", "in", ids).execute();
}

/** The teachers (ECT or mentor) of training periods: their `api_updated_at` moves (training_period.rb:51-65; school_partnership.rb:18 `teachers`). */
export async function touchTeachersOfTrainingPeriods(trx: DbOrTrx, where: { ids: number[] } | { partnershipId: number }, at: string): Promise<void> {
  if ("ids" in where && where.ids.length === 0) return;
  const rows = await trx
    .selectFrom("rect_training_periods as tp")
    .leftJoin("rect_ect_at_school_periods as e", "e.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as m", "m.id", "tp.mentor_at_school_period_id")
    .select(sql<number>`COALESCE(e.teacher_id, m.teacher_id)`.as("teacher_id"))
    .$if("ids" in where, (q) => q.where("tp.id", "in", (where as { ids: number[] }).ids))
    .$if("partnershipId" in where, (q) => q.where("tp.school_partnership_id", "=", (where as { partnershipId: number }).partnershipId))
    .execute();
  const teachers = [...new Set(rows.map((r) => r.teacher_id))];
  if (teachers.length) await trx.updateTable("rect_teachers").set({ api_updated_at: at }).where("id", "in", teachers).execute();
}

/** The school's cohort metadata timestamp (metadata/school_contract_period.rb:22: `in_partnership` changed). */
export async function touchSchoolCohort(trx: DbOrTrx, schoolId: number, year: number, at: string): Promise<void> {
  await trx.updateTable("rect_school_contract_periods").set({ api_updated_at: at }).where("school_id", "=", schoolId).where("contract_period_year", "=", year).execute();
}

/** `update!(lead_provider_delivery_partnership:)` and its touch of itself (school_partnership.rb:16). */
export async function movePartnership(trx: DbOrTrx, partnershipId: number, pairingId: number, at: string): Promise<void> {
  await trx.updateTable("rect_school_partnerships").set({ lead_provider_delivery_partnership_id: pairingId, updated_at: at, api_updated_at: at }).where("id", "=", partnershipId).execute();
}

/** The declarations of the partnership's training periods (school_partnership.rb:17). */
export async function touchDeclarationsOfPartnership(trx: DbOrTrx, partnershipId: number, at: string): Promise<void> {
  await trx
    .updateTable("rect_declarations")
    .set({ api_updated_at: at })
    .where("training_period_id", "in", (eb) => eb.selectFrom("rect_training_periods").select("id").where("school_partnership_id", "=", partnershipId))
    .execute();
}

export async function partnershipDocumentById(db: DbOrTrx, today: string, id: number): Promise<string> {
  const row = await db
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .innerJoin("rect_delivery_partners as dp", "dp.id", "lpdp.delivery_partner_id")
    .innerJoin("rect_schools as sc", "sc.id", "sp.school_id")
    .select(partnershipResource.documentSql({ today }).as("document"))
    .where("sp.id", "=", id)
    .executeTakeFirstOrThrow();
  return row.document;
}
