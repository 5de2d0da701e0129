import type { Db } from "../../../db/connection";
import { SUPPORTED_COHORTS, ensureProviderStatements, findSchedule } from "../../../db/reference-data";
import type { Insertable, Transaction } from "kysely";
import type { Database } from "../../../db/schema";
import { stableUuid } from "../../lib/ids";
import { toTimestamp } from "../../lib/time";
import { demoToken, storeFixedToken } from "../auth/tokens";
import { ApiError } from "../../errors";
import { moveStateInTransaction, recordDeclaration, voidInTransaction } from "../declarations/service";
import { DECLARED_PARTICIPANTS, demoDeclarationId, demoParticipantId, demoProviderId, demoTrainingRecordId } from "./examples";
import { countLeadProviders, deleteAllButReferenceData, demoProviderRows, insertCohort, insertDemoProvider, insertPartnerships, insertSchools } from "./queries";

/** The six ECF lead providers, by their real names. */
export const DEMO_PROVIDERS = [
  "Ambition Institute",
  "Best Practice Network",
  "Capita",
  "Education Development Trust",
  "Teach First",
  "UCL Institute of Education",
] as const;

const FIRST = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo", "Harry", "Priya", "Aisha", "Tomasz", "Chen", "Sofia", "Kwame", "Niamh", "Rhys"];
const LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Patel", "Khan", "Roberts", "Walker", "Wright", "Nowak", "Okafor", "Murphy", "Hughes", "Clarke"];
const SCHOOL_WORDS = ["Oakfield", "St Mary's", "Riverside", "Hillcrest", "Kingsway", "Meadowbank", "Northgate", "Elmwood", "Castle Hill", "Westfield"];

/** mulberry32: a small seeded PRNG, so the demo database is the same every time. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  /** participants per provider per cohort (default 50) */
  participantsPerCohort?: number;
  /** called after each provider × cohort batch, for a progress bar */
  onProgress?: (done: number, total: number) => void;
}

export interface SeededProvider {
  id: string;
  name: string;
  token: string;
}


function scheduleFor(type: "ect" | "mentor", i: number): string {
  if (type === "mentor" && i % 15 === 5) return "ecf-replacement-september";
  if (i % 11 === 3) return "ecf-reduced-september";
  if (i % 13 === 4) return "ecf-extended-september";
  if (i % 7 === 1) return "ecf-standard-january";
  if (i % 7 === 2) return "ecf-standard-april";
  return "ecf-standard-september";
}

const at = (base: Date, minutes: number) => toTimestamp(new Date(base.getTime() + minutes * 60_000));

/**
 * Demo lead providers, schools, partnerships and participants. Deterministic:
 * ids, names, timestamps and tokens come from fixed seeds, so two runs give
 * equal databases. Runs in one transaction.
 */
