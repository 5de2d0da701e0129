/**
 * The event calls that play the school, the appropriate body and DfE
 * (control-plane.md §4.1-4.3), each a transaction with RECT's touches
 * (docs/reference/rect/rules.md §15; `touch … when_changing` in RECT's models).
 */
import type { Db } from "../../../../db/connection";
import { ApiError } from "../../../errors";
import { londonDate } from "../../../lib/london";
import { toTimestamp } from "../../../lib/time";
import { castUuid } from "../../../http/ruby-compat";
import { rewriteExpiredDocuments } from "../participants/service";
import * as q from "./queries";
import {
  DECLARATION_TYPES,
  changed,
  field,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalUuid,
  resolveDate,
  resolveOptionalDate,
  resolveOptionalInstant,
  statementMove,
  unprocessable,
} from "./rules";

type Body = Record<string, unknown>;

async function find(db: Db, table: Parameters<typeof q.byApiId>[1], id: string) {
  const apiId = castUuid(id);
  const row = apiId === null ? undefined : await q.byApiId(db, table, apiId);
  if (!row) throw ApiError.notFound();
  return row;
}

const has = (body: Body, key: string) => Object.hasOwn(body, key);

/** PUT /admin/v3/contract-periods/{year}: the reference data's flags (kept in snapshots, reset by restore). */
export async function updateContractPeriod(db: Db, yearText: string, body: Body, now: Date) {
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || !(await q.contractPeriod(db, year))) throw ApiError.notFound();
  const values: Record<string, unknown> = {};
  for (const flag of ["enabled", "mentor_funding_enabled", "detailed_evidence_types_enabled", "uplift_fees_enabled"] as const) {
    if (has(body, flag)) values[flag] = field(() => optionalBoolean(body[flag], `/${flag}`, false)) ? 1 : 0;
  }
  if (has(body, "payments_frozen_at")) values.payments_frozen_at = field(() => resolveOptionalInstant(body.payments_frozen_at, "/payments_frozen_at", now));
  if (Object.keys(values).length) await q.updateContractPeriod(db, year, values);
  const row = (await q.contractPeriod(db, year))!;
  return {
    year: row.year,
    started_on: row.started_on,
    finished_on: row.finished_on,
    enabled: row.enabled === 1,
    payments_frozen_at: row.payments_frozen_at,
    mentor_funding_enabled: row.mentor_funding_enabled === 1,
    detailed_evidence_types_enabled: row.detailed_evidence_types_enabled === 1,
    uplift_fees_enabled: row.uplift_fees_enabled === 1,
  };
}

/** PUT /admin/v3/schedules/{year}/{identifier}/milestones/{type}: a milestone set, or deleted with a `null` body. */
export async function putMilestone(db: Db, yearText: string, identifier: string, type: string, body: unknown, now: Date) {
  const schedule = /^\d{4}$/.test(yearText) ? await q.scheduleId(db, Number(yearText), identifier) : undefined;
  if (schedule === undefined || !DECLARATION_TYPES.includes(type)) throw ApiError.notFound();
  if (body === null || (typeof body === "object" && body !== null && Object.keys(body).length === 0)) {
    if (!(await q.deleteMilestone(db, schedule, type))) throw ApiError.notFound();
    return { deleted: true };
  }
  const b = body as Body;
  const start = field(() => resolveDate(b.start_date, "/start_date", now));
  const end = field(() => resolveOptionalDate(b.milestone_date, "/milestone_date", now));
  if (end !== null && end <= start) throw unprocessable("milestone_date", "must be after start_date (app/models/milestone.rb:20-31)");
  if (start < `${yearText}-06-01`) throw unprocessable("start_date", `must be on or after 1 June ${yearText} (app/models/milestone.rb:43-50)`);
  await q.upsertMilestone(db, schedule, type, start, end);
  return (await q.milestone(db, schedule, type))!;
}

