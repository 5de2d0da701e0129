/**
 * `POST /admin/v3/scenarios` (docs/reference/rect/control-plane.md §3): one document builds a
 * RECT world, atomically; the answer maps every `ref` to its ids. Facts
 * only: everything RECT derives is derived on read.
 */
import type { Db } from "../../../../db/connection";
import type { DbOrTrx } from "../../../../db/schema";
import { rectStatementCalendar, seededStatementStatus } from "../../../../db/rect-reference-data";
import { ApiError } from "../../../errors";
import { newId } from "../../../lib/ids";
import { londonDate } from "../../../lib/london";
import { toTimestamp } from "../../../lib/time";
import { generateV3Token, storeV3Token, v3TokenTaken } from "../auth/tokens";
import * as q from "./queries";
import {
  DECLARATION_STATES,
  DECLARATION_TYPES,
  DEFERRAL_REASONS,
  type DeclarationState,
  EVIDENCE_TYPES,
  ScenarioError,
  WITHDRAWAL_REASONS,
  dateOfInstant,
  declarationStatuses,
  defaultScheduleIdentifier,
  list,
  object,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalUuid,
  rangesOverlap,
  requiredString,
  resolveDate,
  resolveInstant,
  resolveOptionalDate,
  resolveOptionalInstant,
  within,
  year,
} from "./rules";

export interface LoadOptions {
  now: Date;
  /** RECT_STATEMENTS: each new lead provider gets the seeded statement calendar of its cohorts (false = none) */
  statements: boolean;
  /** the built-in demo world: its lead providers' tokens are kept to be listed and printed */
  demo?: boolean;
}

export type Refs = Record<string, Record<string, unknown>>;

export interface NewLeadProvider {
  name: string;
  cohorts: number[];
  token?: string | null;
  vatRegistered?: boolean;
  apiId?: string | null;
  demo?: boolean;
  createdAt?: string;
}

/**
 * A v3 lead provider with its active lead providers (one per cohort), a
 * token, and, unless `statements` is false, the seeded statement calendar
 * of each cohort (statements.csv; status fixed by the clock: docs/reference/rect/reference-data.md).
 */
export async function createV3LeadProvider(trx: DbOrTrx, lp: NewLeadProvider, options: LoadOptions): Promise<{ id: number; apiId: string; token: string; tokenId: string }> {
  const at = lp.createdAt ?? toTimestamp(options.now);
  const apiId = lp.apiId ?? newId();
  const id = await q.insertRow(trx, "rect_lead_providers", {
    api_id: apiId,
    name: lp.name,
    vat_registered: lp.vatRegistered === false ? 0 : 1,
    is_demo: lp.demo ? 1 : 0,
    created_at: at,
    updated_at: at,
  });
  const today = londonDate(options.now);
  for (const cohort of lp.cohorts) {
    const alp = await q.insertRow(trx, "rect_active_lead_providers", { lead_provider_id: id, contract_period_year: cohort, created_at: at });
    if (!options.statements) continue;
    for (const s of rectStatementCalendar.filter((c) => c.cohort === cohort)) {
      await q.insertRow(trx, "rect_statements", {
        api_id: newId(),
        active_lead_provider_id: alp,
        month: s.month,
        year: s.year,
        deadline_date: s.deadlineDate,
        payment_date: s.paymentDate,
        status: seededStatementStatus(s.deadlineDate, s.paymentDate, today),
        fee_type: s.feeType,
        created_at: at,
        updated_at: at,
        api_updated_at: at,
      });
    }
  }
  const token = lp.token ?? generateV3Token();
  const tokenId = await storeV3Token(trx, token, id, options.now, lp.demo ?? false);
  return { id, apiId, token, tokenId };
}

/** One load: the refs seen so far and the facts later items need. */
class Load {
  readonly refs: Refs = {};
  private readonly ids = new Map<string, { kind: string; id: number; extra?: Record<string, unknown> }>();
  years: number[] = [];
  schedules = new Map<string, number>();

  constructor(
    readonly trx: DbOrTrx,
    readonly options: LoadOptions,
  ) {}

  get now() {
    return this.options.now;
  }
  get at() {
    return toTimestamp(this.options.now);
  }
  get today() {
    return londonDate(this.options.now);
  }

  keep(ref: unknown, pointer: string, kind: string, id: number, answer: Record<string, unknown>, extra?: Record<string, unknown>) {
    if (ref === undefined || ref === null) return;
    if (typeof ref !== "string" || ref === "") throw new ScenarioError(`${pointer}/ref`, "must be text");
    if (this.ids.has(ref)) throw new ScenarioError(`${pointer}/ref`, `is used twice: ${ref}`);
    this.ids.set(ref, { kind, id, extra });
    this.refs[ref] = answer;
  }

