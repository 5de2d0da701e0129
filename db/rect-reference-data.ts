import { addMonths, fromLondonLocal } from "../src/lib/london";
import { toTimestamp } from "../src/lib/time";
import contractPeriodsCsv from "./data/rect/contract-periods.csv" with { type: "text" };
import schedulesCsv from "./data/rect/schedules.csv" with { type: "text" };
import statementsCsv from "./data/rect/statements.csv" with { type: "text" };
import leadProvidersCsv from "./data/rect/lead-providers.csv" with { type: "text" };
import type { DbOrTrx } from "./schema";

/**
 * RECT's reference data (db/data/rect/*.csv, copied from
 * docs/reference/rect/: RECT's sandbox seed at 0fe31d1aa): contract periods
 * 2021–2026 with their flags, the 486 schedule milestones, the statement
 * calendar every active lead provider gets, and the seeded lead providers.
 * Imported as text so a compiled binary carries it.
 */

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header!.split(",");
  return lines
    .filter((l) => l.trim() !== "")
    .map((line) => {
      const cells = line.split(",");
      return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
    });
}

const orNull = (value: string | undefined) => (value === undefined || value === "" ? null : value);

/** `2024-06-18T00:00:00 Europe/London` (the CSV's form) → the UTC instant as a timestamp. */
function londonInstant(value: string | null): string | null {
  if (value === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}) Europe\/London$/.exec(value);
  if (!m) throw new Error(`contract-periods.csv: not a London time: ${value}`);
  return toTimestamp(fromLondonLocal(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

export interface RectContractPeriodRow {
  year: number;
  startedOn: string;
  finishedOn: string;
  enabled: boolean;
  paymentsFrozenAt: string | null;
  mentorFundingEnabled: boolean;
  detailedEvidenceTypesEnabled: boolean;
  upliftFeesEnabled: boolean;
}

export const rectContractPeriods: RectContractPeriodRow[] = parseCsv(contractPeriodsCsv).map((r) => ({
  year: Number(r.year),
  startedOn: r.started_on!,
  finishedOn: r.finished_on!,
  enabled: r.enabled === "true",
  paymentsFrozenAt: londonInstant(orNull(r.payments_frozen_at)),
  mentorFundingEnabled: r.mentor_funding_enabled === "true",
  detailedEvidenceTypesEnabled: r.detailed_evidence_types_enabled === "true",
  upliftFeesEnabled: r.uplift_fees_enabled === "true",
}));

export interface RectMilestoneRow {
  year: number;
  identifier: string;
  declarationType: string;
  startDate: string;
  milestoneDate: string | null;
}

export const rectMilestones: RectMilestoneRow[] = parseCsv(schedulesCsv).map((r) => ({
  year: Number(r.contract_period_year),
  identifier: r.schedule_identifier!,
  declarationType: r.declaration_type!,
  startDate: r.start_date!,
  milestoneDate: orNull(r.milestone_date),
}));

/** The 12 schedule identifiers (app/models/schedule.rb:2-17). */
export const RECT_SCHEDULE_IDENTIFIERS = ["standard", "extended", "reduced", "replacement"].flatMap((kind) =>
  ["january", "april", "september"].map((month) => `ecf-${kind}-${month}`),
);

export interface RectStatementTemplate {
  cohort: number;
  month: number;
  year: number;
  feeType: "output" | "service";
  deadlineDate: string;
  paymentDate: string;
}

/** The sandbox seed's calendar per cohort: November Y … August Y+3 (app/services/api_seed_data/statements.rb:77-97). */
export const rectStatementCalendar: RectStatementTemplate[] = parseCsv(statementsCsv).map((r) => ({
  cohort: Number(r.cohort),
  month: Number(r.month),
  year: Number(r.year),
  feeType: r.fee_type === "output" ? "output" : "service",
  deadlineDate: r.deadline_date!,
  paymentDate: r.payment_date!,
}));

/**
 * A seeded statement's status, fixed when it is made (statements.rb:99-108):
 * paid if its payment date + 2 months is before today, payable if its deadline
 * is, else open.
 */
export function seededStatementStatus(deadlineDate: string, paymentDate: string, today: string): "open" | "payable" | "paid" {
  if (addMonths(paymentDate, 2) < today) return "paid";
  if (deadlineDate < today) return "payable";
  return "open";
}

export interface RectSeedLeadProvider {
  name: string;
  vatRegistered: boolean;
  cohorts: number[];
  /** RECT's development/review/staging token (`name.parameterize`, app/services/api_seed_data/api_tokens.rb:9) */
  token: string;
}

export const rectSeedLeadProviders: RectSeedLeadProvider[] = parseCsv(leadProvidersCsv).map((r) => ({
  name: r.name!,
  vatRegistered: r.vat_registered === "true",
  cohorts: r.contract_period_years!.split(" ").map(Number),
  token: r.dev_review_staging_token!,
}));

/**
 * Loads the contract periods, schedules and milestones that are missing;
 * rows already there are kept (the admin API may have changed a flag or a
 * milestone: `PUT /admin/v3/contract-periods/{year}`). Runs once per
 * database (a settings row notes it).
 */
export async function loadRectReferenceData(db: DbOrTrx): Promise<void> {
  // loaded once: a milestone deleted through the admin API stays deleted across restarts
  const done = await db.selectFrom("settings").select("value").where("key", "=", RECT_REFERENCE_KEY).executeTakeFirst();
  if (done) return;
  for (const c of rectContractPeriods) {
    await db
      .insertInto("rect_contract_periods")
      .values({
        year: c.year,
        started_on: c.startedOn,
        finished_on: c.finishedOn,
        enabled: c.enabled ? 1 : 0,
        payments_frozen_at: c.paymentsFrozenAt,
        mentor_funding_enabled: c.mentorFundingEnabled ? 1 : 0,
        detailed_evidence_types_enabled: c.detailedEvidenceTypesEnabled ? 1 : 0,
        uplift_fees_enabled: c.upliftFeesEnabled ? 1 : 0,
      })
      .onConflict((oc) => oc.column("year").doNothing())
      .execute();
  }
  await db
    .insertInto("rect_schedules")
    .values(rectContractPeriods.flatMap((c) => RECT_SCHEDULE_IDENTIFIERS.map((identifier) => ({ contract_period_year: c.year, identifier }))))
    .onConflict((oc) => oc.columns(["contract_period_year", "identifier"]).doNothing())
    .execute();
  const schedules = await db.selectFrom("rect_schedules").select(["id", "contract_period_year", "identifier"]).execute();
  const scheduleId = new Map(schedules.map((s) => [`${s.contract_period_year}/${s.identifier}`, s.id]));
  const rows = rectMilestones.map((m) => {
    const id = scheduleId.get(`${m.year}/${m.identifier}`);
    if (id === undefined) throw new Error(`schedules.csv: no schedule ${m.identifier} in ${m.year}`);
    return { schedule_id: id, declaration_type: m.declarationType, start_date: m.startDate, milestone_date: m.milestoneDate };
  });
  // one statement per 100 rows (SQLite's limit on bound values is far above 400)
  for (let i = 0; i < rows.length; i += 100) {
    await db
      .insertInto("rect_milestones")
      .values(rows.slice(i, i + 100))
      .onConflict((oc) => oc.columns(["schedule_id", "declaration_type"]).doNothing())
      .execute();
  }
  await db.insertInto("settings").values({ key: RECT_REFERENCE_KEY, value: "loaded" }).onConflict((oc) => oc.column("key").doNothing()).execute();
}

const RECT_REFERENCE_KEY = "rect_reference_data";