/** PUT /admin/v3/statements/{id}/status: MarkAsPayable or AuthorisePayment (docs/reference/rect/rules.md §5.11), with its declarations. */
export async function moveStatement(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const statement = await find(trx as unknown as Db, "rect_statements", id);
    const to = statementMove(statement, body.status, londonDate(now), await q.hasOutstandingDeclarations(trx, statement.id));
    const at = toTimestamp(now);
    await q.update(trx, "rect_statements", statement.id, { status: to, updated_at: at, api_updated_at: at, ...(to === "paid" ? { marked_as_paid_at: at } : {}) });
    await q.moveStatementDeclarations(trx, statement.id, to, at);
    return { id: statement.api_id, status: to };
  });
}

/** PATCH /admin/v3/statements/{id}: its dates (any update touches it, statement.rb:55). */
export async function patchStatement(db: Db, id: string, body: Body, now: Date) {
  const statement = await find(db, "rect_statements", id);
  const deadline = has(body, "deadline_date") ? field(() => resolveDate(body.deadline_date, "/deadline_date", now)) : statement.deadline_date;
  const payment = has(body, "payment_date") ? field(() => resolveDate(body.payment_date, "/payment_date", now)) : statement.payment_date;
  if (payment <= deadline) throw unprocessable("payment_date", "must be after the deadline_date");
  const at = toTimestamp(now);
  await q.update(db, "rect_statements", statement.id, { deadline_date: deadline, payment_date: payment, updated_at: at, api_updated_at: at });
  return { id: statement.api_id, deadline_date: deadline, payment_date: payment };
}

/** PATCH /admin/v3/lead-providers/{id}: a rename touches the transfer timestamps (lead_provider.rb:22). */
export async function renameLeadProvider(db: Db, id: string, body: Body, now: Date) {
  const name = field(() => optionalString(body.name, "/name"));
  if (!name || name.trim() === "") throw unprocessable("name", "is required (text)");
  return db.transaction().execute(async (trx) => {
    const lp = await find(trx as unknown as Db, "rect_lead_providers", id);
    if (name === lp.name) return { id: lp.api_id, name };
    if (await q.leadProviderNameTaken(trx, name)) throw unprocessable("name", "is taken: a v3 lead provider has this name already");
    const at = toTimestamp(now);
    await q.update(trx, "rect_lead_providers", lp.id, { name, updated_at: at });
    await q.touchLeadProviderTrainingPeriods(trx, lp.id, at);
    return { id: lp.api_id, name };
  });
}

/** PATCH /admin/v3/partnerships/{id}: DfE moves a partnership to another delivery partner, without the API's checks. */
export async function changePartnershipDeliveryPartner(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const partnership = await find(trx as unknown as Db, "rect_school_partnerships", id);
    const dpValue = body.delivery_partner;
    const dpId = typeof dpValue === "string" ? dpValue : typeof dpValue === "object" && dpValue !== null ? (dpValue as { id?: unknown }).id : undefined;
    const dpApiId = typeof dpId === "string" ? castUuid(dpId) : null;
    const dp = dpApiId === null ? undefined : await q.byApiId(trx, "rect_delivery_partners", dpApiId);
    if (!dp) throw unprocessable("delivery_partner", 'must be the id of a delivery partner ("<id>" or {"id": "<id>"})');
    const pairing = await q.partnershipPairing(trx, partnership.id);
    if (pairing.delivery_partner_id === dp.id) return { id: partnership.api_id, delivery_partner_id: dp.api_id };
    const at = toTimestamp(now);
    const lpdp = await q.pairingFor(trx, pairing.active_lead_provider_id, dp.id, at);
    try {
      await q.update(trx, "rect_school_partnerships", partnership.id, { lead_provider_delivery_partnership_id: lpdp });
    } catch (error) {
      if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) throw unprocessable("delivery_partner", "the school has a partnership with this lead provider and delivery partner in this cohort already");
      throw error;
    }
    await q.touchPartnershipDependants(trx, partnership.id, at);
    return { id: partnership.api_id, delivery_partner_id: dp.api_id };
  });
}

