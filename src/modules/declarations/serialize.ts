/**
 * How a declaration is shown (docs/reference/business-rules.md §5.4, §5.5): the v2 shape for
 * GET, void and the admin API; the v1 shape for the POST answer; CSV rows.
 */
import { type RawBuilder, sql } from "kysely";
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

/**
 * v2Declaration built by SQLite (`json_object` keeps the key order and
 * escapes as JSON.stringify does), over the `declarations` row in scope; the
 * list and by-id reads use it. A test holds the two equal byte for byte.
 */
export const v2DeclarationJson: RawBuilder<string> = sql<string>`json_object(
  'id', declarations.id,
  'type', ${sql.lit(DECLARATION_TYPE)},
  'attributes', json_object(
    'participant_id', declarations.participant_id,
    'declaration_type', declarations.declaration_type,
    'course_identifier', declarations.course_identifier,
    'declaration_date', declarations.declaration_date,
    'updated_at', declarations.updated_at,
    'state', replace(declarations.state, '_', '-'),
    'has_passed', null))`;

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
