/** The scenario loader's writes and look-ups (all its SQL). */
import type { Insertable } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import type { RectDatabase } from "../../../../db/schema-rect";

type Row<T extends keyof RectDatabase> = Insertable<RectDatabase[T]>;

/** Inserts one row and returns its integer id. */
export async function insertRow<T extends "rect_lead_providers" | "rect_active_lead_providers" | "rect_delivery_partners" | "rect_lead_provider_delivery_partnerships" | "rect_schools" | "rect_school_partnerships" | "rect_statements" | "rect_teachers" | "rect_teacher_id_changes" | "rect_ect_at_school_periods" | "rect_mentor_at_school_periods" | "rect_mentorship_periods" | "rect_training_periods" | "rect_induction_periods" | "rect_declarations">(
  trx: DbOrTrx,
  table: T,
  values: Row<T>,
): Promise<number> {
  const row = await trx
    .insertInto(table as "rect_schools")
    .values(values as Row<"rect_schools">)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertSchoolMetadata(trx: DbOrTrx, rows: Row<"rect_school_contract_periods">[]): Promise<void> {
  if (rows.length) await trx.insertInto("rect_school_contract_periods").values(rows).execute();
}

export async function insertSchoolFunding(trx: DbOrTrx, rows: Row<"rect_school_funding">[]): Promise<void> {
  if (rows.length) await trx.insertInto("rect_school_funding").values(rows).execute();
}

export async function contractPeriodYears(trx: DbOrTrx): Promise<number[]> {
  return (await trx.selectFrom("rect_contract_periods").select("year").orderBy("year").execute()).map((r) => r.year);
}

export async function scheduleIds(trx: DbOrTrx): Promise<Map<string, number>> {
  const rows = await trx.selectFrom("rect_schedules").select(["id", "contract_period_year", "identifier"]).execute();
  return new Map(rows.map((r) => [`${r.contract_period_year}/${r.identifier}`, r.id]));
}

/** The id of the row of `table` whose integer columns equal `values`, or undefined. */
async function idWhere<T extends "rect_active_lead_providers" | "rect_lead_provider_delivery_partnerships">(
  trx: DbOrTrx,
  table: T,
  values: { [C in keyof RectDatabase[T]]?: number },
): Promise<number | undefined> {
  let q = trx.selectFrom(table as "rect_active_lead_providers").select("id");
  for (const [column, value] of Object.entries(values)) q = q.where(column as "lead_provider_id", "=", value as number);
  return (await q.executeTakeFirst())?.id;
}

export function activeLeadProviderId(trx: DbOrTrx, leadProviderId: number, year: number): Promise<number | undefined> {
  return idWhere(trx, "rect_active_lead_providers", { lead_provider_id: leadProviderId, contract_period_year: year });
}

export function pairingId(trx: DbOrTrx, activeLeadProviderId: number, deliveryPartnerId: number): Promise<number | undefined> {
  return idWhere(trx, "rect_lead_provider_delivery_partnerships", { active_lead_provider_id: activeLeadProviderId, delivery_partner_id: deliveryPartnerId });
}

/** An existing object by its api id (`{"id": …}` in a document). */
export async function idByApiId(
  trx: DbOrTrx,
  table: "rect_lead_providers" | "rect_delivery_partners" | "rect_schools" | "rect_school_partnerships" | "rect_statements" | "rect_teachers",
  apiId: string,
): Promise<number | undefined> {
  return (await trx.selectFrom(table as "rect_schools").select("id").where("api_id", "=", apiId).executeTakeFirst())?.id;
}

export async function periodByApiId(trx: DbOrTrx, table: "rect_ect_at_school_periods" | "rect_mentor_at_school_periods", apiId: string) {
  return trx.selectFrom(table as "rect_mentor_at_school_periods").select(["id", "school_id", "started_on", "finished_on", "teacher_id"]).where("api_id", "=", apiId).executeTakeFirst();
}

/** What a partnership names: its school, LP, DP and cohort. */
export async function partnershipFacts(trx: DbOrTrx, id: number) {
  return trx
    .selectFrom("rect_school_partnerships as sp")
    .innerJoin("rect_lead_provider_delivery_partnerships as lpdp", "lpdp.id", "sp.lead_provider_delivery_partnership_id")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "lpdp.active_lead_provider_id")
    .select(["sp.id", "sp.school_id", "alp.lead_provider_id", "alp.contract_period_year as year", "lpdp.delivery_partner_id"])
    .where("sp.id", "=", id)
    .executeTakeFirst();
}

