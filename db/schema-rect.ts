import type { Generated, Selectable } from "kysely";

/**
 * The RECT world's tables (migration 0005_rect_world; RECT `db/schema.rb` at
 * 0fe31d1aa). Row types as better-sqlite3 returns them: timestamps RFC 3339
 * text (whole seconds, `Z`), dates `YYYY-MM-DD`, booleans 0/1, integer keys.
 */
export interface RectDatabase {
  rect_contract_periods: RectContractPeriodsTable;
  rect_schedules: RectSchedulesTable;
  rect_milestones: RectMilestonesTable;
  rect_lead_providers: RectLeadProvidersTable;
  rect_api_tokens: RectApiTokensTable;
  rect_active_lead_providers: RectActiveLeadProvidersTable;
  rect_delivery_partners: RectDeliveryPartnersTable;
  rect_lead_provider_delivery_partnerships: RectLeadProviderDeliveryPartnershipsTable;
  rect_schools: RectSchoolsTable;
  rect_school_funding: RectSchoolFundingTable;
  rect_school_contract_periods: RectSchoolContractPeriodsTable;
  rect_school_partnerships: RectSchoolPartnershipsTable;
  rect_statements: RectStatementsTable;
  rect_teachers: RectTeachersTable;
  rect_teacher_id_changes: RectTeacherIdChangesTable;
  rect_ect_at_school_periods: RectEctAtSchoolPeriodsTable;
  rect_mentor_at_school_periods: RectMentorAtSchoolPeriodsTable;
  rect_mentorship_periods: RectMentorshipPeriodsTable;
  rect_training_periods: RectTrainingPeriodsTable;
  rect_induction_periods: RectInductionPeriodsTable;
  rect_declarations: RectDeclarationsTable;
  rect_participant_documents: RectParticipantDocumentsTable;
}

type B = 0 | 1;
type Id = Generated<number>;

export interface RectContractPeriodsTable {
  year: number;
  started_on: string;
  finished_on: string;
  enabled: B;
  payments_frozen_at: string | null;
  mentor_funding_enabled: B;
  detailed_evidence_types_enabled: B;
  uplift_fees_enabled: B;
}

export interface RectSchedulesTable {
  id: Id;
  contract_period_year: number;
  identifier: string;
}

export interface RectMilestonesTable {
  id: Id;
  schedule_id: number;
  declaration_type: string;
  start_date: string;
  milestone_date: string | null;
}

export interface RectLeadProvidersTable {
  id: Id;
  api_id: string;
  name: string;
  vat_registered: B;
  is_demo: B;
  created_at: string;
  updated_at: string;
}