  /** A ref made earlier in this document, or `{"id": "<api id>"}` of an object already there. */
  async find(value: unknown, pointer: string, kind: string, table?: Parameters<typeof q.idByApiId>[1]): Promise<{ id: number; extra?: Record<string, unknown> }> {
    if (typeof value === "string") {
      const found = this.ids.get(value);
      if (!found) throw new ScenarioError(pointer, `no ${kind} with ref ${JSON.stringify(value)} earlier in the document`);
      if (found.kind !== kind) throw new ScenarioError(pointer, `${JSON.stringify(value)} is a ${found.kind}, not a ${kind}`);
      return found;
    }
    if (value !== null && typeof value === "object" && typeof (value as { id?: unknown }).id === "string" && table) {
      const id = await q.idByApiId(this.trx, table, ((value as { id: string }).id).toLowerCase());
      if (id === undefined) throw new ScenarioError(pointer, `no ${kind} with id ${(value as { id: string }).id}`);
      return { id };
    }
    throw new ScenarioError(pointer, `must be the ref of a ${kind}${table ? ', or {"id": "<its id>"}' : ""}`);
  }

  cohort(value: unknown, pointer: string): number {
    const y = year(value, pointer);
    if (!this.years.includes(y)) throw new ScenarioError(pointer, `is not a contract period (${this.years.join(", ")})`);
    return y;
  }

  stamps(item: Record<string, unknown>, pointer: string) {
    const created = resolveOptionalInstant(item.created_at, `${pointer}/created_at`, this.now) ?? this.at;
    const updated = resolveOptionalInstant(item.updated_at, `${pointer}/updated_at`, this.now) ?? created;
    return { created, updated };
  }
}

const ROLES = [
  { role: "ect" as const, key: "ect_periods", table: "rect_ect_at_school_periods" as const },
  { role: "mentor" as const, key: "mentor_periods", table: "rect_mentor_at_school_periods" as const },
];

interface PeriodFacts {
  id: number;
  role: "ect" | "mentor";
  teacherId: number;
  schoolId: number;
  started_on: string;
  finished_on: string | null;
  pointer: string;
}