/** PATCH /admin/v3/schools/{id}: the school's and GIAS's facts, with school.rb:31-35 and gias/school.rb:7-8. */
export async function patchSchool(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const school = await find(trx as unknown as Db, "rect_schools", id);
    const next: Record<string, unknown> = {};
    if (has(body, "urn")) {
      const urn = String(body.urn);
      if (!/^\d{6}$/.test(urn)) throw unprocessable("urn", "must be 6 digits");
      next.urn = Number(urn);
    }
    if (has(body, "name")) next.name = field(() => optionalString(body.name, "/name")) ?? school.name;
    if (has(body, "eligible")) next.gias_eligible = field(() => optionalBoolean(body.eligible, "/eligible", true)) ? 1 : 0;
    if (has(body, "marked_as_eligible")) next.marked_as_eligible = field(() => optionalBoolean(body.marked_as_eligible, "/marked_as_eligible", false)) ? 1 : 0;
    const tutor = field(() => optionalObject(body.induction_tutor, "/induction_tutor"));
    if (tutor) {
      if (has(tutor, "name")) next.induction_tutor_name = field(() => optionalString(tutor.name, "/induction_tutor/name"));
      if (has(tutor, "email")) next.induction_tutor_email = field(() => optionalString(tutor.email, "/induction_tutor/email"));
    }
    const contacts = field(() => optionalObject(body.gias_contacts, "/gias_contacts"));
    if (contacts) {
      if (has(contacts, "primary")) next.gias_primary_contact_email = field(() => optionalString(contacts.primary, "/gias_contacts/primary"));
      if (has(contacts, "secondary")) next.gias_secondary_contact_email = field(() => optionalString(contacts.secondary, "/gias_contacts/secondary"));
    }
    const diff = changed(school, next);
    const at = toTimestamp(now);
    if (diff.length) {
      try {
        await q.update(trx, "rect_schools", school.id, { ...next, updated_at: at });
      } catch (error) {
        if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) throw unprocessable("urn", "another school has this URN");
        throw error;
      }
      const any = (...keys: string[]) => keys.some((k) => diff.includes(k));
      await q.touchSchool(
        trx,
        school.id,
        {
          metadata: any("urn", "induction_tutor_name", "induction_tutor_email", "name", "gias_primary_contact_email", "gias_secondary_contact_email"),
          partnerships: any("urn", "induction_tutor_name", "induction_tutor_email", "gias_primary_contact_email", "gias_secondary_contact_email"),
          teachers: any("urn"),
        },
        at,
      );
    }
    const funding = field(() => optionalObject(body.funding, "/funding"));
    if (funding) {
      for (const [yearText, flags] of Object.entries(funding)) {
        const f = field(() => optionalObject(flags, `/funding/${yearText}`)) ?? {};
        if (!/^\d{4}$/.test(yearText)) throw unprocessable(`funding/${yearText}`, "must be keyed by a cohort year");
        await q.upsertFunding(trx, school.id, Number(yearText), field(() => optionalBoolean(f.pupil_premium_uplift, `/funding/${yearText}/pupil_premium_uplift`, false)), field(() => optionalBoolean(f.sparsity_uplift, `/funding/${yearText}/sparsity_uplift`, false)));
      }
    }
    return { id: school.api_id, changed: diff };
  });
}