export async function seedDemoData(db: Db, options: SeedOptions = {}): Promise<SeededProvider[]> {
  const perCohort = options.participantsPerCohort ?? 50;
  const total = DEMO_PROVIDERS.length * SUPPORTED_COHORTS.length;
  let done = 0;
  return db.transaction().execute(async (trx) => {
    const seeded: SeededProvider[] = [];
    for (const [p, name] of DEMO_PROVIDERS.entries()) {
      const random = prng(1000 + p);
      const providerId = demoProviderId(name);
      const token = demoToken(name);
      await insertDemoProvider(trx, providerId, name, "2021-05-01T09:00:00Z");
      await storeFixedToken(trx, { id: stableUuid("api-token", name), token, kind: "lead_provider", leadProviderId: providerId, createdAt: "2021-05-01T09:00:00Z" });
      await ensureProviderStatements(trx, providerId);
      seeded.push({ id: providerId, name, token });

      const schools = [0, 1, 2].map((k) => ({ urn: String(100000 + p * 1000 + k + 1), name: `${SCHOOL_WORDS[(p * 3 + k) % SCHOOL_WORDS.length]} ${k === 2 ? "Academy" : "Primary School"}` }));
      await insertSchools(trx, schools);

      const declarable: DeclarableRecord[] = [];
      for (const cohort of SUPPORTED_COHORTS) {
        await insertPartnerships(
          trx,
          schools.map((s) => ({ id: stableUuid("partnership", providerId, s.urn, cohort), lead_provider_id: providerId, school_urn: s.urn, cohort, created_at: `${cohort}-05-15T09:00:00Z` })),
        );
        const base = new Date(Date.UTC(cohort, 5, 1, 8, p * 5));
        const participants: Insertable<Database["participants"]>[] = [];
        const records: Insertable<Database["training_records"]>[] = [];
        const history: Insertable<Database["training_status_history"]>[] = [];
        const mentorsBySchool = new Map<string, string>();
        let sharedTrn: string | undefined;
        for (let i = 0; i < perCohort; i++) {
          const type = i % 5 === 0 ? "mentor" : "ect";
          const school = schools[i % schools.length]!;
          const personId = demoParticipantId(name, cohort, i);
          const first = FIRST[Math.floor(random() * FIRST.length)]!;
          const last = LAST[Math.floor(random() * LAST.length)]!;
          const created = at(base, i * 7);
          let trn = String(1000000 + Math.floor(random() * 8999999));
          // two people of 2022 share a TRN: the second one's declaration is `ineligible` (§5.3)
          if (cohort === 2022 && i === SHARED_TRN_INDEX + 1) trn = sharedTrn ?? trn;
          if (cohort === 2022 && i === SHARED_TRN_INDEX) sharedTrn = trn;
          participants.push({
            id: personId,
            full_name: `${first} ${last}`,
            email: `${first}.${last}.${personId.slice(0, 6)}@example.com`.toLowerCase(),
            teacher_reference_number: i % 29 === 11 ? null : trn,
            teacher_reference_number_validated: i % 23 === 9 ? 0 : 1,
            created_at: created,
            updated_at: created,
          });
          const training = i % 17 === 5 ? "deferred" : i % 19 === 7 ? "withdrawn" : "active";
          const recordId = demoTrainingRecordId(personId, type);
          records.push({
            id: recordId,
            participant_id: personId,
            participant_type: type,
            lead_provider_id: providerId,
            school_urn: school.urn,
            cohort,
            schedule_id: findSchedule(scheduleFor(type, i), cohort)!.id,
            induction_status: i % 31 === 13 ? "withdrawn" : "active",
            training_status: training,
            eligible_for_funding: i % 9 === 3 ? 0 : i % 9 === 6 ? null : 1,
            pupil_premium_uplift: i % 4 === 0 ? 1 : 0,
            sparsity_uplift: i % 6 === 0 ? 1 : 0,
            mentor_id: type === "ect" ? (mentorsBySchool.get(school.urn) ?? null) : null,
            created_at: created,
            updated_at: created,
          });
          if (type === "mentor") mentorsBySchool.set(school.urn, personId);
          if (i < DECLARED_PARTICIPANTS) {
            declarable.push({ index: i, recordId, participantId: personId, type, cohort, schedule: scheduleFor(type, i) });
          }
          if (training !== "active") {
            history.push({
              id: stableUuid("status", recordId, training),
              training_record_id: recordId,
              lead_provider_id: providerId,
              state: training,
              reason: training === "deferred" ? "parental-leave" : "moved-school",
              created_at: at(base, i * 7 + 60 * 24 * 30),
            });
          }
          // one person per provider and cohort 2023 is both a mentor and an ECT
          if (cohort === 2023 && i === 5) {
            records.push({
              ...records[records.length - 1]!,
              id: stableUuid("training-record", personId, "ect"),
              participant_type: "ect",
              schedule_id: findSchedule("ecf-standard-september", cohort)!.id,
              mentor_id: null,
            });
          }
        }
        await insertCohort(trx, participants, records, history);
        options.onProgress?.(++done, total);
      }
      await seedDeclarations(trx, providerId, p, declarable);
    }
    return seeded;
  });
}

interface DeclarableRecord {
  index: number;
  recordId: string;
  participantId: string;
  type: "ect" | "mentor";
  cohort: number;
  schedule: string;
}