/** Applies a scenario document inside `trx`; throws ScenarioError (a 422) on the first problem. */
export async function applyScenario(trx: DbOrTrx, document: unknown, options: LoadOptions): Promise<Refs> {
  const doc = object(document, "");
  const load = new Load(trx, options);
  load.years = await q.contractPeriodYears(trx);
  load.schedules = await q.scheduleIds(trx);

  for (const [i, raw] of list(doc.lead_providers, "/lead_providers").entries()) {
    const p = `/lead_providers/${i}`;
    const item = object(raw, p);
    const name = requiredString(item.name, `${p}/name`);
    if (await q.nameTaken(trx, "rect_lead_providers", name)) throw new ScenarioError(`${p}/name`, `a lead provider named ${JSON.stringify(name)} exists already`);
    const cohorts = list(item.cohorts, `${p}/cohorts`).map((c, j) => load.cohort(c, `${p}/cohorts/${j}`));
    const token = optionalString(item.api_token, `${p}/api_token`);
    if (token !== null && !/^[\x21-\x7e]{1,128}$/.test(token)) throw new ScenarioError(`${p}/api_token`, "must be 1 to 128 printable characters without spaces");
    // tokens are unique (app/models/api/token.rb:11): a taken one is the document's 422, not the table's constraint
    if (token !== null && (await v3TokenTaken(trx, token))) throw new ScenarioError(`${p}/api_token`, "is already in use: tokens are unique (Hashed token must be unique)");
    const { created } = load.stamps(item, p);
    const made = await createV3LeadProvider(
      trx,
      { name, cohorts: [...new Set(cohorts)], token, vatRegistered: optionalBoolean(item.vat_registered, `${p}/vat_registered`, true), apiId: optionalUuid(item.id, `${p}/id`), createdAt: created, demo: options.demo },
      options,
    );
    load.keep(item.ref, p, "lead provider", made.id, { id: made.apiId, api_token: made.token });
  }

  for (const [i, raw] of list(doc.delivery_partners, "/delivery_partners").entries()) {
    const p = `/delivery_partners/${i}`;
    const item = object(raw, p);
    const { created, updated } = load.stamps(item, p);
    const apiId = optionalUuid(item.id, `${p}/id`) ?? newId();
    const id = await q.insertRow(trx, "rect_delivery_partners", {
      api_id: apiId,
      name: requiredString(item.name, `${p}/name`),
      created_at: created,
      updated_at: updated,
      api_updated_at: updated,
    });
    for (const [j, pairRaw] of list(item.partnered_with, `${p}/partnered_with`).entries()) {
      const pp = `${p}/partnered_with/${j}`;
      const pair = object(pairRaw, pp);
      const lp = await load.find(pair.lead_provider, `${pp}/lead_provider`, "lead provider", "rect_lead_providers");
      for (const [k, c] of list(pair.cohorts, `${pp}/cohorts`).entries()) {
        const cohort = load.cohort(c, `${pp}/cohorts/${k}`);
        const alp = await q.activeLeadProviderId(trx, lp.id, cohort);
        if (alp === undefined) throw new ScenarioError(`${pp}/cohorts/${k}`, `the lead provider is not active in ${cohort} (its cohorts)`);
        await q.insertRow(trx, "rect_lead_provider_delivery_partnerships", { active_lead_provider_id: alp, delivery_partner_id: id, created_at: created });
      }
    }
    load.keep(item.ref, p, "delivery partner", id, { id: apiId });
  }

  for (const [i, raw] of list(doc.schools, "/schools").entries()) {
    const p = `/schools/${i}`;
    const item = object(raw, p);
    const { created, updated } = load.stamps(item, p);
    const urnText = item.urn === undefined ? String(100000 + Math.floor(Math.random() * 900000)) : String(item.urn);
    if (!/^\d{6}$/.test(urnText)) throw new ScenarioError(`${p}/urn`, "must be 6 digits");
    const urn = Number(urnText);
    if (await q.urnTaken(trx, urn)) throw new ScenarioError(`${p}/urn`, `a school with URN ${urnText} exists already`);
    const tutor = optionalObject(item.induction_tutor, `${p}/induction_tutor`);
    const contacts = optionalObject(item.gias_contacts, `${p}/gias_contacts`);
    const apiId = optionalUuid(item.id, `${p}/id`) ?? newId();
    const id = await q.insertRow(trx, "rect_schools", {
      api_id: apiId,
      urn,
      name: optionalString(item.name, `${p}/name`) ?? `School ${urnText}`,
      gias_eligible: optionalBoolean(item.eligible, `${p}/eligible`, true) ? 1 : 0,
      marked_as_eligible: optionalBoolean(item.marked_as_eligible, `${p}/marked_as_eligible`, false) ? 1 : 0,
      induction_tutor_name: tutor ? optionalString(tutor.name, `${p}/induction_tutor/name`) : null,
      induction_tutor_email: tutor ? optionalString(tutor.email, `${p}/induction_tutor/email`) : null,
      gias_primary_contact_email: contacts ? optionalString(contacts.primary, `${p}/gias_contacts/primary`) : null,
      gias_secondary_contact_email: contacts ? optionalString(contacts.secondary, `${p}/gias_contacts/secondary`) : null,
      created_at: created,
      updated_at: updated,
    });
    await q.insertSchoolMetadata(trx, load.years.map((y) => ({ school_id: id, contract_period_year: y, created_at: created, api_updated_at: updated })));
    const funding = optionalObject(item.funding, `${p}/funding`);
    if (funding) {
      await q.insertSchoolFunding(
        trx,
        Object.entries(funding).map(([y, flags]) => {
          const fp = `${p}/funding/${y}`;
          const f = object(flags, fp);
          return {
            school_id: id,
            contract_period_year: load.cohort(y, fp),
            pupil_premium_uplift: optionalBoolean(f.pupil_premium_uplift, `${fp}/pupil_premium_uplift`, false) ? 1 : 0,
            sparsity_uplift: optionalBoolean(f.sparsity_uplift, `${fp}/sparsity_uplift`, false) ? 1 : 0,
          } as const;
        }),
      );
    }
    load.keep(item.ref, p, "school", id, { id: apiId, urn: urnText });
  }

  for (const [i, raw] of list(doc.partnerships, "/partnerships").entries()) {
    const p = `/partnerships/${i}`;
    const item = object(raw, p);
    const { created, updated } = load.stamps(item, p);
    const school = await load.find(item.school, `${p}/school`, "school", "rect_schools");
    const lp = await load.find(item.lead_provider, `${p}/lead_provider`, "lead provider", "rect_lead_providers");
    const dp = await load.find(item.delivery_partner, `${p}/delivery_partner`, "delivery partner", "rect_delivery_partners");
    const cohort = load.cohort(item.cohort, `${p}/cohort`);
    const alp = await q.activeLeadProviderId(trx, lp.id, cohort);
    if (alp === undefined) throw new ScenarioError(`${p}/cohort`, `the lead provider is not active in ${cohort} (its cohorts)`);
    // DfE makes the pairing with the partnership when there is none (the API would refuse: P11)
    const pairing = (await q.pairingId(trx, alp, dp.id)) ?? (await q.insertRow(trx, "rect_lead_provider_delivery_partnerships", { active_lead_provider_id: alp, delivery_partner_id: dp.id, created_at: created }));
    const apiId = optionalUuid(item.id, `${p}/id`) ?? newId();
    const id = await q.insertRow(trx, "rect_school_partnerships", {
      api_id: apiId,
      school_id: school.id,
      lead_provider_delivery_partnership_id: pairing,
      created_at: created,
      updated_at: updated,
      api_updated_at: updated,
    });
    load.keep(item.ref, p, "partnership", id, { id: apiId });
  }

  for (const [i, raw] of list(doc.statements, "/statements").entries()) {
    const p = `/statements/${i}`;
    const item = object(raw, p);
    const made = await insertStatement(load, item, p);
    load.keep(item.ref, p, "statement", made.id, { id: made.apiId });
  }

  await applyTeachers(load, list(doc.teachers, "/teachers"));
  return load.refs;
}

