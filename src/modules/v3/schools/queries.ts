import { type RawBuilder, sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page, SortPart } from "../http/params";
import { inPartnershipSql, programmeChoiceSql, schoolResource } from "./resource";

/** `sort` on School's columns (orderable.rb:27; `updated_at` never reaches School: schools_controller.rb:45-47). */
export const SCHOOL_SORT_COLUMNS: Record<string, RawBuilder<unknown>> = {
  id: sql`sc.id`,
  api_id: sql`sc.api_id`,
  urn: sql`sc.urn`,
  created_at: sql`sc.created_at`,
  induction_tutor_name: sql`sc.induction_tutor_name`,
  induction_tutor_email: sql`sc.induction_tutor_email`,
  marked_as_eligible: sql`sc.marked_as_eligible`,
};
/** …and on Metadata::SchoolContractPeriod's, when the sort names `updated_at` anywhere. */
export const METADATA_SORT_COLUMNS: Record<string, RawBuilder<unknown>> = {
  school_id: sql`scp.school_id`,
  contract_period_year: sql`scp.contract_period_year`,
  created_at: sql`scp.created_at`,
  api_updated_at: sql`scp.api_updated_at`,
};

export interface SchoolFilters {
  /** the contract period asked for; null when it does not exist (no school then) */
  year: number | null;
  /** null: not applied; NaN: matches nothing */
  urn: number | null;
  updatedSince: Date | null;
}

/** Eligible schools and schools partnered in the cohort (app/services/api/schools/query.rb:15-97). */
function cohortSchools(db: DbOrTrx, leadProviderId: number, year: number) {
  return db
    .selectFrom("rect_schools as sc")
    .innerJoin("rect_school_contract_periods as scp", (j) => j.onRef("scp.school_id", "=", "sc.id").on("scp.contract_period_year", "=", year))
    .select(schoolResource.documentSql({ leadProviderId, year }).as("document"))
    .where(sql<boolean>`(sc.marked_as_eligible = 1 OR sc.gias_eligible = 1 OR ${inPartnershipSql(year)})`);
}

export async function contractPeriodExists(db: DbOrTrx, year: number): Promise<boolean> {
  return (await db.selectFrom("rect_contract_periods").select("year").where("year", "=", year).executeTakeFirst()) !== undefined;
}

export async function schoolDocuments(db: DbOrTrx, leadProviderId: number, year: number, filters: SchoolFilters, sort: { parts: SortPart[]; metadata: boolean } | null, page: Page): Promise<string[]> {
  let query = cohortSchools(db, leadProviderId, year);
  if (filters.urn !== null) query = query.where("sc.urn", "=", filters.urn);
  if (filters.updatedSince !== null) query = query.where("scp.api_updated_at", ">=", toTimestamp(filters.updatedSince));
  const columns = sort?.metadata ? METADATA_SORT_COLUMNS : SCHOOL_SORT_COLUMNS;
  for (const part of sort?.parts ?? [{ attribute: "created_at", direction: "asc" as const }]) query = query.orderBy(columns[part.attribute]!, part.direction);
  const rows = await query.orderBy("sc.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function schoolDocument(db: DbOrTrx, leadProviderId: number, year: number, apiId: string): Promise<string | undefined> {
  return (await cohortSchools(db, leadProviderId, year).where("sc.api_id", "=", apiId).executeTakeFirst())?.document;
}

/**
 * What a training period change can move in the school's metadata (app/services/metadata/handlers/school.rb:22-52):
 * `induction_programme_choice` per cohort, and the (lead provider, cohort) pairs with an EOI or a
 * partnership training period at the school (`lead_providers_and_contract_periods_with_expression_of_interest_or_school_partnership`,
 * app/models/school.rb:149-164), as `lp/year`.
 */
export async function schoolMetadataState(db: DbOrTrx, schoolId: number): Promise<{ choices: Record<number, string>; pairings: string[] }> {
  const years = (await db.selectFrom("rect_contract_periods").select("year").orderBy("year").execute()).map((r) => r.year);
  const row = (await db
    .selectFrom("rect_schools as sc")
    .select(years.map((year) => programmeChoiceSql(year).as(`c${year}`)))
    .where("sc.id", "=", schoolId)
    .executeTakeFirst()) as Record<string, string> | undefined;
  const pairings = await db
    .selectFrom("rect_training_periods as tp")
    .leftJoin("rect_ect_at_school_periods as e", "e.id", "tp.ect_at_school_period_id")
    .leftJoin("rect_mentor_at_school_periods as m", "m.id", "tp.mentor_at_school_period_id")
    .leftJoin("rect_active_lead_providers as ealp", "ealp.id", "tp.expression_of_interest_id")
    .leftJoin("rect_school_partnerships as sp", "sp.id", "tp.school_partnership_id")
    .leftJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .leftJoin("rect_active_lead_providers as palp", "palp.id", "lpdp.active_lead_provider_id")
    .select(sql<string>`COALESCE(ealp.lead_provider_id, palp.lead_provider_id) || '/' || COALESCE(ealp.contract_period_year, palp.contract_period_year)`.as("pairing"))
    .distinct()
    .where((eb) => eb.or([eb("e.school_id", "=", schoolId), eb("m.school_id", "=", schoolId)]))
    .where((eb) => eb.or([eb("tp.expression_of_interest_id", "is not", null), eb("tp.school_partnership_id", "is not", null)]))
    .execute();
  return { choices: Object.fromEntries(years.map((year) => [year, row?.[`c${year}`] ?? "not_yet_known"])), pairings: pairings.map((p) => p.pairing).sort() };
}

/** The school's `induction_programme_choice` for a cohort, when it has a cohort record (its metadata row); else undefined. */
export async function schoolProgrammeChoice(db: DbOrTrx, schoolId: number, year: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("rect_schools as sc")
    .innerJoin("rect_school_contract_periods as scp", (j) => j.onRef("scp.school_id", "=", "sc.id").on("scp.contract_period_year", "=", year))
    .select(sql<string>`${programmeChoiceSql(year)}`.as("choice"))
    .where("sc.id", "=", schoolId)
    .executeTakeFirst();
  return row?.choice;
}
