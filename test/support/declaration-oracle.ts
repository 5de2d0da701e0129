/**
 * The test oracle of the declaration: the straightforward rendering in
 * TypeScript (docs/reference/business-rules.md §5.4, §5.5) that production
 * once also used: the v2 serializer (GET, void, the admin moves), the v1
 * serializer (the POST answer) and the CSV line. Production has one renderer,
 * SQLite's from the definition (src/modules/declarations/resource.ts,
 * read-model.ts); test/reliability/read-model.test.ts holds it to this file
 * byte for byte.
 */
import type { Declaration } from "../../db/schema";
import { csvRow } from "../../src/http/csv";
import { dasherizeState, eligibleForPayment } from "../../src/modules/declarations/rules";

const DECLARATION_TYPE = "participant-declaration";

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

export const DECLARATION_CSV_HEADER = [
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
