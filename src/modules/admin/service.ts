import type { Db } from "../../../db/connection";
import { inTransaction } from "../../../db/transaction";
import { ensureProviderStatements, findSchedule } from "../../../db/reference-data";
import type { Bool, DbOrTrx, TrainingRecord } from "../../../db/schema";
import { CLOCK_YEARS, inClockRange, parseRfc3339 } from "../../clock";
import { ApiError } from "../../errors";
import { newId, stableUuid } from "../../lib/ids";
import { calendarDateExists, missingDay, toTimestamp } from "../../lib/time";
import { demoToken, generateToken, listLeadProviderTokens, revokeLeadProviderToken, storeToken } from "../auth/tokens";
import { keepFormerProviderView, touchTrainingRecord } from "../participants/service";
import { type CourseIdentifier, courseParticipantType, participantTypeCourse } from "../participants/rules";
import { insertNewDeclaration } from "../declarations/service";
import type { Static } from "@sinclair/typebox";
import { type CreateParticipantBody, type InductionStatusBody, type TransferBody, UPLIFT_FIELDS } from "./model";
import * as queries from "./queries";

export async function createLeadProvider(db: DbOrTrx, name: string, now: Date) {
  return inTransaction(db, async (trx) => {
    const existing = await queries.leadProviderByName(trx, name);
    if (existing) throw ApiError.unprocessable("name", "a lead provider with this name already exists");
    const id = newId();
    await queries.insertLeadProvider(trx, { id, name, is_demo: 0, created_at: toTimestamp(now) });
    await ensureProviderStatements(trx, id);
    const apiToken = generateToken();
    await storeToken(trx, apiToken, "lead_provider", id, now);
    return { id, name, api_token: apiToken };
  });
}

async function requireLeadProvider(db: DbOrTrx, id: string, field: string) {
  const provider = await queries.leadProviderById(db, id);
  if (!provider) throw ApiError.unprocessable(field, "no lead provider has this id");
  return provider;
}

export async function mintToken(db: Db, leadProviderId: string, now: Date) {
  const provider = await queries.leadProviderById(db, leadProviderId);
  if (!provider) throw ApiError.adminNotFound(`There is no lead provider with id '${leadProviderId}'`);
  const apiToken = generateToken();
  const id = await storeToken(db, apiToken, "lead_provider", leadProviderId, now);
  return { id, api_token: apiToken };
}

/** `lastUsed` overlays the uses noted but not yet written (LastUsedRecorder.seen) */
export async function listLeadProviders(db: Db, lastUsed: (tokenId: string, stored: string | null) => string | null = (_, stored) => stored) {
  const providers = await queries.allLeadProviders(db);
  const tokens = await listLeadProviderTokens(db);
  return providers.map((p) => ({
    id: p.id,
    name: p.name,
    // Only the demo providers' tokens can be shown again: they are derived from the name.
    api_tokens: p.is_demo ? [demoToken(p.name)] : [],
    tokens: tokens
      .filter((t) => t.lead_provider_id === p.id)
      .map((t) => ({ id: t.id, hash_prefix: t.token_hash.slice(0, 12), created_at: t.created_at, last_used_at: lastUsed(t.id, t.last_used_at) })),
  }));
}

/** Every lead provider's id and name, by name (the `token create --provider` command looks one up). */
export async function leadProviderNames(db: Db): Promise<{ id: string; name: string }[]> {
  return queries.leadProvidersByName(db);
}

/** Revokes a lead provider token by its id or by a prefix (at least 8 hex digits) of its SHA-256 hash. */
export async function revokeToken(db: Db, idOrHashPrefix: string) {
  const revoked = await revokeLeadProviderToken(db, idOrHashPrefix);
  if (revoked === null) throw ApiError.adminNotFound(`No lead provider token has the id or hash prefix '${idOrHashPrefix}'`);
  if (revoked === "ambiguous") throw ApiError.unprocessable("id", "this hash prefix matches more than one token; give more digits");
  return { id: revoked, revoked: true };
}

/** Creates the school when the URN is new, and the provider × school × cohort partnership when missing. */
export async function ensureSchoolPartnership(db: DbOrTrx, leadProviderId: string, urn: string, cohort: number, now: Date) {
  await queries.insertSchoolIfNew(db, urn);
  await queries.insertPartnershipIfNew(db, {
    id: stableUuid("partnership", leadProviderId, urn, cohort),
    lead_provider_id: leadProviderId,
    school_urn: urn,
    cohort,
    created_at: toTimestamp(now),
  });
}

