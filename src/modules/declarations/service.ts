/**
 * The declarations feature's use cases: gather the facts with queries, run
 * the rules (rules.ts), write in one transaction. Every function takes `db`
 * first; inside a transaction only `trx` is used (SQLite has one connection,
 * so touching `db` there would wait for ever).
 */
import type { Db } from "../../../db/connection";
import { inTransaction } from "../../../db/transaction";
import type { Transaction } from "kysely";
import type { Database, DbOrTrx, Declaration, DeclarationState } from "../../../db/schema";
import { ApiError } from "../../errors";
import type { ListParams } from "../../http/list-params";
import { newId } from "../../lib/ids";
import { castUuid } from "../../http/ruby-compat";
import { ceilToSecond, toDateOnly, toTimestamp } from "../../lib/time";
import { castDeclarationDate, formatTimestamp } from "./declaration-date";
import { isBlank } from "../../http/ruby-compat";
import {
  type DeclarationFacts,
  type DeclarationInput,
  MESSAGES,
  adminStateMove,
  checkDeclaration,
  initialDeclarationState,
  isBillableState,
  isMentorCompletionEvent,
  mentorCompletionDate,
  voidDeclaration,
} from "./rules";
import {
  type DeclarationCursor,
  type DeclarationListFilter,
  billableSlotTaken,
  callerHasInductionRecord,
  completedDeclarations,
  findDeclaration,
  hasOpenOutputFeeStatement,
  identicalBillableState,
  insertDeclaration,
  insertStateHistory,
  latestCallerTrainingState,
  listDeclarationsBatch,
  resolvePerson,
  scheduleMilestones,
  trnDuplicateHoldsSlot,
  updateDeclarationState,
} from "./queries";
import { touchTrainingRecord } from "../participants/service";
import { courseParticipantType, participantTypeCourse } from "../participants/rules";
import { DeclarationResource } from "./resource";
import { type CsvStreamOptions, csvStream } from "../../http/csv";
import { JsonText } from "../../http/json-api";
import { createdDeclarationDocumentById, declarationDocumentById, declarationJson, declarationListJson } from "./read-model";

/**
 * An answer of a write (POST, void, an admin move), as the definition renders
 * it (read-model.ts), for the routes to send and the demo seed and scenarios
 * to read: JSON.stringify gives back SQLite's text.
 */
export interface DeclarationAnswer {
  data: { id: string; type: string; attributes: Record<string, unknown> };
}
const answer = (document: string) => JSON.parse(document) as DeclarationAnswer;

// ---------------------------------------------------------------------------
// POST (§5.1–§5.4)
// ---------------------------------------------------------------------------

/** Everything checkDeclaration needs, read from the database (§5.1, "Resolving the participant"). */
export async function gatherDeclarationFacts(
  db: DbOrTrx,
  callerId: string,
  input: DeclarationInput,
  now: Date,
): Promise<DeclarationFacts> {
  const participantId = input.participant_id;
  const course = input.course_identifier;
  const type = input.declaration_type;
  const facts: DeclarationFacts = {
    input,
    identityResolved: false,
    trainingRecord: null,
    activeCourses: [],
    billableDuplicateExists: false,
    identicalExistingState: null,
    callerHasOpenOutputFeeStatement: false,
    now,
  };
  if (participantId === undefined || isBlank(participantId)) return facts;

  // Identity: the person by id, through a record of the course's type or (fallback) any record.
  const wanted = courseParticipantType(course);
  const { types, record } = await resolvePerson(db, participantId, wanted);
  facts.identityResolved = types.length > 0;
  facts.activeCourses = types.map(participantTypeCourse);
  if (!record) return facts;

  facts.trainingRecord = {
    id: record.id,
    participantType: record.participantType,
    cohort: record.cohort,
    scheduleIdentifier: record.scheduleIdentifier,
    milestones: await scheduleMilestones(db, record.scheduleId),
    eligibleForFunding: record.eligibleForFunding,
    mentorFundingCohort: record.mentorFundingCohort,
    latestCallerState: await latestCallerTrainingState(db, record.id, callerId),
    callerHasInductionRecord: await callerHasInductionRecord(db, record, callerId),
  };
  facts.callerHasOpenOutputFeeStatement = await hasOpenOutputFeeStatement(db, callerId, record.cohort, toDateOnly(now));

  if (course !== undefined && type !== undefined && !isBlank(type)) {
    facts.billableDuplicateExists = await billableSlotTaken(db, {
      participantId,
      courseIdentifier: course,
      declarationType: type,
    });
    const castDate = input.declaration_date === undefined ? null : castDeclarationDate(input.declaration_date);
    // an identical billable declaration holds the same slot, so without a taken slot there is none to find
    if (castDate !== null && facts.billableDuplicateExists) {
      facts.identicalExistingState = await identicalBillableState(db, {
        trainingRecordId: record.id,
        participantId,
        leadProviderId: callerId,
        courseIdentifier: course,
        declarationType: type,
        declarationDate: formatTimestamp(castDate),
        evidenceHeld: input.evidence_held ?? null,
      });
    }
  }
  return facts;
}

