import { describe, expect, test } from "bun:test";
import { csvRow } from "../../src/http/csv";
import { type ParticipantRow, participantCsvLine, participantCsvValues } from "../support/participant-oracle";

const base: ParticipantRow = {
  participant_id: "a0000000-0000-4000-8000-000000000001",
  email: "jo@example.com",
  full_name: "Jo Bloggs",
  mentor_id: "b0000000-0000-4000-8000-000000000002",
  school_urn: "123456",
  participant_type: "ect",
  cohort: 2024,
  induction_status: "active",
  teacher_reference_number: "1234567",
  teacher_reference_number_validated: 1,
  eligible_for_funding: null,
  pupil_premium_uplift: 0,
  sparsity_uplift: 1,
  training_status: "deferred",
  training_record_id: "c0000000-0000-4000-8000-000000000003",
  schedule_identifier: "ecf-standard-september",
  participant_updated_at: "2025-01-01T00:00:00Z",
  record_updated_at: "2025-02-01T00:00:00Z",
  view_updated_at: "2025-01-15T00:00:00Z",
  participant_created_at: "2024-01-01T00:00:00Z",
  participant_seq: 1,
  record_seq: 1,
  view_seq: null,
};

describe("the fast participant CSV line", () => {
  const variants: Array<[string, Partial<ParticipantRow>]> = [
    ["a plain row", {}],
    ["a mentor row (mentor_id always empty)", { participant_type: "mentor" }],
    ["no TRN (validated empty)", { teacher_reference_number: null }],
    ["eligible true and false", { eligible_for_funding: 1, teacher_reference_number_validated: 0 }],
    ["a name with a comma and quotes", { full_name: 'Jo "JJ" Bloggs, Jr', email: "a,b@example.com" }],
    ["a name with a line break", { full_name: "Jo\nBloggs" }],
    ["an empty email", { email: "" }],
    ["a withdrawn induction", { induction_status: "withdrawn", mentor_id: null }],
  ];
  for (const [name, change] of variants) {
    test(`when the row is ${name}, then it equals the general CSV writer's line`, () => {
      const row = { ...base, ...change };
      expect(participantCsvLine(row)).toBe(csvRow(participantCsvValues(row) as any));
    });
  }
});