/** A statement (`statements[]` of a document, `POST /admin/v3/statements`). */
async function insertStatement(load: Load, item: Record<string, unknown>, p: string): Promise<{ id: number; apiId: string }> {
  const { created, updated } = load.stamps(item, p);
  const lp = await load.find(item.lead_provider, `${p}/lead_provider`, "lead provider", "rect_lead_providers");
  const cohort = load.cohort(item.cohort, `${p}/cohort`);
  const alp = await q.activeLeadProviderId(load.trx, lp.id, cohort);
  if (alp === undefined) throw new ScenarioError(`${p}/cohort`, `the lead provider is not active in ${cohort} (its cohorts)`);
  const month = item.month;
  if (typeof month !== "number" || !Number.isInteger(month) || month < 1 || month > 12) throw new ScenarioError(`${p}/month`, "must be 1 to 12");
  const y = item.year;
  if (typeof y !== "number" || !Number.isInteger(y) || y < 2000 || y > 2999) throw new ScenarioError(`${p}/year`, "must be a year");
  const deadline = resolveDate(item.deadline_date, `${p}/deadline_date`, load.now);
  const payment = resolveDate(item.payment_date, `${p}/payment_date`, load.now);
  if (payment <= deadline) throw new ScenarioError(`${p}/payment_date`, "must be after the deadline_date");
  const status = item.status ?? "open";
  if (status !== "open" && status !== "payable" && status !== "paid") throw new ScenarioError(`${p}/status`, "must be open, payable or paid");
  const feeType = item.fee_type ?? "output";
  if (feeType !== "output" && feeType !== "service") throw new ScenarioError(`${p}/fee_type`, "must be output or service");
  const apiId = optionalUuid(item.id, `${p}/id`) ?? newId();
  try {
    const id = await q.insertRow(load.trx, "rect_statements", {
      api_id: apiId,
      active_lead_provider_id: alp,
      month,
      year: y,
      deadline_date: deadline,
      payment_date: payment,
      status,
      fee_type: feeType,
      marked_as_paid_at: status === "paid" ? updated : null,
      created_at: created,
      updated_at: updated,
      api_updated_at: updated,
    });
    return { id, apiId };
  } catch (error) {
    if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) {
      throw new ScenarioError(`${p}/month`, `the lead provider has a statement for ${month}/${y} in ${cohort} already`);
    }
    throw error;
  }
}

