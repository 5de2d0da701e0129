/**
 * How a declaration is shown (docs/reference/business-rules.md §5.4, §5.5): the v2 shape for
 * void and the admin API (GET's is SQLite's, read-model.ts `v2DeclarationJson`); the v1 shape for the POST answer; CSV rows.
 */
import type { Declaration } from "../../../db/schema";
import { csvRow } from "../../http/csv";
import { dasherizeState, eligibleForPayment } from "./rules";

export const DECLARATION_TYPE = "participant-declaration";

/** v2 serializer, attributes in the live order. */
export function v2Declaration(d: Declaration) {
  return {
    id: d.id,
    type: DECLARATION_TYPE,
    attributes: {
      participant_id: d.participant_id,
      declaration_type: d.declaration_type,
      course_identifier: d.course_identifier,
      declaration_date: d.declaration_date,
      updated_at: d.updated_at,
      state: dasherizeState(d.state),
      has_passed: null,
    },
  };
}

/** v1 serializer (the POST answer): two more attributes, another order. */
export function v1Declaration(d: Declaration) {
  return {
    id: d.id,
    type: DECLARATION_TYPE,
    attributes: {
      participant_id: d.participant_id,
      declaration_type: d.declaration_type,
      course_identifier: d.course_identifier,
      eligible_for_payment: eligibleForPayment(d.state),
      declaration_date: d.declaration_date,
      updated_at: d.updated_at,
      voided: d.state === "voided",
      state: dasherizeState(d.state),
      has_passed: null,
    },
  };
}

// ---------------------------------------------------------------------------
// CSV (§5.5, formatting as §4.5)
// ---------------------------------------------------------------------------

export const CSV_HEADER = [
  "id",
  "participant_id",
  "declaration_type",
  "course_identifier",
  "declaration_date",
  "updated_at",
  "state",
  "has_passed",
] as const;

export function csvDeclarationLine(d: Declaration): string {
  const a = v2Declaration(d).attributes;
  return csvRow([d.id, a.participant_id, a.declaration_type, a.course_identifier, a.declaration_date, a.updated_at, a.state, a.has_passed]);
}
