import type { Generated, Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { RectDatabase } from "./schema-rect";

/**
 * Table name → row type, written as the SQLite driver (better-sqlite3) returns rows: timestamps are
 * RFC 3339 text with whole seconds and `Z` (so they sort as text), dates are
 * `YYYY-MM-DD` text, booleans are 0/1 integers.
 */
/** What queries take: the database, or the transaction they run inside (SQLite has one connection, so never `db` inside one). */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

export interface Database extends RectDatabase {
  settings: SettingsTable;
  lead_providers: LeadProvidersTable;
  api_tokens: ApiTokensTable;
  cohorts: CohortsTable;
  schedules: SchedulesTable;
  milestones: MilestonesTable;
  statements: StatementsTable;
  schools: SchoolsTable;
  partnerships: PartnershipsTable;
  participants: ParticipantsTable;
  training_records: TrainingRecordsTable;
  former_provider_views: FormerProviderViewsTable;
  training_status_history: TrainingStatusHistoryTable;
  declarations: DeclarationsTable;
  declaration_state_history: DeclarationStateHistoryTable;
  participant_documents: ParticipantDocumentsTable;
}

export type Bool = 0 | 1;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface LeadProvidersTable {
  id: string;
  name: string;
  /** 1 for the demo providers the service seeds; their tokens can be listed. */
  is_demo: Bool;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  /** null for the admin token */
  lead_provider_id: string | null;
  kind: "lead_provider" | "admin";
  /** hex SHA-256 of the token; the token itself is never stored */
  token_hash: string;
  last_used_at: string | null;
  created_at: string;
}

export interface CohortsTable {
  start_year: number;
  registration_start_date: string;
  academic_year_start_date: string;
  payments_frozen_at: string | null;
  mentor_funding: Bool;
}

export interface SchedulesTable {
  id: string;
  identifier: string;
  name: string;
  type: string;
  cohort: number;
}

export interface MilestonesTable {
  id: string;
  schedule_id: string;
  name: string;
  declaration_type: string;
  start_date: string;
  milestone_date: string | null;
  payment_date: string | null;
}

export interface StatementsTable {
  id: string;
  lead_provider_id: string;
  cohort: number;
  name: string;
  deadline_date: string;
  payment_date: string;
  output_fee: Bool;
}

export interface SchoolsTable {
  urn: string;
  name: string;
}

export interface PartnershipsTable {
  id: string;
  lead_provider_id: string;
  school_urn: string;
  cohort: number;
  challenged_at: string | null;
  created_at: string;
}

/** A person (the live service's user and participant identity). `id` is the API's participant id. */
export interface ParticipantsTable {
  id: string;
  full_name: string;
  email: string;
  teacher_reference_number: string | null;
  teacher_reference_number_validated: Bool;
  /** lists order by these: the live service orders by the user's times */
  created_at: string;
  updated_at: string;
}

/** One registration (ECT or mentor profile), with its current provider's induction record folded in. */
export interface TrainingRecordsTable {
  id: string;
  participant_id: string;
  participant_type: "ect" | "mentor";
  lead_provider_id: string;
  school_urn: string;
  cohort: number;
  schedule_id: string;
  induction_status: "active" | "completed" | "leaving" | "withdrawn" | "changed";
  training_status: "active" | "deferred" | "withdrawn";
  /** 1 eligible, 0 ineligible, null no decision */
  eligible_for_funding: Bool | null;
  pupil_premium_uplift: Bool;
  sparsity_uplift: Bool;
  mentor_id: string | null;
  created_at: string;
  updated_at: string;
  /** the profile's own schedule when a former provider changed it (migration 0004); null: `schedule_id` */
  profile_schedule_id?: string | null;
  /** the profile's flag toggled by a change of cohort under the 2021 payments-frozen exception (migration 0004) */
  cohort_changed_after_payments_frozen?: Bool;
  /** copies of the person's sort keys, kept by triggers (migration 0002); never written by code */
  participant_created_at?: string | null;
  participant_updated_at?: string | null;
  participant_seq?: number | null;
}

/** What a provider last saw of a training record it trained before a transfer (its last induction record). */
export interface FormerProviderViewsTable {
  id: string;
  training_record_id: string;
  lead_provider_id: string;
  school_urn: string;
  cohort: number;
  schedule_id: string;
  induction_status: TrainingRecordsTable["induction_status"];
  training_status: TrainingRecordsTable["training_status"];
  mentor_id: string | null;
  updated_at: string;
  created_at: string;
  /** copies of the person's sort keys, kept by triggers (migration 0002); never written by code */
  participant_created_at?: string | null;
  participant_updated_at?: string | null;
  participant_seq?: number | null;
}

export interface TrainingStatusHistoryTable {
  id: string;
  training_record_id: string;
  lead_provider_id: string;
  state: "active" | "deferred" | "withdrawn";
  reason: string | null;
  created_at: string;
}

export type DeclarationState =
  | "submitted"
  | "eligible"
  | "payable"
  | "paid"
  | "voided"
  | "ineligible"
  | "awaiting_clawback"
  | "clawed_back";

export interface DeclarationsTable {
  id: string;
  participant_id: string;
  training_record_id: string;
  lead_provider_id: string;
  cohort: number;
  declaration_type: string;
  course_identifier: string;
  declaration_date: string;
  evidence_held: string | null;
  state: DeclarationState;
  /** 1 while the state is submitted/eligible/payable/paid; the partial unique index guards it */
  billable: Bool;
  created_at: string;
  updated_at: string;
}

export interface DeclarationStateHistoryTable {
  id: string;
  declaration_id: string;
  state: DeclarationState;
  created_at: string;
}

export type LeadProvider = Selectable<LeadProvidersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type Schedule = Selectable<SchedulesTable>;
export type Milestone = Selectable<MilestonesTable>;
export type Participant = Selectable<ParticipantsTable>;
export type TrainingRecord = Selectable<TrainingRecordsTable>;
export type NewTrainingRecord = Insertable<TrainingRecordsTable>;
export type TrainingStatusHistory = Selectable<TrainingStatusHistoryTable>;
export type Declaration = Selectable<DeclarationsTable>;
export type NewDeclaration = Insertable<DeclarationsTable>;

/**
 * The participant read model (migration 0003): one row per visible view of a
 * training record, its JSON:API resource and CSV line stored as text.
 * Written only by triggers; the app reads it.
 */
export interface ParticipantDocumentsTable {
  id: Generated<number>;
  /** 1 for a former provider's view (source_rowid is then a former_provider_views rowid) */
  former: 0 | 1;
  source_rowid: number;
  lead_provider_id: string;
  participant_id: string;
  participant_type: "ect" | "mentor";
  schedule_id: string;
  participant_created_at: string;
  participant_updated_at: string;
  participant_seq: number;
  record_seq: number;
  resource: string;
  csv: string;
}
