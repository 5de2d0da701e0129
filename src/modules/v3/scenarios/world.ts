/**
 * `GET /admin/v3/world` (docs/reference/rect/control-plane.md §3): the RECT world as a scenario
 * document, absolute dates and ids, each object's `ref` being its id, so the
 * answer loads as it is into an empty database (`RECT_SCENARIO`). Tokens are
 * stored hashed: only the demo world's come back (`api_token`); other lead
 * providers get new tokens when the document is loaded again.
 */
import type { Db } from "../../../../db/connection";
import { worldRows } from "./queries";

const dropNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
const bool = (v: number) => v === 1;

export async function exportWorld(db: Db): Promise<Record<string, unknown>> {
  const data = await worldRows(db);
  const lpApi = new Map(data.leadProviders.map((l) => [l.id, l.api_id]));
  const alp = new Map(data.activeLeadProviders.map((a) => [a.id, a]));
  const dpApi = new Map(data.deliveryPartners.map((d) => [d.id, d.api_id]));
  const schoolApi = new Map(data.schools.map((s) => [s.id, s.api_id]));
  const lpdp = new Map(data.pairings.map((p) => [p.id, p]));
  const spApi = new Map(data.partnerships.map((p) => [p.id, p.api_id]));
  const stApi = new Map(data.statements.map((s) => [s.id, s.api_id]));
  const mentorPeriodApi = new Map(data.mentorPeriods.map((m) => [m.id, m.api_id]));

  const lead_providers = data.leadProviders.map((l) =>
    dropNulls({
      ref: l.api_id,
      id: l.api_id,
      name: l.name,
      cohorts: data.activeLeadProviders.filter((a) => a.lead_provider_id === l.id).map((a) => a.contract_period_year),
      vat_registered: bool(l.vat_registered),
      api_token: data.tokens.find((t) => t.lead_provider_id === l.id && t.demo_token !== null)?.demo_token ?? null,
      created_at: l.created_at,
    }),
  );
  const delivery_partners = data.deliveryPartners.map((d) => {
    const pairs = data.pairings.filter((p) => p.delivery_partner_id === d.id);
    const byLp = new Map<number, number[]>();
    for (const p of pairs) {
      const a = alp.get(p.active_lead_provider_id)!;
      byLp.set(a.lead_provider_id, [...(byLp.get(a.lead_provider_id) ?? []), a.contract_period_year]);
    }
    return {
      ref: d.api_id,
      id: d.api_id,
      name: d.name,
      partnered_with: [...byLp].map(([lp, cohorts]) => ({ lead_provider: lpApi.get(lp), cohorts })),
      created_at: d.created_at,
      updated_at: d.api_updated_at,
    };
  });
  const schools = data.schools.map((s) => {
    const funding = Object.fromEntries(
      data.funding.filter((f) => f.school_id === s.id).map((f) => [String(f.contract_period_year), { pupil_premium_uplift: bool(f.pupil_premium_uplift), sparsity_uplift: bool(f.sparsity_uplift) }]),
    );
    return {
      ref: s.api_id,
      id: s.api_id,
      urn: String(s.urn).padStart(6, "0"),
      name: s.name,
      eligible: bool(s.gias_eligible),
      marked_as_eligible: bool(s.marked_as_eligible),
      induction_tutor: { name: s.induction_tutor_name, email: s.induction_tutor_email },
      gias_contacts: { primary: s.gias_primary_contact_email, secondary: s.gias_secondary_contact_email },
      funding,
      created_at: s.created_at,
      updated_at: s.updated_at,
    };
  });
  const partnerships = data.partnerships.map((p) => {
    const pair = lpdp.get(p.lead_provider_delivery_partnership_id)!;
    const a = alp.get(pair.active_lead_provider_id)!;
    return {
      ref: p.api_id,
      id: p.api_id,
      school: schoolApi.get(p.school_id),
      lead_provider: lpApi.get(a.lead_provider_id),
      delivery_partner: dpApi.get(pair.delivery_partner_id),
      cohort: a.contract_period_year,
      created_at: p.created_at,
      updated_at: p.api_updated_at,
    };
  });
  const statements = data.statements.map((s) => {
    const a = alp.get(s.active_lead_provider_id)!;
    return {
      ref: s.api_id,
      id: s.api_id,
      lead_provider: lpApi.get(a.lead_provider_id),
      cohort: a.contract_period_year,
      month: s.month,
      year: s.year,
      deadline_date: s.deadline_date,
      payment_date: s.payment_date,
      status: s.status,
      fee_type: s.fee_type,
      created_at: s.created_at,
      updated_at: s.api_updated_at,
    };
  });
  const declarationsOf = (trainingId: number) =>
    data.declarations
      .filter((d) => d.training_period_id === trainingId)
      .map((d) =>
        dropNulls({
          ref: d.api_id,
          id: d.api_id,
          type: d.declaration_type,
          date: d.declaration_date,
          evidence_held: d.evidence_type,
          state: d.clawback_status !== "no_clawback" ? d.clawback_status : d.payment_status === "no_payment" ? "submitted" : d.payment_status,
          statement: d.payment_statement_id === null ? null : stApi.get(d.payment_statement_id),
          clawback_statement: d.clawback_statement_id === null ? null : stApi.get(d.clawback_statement_id),
          delivery_partner: dpApi.get(d.delivery_partner_when_created_id),
          uplifts: { pupil_premium: bool(d.pupil_premium_uplift), sparsity: bool(d.sparsity_uplift) },
          created_at: d.created_at,
          updated_at: d.api_updated_at,
        }),
      );
  const trainingOf = (role: "ect" | "mentor", periodId: number) =>
    data.trainingPeriods
      .filter((t) => (role === "ect" ? t.ect_at_school_period_id : t.mentor_at_school_period_id) === periodId)
      .map((t) => {
        const eoi = t.expression_of_interest_id === null ? null : alp.get(t.expression_of_interest_id)!;
        return dropNulls({
          ref: t.api_id,
          programme: t.training_programme,
          partnership: t.school_partnership_id === null ? null : spApi.get(t.school_partnership_id),
          eoi: eoi ? { lead_provider: lpApi.get(eoi.lead_provider_id), cohort: eoi.contract_period_year } : null,
          schedule: t.schedule_id === null ? null : data.schedules.get(t.schedule_id)?.identifier,
          started_on: t.started_on,
          finished_on: t.finished_on,
          withdrawn: t.withdrawn_at ? { at: t.withdrawn_at, reason: t.withdrawal_reason!.replace(/_/g, "-") } : null,
          deferred: t.deferred_at ? { at: t.deferred_at, reason: t.deferral_reason!.replace(/_/g, "-") } : null,
          declarations: declarationsOf(t.id),
          created_at: t.created_at,
          updated_at: t.api_transfer_updated_at,
        });
      });
  /** An ECT or mentor at school period as a document item; `ect`: what only an ECT period has, in its place. */
  const atSchoolPeriod = (
    role: "ect" | "mentor",
    p: (typeof data.mentorPeriods)[number],
    ect: { working_pattern?: unknown; mentorships?: unknown } = {},
  ) =>
    dropNulls({
      ref: p.api_id,
      school: schoolApi.get(p.school_id),
      started_on: p.started_on,
      finished_on: p.finished_on,
      email: p.email,
      working_pattern: ect.working_pattern,
      training: trainingOf(role, p.id),
      mentorships: ect.mentorships,
      created_at: p.created_at,
      updated_at: p.updated_at,
    });
  const teachers = data.teachers.map((t) =>
    dropNulls({
      ref: t.api_id,
      id: t.api_id,
      trn: t.trn,
      first_name: t.trs_first_name,
      last_name: t.trs_last_name,
      corrected_name: t.corrected_name,
      ect_training_record_id: t.api_ect_training_record_id,
      mentor_training_record_id: t.api_mentor_training_record_id,
      funding: {
        ect_eligible_at: t.ect_first_became_eligible_for_training_at,
        ect_ineligible_on: t.ect_became_ineligible_for_funding_on,
        mentor_eligible_at: t.mentor_first_became_eligible_for_training_at,
        mentor_ineligible_on: t.mentor_became_ineligible_for_funding_on,
        mentor_ineligible_reason: t.mentor_became_ineligible_for_funding_reason,
      },
      payments_frozen_year: { ect: t.ect_payments_frozen_year, mentor: t.mentor_payments_frozen_year },
      trs_induction: { start_date: t.trs_induction_start_date, completed_date: t.trs_induction_completed_date },
      induction_periods: data.inductionPeriods
        .filter((i) => i.teacher_id === t.id)
        .map((i) => ({ started_on: i.started_on, finished_on: i.finished_on, outcome: i.outcome, created_at: i.created_at, updated_at: i.updated_at })),
      id_changes: data.idChanges.filter((c) => c.teacher_id === t.id).map((c) => ({ from_participant_id: c.api_from_teacher_id, created_at: c.created_at })),
      ect_periods: data.ectPeriods
        .filter((p) => p.teacher_id === t.id)
        .map((p) =>
          atSchoolPeriod("ect", p, {
            working_pattern: p.working_pattern,
            mentorships: data.mentorships
              .filter((m) => m.ect_at_school_period_id === p.id)
              .map((m) => ({ mentor: mentorPeriodApi.get(m.mentor_at_school_period_id), started_on: m.started_on, finished_on: m.finished_on })),
          }),
        ),
      mentor_periods: data.mentorPeriods.filter((p) => p.teacher_id === t.id).map((p) => atSchoolPeriod("mentor", p)),
      created_at: t.created_at,
      updated_at: t.api_updated_at,
    }),
  );
  return { lead_providers, delivery_partners, schools, partnerships, statements, teachers };
}