const billableFlag = (state: DeclarationState): 0 | 1 => (isBillableState(state) ? 1 : 0);

/** The partial unique index `declarations_one_billable` refused the row: a racing duplicate. */
function isBillableSlotConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /UNIQUE constraint failed: declarations\.participant_id/.test(message);
}

/**
 * Inserts a new declaration and its history (`submitted`, then the state it
 * moves to at creation when that differs). A second billable row for the same
 * slot, which the database refuses, is the live 422 `base` error.
 */
export async function insertNewDeclaration(
  trx: DbOrTrx,
  row: Omit<Declaration, "billable" | "updated_at">,
  /** the history rows' ids (the demo seed gives stable ones) */
  id: () => string = newId,
): Promise<Declaration> {
  const declaration: Declaration = { ...row, billable: billableFlag(row.state), updated_at: row.created_at };
  try {
    await insertDeclaration(trx, declaration);
  } catch (error) {
    if (isBillableSlotConflict(error)) throw ApiError.unprocessable("base", MESSAGES.alreadySubmitted);
    throw error;
  }
  await insertStateHistory(trx, { id: id(), declaration_id: row.id, state: "submitted", created_at: row.created_at });
  if (row.state !== "submitted") {
    await insertStateHistory(trx, { id: id(), declaration_id: row.id, state: row.state, created_at: row.created_at });
  }
  return declaration;
}

/**
 * `POST /api/v2/participant-declarations`: takes the permitted attributes, runs the
 * checks, records the declaration in its initial state and answers the v1
 * shape (§5.4). The facts are read inside the write transaction, so two
 * requests for the same slot are decided one after the other.
 */
export async function recordDeclaration(
  db: DbOrTrx,
  callerId: string,
  attributes: DeclarationInput,
  now: Date,
  /** where the write runs: its own transaction, or a group commit's (see db/group-commit.ts) */
  runInTransaction: <T>(job: (trx: Transaction<Database>) => Promise<T>) => Promise<T> = (job) => inTransaction(db, job),
  /** the new rows' ids (the demo seed gives stable ones) */
  id: () => string = newId,
) {
  const input = { ...attributes };
  // Rails casts `participant_id` for the uuid column (any case, braces, hyphens): compare and store the canonical form
  const canonicalId = input.participant_id === undefined ? null : castUuid(input.participant_id);
  if (canonicalId !== null) input.participant_id = canonicalId;
  const document = await runInTransaction(async (trx) => {
    const facts = await gatherDeclarationFacts(trx, callerId, input, now);
    const result = checkDeclaration(facts);
    if (!result.ok) throw ApiError.errors(result.status, result.errors);
    const record = facts.trainingRecord!;
    const slot = {
      participantId: input.participant_id!,
      courseIdentifier: input.course_identifier!,
      declarationType: input.declaration_type!,
    };
    const state = initialDeclarationState({
      trnDuplicateHoldsSlot: await trnDuplicateHoldsSlot(trx, slot),
      eligibleForFunding: record.eligibleForFunding,
    });
    const stamp = toTimestamp(now);
    const mentorCompletion = isMentorCompletionEvent(slot.courseIdentifier, slot.declarationType);
    const insert = () =>
      insertNewDeclaration(
        trx,
        {
        id: id(),
        participant_id: slot.participantId,
        training_record_id: record.id,
        lead_provider_id: callerId,
        cohort: record.cohort,
        declaration_type: slot.declarationType,
        course_identifier: slot.courseIdentifier,
        declaration_date: formatTimestamp(result.declarationDate),
        evidence_held: input.evidence_held ?? null,
        state,
        created_at: stamp,
        },
        id,
      );
    const declaration = await touchingOnMentorCompletion(trx, mentorCompletion, { id: record.id, participant_id: slot.participantId }, stamp, insert);
    return createdDeclarationDocumentById(trx, declaration.id);
  });
  return answer(document);
}