const FIRST_NAMES = ["Alex", "Sam", "Priya", "Tom", "Aisha", "Chloe", "Daniel", "Fatima", "George", "Hannah", "Imran", "Jade"];
const LAST_NAMES = ["Smith", "Jones", "Patel", "Khan", "Taylor", "Brown", "Williams", "Evans", "Wilson", "Ahmed", "Clarke", "Hughes"];

function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

export async function createParticipant(db: DbOrTrx, input: Static<typeof CreateParticipantBody>, now: Date) {
  return inTransaction(db, async (trx) => {
    await requireLeadProvider(trx, input.lead_provider_id, "lead_provider_id");
    const scheduleIdentifier = input.schedule_identifier ?? "ecf-standard-september";
    const schedule = findSchedule(scheduleIdentifier, input.cohort);
    if (!schedule) throw ApiError.unprocessable("schedule_identifier", `no schedule ${scheduleIdentifier} in cohort ${input.cohort}`);
    if (scheduleIdentifier.startsWith("ecf-replacement-") && input.participant_type !== "mentor") {
      throw ApiError.unprocessable("schedule_identifier", "ecf-replacement schedules are for mentors only");
    }
    if (input.mentor_id) {
      if (input.participant_type !== "ect") throw ApiError.unprocessable("mentor_id", "only an ECT has a mentor");
      if (!(await queries.participantExists(trx, input.mentor_id))) throw ApiError.unprocessable("mentor_id", "no participant has this id");
    }
    const stamp = toTimestamp(now);
    let participantId = input.participant_id;
    if (participantId) {
      if (!(await queries.participantExists(trx, participantId))) throw ApiError.unprocessable("participant_id", "no participant has this id");
      await queries.touchParticipant(trx, participantId, stamp);
    } else {
      participantId = newId();
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const trn = input.teacher_reference_number === undefined ? String(1000000 + Math.floor(Math.random() * 8999999)) : input.teacher_reference_number;
      await queries.insertParticipant(trx, {
        id: participantId,
        full_name: input.full_name ?? `${first} ${last}`,
        email: input.email ?? `${first}.${last}.${participantId.slice(0, 8)}@example.com`.toLowerCase(),
        teacher_reference_number: trn,
        teacher_reference_number_validated: input.teacher_reference_number_validated === false ? 0 : 1,
        created_at: stamp,
        updated_at: stamp,
      });
    }
    let schoolUrn = input.school_urn;
    if (!schoolUrn) {
      const partnershipSchool = await queries.firstPartnershipSchool(trx, input.lead_provider_id, input.cohort);
      schoolUrn = partnershipSchool ?? String(100000 + (parseInt(stableUuid("urn", input.lead_provider_id).slice(0, 8), 16) % 900000));
    }
    for (const cohort of [input.cohort, ...(input.partnership_cohorts ?? [])]) await ensureSchoolPartnership(trx, input.lead_provider_id, schoolUrn, cohort, now);
    const trainingRecordId = newId();
    const funding = input.eligible_for_funding === undefined ? true : input.eligible_for_funding;
    await queries.insertTrainingRecord(trx, {
        id: trainingRecordId,
        participant_id: participantId,
        participant_type: input.participant_type,
        lead_provider_id: input.lead_provider_id,
        school_urn: schoolUrn,
        cohort: input.cohort,
        schedule_id: schedule.id,
        induction_status: "active",
        training_status: "active",
        eligible_for_funding: funding === null ? null : funding ? 1 : 0,
        ...(Object.fromEntries(UPLIFT_FIELDS.map((name) => [name, input[name] ? 1 : 0])) as Record<(typeof UPLIFT_FIELDS)[number], Bool>),
        mentor_id: input.mentor_id ?? null,
        created_at: stamp,
        updated_at: stamp,
    });
    await recordPaidDeclarations(trx, { id: trainingRecordId, participant_id: participantId, lead_provider_id: input.lead_provider_id, participant_type: input.participant_type, cohort: input.cohort }, schedule, input.paid_declarations ?? [], now);
    return { participant_id: participantId, training_record_id: trainingRecordId };
  });
}

/**
 * `paid_declarations`: each type as a paid declaration of the record (its
 * history submitted → paid), dated the day after its milestone starts, in the
 * record's cohort: what DfE's payment runs leave behind. A type the schedule
 * has no milestone for, or a date after now, is refused.
 */
