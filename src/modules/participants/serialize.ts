import { inductionStatusToStatus } from "./rules";
import type { ParticipantRow } from "./queries";

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

function latest(...stamps: string[]): string {
  return stamps.reduce((a, b) => (b > a ? b : a));
}

/** The participant attributes in the live order (docs/reference/business-rules.md §4.2). */
export function participantAttributes(row: ParticipantRow) {
  return {
    email: row.email,
    full_name: row.full_name,
    mentor_id: row.participant_type === "ect" ? row.mentor_id : null,
    school_urn: row.school_urn,
    participant_type: row.participant_type,
    cohort: String(row.cohort),
    status: inductionStatusToStatus(row.induction_status as any),
    teacher_reference_number: row.teacher_reference_number,
    teacher_reference_number_validated: row.teacher_reference_number === null ? null : row.teacher_reference_number_validated === 1,
    eligible_for_funding: bool(row.eligible_for_funding),
    pupil_premium_uplift: row.pupil_premium_uplift === 1,
    sparsity_uplift: row.sparsity_uplift === 1,
    training_status: row.training_status,
    training_record_id: row.training_record_id,
    schedule_identifier: row.schedule_identifier,
    updated_at: latest(row.participant_updated_at, row.record_updated_at, row.view_updated_at),
  };
}

export function participantResource(row: ParticipantRow) {
  return { id: row.participant_id, type: "participant", attributes: participantAttributes(row) };
}

export const PARTICIPANT_CSV_HEADER = [
  "id",
  "email",
  "full_name",
  "mentor_id",
  "school_urn",
  "participant_type",
  "cohort",
  "status",
  "teacher_reference_number",
  "teacher_reference_number_validated",
  "eligible_for_funding",
  "pupil_premium_uplift",
  "sparsity_uplift",
  "training_status",
  "training_record_id",
  "schedule_identifier",
  "updated_at",
] as const;

export function participantCsvValues(row: ParticipantRow): unknown[] {
  const a = participantAttributes(row);
  return [row.participant_id, ...Object.values(a)];
}

/** A free-text cell: quoted only when it holds a comma, a quote or a line break; null → `""` (§4.5). */
function text(value: string | null): string {
  if (value === null || value === "") return '""';
  if (value.includes(",") || value.includes('"') || value.includes("\n") || value.includes("\r")) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

const flag = (v: number | null): string => (v === null ? '""' : v === 1 ? "true" : "false");

/**
 * One CSV line, written straight from the row: ids, enums, years and
 * timestamps never need quoting, so only the free-text cells are checked.
 * Equal to `csvRow(participantCsvValues(row))` (a test holds them together).
 */
export function participantCsvLine(row: ParticipantRow): string {
  const ect = row.participant_type === "ect";
  const updated = latest(row.participant_updated_at, row.record_updated_at, row.view_updated_at);
  return `${row.participant_id},${text(row.email)},${text(row.full_name)},${ect && row.mentor_id ? row.mentor_id : '""'},${text(row.school_urn)},${row.participant_type},${row.cohort},${inductionStatusToStatus(row.induction_status as any)},${text(row.teacher_reference_number)},${row.teacher_reference_number === null ? '""' : flag(row.teacher_reference_number_validated)},${flag(row.eligible_for_funding)},${flag(row.pupil_premium_uplift)},${flag(row.sparsity_uplift)},${row.training_status},${row.training_record_id},${text(row.schedule_identifier)},${updated}\n`;
}
