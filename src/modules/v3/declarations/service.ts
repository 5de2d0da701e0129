/**
 * The v3 declarations feature (docs/reference/rect/rules.md §10): the only caller of its
 * queries and rules.
 */
import type { DbOrTrx } from "../../../../db/schema";
import { castUuid, isBlank } from "../../../http/ruby-compat";
import { newId } from "../../../lib/ids";
import { addDays, londonDate } from "../../../lib/london";
import { toTimestamp } from "../../../lib/time";
import { V3_NOT_FOUND, v3BadRequest, v3Unprocessable } from "../http/envelope";
import type { Page } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import * as q from "./queries";
import { type DeclarationFilters, declarationDocument, declarationDocuments } from "./queries";
import {
  type CreateFacts,
  RubyRaise,
  type Scalar,
  type TrainingFacts,
  clawbackError,
  closestMentorship,
  createErrors,
  dateOfDeclaration,
  storedEvidence,
  storedInstantMs,
  trainingRole,
  voidError,
} from "./rules";

export async function listDeclarations(db: DbOrTrx, leadProviderId: number, filters: DeclarationFilters, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await declarationDocuments(db, leadProviderId, filters, page));
}

/** By id, in the visible set (query.rb:28-29 `find_by!`); outside it, or not a UUID → 404. */
export async function showDeclaration(db: DbOrTrx, leadProviderId: number, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await declarationDocument(db, leadProviderId, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}

// ---- POST /api/v3/participant-declarations (docs/reference/rect/rules.md §10.5-10.6) ----

export interface CreateInput {
  leadProviderId: number;
  now: Date;
  attributes: Record<string, Scalar>;
}

/** The facts create.rb's checks read, for rules.createErrors. */
async function createFacts(trx: DbOrTrx, input: CreateInput, today: string) {
  const a = input.attributes;
  const attributes = {
    participant_id: a.participant_id,
    declaration_type: a.declaration_type,
    declaration_date: a.declaration_date,
    course_identifier: a.course_identifier,
    evidence_held: a.evidence_held,
  };
  // `Teacher.find_by(api_id:)` casts to uuid: anything that is not one finds nobody
  const apiId = typeof a.participant_id === "string" && !isBlank(a.participant_id) ? castUuid(a.participant_id) : null;
  const teacher = apiId === null ? undefined : await q.teacherByApiId(trx, apiId);
  const role = trainingRole(a.course_identifier);
  const latest = teacher ? await q.latestCallerTraining(trx, teacher.id, role, input.leadProviderId) : undefined;
  let training: TrainingFacts | null = null;
  if (latest) {
    const ms = latest.schedule_id === null ? [] : await q.milestones(trx, latest.schedule_id);
    training = {
      isEct: latest.is_ect === 1,
      withdrawnAt: latest.withdrawn_at,
      deferredAt: latest.deferred_at,
      scheduleYear: latest.schedule_year,
      scheduleMentorFunding: latest.schedule_mentor_funding === 1,
      detailedEvidence: latest.detailed_evidence === 1,
      milestones: Object.fromEntries(ms.map((m) => [m.declaration_type, { start_date: m.start_date, milestone_date: m.milestone_date }])),
      fundable: (latest.is_ect === 1 ? teacher!.ect_first_became_eligible_for_training_at : teacher!.mentor_first_became_eligible_for_training_at) !== null,
    };
  }
  const ongoing = teacher ? await q.trainingContainingToday(trx, teacher.id, role, today) : undefined;
  const statementId = latest && latest.schedule_year !== null ? await q.nextOutputStatement(trx, input.leadProviderId, latest.schedule_year, today, true) : undefined;
  const existing = teacher && latest ? await q.billableDeclarations(trx, teacher.id, latest.is_ect === 1 ? "ect" : "mentor") : [];
  const facts: CreateFacts = {
    nowMs: input.now.getTime(),
    attributes,
    teacherExists: teacher !== undefined,
    registeredWithCaller: teacher ? await q.trainsWithCaller(trx, teacher.id, input.leadProviderId) : false,
    training,
    ongoingToday: ongoing && ongoing.year !== null ? { year: ongoing.year, frozen: ongoing.payments_frozen_at !== null && Date.parse(ongoing.payments_frozen_at) <= input.now.getTime() } : null,
    hasPaymentStatement: statementId !== undefined,
    existing: existing.map((d) => ({ type: d.declaration_type, dateMs: Date.parse(d.declaration_date) })),
  };
  return { facts, teacher, latest, training, statementId };
}

/** Runs a rules function; a RubyRaise is RECT's 400 with the Ruby message (error_rescuable.rb:19-21). */
function orBadRequest<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RubyRaise) throw v3BadRequest(error.message);
    throw error;
  }
}

