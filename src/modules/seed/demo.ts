import type { Db } from "../../../db/connection";
import { SUPPORTED_COHORTS, ensureProviderStatements, findSchedule } from "../../../db/reference-data";
import type { Insertable } from "kysely";
import type { Database } from "../../../db/schema";
import { stableUuid } from "../../lib/ids";
import { toTimestamp } from "../../lib/time";
import { demoToken, storeFixedToken } from "../auth/tokens";
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
      const providerId = stableUuid("lead-provider", name);
      const token = demoToken(name);
      await insertDemoProvider(trx, providerId, name, "2021-05-01T09:00:00Z");
      await storeFixedToken(trx, { id: stableUuid("api-token", name), token, kind: "lead_provider", leadProviderId: providerId, createdAt: "2021-05-01T09:00:00Z" });
      await ensureProviderStatements(trx, providerId);
      seeded.push({ id: providerId, name, token });

      const schools = [0, 1, 2].map((k) => ({ urn: String(100000 + p * 1000 + k + 1), name: `${SCHOOL_WORDS[(p * 3 + k) % SCHOOL_WORDS.length]} ${k === 2 ? "Academy" : "Primary School"}` }));
      await insertSchools(trx, schools);

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
        for (let i = 0; i < perCohort; i++) {
          const type = i % 5 === 0 ? "mentor" : "ect";
          const school = schools[i % schools.length]!;
          const personId = stableUuid("participant", name, cohort, i);
          const first = FIRST[Math.floor(random() * FIRST.length)]!;
          const last = LAST[Math.floor(random() * LAST.length)]!;
          const created = at(base, i * 7);
          const trn = String(1000000 + Math.floor(random() * 8999999));
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
          const recordId = stableUuid("training-record", personId, type);
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
    }
    return seeded;
  });
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