/**
 * Live saves the mentor profile with its recomputed completion date
 * (`complete_training!`, app/models/participant_profile/mentor.rb:64-68); a
 * save with a change touches the profile, its teacher profile and the user,
 * so the person's rows move and enter `filter[updated_since]` (docs/live-parity.md §3).
 */
async function touchingOnMentorCompletion<T>(
  trx: DbOrTrx,
  mentorCompletion: boolean,
  record: { id: string; participant_id: string },
  stamp: string,
  write: () => Promise<T>,
): Promise<T> {
  if (!mentorCompletion) return write();
  const before = mentorCompletionDate(await completedDeclarations(trx, record.id));
  const written = await write();
  const after = mentorCompletionDate(await completedDeclarations(trx, record.id));
  if (after !== before) await touchTrainingRecord(trx, record, stamp);
  return written;
}

// ---------------------------------------------------------------------------
// State changes (void §5.6, admin moves §5.7)
// ---------------------------------------------------------------------------

/** Moves the state, keeps `billable` in step, bumps `updated_at`, writes history. */
async function moveState(trx: DbOrTrx, declaration: Declaration, next: DeclarationState, now: Date, id: () => string = newId): Promise<Declaration> {
  const stamp = toTimestamp(now);
  const change = { state: next, billable: billableFlag(next), updated_at: stamp };
  await updateDeclarationState(trx, declaration.id, change);
  await insertStateHistory(trx, { id: id(), declaration_id: declaration.id, state: next, created_at: stamp });
  return { ...declaration, ...change };
}

/** `PUT /participant-declarations/{id}/void`: the caller's own declarations only (else 404). */
export async function voidProviderDeclaration(db: DbOrTrx, callerId: string, id: string, now: Date): Promise<DeclarationAnswer> {
  return answer(await inTransaction(db, async (trx) => declarationDocumentById(trx, (await voidInTransaction(trx, callerId, id, now)).id)));
}

/** The provider's void inside the caller's transaction (the demo seed's); `newRowId` gives the history row's id. */
export async function voidInTransaction(trx: DbOrTrx, callerId: string, id: string, now: Date, newRowId: () => string = newId): Promise<Declaration> {
  const canonical = castUuid(id);
  const current = canonical === null ? null : await findDeclaration(trx, canonical);
  if (!current || current.lead_provider_id !== callerId) throw ApiError.notFound();
  // Only the clawback of a paid declaration needs an open output-fee statement.
  const open = current.state === "paid" ? await hasOpenOutputFeeStatement(trx, callerId, current.cohort, toDateOnly(now)) : true;
  const result = voidDeclaration(current.state, { callerHasOpenOutputFeeStatement: open, cohort: current.cohort });
  if (!result.ok) throw ApiError.errors(422, result.errors);
  // a void (not a clawback) of a mentor's completed declaration recomputes the completion date (void_participant_declaration.rb:33-37)
  const mentorCompletion = result.next === "voided" && isMentorCompletionEvent(current.course_identifier, current.declaration_type);
  const record = { id: current.training_record_id, participant_id: current.participant_id };
  return touchingOnMentorCompletion(trx, mentorCompletion, record, toTimestamp(now), () => moveState(trx, current, result.next, now, newRowId));
}