export interface RectApiTokensTable {
  id: string;
  lead_provider_id: number;
  /** hex SHA-256 of the token */
  token_hash: string;
  /** the token itself, for the demo world's fixed tokens only */
  demo_token: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface RectActiveLeadProvidersTable {
  id: Id;
  lead_provider_id: number;
  contract_period_year: number;
  created_at: string;
}

export interface RectDeliveryPartnersTable {
  id: Id;
  api_id: string;
  name: string;
  created_at: string;
  updated_at: string;
  api_updated_at: string;
}

export interface RectLeadProviderDeliveryPartnershipsTable {
  id: Id;
  active_lead_provider_id: number;
  delivery_partner_id: number;
  created_at: string;
}

export interface RectSchoolsTable {
  id: Id;
  api_id: string;
  urn: number;
  name: string;
  gias_eligible: B;
  marked_as_eligible: B;
  induction_tutor_name: string | null;
  induction_tutor_email: string | null;
  gias_primary_contact_email: string | null;
  gias_secondary_contact_email: string | null;
  created_at: string;
  updated_at: string;
}

export interface RectSchoolFundingTable {
  school_id: number;
  contract_period_year: number;
  pupil_premium_uplift: B;
  sparsity_uplift: B;
}

export interface RectSchoolContractPeriodsTable {
  school_id: number;
  contract_period_year: number;
  created_at: string;
  api_updated_at: string;
}

export interface RectSchoolPartnershipsTable {
  id: Id;
  api_id: string;
  school_id: number;
  lead_provider_delivery_partnership_id: number;
  created_at: string;
  updated_at: string;
  api_updated_at: string;
}

export interface RectStatementsTable {
  id: Id;
  api_id: string;
  active_lead_provider_id: number;
  month: number;
  year: number;
  deadline_date: string;
  payment_date: string;
  status: "open" | "payable" | "paid";
  fee_type: "output" | "service";
  marked_as_paid_at: string | null;
  created_at: string;
  updated_at: string;
  api_updated_at: string;
}

export interface RectTeachersTable {
  id: Id;
  api_id: string;
  api_ect_training_record_id: string;
  api_mentor_training_record_id: string;
  trn: string | null;
  trs_first_name: string | null;
  trs_last_name: string | null;
  corrected_name: string | null;
  ect_first_became_eligible_for_training_at: string | null;
  ect_became_ineligible_for_funding_on: string | null;
  mentor_first_became_eligible_for_training_at: string | null;
  mentor_became_ineligible_for_funding_on: string | null;
  mentor_became_ineligible_for_funding_reason: string | null;
  ect_payments_frozen_year: number | null;
  mentor_payments_frozen_year: number | null;
  trs_induction_start_date: string | null;
  trs_induction_completed_date: string | null;
  created_at: string;
  updated_at: string;
  api_updated_at: string;
  api_unfunded_mentor_updated_at: string;
}

export interface RectTeacherIdChangesTable {
  id: Id;
  teacher_id: number;
  api_from_teacher_id: string;
  api_to_teacher_id: string;
  created_at: string;
}

export interface RectEctAtSchoolPeriodsTable {
  id: Id;
  api_id: string;
  teacher_id: number;
  school_id: number;
  started_on: string;
  finished_on: string | null;
  email: string | null;
  working_pattern: "part_time" | "full_time" | null;
  created_at: string;
  updated_at: string;
}

export interface RectMentorAtSchoolPeriodsTable {
  id: Id;
  api_id: string;
  teacher_id: number;
  school_id: number;
  started_on: string;
  finished_on: string | null;
  email: string | null;
  created_at: string;
  updated_at: string;
}

export interface RectMentorshipPeriodsTable {
  id: Id;
  ect_at_school_period_id: number;
  mentor_at_school_period_id: number;
  started_on: string;
  finished_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface RectTrainingPeriodsTable {
  id: Id;
  api_id: string;
  ect_at_school_period_id: number | null;
  mentor_at_school_period_id: number | null;
  training_programme: "provider_led" | "school_led";
  school_partnership_id: number | null;
  expression_of_interest_id: number | null;
  schedule_id: number | null;
  started_on: string;
  finished_on: string | null;
  withdrawn_at: string | null;
  withdrawal_reason: string | null;
  deferred_at: string | null;
  deferral_reason: string | null;
  created_at: string;
  updated_at: string;
  api_transfer_updated_at: string;
}

export interface RectInductionPeriodsTable {
  id: Id;
  api_id: string;
  teacher_id: number;
  started_on: string;
  finished_on: string | null;
  outcome: "pass" | "fail" | null;
  created_at: string;
  updated_at: string;
}

export interface RectDeclarationsTable {
  id: Id;
  api_id: string;
  training_period_id: number;
  declaration_type: string;
  declaration_date: string;
  evidence_type: string | null;
  payment_status: "no_payment" | "eligible" | "payable" | "paid" | "voided";
  clawback_status: "no_clawback" | "awaiting_clawback" | "clawed_back";
  payment_statement_id: number | null;
  clawback_statement_id: number | null;
  mentorship_period_id: number | null;
  delivery_partner_when_created_id: number;
  pupil_premium_uplift: B;
  sparsity_uplift: B;
  voided_at: string | null;
  created_at: string;
  updated_at: string;
  api_updated_at: string;
}

export type RectStatement = Selectable<RectStatementsTable>;
export type RectSchool = Selectable<RectSchoolsTable>;
export type RectTeacher = Selectable<RectTeachersTable>;
export type RectTrainingPeriod = Selectable<RectTrainingPeriodsTable>;

/** The v3 participants' read model (migration 0007; src/modules/v3/participants/read-model.ts). */
export interface RectParticipantDocumentsTable {
  lead_provider_id: number;
  teacher_id: number;
  teacher_created_at: string;
  api_updated_at: string;
  e_tp_id: number | null;
  m_tp_id: number | null;
  e_cohort: number | null;
  m_cohort: number | null;
  e_withdrawn: B;
  e_deferred: B;
  m_withdrawn: B;
  m_deferred: B;
  e_as_id: number | null;
  e_stopped: B;
  e_completed: B;
  e_started_on: string | null;
  e_finished_on: string | null;
  m_stopped: B;
  m_completed: B;
  m_started_on: string | null;
  m_finished_on: string | null;
  document: string;
  current_document: string;
  current_from: string;
  current_until: string | null;
}