async function applyTeachers(load: Load, teachers: unknown[]): Promise<void> {
  const { trx } = load;
  const periods = new Map<string, PeriodFacts>();
  const pending: { item: Record<string, unknown>; pointer: string; period: PeriodFacts }[] = [];
  const trainings: { item: Record<string, unknown>; pointer: string; id: number; period: PeriodFacts; partnership: Awaited<ReturnType<typeof q.partnershipFacts>> | null; finished: string | null; started: string }[] = [];

  for (const [i, raw] of teachers.entries()) {
    const p = `/teachers/${i}`;
    const item = object(raw, p);
    const { created, updated } = load.stamps(item, p);
    const funding = optionalObject(item.funding, `${p}/funding`) ?? {};
    const frozen = optionalObject(item.payments_frozen_year, `${p}/payments_frozen_year`) ?? {};
    const trs = optionalObject(item.trs_induction, `${p}/trs_induction`) ?? {};
    const trn = item.trn === undefined ? String(1000000 + Math.floor(Math.random() * 9000000)) : optionalString(item.trn, `${p}/trn`);
    if (trn !== null && !/^\d{7}$/.test(trn)) throw new ScenarioError(`${p}/trn`, "must be 7 digits, or null (a TRN-less teacher)");
    const reason = optionalString(funding.mentor_ineligible_reason, `${p}/funding/mentor_ineligible_reason`);
    if (reason !== null && !["completed_declaration_received", "completed_during_early_roll_out", "started_not_completed"].includes(reason)) {
      throw new ScenarioError(`${p}/funding/mentor_ineligible_reason`, "must be completed_declaration_received, completed_during_early_roll_out or started_not_completed");
    }
    const frozenYear = (v: unknown, pointer: string) => (v === undefined || v === null ? null : year(v, pointer));
    const apiId = optionalUuid(item.id, `${p}/id`) ?? newId();
    const ectRecord = optionalUuid(item.ect_training_record_id, `${p}/ect_training_record_id`) ?? newId();
    const mentorRecord = optionalUuid(item.mentor_training_record_id, `${p}/mentor_training_record_id`) ?? newId();
    let teacherId: number;
    try {
      teacherId = await q.insertRow(trx, "rect_teachers", {
        api_id: apiId,
        api_ect_training_record_id: ectRecord,
        api_mentor_training_record_id: mentorRecord,
        trn,
        // absent: a default name; an explicit null: no TRS name, as RECT allows (spec/services/teachers/name_spec.rb:43-58)
        trs_first_name: item.first_name === null ? null : (optionalString(item.first_name, `${p}/first_name`) ?? "Test"),
        trs_last_name: item.last_name === null ? null : (optionalString(item.last_name, `${p}/last_name`) ?? `Teacher ${i + 1}`),
        corrected_name: optionalString(item.corrected_name, `${p}/corrected_name`),
        ect_first_became_eligible_for_training_at: resolveOptionalInstant(funding.ect_eligible_at, `${p}/funding/ect_eligible_at`, load.now),
        ect_became_ineligible_for_funding_on: resolveOptionalDate(funding.ect_ineligible_on, `${p}/funding/ect_ineligible_on`, load.now),
        mentor_first_became_eligible_for_training_at: resolveOptionalInstant(funding.mentor_eligible_at, `${p}/funding/mentor_eligible_at`, load.now),
        mentor_became_ineligible_for_funding_on: resolveOptionalDate(funding.mentor_ineligible_on, `${p}/funding/mentor_ineligible_on`, load.now),
        mentor_became_ineligible_for_funding_reason: reason,
        ect_payments_frozen_year: frozenYear(frozen.ect, `${p}/payments_frozen_year/ect`),
        mentor_payments_frozen_year: frozenYear(frozen.mentor, `${p}/payments_frozen_year/mentor`),
        trs_induction_start_date: resolveOptionalDate(trs.start_date, `${p}/trs_induction/start_date`, load.now),
        trs_induction_completed_date: resolveOptionalDate(trs.completed_date, `${p}/trs_induction/completed_date`, load.now),
        created_at: created,
        updated_at: updated,
        api_updated_at: updated,
        api_unfunded_mentor_updated_at: updated,
      });
    } catch (error) {
      if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) throw new ScenarioError(p, "a teacher with this id, training record id or TRN exists already");
      throw error;
    }
    load.keep(item.ref, p, "teacher", teacherId, { id: apiId, ect_training_record_id: ectRecord, mentor_training_record_id: mentorRecord });

    let withOutcome = false;
    for (const [j, ipRaw] of list(item.induction_periods, `${p}/induction_periods`).entries()) {
      const ip = `${p}/induction_periods/${j}`;
      const period = object(ipRaw, ip);
      const stamps = load.stamps(period, ip);
      const started = resolveDate(period.started_on, `${ip}/started_on`, load.now);
      const finished = resolveOptionalDate(period.finished_on, `${ip}/finished_on`, load.now);
      if (finished !== null && finished < started) throw new ScenarioError(`${ip}/finished_on`, "must not be before started_on");
      const outcome = period.outcome ?? null;
      if (outcome !== null && outcome !== "pass" && outcome !== "fail") throw new ScenarioError(`${ip}/outcome`, "must be pass, fail or null");
      if (outcome !== null && finished === null) throw new ScenarioError(`${ip}/outcome`, "needs finished_on (only a finished induction period has an outcome)");
      if (outcome !== null && withOutcome) throw new ScenarioError(`${ip}/outcome`, "a teacher has at most one induction outcome");
      withOutcome ||= outcome !== null;
      const inductionApiId = newId();
      const id = await q.insertRow(trx, "rect_induction_periods", {
        api_id: inductionApiId,
        teacher_id: teacherId,
        started_on: started,
        finished_on: finished,
        outcome: outcome as "pass" | "fail" | null,
        created_at: stamps.created,
        updated_at: stamps.updated,
      });
      load.keep(period.ref, ip, "induction period", id, { id: inductionApiId });
    }

    for (const [j, chRaw] of list(item.id_changes, `${p}/id_changes`).entries()) {
      const cp = `${p}/id_changes/${j}`;
      const change = object(chRaw, cp);
      const from = optionalUuid(change.from_participant_id, `${cp}/from_participant_id`);
      if (from === null) throw new ScenarioError(`${cp}/from_participant_id`, "is required (a UUID)");
      await q.insertRow(trx, "rect_teacher_id_changes", {
        teacher_id: teacherId,
        api_from_teacher_id: from,
        api_to_teacher_id: apiId,
        created_at: resolveOptionalInstant(change.created_at, `${cp}/created_at`, load.now) ?? load.at,
      });
    }

    for (const { role, key, table } of ROLES) {
      const mine: PeriodFacts[] = [];
      for (const [j, periodRaw] of list(item[key], `${p}/${key}`).entries()) {
        const pp = `${p}/${key}/${j}`;
        const period = object(periodRaw, pp);
        const stamps = load.stamps(period, pp);
        const school = await load.find(period.school, `${pp}/school`, "school", "rect_schools");
        const started = resolveDate(period.started_on, `${pp}/started_on`, load.now);
        const finished = resolveOptionalDate(period.finished_on, `${pp}/finished_on`, load.now);
        if (finished !== null && finished < started) throw new ScenarioError(`${pp}/finished_on`, "must not be before started_on");
        const facts = { role, teacherId, schoolId: school.id, started_on: started, finished_on: finished, pointer: pp, id: 0 };
        // ECT periods never overlap; a mentor's only at the same school (docs/reference/rect/rules.md §5.7)
        const clash = mine.find((other) => (role === "ect" || other.schoolId === school.id) && rangesOverlap(other, facts));
        if (clash) throw new ScenarioError(`${pp}/started_on`, `overlaps ${clash.pointer}`);
        let workingPattern: "part_time" | "full_time" | null = null;
        if (role === "ect") {
          const wp = period.working_pattern ?? null;
          if (wp !== null && wp !== "part_time" && wp !== "full_time") throw new ScenarioError(`${pp}/working_pattern`, "must be part_time, full_time or null");
          workingPattern = wp as typeof workingPattern;
        }
        const periodApiId = newId();
        const base = {
          api_id: periodApiId,
          teacher_id: teacherId,
          school_id: school.id,
          started_on: started,
          finished_on: finished,
          email: optionalString(period.email, `${pp}/email`),
          created_at: stamps.created,
          updated_at: stamps.updated,
        };
        facts.id = role === "ect" ? await q.insertRow(trx, table, { ...base, working_pattern: workingPattern }) : await q.insertRow(trx, table, base);
        mine.push(facts);
        load.keep(period.ref, pp, `${role} period`, facts.id, { id: periodApiId });
        if (typeof period.ref === "string") periods.set(period.ref, facts);
        pending.push({ item: period, pointer: pp, period: facts });

        const spans: { started_on: string; finished_on: string | null; pointer: string }[] = [];
        for (const [k, tpRaw] of list(period.training, `${pp}/training`).entries()) {
          const tp = `${pp}/training/${k}`;
          const training = object(tpRaw, tp);
          const made = await insertTraining(load, training, tp, facts);
          const clashing = spans.find((s) => rangesOverlap(s, made));
          if (clashing) throw new ScenarioError(`${tp}/started_on`, `overlaps ${clashing.pointer}`);
          spans.push({ ...made, pointer: tp });
          trainings.push({ item: training, pointer: tp, id: made.id, period: facts, partnership: made.partnership, finished: made.finished_on, started: made.started_on });
        }
      }
    }
  }

  // mentorships, once every mentor period of the document exists
  const mentorships: { id: number; ectPeriod: number; started_on: string; finished_on: string | null }[] = [];
  for (const { item, pointer, period } of pending) {
    for (const [j, mRaw] of list(item.mentorships, `${pointer}/mentorships`).entries()) {
      const mp = `${pointer}/mentorships/${j}`;
      if (period.role !== "ect") throw new ScenarioError(mp, "mentorships belong on ECT periods");
      const m = object(mRaw, mp);
      const stamps = load.stamps(m, mp);
      let mentor: { id: number; school_id: number; started_on: string; finished_on: string | null } | undefined;
      if (typeof m.mentor === "string") {
        const facts = periods.get(m.mentor);
        if (!facts || facts.role !== "mentor") throw new ScenarioError(`${mp}/mentor`, `no mentor period with ref ${JSON.stringify(m.mentor)} in the document`);
        mentor = { id: facts.id, school_id: facts.schoolId, started_on: facts.started_on, finished_on: facts.finished_on };
      } else if (m.mentor !== null && typeof m.mentor === "object" && typeof (m.mentor as { id?: unknown }).id === "string") {
        mentor = await q.periodByApiId(trx, "rect_mentor_at_school_periods", (m.mentor as { id: string }).id);
        if (!mentor) throw new ScenarioError(`${mp}/mentor`, "no mentor period with that id");
      } else throw new ScenarioError(`${mp}/mentor`, 'must be the ref of a mentor period, or {"id": "<its id>"}');
      if (mentor.school_id !== period.schoolId) throw new ScenarioError(`${mp}/mentor`, "the mentor period must be at the ECT period's school");
      const started = resolveOptionalDate(m.started_on, `${mp}/started_on`, load.now) ?? period.started_on;
      const finished = resolveOptionalDate(m.finished_on, `${mp}/finished_on`, load.now);
      const span = { started_on: started, finished_on: finished };
      if (!within(span, period) || !within(span, mentor)) throw new ScenarioError(`${mp}/started_on`, "a mentorship must lie inside both the ECT period and the mentor period");
      const mine = mentorships.filter((x) => x.ectPeriod === period.id);
      if (mine.some((x) => rangesOverlap(x, span))) throw new ScenarioError(`${mp}/started_on`, "overlaps another mentorship of this ECT period");
      const id = await q.insertRow(trx, "rect_mentorship_periods", {
        ect_at_school_period_id: period.id,
        mentor_at_school_period_id: mentor.id,
        started_on: started,
        finished_on: finished,
        created_at: stamps.created,
        updated_at: stamps.updated,
      });
      mentorships.push({ id, ectPeriod: period.id, ...span });
    }
  }

  // declarations, once mentorships exist
  for (const t of trainings) {
    for (const [k, dRaw] of list(t.item.declarations, `${t.pointer}/declarations`).entries()) {
      const dp = `${t.pointer}/declarations/${k}`;
      const d = object(dRaw, dp);
      if (!t.partnership) throw new ScenarioError(dp, "declarations need a training period with a partnership");
      const stamps = load.stamps(d, dp);
      const type = d.type ?? "started";
      if (typeof type !== "string" || !DECLARATION_TYPES.includes(type)) throw new ScenarioError(`${dp}/type`, `must be one of ${DECLARATION_TYPES.join(", ")}`);
      const date = resolveInstant(d.date ?? "now", `${dp}/date`, load.now);
      const evidence = optionalString(d.evidence_held, `${dp}/evidence_held`);
      if (evidence !== null && !EVIDENCE_TYPES.includes(evidence)) throw new ScenarioError(`${dp}/evidence_held`, `must be one of ${EVIDENCE_TYPES.join(", ")}`);
      const state = (d.state ?? "submitted") as DeclarationState;
      if (!DECLARATION_STATES.includes(state)) throw new ScenarioError(`${dp}/state`, `must be one of ${DECLARATION_STATES.join(", ")}`);
      let statementId: number | null = null;
      if (d.statement !== undefined && d.statement !== null) statementId = (await load.find(d.statement, `${dp}/statement`, "statement", "rect_statements")).id;
      else if (state !== "submitted") {
        statementId = (await q.defaultStatementId(trx, t.partnership.lead_provider_id, t.partnership.year, dateOfInstant(date))) ?? null;
        if (statementId === null) throw new ScenarioError(`${dp}/statement`, `a ${state} declaration needs a statement: the lead provider has no output statement in ${t.partnership.year} with a deadline on or after the declaration date`);
      }
      if (statementId !== null) {
        const owner = await q.statementOwner(trx, statementId);
        if (!owner || owner.lead_provider_id !== t.partnership.lead_provider_id || owner.year !== t.partnership.year) {
          throw new ScenarioError(`${dp}/statement`, "must be a statement of the partnership's lead provider and cohort");
        }
      }
      let clawbackId: number | null = null;
      if (state === "awaiting_clawback" || state === "clawed_back") {
        if (d.clawback_statement === undefined || d.clawback_statement === null) throw new ScenarioError(`${dp}/clawback_statement`, `a ${state} declaration needs a clawback_statement`);
        clawbackId = (await load.find(d.clawback_statement, `${dp}/clawback_statement`, "statement", "rect_statements")).id;
      }
      let deliveryPartner = t.partnership.delivery_partner_id;
      if (d.delivery_partner !== undefined && d.delivery_partner !== null) deliveryPartner = (await load.find(d.delivery_partner, `${dp}/delivery_partner`, "delivery partner", "rect_delivery_partners")).id;
      const uplifts = optionalObject(d.uplifts, `${dp}/uplifts`) ?? {};
      // the mentorship closest to the declaration date (docs/reference/rect/rules.md §10.6): the one containing it, else none
      const day = dateOfInstant(date);
      const mentorship = t.period.role === "ect" ? mentorships.find((m) => m.ectPeriod === t.period.id && m.started_on <= day && (m.finished_on ?? "9999-12-31") >= day) : undefined;
      const statuses = declarationStatuses(state);
      try {
        const id = await q.insertRow(trx, "rect_declarations", {
          api_id: optionalUuid(d.id, `${dp}/id`) ?? newId(),
          training_period_id: t.id,
          declaration_type: type,
          declaration_date: date,
          evidence_type: evidence,
          ...statuses,
          payment_statement_id: statementId,
          clawback_statement_id: clawbackId,
          mentorship_period_id: mentorship?.id ?? null,
          delivery_partner_when_created_id: deliveryPartner,
          pupil_premium_uplift: optionalBoolean(uplifts.pupil_premium, `${dp}/uplifts/pupil_premium`, false) ? 1 : 0,
          sparsity_uplift: optionalBoolean(uplifts.sparsity, `${dp}/uplifts/sparsity`, false) ? 1 : 0,
          voided_at: state === "voided" ? stamps.updated : null,
          created_at: stamps.created,
          updated_at: stamps.updated,
          api_updated_at: stamps.updated,
        });
        load.keep(d.ref, dp, "declaration", id, { id: await q.declarationApiId(trx, id) });
      } catch (error) {
        if (String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_CONSTRAINT")) {
          throw new ScenarioError(`${dp}/type`, `the training period has a ${type} declaration that is billable or changeable already (at most one, docs/reference/rect/rules.md §10.1)`);
        }
        throw error;
      }
    }
  }
}

