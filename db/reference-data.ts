import { stableUuid } from "../src/lib/ids";
import { normaliseCsvDate } from "../src/lib/time";
import cohortsCsv from "./data/cohorts.csv" with { type: "text" };
import schedulesCsv from "./data/schedules.csv" with { type: "text" };
import statementsCsv from "./data/statements.csv" with { type: "text" };
import type { DbOrTrx } from "./schema";

/**
 * The live service's reference data (db/data/*.csv, copied from its seeds):
 * cohorts, the 60 ECF schedules with their milestones, and the statements
 * every lead provider gets. Imported as text so a compiled binary carries it.
 */

function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header!.split(",");
  return lines.filter((l) => l.trim() !== "").map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
  });
}

export const SUPPORTED_COHORTS = [2021, 2022, 2023, 2024, 2025] as const;

export interface CohortRow {
  startYear: number;
  registrationStartDate: string;
  academicYearStartDate: string;
  paymentsFrozenAt: string | null;
  mentorFunding: boolean;
}

export interface MilestoneRow {
  name: string;
  declarationType: string;
  startDate: string;
  milestoneDate: string | null;
  paymentDate: string | null;
}

export interface ScheduleRow {
  id: string;
  identifier: string;
  name: string;
  type: string;
  cohort: number;
  milestones: MilestoneRow[];
}

export interface StatementRow {
  name: string;
  cohort: number;
  deadlineDate: string;
  paymentDate: string;
  outputFee: boolean;
}

export const cohorts: CohortRow[] = parseCsv(cohortsCsv)
  .map((r) => ({
    startYear: Number(r["start-year"]),
    registrationStartDate: normaliseCsvDate(r["registration-start-date"]!)!,
    academicYearStartDate: normaliseCsvDate(r["academic-year-start-date"]!)!,
    paymentsFrozenAt: normaliseCsvDate(r["payments-frozen-at"] ?? ""),
    mentorFunding: r["mentor-funding"] === "true",
  }))
  .filter((c) => (SUPPORTED_COHORTS as readonly number[]).includes(c.startYear));

export const schedules: ScheduleRow[] = (() => {
  const byKey = new Map<string, ScheduleRow>();
  for (const r of parseCsv(schedulesCsv)) {
    const cohort = Number(r["schedule-cohort-year"]);
    const identifier = r["schedule-identifier"]!;
    const key = `${identifier}/${cohort}`;
    let schedule = byKey.get(key);
    if (!schedule) {
      schedule = {
        id: stableUuid("schedule", identifier, cohort),
        identifier,
        name: r["schedule-name"]!,
        type: r["type"]!,
        cohort,
        milestones: [],
      };
      byKey.set(key, schedule);
    }
    schedule.milestones.push({
      name: r["milestone-name"]!,
      declarationType: r["milestone-declaration-type"]!,
      startDate: normaliseCsvDate(r["milestone-start-date"]!)!,
      milestoneDate: normaliseCsvDate(r["milestone-date"] ?? ""),
      paymentDate: normaliseCsvDate(r["milestone-payment-date"] ?? ""),
    });
  }
  return [...byKey.values()];
})();

export const statements: StatementRow[] = parseCsv(statementsCsv).map((r) => ({
  name: r["name"]!,
  cohort: Number(r["cohort"]),
  deadlineDate: normaliseCsvDate(r["deadline_date"]!)!,
  paymentDate: normaliseCsvDate(r["payment_date"]!)!,
  outputFee: r["output_fee"] === "true",
}));

const schedulesByKey = new Map(schedules.map((s) => [`${s.identifier}/${s.cohort}`, s]));
const schedulesById = new Map(schedules.map((s) => [s.id, s]));

export function findSchedule(identifier: string, cohort: number): ScheduleRow | undefined {
  return schedulesByKey.get(`${identifier}/${cohort}`);
}

/** Schedules never change after start-up and keep these ids in the table, so a record's schedule is read from here. */
export function findScheduleById(id: string): ScheduleRow | undefined {
  return schedulesById.get(id);
}


/** Loads cohorts, schedules and milestones; idempotent (rows keep their stable ids). */
export async function loadReferenceData(db: DbOrTrx): Promise<void> {
  // Already loaded (every start after the first): one count instead of ~470 upserts.
  const expected = schedules.reduce((n, s) => n + s.milestones.length, 0);
  const loaded = await db.selectFrom("milestones").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  const cohortRows = await db.selectFrom("cohorts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  if (Number(loaded?.n) === expected && Number(cohortRows?.n) === cohorts.length) return;
  for (const c of cohorts) {
    await db
      .insertInto("cohorts")
      .values({
        start_year: c.startYear,
        registration_start_date: c.registrationStartDate,
        academic_year_start_date: c.academicYearStartDate,
        payments_frozen_at: c.paymentsFrozenAt,
        mentor_funding: c.mentorFunding ? 1 : 0,
      })
      .onConflict((oc) => oc.column("start_year").doNothing())
      .execute();
  }
  for (const s of schedules) {
    await db
      .insertInto("schedules")
      .values({ id: s.id, identifier: s.identifier, name: s.name, type: s.type, cohort: s.cohort })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    for (const m of s.milestones) {
      await db
        .insertInto("milestones")
        .values({
          id: stableUuid("milestone", s.id, m.declarationType),
          schedule_id: s.id,
          name: m.name,
          declaration_type: m.declarationType,
          start_date: m.startDate,
          milestone_date: m.milestoneDate,
          payment_date: m.paymentDate,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    }
  }
}

/** Every lead provider gets the live statements for every cohort (docs/reference/business-rules.md §5.1 step 8). */
export async function ensureProviderStatements(db: DbOrTrx, leadProviderId: string): Promise<void> {
  const rows = statements
    .filter((s) => (SUPPORTED_COHORTS as readonly number[]).includes(s.cohort))
    .map((s) => ({
      id: stableUuid("statement", leadProviderId, s.cohort, s.name),
      lead_provider_id: leadProviderId,
      cohort: s.cohort,
      name: s.name,
      deadline_date: s.deadlineDate,
      payment_date: s.paymentDate,
      output_fee: (s.outputFee ? 1 : 0) as 0 | 1,
    }));
  for (let i = 0; i < rows.length; i += 100) {
    await db
      .insertInto("statements")
      .values(rows.slice(i, i + 100))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
