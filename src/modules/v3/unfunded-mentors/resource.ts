/**
 * The v3 unfunded mentor, defined once (docs/reference/rect/rules.md §9;
 * app/serializers/api/teachers/unfunded_mentor_serializer.rb:8-35). Its SQL
 * reads `t` (rect_teachers, the mentor) and `um` (the caller's latest
 * assignment of this mentor: `um.email`, queries.ts).
 */
import { t } from "elysia";
import { sql } from "kysely";
import { defineResource, value } from "../http/resource";

/** Ruby `blank?` on text in SQL: null, empty or whitespace only. */
const present = (ref: string) => sql`(${sql.ref(ref)} IS NOT NULL AND TRIM(${sql.ref(ref)}, char(32, 9, 10, 11, 12, 13)) <> '')`;
/** A TRS name part kept by `full_name_in_trs`: not blank and not "." (app/services/teachers/name.rb:14-20). */
const trsPart = (ref: string) => sql`(${present(ref)} AND ${sql.ref(ref)} <> '.')`;

/** `Teachers::Name#full_name` (name.rb:8-12): the corrected name, else the TRS names joined, else "Unknown". */
export const fullNameSql = sql`CASE
  WHEN ${present("t.corrected_name")} THEN t.corrected_name
  WHEN ${trsPart("t.trs_first_name")} AND ${trsPart("t.trs_last_name")} THEN t.trs_first_name || ' ' || t.trs_last_name
  WHEN ${trsPart("t.trs_first_name")} THEN t.trs_first_name
  WHEN ${trsPart("t.trs_last_name")} THEN t.trs_last_name
  ELSE 'Unknown' END`;

const TIMESTAMP = "2025-06-01T09:00:00Z";

export const unfundedMentorResource = defineResource({
  type: "unfunded-mentor",
  id: sql`t.api_id`,
  exampleId: "4e5f6a7b-7308-4879-942a-c4a70ced400a",
  description: "A mentor of an ECT the caller trains, whom the caller does not train itself (no ECT or mentor training period with it)",
  attributes: {
    full_name: { schema: t.String({ description: "The corrected name, else the TRS names, else `Unknown`", example: "Jane Smith" }), sql: value.raw(fullNameSql), example: "Jane Smith" },
    email: {
      schema: t.Union([t.String(), t.Null()], {
        description: "The email of the mentor's at-school period, among those the caller's ECTs are assigned to, that started last",
        example: "jane.smith@example.com",
      }),
      sql: value.text("um.email"),
      example: "jane.smith@example.com",
    },
    teacher_reference_number: { schema: t.Union([t.String(), t.Null()], { description: "The TRN", example: "1234567" }), sql: value.text("t.trn"), example: "1234567" },
    created_at: { schema: t.String({ format: "date-time", example: TIMESTAMP }), sql: value.text("t.created_at"), example: TIMESTAMP },
    updated_at: {
      schema: t.String({
        format: "date-time",
        description: "Moved by a change of TRS names, corrected name or TRN, and when a mentor at-school period is made, removed or its email changes (not by a new assignment)",
        example: TIMESTAMP,
      }),
      sql: value.text("t.api_unfunded_mentor_updated_at"),
      example: TIMESTAMP,
    },
  },
});