/** PATCH /admin/v3/teachers/{id}: names and TRN (teacher.rb:57-87 touch both API timestamps). */
export async function patchTeacher(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const teacher = await find(trx as unknown as Db, "rect_teachers", id);
    const next: Record<string, unknown> = {};
    if (has(body, "first_name")) next.trs_first_name = field(() => optionalString(body.first_name, "/first_name"));
    if (has(body, "last_name")) next.trs_last_name = field(() => optionalString(body.last_name, "/last_name"));
    if (has(body, "corrected_name")) next.corrected_name = field(() => optionalString(body.corrected_name, "/corrected_name"));
    if (has(body, "trn")) {
      const trn = field(() => optionalString(body.trn, "/trn"));
      if (trn !== null && !/^\d{7}$/.test(trn)) throw unprocessable("trn", "must be 7 digits, or null");
      next.trn = trn;
    }
    const diff = changed(teacher, next);
    if (diff.length) {
      const at = toTimestamp(now);
      try {
        await q.update(trx, "rect_teachers", teacher.id, { ...next, updated_at: at, api_updated_at: at, api_unfunded_mentor_updated_at: at });
      } catch (error) {
        if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) throw unprocessable("trn", "TRN already exists");
        throw error;
      }
    }
    return { id: teacher.api_id, changed: diff };
  });
}

/** POST /admin/v3/teachers/{id}/id-changes: a merged duplicate (teacher_id_change.rb:6 touches the teacher). */
export async function addIdChange(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const teacher = await find(trx as unknown as Db, "rect_teachers", id);
    const from = field(() => optionalUuid(body.from_participant_id, "/from_participant_id"));
    if (from === null) throw unprocessable("from_participant_id", "is required (a UUID)");
    const created = field(() => resolveOptionalInstant(body.created_at, "/created_at", now)) ?? toTimestamp(now);
    await q.insertIdChange(trx, teacher.id, from, teacher.api_id, created);
    await q.update(trx, "rect_teachers", teacher.id, { api_updated_at: toTimestamp(now) });
    return { from_participant_id: from, to_participant_id: teacher.api_id, changed_at: created };
  });
}

/**
 * PUT /admin/v3/teachers/{id}/funding: DfE's funding fields for one role; the
 * first `eligible_at` moves that role's submitted declarations to eligible
 * (docs/reference/rect/rules.md §5.10); with no output statement to attach them to, 422 (RECT raises).
 */
export async function setFunding(db: Db, id: string, body: Body, now: Date) {
  const role = body.role;
  if (role !== "ect" && role !== "mentor") throw unprocessable("role", "must be ect or mentor");
  return db.transaction().execute(async (trx) => {
    const teacher = await find(trx as unknown as Db, "rect_teachers", id);
    const next: Record<string, unknown> = {};
    const eligibleColumn = `${role}_first_became_eligible_for_training_at`;
    if (has(body, "eligible_at")) next[eligibleColumn] = field(() => resolveOptionalInstant(body.eligible_at, "/eligible_at", now));
    if (has(body, "ineligible_on")) next[`${role}_became_ineligible_for_funding_on`] = field(() => resolveOptionalDate(body.ineligible_on, "/ineligible_on", now));
    if (has(body, "mentor_ineligible_reason")) {
      if (role !== "mentor") throw unprocessable("mentor_ineligible_reason", "is for the mentor role only");
      const reason = field(() => optionalString(body.mentor_ineligible_reason, "/mentor_ineligible_reason"));
      if (reason !== null && !["completed_declaration_received", "completed_during_early_roll_out", "started_not_completed"].includes(reason)) {
        throw unprocessable("mentor_ineligible_reason", "must be completed_declaration_received, completed_during_early_roll_out or started_not_completed");
      }
      next.mentor_became_ineligible_for_funding_reason = reason;
    }
    const diff = changed(teacher, next);
    const at = toTimestamp(now);
    if (diff.length) await q.update(trx, "rect_teachers", teacher.id, { ...next, updated_at: at, api_updated_at: at });
    let madeEligible = false;
    if (teacher[eligibleColumn] === null && next[eligibleColumn]) {
      const missing = await q.markDeclarationsEligible(trx, teacher.id, role, londonDate(now), at);
      if (missing) throw unprocessable("eligible_at", "the lead provider has no output statement with a deadline of today or later to attach the declarations to (RECT raises here)");
      madeEligible = true;
    }
    return { id: teacher.api_id, role, changed: diff, declarations_made_eligible: madeEligible };
  });
}