/** A training period inside an at-school period (docs/reference/rect/rules.md §5.8). */
async function insertTraining(load: Load, item: Record<string, unknown>, p: string, period: PeriodFacts) {
  const { trx } = load;
  const stamps = load.stamps(item, p);
  const programme = item.programme ?? "provider_led";
  if (programme !== "provider_led" && programme !== "school_led") throw new ScenarioError(`${p}/programme`, "must be provider_led or school_led");
  const started = resolveOptionalDate(item.started_on, `${p}/started_on`, load.now) ?? period.started_on;
  let finished = resolveOptionalDate(item.finished_on, `${p}/finished_on`, load.now);
  const stop = (key: "withdrawn" | "deferred", reasons: string[]) => {
    const v = optionalObject(item[key], `${p}/${key}`);
    if (!v) return null;
    const at = resolveInstant(v.at ?? "now", `${p}/${key}/at`, load.now);
    const reason = v.reason;
    if (typeof reason !== "string" || !reasons.includes(reason)) throw new ScenarioError(`${p}/${key}/reason`, `must be one of ${reasons.join(", ")}`);
    if (key === "withdrawn" && reason === "mentor-no-longer-being-mentor" && period.role !== "mentor") throw new ScenarioError(`${p}/withdrawn/reason`, "mentor-no-longer-being-mentor is for mentors only");
    return { at, reason: reason.replace(/-/g, "_") };
  };
  const withdrawn = stop("withdrawn", WITHDRAWAL_REASONS);
  const deferred = stop("deferred", DEFERRAL_REASONS);
  if (withdrawn && deferred) throw new ScenarioError(`${p}/deferred`, "a training period is withdrawn or deferred, not both");
  const stopped = withdrawn ?? deferred;
  if (stopped && finished === null) finished = dateOfInstant(stopped.at);
  if (stopped && started > load.today) throw new ScenarioError(`${p}/${withdrawn ? "withdrawn" : "deferred"}`, "a training period starting in the future cannot be withdrawn or deferred");
  if (finished !== null && finished < started) throw new ScenarioError(`${p}/finished_on`, "must not be before started_on");
  if (!within({ started_on: started, finished_on: finished }, period)) throw new ScenarioError(`${p}/started_on`, "the training period must lie inside its at-school period");

  let partnership: Awaited<ReturnType<typeof q.partnershipFacts>> | null = null;
  let eoi: number | null = null;
  let scheduleId: number | null = null;
  if (programme === "school_led") {
    if (period.role !== "ect") throw new ScenarioError(`${p}/programme`, "mentors are always provider-led");
    if (item.partnership !== undefined || item.eoi !== undefined || item.schedule !== undefined) throw new ScenarioError(`${p}/programme`, "a school-led training period has no partnership, EOI or schedule");
  } else {
    if (item.partnership !== undefined && item.partnership !== null) {
      const found = await load.find(item.partnership, `${p}/partnership`, "partnership", "rect_school_partnerships");
      partnership = (await q.partnershipFacts(trx, found.id)) ?? null;
      if (!partnership || partnership.school_id !== period.schoolId) throw new ScenarioError(`${p}/partnership`, "the partnership's school must be the at-school period's school");
    }
    const eoiItem = optionalObject(item.eoi, `${p}/eoi`);
    if (eoiItem) {
      const lp = await load.find(eoiItem.lead_provider, `${p}/eoi/lead_provider`, "lead provider", "rect_lead_providers");
      const cohort = load.cohort(eoiItem.cohort, `${p}/eoi/cohort`);
      eoi = (await q.activeLeadProviderId(trx, lp.id, cohort)) ?? null;
      if (eoi === null) throw new ScenarioError(`${p}/eoi/cohort`, `the lead provider is not active in ${cohort}`);
      if (partnership && partnership.year !== cohort) throw new ScenarioError(`${p}/eoi/cohort`, "contract period mismatch: the EOI's cohort must be the partnership's");
    }
    if (!partnership && eoi === null) throw new ScenarioError(`${p}/partnership`, 'a provider-led training period needs a partnership or an eoi {"lead_provider", "cohort"}');
    const cohort = partnership ? partnership.year : (eoiItem ? year(eoiItem.cohort, `${p}/eoi/cohort`) : 0);
    const identifier = item.schedule === undefined || item.schedule === null ? defaultScheduleIdentifier(started, load.today, period.role) : requiredString(item.schedule, `${p}/schedule`);
    if (identifier.includes("replacement") && period.role !== "mentor") throw new ScenarioError(`${p}/schedule`, "Only mentors can be assigned to replacement schedules");
    if (identifier.includes("reduced") && period.role !== "ect") throw new ScenarioError(`${p}/schedule`, "Only ECTs can be assigned to reduced schedules");
    scheduleId = load.schedules.get(`${cohort}/${identifier}`) ?? null;
    if (scheduleId === null) throw new ScenarioError(`${p}/schedule`, `no schedule ${identifier} in ${cohort}`);
  }
  const apiId = newId();
  const id = await q.insertRow(trx, "rect_training_periods", {
    api_id: apiId,
    ect_at_school_period_id: period.role === "ect" ? period.id : null,
    mentor_at_school_period_id: period.role === "mentor" ? period.id : null,
    training_programme: programme,
    school_partnership_id: partnership?.id ?? null,
    expression_of_interest_id: eoi,
    schedule_id: scheduleId,
    started_on: started,
    finished_on: finished,
    withdrawn_at: withdrawn?.at ?? null,
    withdrawal_reason: withdrawn?.reason ?? null,
    deferred_at: deferred?.at ?? null,
    deferral_reason: deferred?.reason ?? null,
    created_at: stamps.created,
    updated_at: stamps.updated,
    api_transfer_updated_at: stamps.updated,
  });
  load.keep(item.ref, p, "training period", id, { id: apiId });
  return { id, started_on: started, finished_on: finished, partnership };
}