/**
 * The admin API's `PUT /admin/participant-declarations/{id}/state` (what DfE
 * does): submitted → eligible → payable → paid, awaiting_clawback →
 * clawed_back. Unknown id → 404; any other move → 422.
 */
export async function moveDeclarationState(db: DbOrTrx, id: string, state: string, now: Date): Promise<DeclarationAnswer> {
  return answer(await inTransaction(db, async (trx) => declarationDocumentById(trx, (await moveStateInTransaction(trx, id, state, now)).id)));
}

/** The admin move inside the caller's transaction (the demo seed's); `newRowId` gives the history row's id. */
export async function moveStateInTransaction(trx: DbOrTrx, id: string, state: string, now: Date, newRowId: () => string = newId): Promise<Declaration> {
  const current = await findDeclaration(trx, id);
  if (!current) throw ApiError.adminNotFound(`There is no declaration with id '${id}'`);
  const result = adminStateMove(current.state, state);
  if (!result.ok) throw ApiError.errors(422, result.errors);
  return moveState(trx, current, result.next, now, newRowId);
}

// ---------------------------------------------------------------------------
// Reading (§2.2, §5.5)
// ---------------------------------------------------------------------------

/**
 * Live compares `updated_at > since` (app/services/api/participant_declarations/index.rb:23)
 * on microsecond timestamps, and prints them in whole seconds: a write at
 * 10:00:00.4 shows `10:00:00Z` and is still later than `10:00:00Z`. We keep
 * whole seconds, so a row of second S is later than `since` when S ≥ ⌈since⌉
 * (as for the participants' `>=`): re-polling with the last `updated_at` seen
 * returns that second's rows again, as live does (docs/live-parity.md §3).
 */
function listFilter(params: Pick<ListParams, "participantId" | "updatedSince">): DeclarationListFilter {
  const since = params.updatedSince;
  return {
    participantId: params.participantId,
    updatedAfter: since === null ? null : toTimestamp(new Date(ceilToSecond(since).getTime() - 1000)),
  };
}

/** One page as JSON built by SQLite (read-model.ts); equal byte for byte to the oracle's `{ data: rows.map(v2Declaration) }` over listDeclarationsPage. */
export async function listDeclarations(db: Db, callerId: string, params: ListParams) {
  return new JsonText(await declarationListJson(db, callerId, listFilter(params), params.perPage, (params.page - 1) * params.perPage));
}

export async function showDeclaration(
  db: Db,
  callerId: string,
  id: string,
  params: Pick<ListParams, "participantId" | "updatedSince"> = { participantId: null, updatedSince: null },
) {
  // cast as Rails casts a uuid for `find`: a value it refuses matches nothing
  const canonical = castUuid(id);
  const document = canonical === null ? null : await declarationJson(db, callerId, canonical, listFilter(params));
  if (document === null) throw ApiError.notFound();
  return new JsonText(document);
}

/**
 * The CSV body, `batchSize` rows per query as the client pulls (a keyset on
 * creation time and rowid). No rows at all → an empty body, without the header (§4.5).
 */
export function declarationsCsvStream(
  db: Db,
  callerId: string,
  params: Pick<ListParams, "participantId" | "updatedSince">,
  options: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const filter = listFilter(params);
  let cursor: DeclarationCursor | null = null;
  const nextBatch = async (limit: number) => {
    const rows = await listDeclarationsBatch(db, callerId, filter, cursor, limit);
    const last = rows[rows.length - 1];
    if (last) cursor = { createdAt: last.created_at, rowid: last.rowid };
    return rows;
  };
  return csvStream(DeclarationResource.csvHeader, nextBatch, (row) => row.csv, options);
}