/** 2022's people at this index and the next share a TRN. */
const SHARED_TRN_INDEX = 1;
/** No demo declaration is dated after this (the sandbox's clock may be set back for a test) */
const DECLARATIONS_UNTIL = "2025-09-30";
const DECLARED_TYPES = ["started", "retained-1", "retained-2"] as const;
/** the state each declaration is taken to, in turn: every state a provider and DfE can reach */
const TARGET_STATES = ["eligible", "paid", "voided", "payable", "awaiting_clawback", "submitted", "clawed_back"] as const;
/** how each target is reached from `eligible` by DfE's moves (the admin API's) and the provider's void */
const PATHS: Record<(typeof TARGET_STATES)[number], Array<"payable" | "paid" | "clawed_back" | "void">> = {
  eligible: [],
  submitted: [],
  payable: ["payable"],
  paid: ["payable", "paid"],
  voided: ["void"],
  awaiting_clawback: ["payable", "paid", "void"],
  clawed_back: ["payable", "paid", "void", "clawed_back"],
};

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T10:00:00Z`) + days * 86_400_000);

/**
 * Several declarations per person for the first DECLARED_PARTICIPANTS people
 * of each cohort, made as a provider and DfE make them: the POST's checks and
 * initial state (recordDeclaration), DfE's moves (submitted → eligible →
 * payable → paid, awaiting_clawback → clawed_back) and the provider's void
 * (a paid one becomes awaiting_clawback). Each is dated a few days into its
 * milestone and made the next day; one the rules refuse (a withdrawn
 * participant, a mentor-funding cohort's retained) is not made. Stable ids
 * and times: the same database every time.
 */
async function seedDeclarations(trx: Transaction<Database>, providerId: string, provider: number, records: DeclarableRecord[]): Promise<void> {
  let turn = provider;
  for (const record of records) {
    const schedule = findSchedule(record.schedule, record.cohort)!;
    const types = DECLARED_TYPES.slice(0, 1 + (record.index % 3));
    for (const declarationType of types) {
      const milestone = schedule.milestones.find((m) => m.declarationType === declarationType);
      if (!milestone) continue;
      let date = addDays(milestone.startDate, 3 + record.index);
      if (milestone.milestoneDate !== null && date > addDays(milestone.milestoneDate, 0)) date = addDays(milestone.startDate, 0);
      if (toTimestamp(date) > `${DECLARATIONS_UNTIL}T23:59:59Z`) continue;
      const id = demoDeclarationId(record.recordId, declarationType);
      let n = 0;
      const ids = () => (n++ === 0 ? id : stableUuid("declaration-state", id, n));
      let now = new Date(date.getTime() + 86_400_000);
      const later = () => (now = new Date(now.getTime() + 3_600_000));
      // the first of the two who share a TRN keeps the slot, so the second's is `ineligible`
      const shared = record.cohort === 2022 && record.index === SHARED_TRN_INDEX;
      const target = shared ? "eligible" : TARGET_STATES[turn++ % TARGET_STATES.length]!;
      let state: string;
      try {
        const made = await recordDeclaration(
          trx as unknown as Db, // only the transaction below is used
          providerId,
          {
            participant_id: record.participantId,
            declaration_type: declarationType,
            declaration_date: toTimestamp(date),
            course_identifier: record.type === "ect" ? "ecf-induction" : "ecf-mentor",
            ...(declarationType === "started" ? {} : { evidence_held: "training-event-attended" }),
          },
          now,
          (job) => job(trx),
          ids,
        );
        state = made.data.attributes.state as string;
      } catch (error) {
        if (error instanceof ApiError) continue; // refused by the rules: not made
        throw error;
      }
      if (state === "ineligible" || target === "submitted") continue;
      if (state === "submitted") await moveStateInTransaction(trx, id, "eligible", later(), ids);
      for (const step of PATHS[target]) {
        if (step === "void") await voidInTransaction(trx, providerId, id, later(), ids);
        else await moveStateInTransaction(trx, id, step, later(), ids);
      }
    }
  }
}

/** The demo providers and their tokens, when the database was seeded with them. */
export async function listDemoProviders(db: Db): Promise<SeededProvider[]> {
  const rows = await demoProviderRows(db);
  return rows.map((r) => ({ id: r.id, name: r.name, token: demoToken(r.name) }));
}

/** How many lead providers the database has (demo or not): `seed` refuses a database that has any. */
export function leadProviderCount(db: Db): Promise<number> {
  return countLeadProviders(db);
}

/**
 * Back to reference data (`seed --force`, `reset`): every row a start, a seed
 * or an API call made goes, in one transaction; reference data, settings and
 * the admin tokens stay.
 */
export function wipeToReferenceData(db: Db): Promise<{ table: string; deleted: number }[]> {
  return deleteAllButReferenceData(db);
}

/** The demo providers and their tokens as the start-up banner and `seed` print them. */
export function demoProviderLines(providers: { name: string; token: string }[], indent = ""): string[] {
  if (providers.length === 0) return [];
  return [`${indent}Demo lead providers (Authorization: Bearer <token>):`, ...providers.map((p) => `${indent}  ${p.name.padEnd(30)} ${p.token}`)];
}