async function recordPaidDeclarations(
  trx: DbOrTrx,
  record: { id: string; participant_id: string; lead_provider_id: string; participant_type: "ect" | "mentor"; cohort: number },
  schedule: NonNullable<ReturnType<typeof findSchedule>>,
  types: readonly string[],
  now: Date,
) {
  const stamp = toTimestamp(now);
  for (const type of types) {
    const milestone = schedule.milestones.find((m) => m.declarationType === type);
    if (!milestone) throw ApiError.unprocessable("paid_declarations", `the schedule ${schedule.identifier} of cohort ${schedule.cohort} has no ${type} milestone`);
    const date = new Date(`${milestone.startDate}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + 1);
    if (date > now) throw ApiError.unprocessable("paid_declarations", `the ${type} declaration would be dated ${toTimestamp(date)}, after now`);
    await insertNewDeclaration(trx, {
      id: newId(),
      participant_id: record.participant_id,
      training_record_id: record.id,
      lead_provider_id: record.lead_provider_id,
      cohort: record.cohort,
      declaration_type: type,
      course_identifier: participantTypeCourse(record.participant_type),
      declaration_date: toTimestamp(date),
      evidence_held: type === "started" ? null : "other",
      state: "paid",
      created_at: stamp,
    });
  }
}

async function findRecordForCourse(db: DbOrTrx, participantId: string, course: CourseIdentifier): Promise<TrainingRecord> {
  const participantType = courseParticipantType(course);
  if (!participantType) throw ApiError.adminNotFound(`There is no course '${course}'`);
  const record = await queries.latestTrainingRecord(db, participantId, participantType);
  if (!record) throw ApiError.adminNotFound(`Participant '${participantId}' has no training record for ${course}`);
  return record;
}

export async function transferParticipant(db: DbOrTrx, participantId: string, input: Static<typeof TransferBody>, now: Date) {
  return inTransaction(db, async (trx) => {
    const record = await findRecordForCourse(trx, participantId, input.course_identifier);
    await requireLeadProvider(trx, input.to_lead_provider_id, "to_lead_provider_id");
    if (record.lead_provider_id === input.to_lead_provider_id) {
      throw ApiError.unprocessable("to_lead_provider_id", "the participant already trains with this lead provider");
    }
    const stamp = toTimestamp(now);
    // The old provider keeps seeing the record as its last induction record left it (docs/reference/business-rules.md §2.1).
    await keepFormerProviderView(trx, record, record.induction_status, stamp);
    await queries.deleteFormerProviderView(trx, record.id, input.to_lead_provider_id);
    const schoolUrn = input.school_urn ?? record.school_urn;
    await ensureSchoolPartnership(trx, input.to_lead_provider_id, schoolUrn, record.cohort, now);
    await queries.moveTrainingRecord(trx, record.id, input.to_lead_provider_id, schoolUrn);
    await touchTrainingRecord(trx, record, stamp);
    return { participant_id: participantId, training_record_id: record.id };
  });
}

export async function setInductionStatus(db: DbOrTrx, participantId: string, input: Static<typeof InductionStatusBody>, now: Date) {
  return inTransaction(db, async (trx) => {
    const record = await findRecordForCourse(trx, participantId, input.course_identifier);
    const stamp = toTimestamp(now);
    await queries.setInductionStatus(trx, record.id, input.status);
    await touchTrainingRecord(trx, record, stamp);
    return { participant_id: participantId, training_record_id: record.id, status: input.status };
  });
}

/**
 * The instant of `PUT /admin/clock` (its body already matched the ISO 8601
 * pattern): RFC 3339, or without a zone (taken as UTC), or a plain date
 * (midnight UTC). A pattern cannot rule out a 13th month.
 */
export function parseClockInstant(value: string): Date {
  const instant = parseRfc3339(value) ?? parseIsoLoose(value);
  // a day that does not exist (2025-02-31) is refused, not rolled over into March, and named
  if (!instant) throw ApiError.unprocessable("now", missingDay(value) ?? "must be an ISO 8601 date-time, e.g. 2025-01-10T10:42:00Z");
  // past year 9999 timestamps are written `+010000-…` and sort first (issue 14)
  if (!inClockRange(instant)) throw ApiError.badRequest(`must be in the years ${CLOCK_YEARS.from} to ${CLOCK_YEARS.to}`, "now");
  return instant;
}

function parseIsoLoose(value: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(value.trim());
  if (!m || !calendarDateExists(Number(m[1]!.slice(0, 4)), Number(m[1]!.slice(5, 7)), Number(m[1]!.slice(8, 10)))) return null;
  const date = new Date(`${m[1]}T${m[2] ?? "00:00:00"}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