/** A scenario error as the admin API's 422. */
export function scenarioFailure(error: ScenarioError): ApiError {
  return ApiError.errors(422, [{ title: error.pointer === "" ? "body" : error.pointer, detail: error.detail }]);
}

/** Loads a document in one transaction: all or nothing. */
export async function loadScenario(db: Db, document: unknown, options: LoadOptions): Promise<Refs> {
  try {
    return await db.transaction().execute((trx) => applyScenario(trx, document, options));
  } catch (error) {
    if (error instanceof ScenarioError) throw scenarioFailure(error);
    throw error;
  }
}

class Rollback extends Error {}

/** `POST /admin/v3/scenarios/validate`: the same load, rolled back. */
export async function validateScenario(db: Db, document: unknown, options: LoadOptions): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await applyScenario(trx, document, options);
      throw new Rollback();
    });
  } catch (error) {
    if (error instanceof Rollback) return;
    if (error instanceof ScenarioError) throw scenarioFailure(error);
    throw error;
  }
}

/** `POST /admin/v3/statements`: one statement, as `statements[]` of a document. */
export async function createStatement(db: Db, body: unknown, options: LoadOptions): Promise<{ id: string }> {
  try {
    return await db.transaction().execute(async (trx) => {
      const load = new Load(trx, options);
      load.years = await q.contractPeriodYears(trx);
      const made = await insertStatement(load, object(body, ""), "");
      return { id: made.apiId };
    });
  } catch (error) {
    if (error instanceof ScenarioError) throw scenarioFailure(error.pointer === "" ? error : new ScenarioError(error.pointer.replace(/^\//, ""), error.detail));
    throw error;
  }
}

/** Whether the RECT world is empty (no lead provider): a start loads RECT_SCENARIO, or the demo world, only then. */
export function rectWorldIsEmpty(db: Db): Promise<boolean> {
  return q.noLeadProvider(db);
}

/** The demo world's lead providers and tokens (printed at every start, while they exist). */
export function demoWorldTokens(db: Db): Promise<{ name: string; token: string }[]> {
  return q.demoTokens(db);
}