/** The caller's earliest output statement for a cohort whose deadline is on or after `date`. */
export async function defaultStatementId(trx: DbOrTrx, leadProviderId: number, year: number, date: string): Promise<number | undefined> {
  return (
    await trx
      .selectFrom("rect_statements as s")
      .innerJoin("rect_active_lead_providers as alp", "alp.id", "s.active_lead_provider_id")
      .select("s.id")
      .where("alp.lead_provider_id", "=", leadProviderId)
      .where("alp.contract_period_year", "=", year)
      .where("s.fee_type", "=", "output")
      .where("s.deadline_date", ">=", date)
      .orderBy("s.deadline_date")
      .orderBy("s.id")
      .limit(1)
      .executeTakeFirst()
  )?.id;
}

export async function statementOwner(trx: DbOrTrx, id: number) {
  return trx
    .selectFrom("rect_statements as s")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "s.active_lead_provider_id")
    .select(["alp.lead_provider_id", "alp.contract_period_year as year"])
    .where("s.id", "=", id)
    .executeTakeFirst();
}

export async function urnTaken(trx: DbOrTrx, urn: number): Promise<boolean> {
  return (await trx.selectFrom("rect_schools").select("id").where("urn", "=", urn).executeTakeFirst()) !== undefined;
}

export async function nameTaken(trx: DbOrTrx, table: "rect_lead_providers" | "rect_delivery_partners", name: string): Promise<boolean> {
  return (await trx.selectFrom(table as "rect_lead_providers").select("id").where("name", "=", name).executeTakeFirst()) !== undefined;
}

export async function declarationApiId(trx: DbOrTrx, id: number): Promise<string> {
  return (await trx.selectFrom("rect_declarations").select("api_id").where("id", "=", id).executeTakeFirstOrThrow()).api_id;
}

/** Whether the RECT world has no lead provider yet (a start loads RECT_SCENARIO or the demo world only then). */
export async function noLeadProvider(db: DbOrTrx): Promise<boolean> {
  return (await db.selectFrom("rect_lead_providers").select("id").limit(1).executeTakeFirst()) === undefined;
}

/** The demo world's lead providers and their stored tokens, in id order. */
export async function demoTokens(db: DbOrTrx): Promise<{ name: string; token: string }[]> {
  return (
    await db
      .selectFrom("rect_api_tokens as t")
      .innerJoin("rect_lead_providers as lp", "lp.id", "t.lead_provider_id")
      .select(["lp.name", "t.demo_token"])
      .where("t.demo_token", "is not", null)
      .orderBy("lp.id")
      .execute()
  ).map((r) => ({ name: r.name, token: r.demo_token! }));
}

/** Every row of the RECT world, for `exportWorld` (world.ts). */
export async function worldRows(db: DbOrTrx) {
  const schedules = await db.selectFrom("rect_schedules").selectAll().execute();
  return {
    leadProviders: await db.selectFrom("rect_lead_providers").selectAll().orderBy("id").execute(),
    tokens: await db.selectFrom("rect_api_tokens").selectAll().orderBy("created_at").execute(),
    activeLeadProviders: await db.selectFrom("rect_active_lead_providers").selectAll().orderBy("id").execute(),
    deliveryPartners: await db.selectFrom("rect_delivery_partners").selectAll().orderBy("id").execute(),
    pairings: await db.selectFrom("rect_lead_provider_delivery_partnerships").selectAll().orderBy("id").execute(),
    schools: await db.selectFrom("rect_schools").selectAll().orderBy("id").execute(),
    funding: await db.selectFrom("rect_school_funding").selectAll().execute(),
    partnerships: await db.selectFrom("rect_school_partnerships").selectAll().orderBy("id").execute(),
    statements: await db.selectFrom("rect_statements").selectAll().orderBy("id").execute(),
    teachers: await db.selectFrom("rect_teachers").selectAll().orderBy("id").execute(),
    idChanges: await db.selectFrom("rect_teacher_id_changes").selectAll().orderBy("id").execute(),
    inductionPeriods: await db.selectFrom("rect_induction_periods").selectAll().orderBy("id").execute(),
    ectPeriods: await db.selectFrom("rect_ect_at_school_periods").selectAll().orderBy("id").execute(),
    mentorPeriods: await db.selectFrom("rect_mentor_at_school_periods").selectAll().orderBy("id").execute(),
    mentorships: await db.selectFrom("rect_mentorship_periods").selectAll().orderBy("id").execute(),
    trainingPeriods: await db.selectFrom("rect_training_periods").selectAll().orderBy("id").execute(),
    declarations: await db.selectFrom("rect_declarations").selectAll().orderBy("id").execute(),
    schedules: new Map(schedules.map((s) => [s.id, s])),
  };
}