/** PATCH /admin/v3/periods/{id}: an at-school period's email (touches the teacher, at_school_period.rb:16) or working pattern. */
export async function patchPeriod(db: Db, id: string, body: Body, now: Date) {
  const apiId = castUuid(id);
  return db.transaction().execute(async (trx) => {
    const found = apiId === null ? undefined : await q.periodByApiId(trx, apiId);
    if (!found) throw ApiError.notFound();
    const next: Record<string, unknown> = {};
    if (has(body, "email")) next.email = field(() => optionalString(body.email, "/email"));
    if (has(body, "working_pattern")) {
      if (found.role !== "ect") throw unprocessable("working_pattern", "is for ECT periods only");
      const wp = body.working_pattern;
      if (wp !== null && wp !== "part_time" && wp !== "full_time") throw unprocessable("working_pattern", "must be part_time, full_time or null");
      next.working_pattern = wp;
    }
    const diff = changed(found.row as Record<string, unknown>, next);
    const at = toTimestamp(now);
    if (diff.length) {
      await q.update(trx, found.role === "ect" ? "rect_ect_at_school_periods" : "rect_mentor_at_school_periods", found.row.id, { ...next, updated_at: at });
      if (diff.includes("email")) {
        // the participant's updated_at; a mentor period's email also its unfunded-mentor timestamp (mentor_at_school_period.rb:24)
        await q.update(trx, "rect_teachers", found.row.teacher_id, found.role === "mentor" ? { api_updated_at: at, api_unfunded_mentor_updated_at: at } : { api_updated_at: at });
      }
    }
    return { id: found.row.api_id, role: found.role, changed: diff };
  });
}


/**
 * POST /admin/v3/teachers/{id}/induction-periods (the appropriate body): an
 * induction period (touches the teacher, induction_period.rb:20); then, as
 * induction_periods/create_induction_period.rb:27,62-67 does, when any of the teacher's induction periods
 * contains today and the teacher has an ECT period, ECT funding eligibility
 * is set once, now, and the ECT's submitted declarations become eligible
 * (app/services/teachers/set_ect_funding_eligibility.rb:17-39).
 */
export async function addInductionPeriod(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const teacher = await find(trx as unknown as Db, "rect_teachers", id);
    const started = field(() => resolveDate(body.started_on, "/started_on", now));
    const finished = field(() => resolveOptionalDate(body.finished_on, "/finished_on", now));
    if (finished !== null && finished < started) throw unprocessable("finished_on", "must not be before started_on");
    const outcome = body.outcome ?? null;
    if (outcome !== null && outcome !== "pass" && outcome !== "fail") throw unprocessable("outcome", "must be pass, fail or null");
    if (outcome !== null && finished === null) throw unprocessable("outcome", "needs finished_on");
    const at = toTimestamp(now);
    const apiId = crypto.randomUUID();
    try {
      await q.insertInductionPeriod(trx, { api_id: apiId, teacher_id: teacher.id, started_on: started, finished_on: finished, outcome, created_at: at, updated_at: at });
    } catch (error) {
      if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) throw unprocessable("outcome", "a teacher has at most one induction outcome");
      throw error;
    }
    await q.update(trx, "rect_teachers", teacher.id, { api_updated_at: at });
    const today = londonDate(now);
    // any induction period of the teacher containing today, the new one or an earlier one (set_ect_funding_eligibility.rb:37-39)
    const containsToday = await q.hasInductionPeriodContaining(trx, teacher.id, today);
    const hasEctPeriod = await q.hasEctPeriod(trx, teacher.id);
    let fundingSet = false;
    if (containsToday && hasEctPeriod && teacher.ect_first_became_eligible_for_training_at === null) {
      await q.update(trx, "rect_teachers", teacher.id, { ect_first_became_eligible_for_training_at: at });
      if (await q.markDeclarationsEligible(trx, teacher.id, "ect", today, at)) throw unprocessable("started_on", "the lead provider has no output statement with a deadline of today or later to attach the declarations to (RECT raises here)");
      fundingSet = true;
    }
    return { id: apiId, started_on: started, finished_on: finished, outcome, ect_funding_eligibility_set: fundingSet };
  });
}