/**
 * `API::Declarations::Create#create` then `Declarations::Create#create`
 * (app/services/declarations/create.rb:38-57), in one transaction: the checks, then the
 * declaration with its mentorship, uplifts, eligibility and payment statement, then mentor
 * completion. Answers the declaration as GET shows it.
 */
export async function createDeclaration(db: DbOrTrx, input: CreateInput): Promise<string> {
  const today = londonDate(input.now);
  const nowText = toTimestamp(input.now);
  const apiId = await db.transaction().execute(async (trx) => {
    const { facts, teacher, latest, training, statementId } = await createFacts(trx, input, today);
    const errors = orBadRequest(() => createErrors(facts));
    if (errors.length) throw v3Unprocessable(errors);
    const t = teacher!;
    const tp = latest!;
    const tf = training!;
    const type = input.attributes.declaration_type as string;
    const dateText = input.attributes.declaration_date as string;
    // the advisory lock's guard (create.rb:42-43): an identical live declaration is returned
    const live = await q.liveDeclarationApiId(trx, tp.id, type);
    if (live !== undefined) return live;
    let mentorshipId: number | null = null;
    if (tf.isEct) {
      const day = orBadRequest(() => dateOfDeclaration(dateText));
      mentorshipId = closestMentorship(await q.mentorshipsOf(trx, tp.at_school_period_id), day)?.id ?? null;
    }
    // uplifts (create.rb:88-98): started declarations in an uplift cohort (the partnership's)
    let uplifts = { pupil_premium_uplift: 0 as 0 | 1, sparsity_uplift: 0 as 0 | 1 };
    if (type === "started" && tp.uplift_fees === 1) {
      const funding = await q.schoolFunding(trx, tp.school_id, tp.partnership_year);
      uplifts = { pupil_premium_uplift: funding?.pupil_premium_uplift ? 1 : 0, sparsity_uplift: funding?.sparsity_uplift ? 1 : 0 };
    }
    const evidence = storedEvidence(tf, type, input.attributes.evidence_held);
    const id = newId();
    await q.insertDeclaration(trx, {
      api_id: id,
      training_period_id: tp.id,
      declaration_type: type,
      declaration_date: toTimestamp(new Date(storedInstantMs(dateText)!)),
      evidence_type: typeof evidence === "string" ? evidence : null,
      // set_eligibility! (create.rb:100-110): fundable → eligible, on the statement of check 17
      payment_status: tf.fundable ? "eligible" : "no_payment",
      payment_statement_id: tf.fundable ? (statementId ?? null) : null,
      mentorship_period_id: mentorshipId,
      delivery_partner_when_created_id: tp.delivery_partner_id,
      ...uplifts,
      created_at: nowText,
      updated_at: nowText,
      api_updated_at: nowText,
    });
    if (!tf.isEct && type === "completed") await mentorCompletion(trx, t.id, input.leadProviderId, today, nowText);
    return id;
  });
  const document = await q.declarationDocument(db, input.leadProviderId, apiId);
  return singleDocumentText(document!);
}

/**
 * `Declarations::MentorCompletion#perform` (app/services/declarations/mentor_completion.rb:10-24),
 * for a mentor's `completed` declaration after a create, void or clawback.
 */
