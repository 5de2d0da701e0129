/** The event calls' schemas (control-plane.md §4): plain JSON objects, checked field by field by the service (422 naming the field). */
import { t } from "elysia";
import { adminInput } from "../../admin/validation";

const body = (description: string, example: Record<string, unknown>) => adminInput(t.Object({}, { additionalProperties: true, description, examples: [example] }));
const answer = (description: string) => t.Object({}, { additionalProperties: true, description });

export const IdParams = t.Object({ id: t.String({ description: "the object's id" }) });
export const YearParams = t.Object({ year: t.String({ description: "a contract period year" }) });
export const MilestoneParams = t.Object({ year: t.String(), identifier: t.String({ example: "ecf-standard-september" }), type: t.String({ example: "started" }) });

export const ContractPeriodBody = body("Any of `enabled`, `payments_frozen_at` (an instant or null), `mentor_funding_enabled`, `detailed_evidence_types_enabled`, `uplift_fees_enabled`", { payments_frozen_at: "now-1d" });
export const MilestoneBody = adminInput(t.Union([t.Null(), t.Object({}, { additionalProperties: true })], { description: "`{start_date, milestone_date}`, or null (or `{}`) to delete" }));
export const StatementStatusBody = body("`{status}`: `payable` (from open) or `paid` (from payable)", { status: "payable" });
export const StatementPatchBody = body("`{deadline_date?, payment_date?}`", { deadline_date: "today+7d" });
export const LeadProviderPatchBody = body("`{name}`", { name: "Renamed provider" });
export const PartnershipPatchBody = body('`{delivery_partner}`: the new delivery partner\'s id ("<id>" or {"id": "<id>"})', { delivery_partner: "3a1b2c3d-7308-4879-942a-c4a70ced400a" });
export const SchoolPatchBody = body("`{urn?, name?, eligible?, marked_as_eligible?, induction_tutor?, gias_contacts?, funding?}`", { induction_tutor: { name: "New Tutor", email: "tutor@example.com" } });
export const TeacherPatchBody = body("`{first_name?, last_name?, corrected_name?, trn?}`", { corrected_name: "Ada King" });
export const IdChangeBody = body("`{from_participant_id, created_at?}`", { from_participant_id: "0b6f0c1e-5d1a-4f9e-8c3b-2a1d0e9f8c7b" });
export const FundingBody = body("`{role: ect|mentor, eligible_at?, ineligible_on?, mentor_ineligible_reason?}`", { role: "ect", eligible_at: "now" });
export const PeriodPatchBody = body("`{email?, working_pattern?}`", { email: "new@example.com" });
export const InductionPeriodBody = body("`{started_on, finished_on?, outcome?}`", { started_on: "today-30d" });
export const InductionPeriodPatchBody = body("`{finished_on, outcome}`", { finished_on: "today", outcome: "pass" });

export const NightlyBody = body("`{mark_statements_payable?}`: also run MarkAsPayable for open statements past their deadline (production only in RECT)", { mark_statements_payable: false });

export const EventAnswer = answer("What changed");