/** PATCH /admin/v3/induction-periods/{id}: close it, with an outcome (touches the teacher). */
export async function patchInductionPeriod(db: Db, id: string, body: Body, now: Date) {
  return db.transaction().execute(async (trx) => {
    const period = await find(trx as unknown as Db, "rect_induction_periods", id);
    const finished = has(body, "finished_on") ? field(() => resolveOptionalDate(body.finished_on, "/finished_on", now)) : period.finished_on;
    const outcome = has(body, "outcome") ? (body.outcome ?? null) : period.outcome;
    if (outcome !== null && outcome !== "pass" && outcome !== "fail") throw unprocessable("outcome", "must be pass, fail or null");
    if (finished !== null && finished < period.started_on) throw unprocessable("finished_on", "must not be before started_on");
    if (outcome !== null && finished === null) throw unprocessable("outcome", "needs finished_on");
    const at = toTimestamp(now);
    try {
      await q.update(trx, "rect_induction_periods", period.id, { finished_on: finished, outcome, updated_at: at });
    } catch (error) {
      if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) throw unprocessable("outcome", "a teacher has at most one induction outcome");
      throw error;
    }
    if (finished !== period.finished_on || outcome !== period.outcome) await q.update(trx, "rect_teachers", period.teacher_id, { api_updated_at: at });
    return { id: period.api_id, started_on: period.started_on, finished_on: finished, outcome };
  });
}

/**
 * POST /admin/v3/jobs/nightly (control-plane.md §4.5): what RECT runs at night in the sandbox
 * (config/recurring.yml `sandbox:`), as of the clock, in one transaction:
 * - the partnerships whose `participants_currently_training` changed get `updated_at`
 *   (TouchSchoolPartnershipForParticipantsCurrentlyTrainingJob, 00:01);
 * - the metadata refresh (RefreshAllMetadataJob, 1am, track_changes): teachers whose `mentor_id`
 *   changed overnight get `updated_at` (docs/reference/rect/rules.md §5.9);
 * - with `mark_statements_payable: true`, production's midnight Statements::MarkAsPayableJob:
 *   every open statement past its deadline becomes payable with its eligible declarations.
 */
export async function runNightly(db: Db, body: Body, now: Date) {
  const markPayable = has(body, "mark_statements_payable") ? field(() => optionalBoolean(body.mark_statements_payable, "/mark_statements_payable", false)) : false;
  const today = londonDate(now);
  const yesterday = londonDate(new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000));
  const at = toTimestamp(now);
  return db.transaction().execute(async (trx) => {
    const partnerships = await q.touchPartnershipsAtTrainingBoundaries(trx, today, yesterday, at);
    const teachers = await q.teachersWhoseMentorChanged(trx, today, yesterday);
    await q.touchTeachers(trx, teachers, at);
    const payable: string[] = [];
    if (markPayable) {
      for (const statement of await q.openStatementsPastDeadline(trx, today)) {
        await q.update(trx, "rect_statements", statement.id, { status: "payable", updated_at: at, api_updated_at: at });
        await q.moveStatementDeclarations(trx, statement.id, "payable", at);
        payable.push(statement.api_id);
      }
    }
    // the participants' stored documents that stopped holding overnight are written again (by the real date, as they are written)
    await rewriteExpiredDocuments(trx, londonDate(new Date()));
    return { today, partnerships_touched: partnerships, teachers_touched: teachers.length, statements_marked_payable: payable };
  });
}