async function mentorCompletion(trx: DbOrTrx, teacherId: number, leadProviderId: number, today: string, nowText: string): Promise<void> {
  const latest = await q.latestCallerMentorTraining(trx, teacherId, leadProviderId);
  const completedAt = await q.latestBillableMentorCompletedDate(trx, teacherId);
  const teacher = (await q.teacherById(trx, teacherId))!;
  if (completedAt !== undefined) {
    // the date column takes the London date of the declaration's instant
    const on = londonDate(new Date(completedAt));
    if (teacher.mentor_became_ineligible_for_funding_on !== on || teacher.mentor_became_ineligible_for_funding_reason !== "completed_declaration_received") {
      await q.setMentorCompletion(trx, teacherId, on, "completed_declaration_received", nowText);
    }
    if (latest && (latest.finished_on === null || latest.finished_on > today)) {
      // `declaration_date > started_on` compares with 00:00 UTC of the start day (mentor_completion.rb:58-64)
      const finishedOn = Date.parse(completedAt) > Date.parse(`${latest.started_on}T00:00:00Z`) ? on : addDays(latest.started_on, 1);
      await q.finishTrainingPeriod(trx, latest.id, teacherId, finishedOn, nowText);
    }
  } else {
    if (teacher.mentor_became_ineligible_for_funding_on !== null || teacher.mentor_became_ineligible_for_funding_reason !== null) {
      await q.setMentorCompletion(trx, teacherId, null, null, nowText);
    }
    // `create_training_period! unless latest_training_period.contains_today?` (finished_on nil or in the future)
    if (latest && latest.finished_on !== null && !(latest.finished_on > today)) {
      await q.insertMentorTrainingPeriod(
        trx,
        {
          api_id: newId(),
          mentor_at_school_period_id: latest.at_school_period_id,
          school_partnership_id: latest.school_partnership_id!,
          schedule_id: latest.schedule_id,
          started_on: addDays(latest.finished_on, 1),
          finished_on: latest.at_school_finished_on,
        },
        teacherId,
        nowText,
      );
    }
  }
}

// ---- PUT /api/v3/participant-declarations/{id}/void (docs/reference/rect/rules.md §10.7) ----

/**
 * The caller's own declaration only (another provider's, even one GET shows, is a 404);
 * `paid` takes the clawback path (declarations_controller.rb:35-45), others the void path.
 * One transaction, with mentor completion after either.
 */
export async function voidDeclaration(db: DbOrTrx, leadProviderId: number, id: string, now: Date): Promise<string> {
  const apiId = castUuid(id);
  if (apiId === null) throw V3_NOT_FOUND;
  const today = londonDate(now);
  const nowText = toTimestamp(now);
  await db.transaction().execute(async (trx) => {
    const d = await q.ownDeclaration(trx, leadProviderId, apiId);
    if (!d) throw V3_NOT_FOUND;
    if (d.payment_status === "paid") {
      // app/services/api/declarations/clawback.rb:24-51; declarations/clawback.rb:33-44 (any status)
      const statementId = await q.nextOutputStatement(trx, leadProviderId, d.year, today, false);
      const error = clawbackError(d, statementId !== undefined, d.year);
      if (error) throw v3Unprocessable([{ title: "participant_declaration_id", detail: error }]);
      await q.markAwaitingClawback(trx, d.id, statementId!, nowText);
    } else {
      // app/services/api/declarations/void.rb:16-31
      const error = voidError(d);
      if (error) throw v3Unprocessable([{ title: "participant_declaration_id", detail: error }]);
      await q.markVoided(trx, d.id, nowText);
    }
    if (d.is_ect === 0 && d.declaration_type === "completed") await mentorCompletion(trx, d.teacher_id, leadProviderId, today, nowText);
  });
  return singleDocumentText((await q.declarationDocument(db, leadProviderId, apiId))!);
}
