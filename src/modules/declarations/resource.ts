/**
 * The declaration (ParticipantDeclarationResponse), defined once
 * (src/http/resource.ts): its attributes in the live order
 * (docs/reference/business-rules.md §5.4), each with the SQL the read model
 * renders it from (over the `declarations` row in scope), its schema, its CSV
 * cell (§5.5) and its example. The served schemas, the JSON of every answer
 * (GET, void, the admin moves) and the CSV line and header come from this
 * list; the POST answer is the v1 serializer's (`CREATED_ATTRIBUTES`: two
 * more attributes, another order, appendix A 6).
 * test/support/declaration-oracle.ts is the straightforward TypeScript
 * rendering test/reliability/read-model.test.ts holds it to, byte for byte.
 */
import { t } from "elysia";
import { nullable } from "../../http/openapi";
import { type AttributeDefinition, defineResource } from "../../http/resource";
import { COURSE_IDENTIFIERS } from "../participants/rules";
import { DEMO_EXAMPLES } from "../seed/examples";

export const DECLARATION_TYPE = "participant-declaration";
export const DECLARATION_TYPES = ["started", "retained-1", "retained-2", "retained-3", "retained-4", "completed", "extended-1", "extended-2", "extended-3"];
export const COURSES = [...COURSE_IDENTIFIERS];
export const STATES = ["submitted", "eligible", "payable", "paid", "voided", "ineligible", "awaiting-clawback", "clawed-back"];

const ATTRIBUTES = {
  participant_id: {
    sql: "declarations.participant_id",
    type: t.String({ format: "uuid", description: "The unique id of the participant" }),
    example: DEMO_EXAMPLES.declaredParticipantId,
  },
  declaration_type: {
    sql: "declarations.declaration_type",
    type: t.String({ enum: DECLARATION_TYPES, description: "The event declaration type" }),
    example: "started",
  },
  course_identifier: {
    sql: "declarations.course_identifier",
    type: t.String({ enum: COURSES, description: "The type of course the participant is enrolled in" }),
    example: "ecf-induction",
  },
  declaration_date: {
    sql: "declarations.declaration_date",
    type: t.String({ format: "date-time", description: "The event declaration date" }),
    example: DEMO_EXAMPLES.declarationDate,
  },
  updated_at: {
    sql: "declarations.updated_at",
    type: t.String({ format: "date-time", description: "The date the declaration was last updated (RFC 3339, whole seconds, `Z`)" }),
    example: "2021-05-31T02:22:32Z",
  },
  // rules.ts dasherizeState
  state: {
    sql: "replace(declarations.state, '_', '-')",
    type: t.String({ enum: STATES, description: "Indicates the state of this payment declaration (dasherized: `awaiting-clawback`, `clawed-back`)" }),
    example: "eligible",
  },
  has_passed: {
    sql: "null",
    type: nullable(t.Boolean({ description: "Whether the participant has failed or passed; always null for ECF" })),
    example: null,
  },
} satisfies Record<string, AttributeDefinition>;

export const DeclarationResource = defineResource({
  name: "ParticipantDeclarationResponse",
  attributesName: "ParticipantDeclarationAttributes",
  type: DECLARATION_TYPE,
  csv: true,
  id: {
    sql: "declarations.id",
    type: t.String({ format: "uuid", description: "The unique identifier of the participant declaration record" }),
    example: DEMO_EXAMPLES.declarationId,
  },
  attributes: ATTRIBUTES,
});

/** The v1 serializer's two attributes (the POST answer); rules.ts eligibleForPayment and the voided state. */
export const V1_ATTRIBUTES = {
  eligible_for_payment: {
    sql: "declarations.state in ('eligible', 'payable')",
    type: t.Boolean({ description: "The state is eligible or payable" }),
    example: true,
  },
  voided: { sql: "declarations.state = 'voided'", type: t.Boolean({ description: "The state is voided" }), example: false },
} satisfies Record<string, AttributeDefinition>;

/** The POST answer's attributes in the v1 serializer's order: `eligible_for_payment` before `declaration_date`, `voided` before `state`. */
export const CREATED_ATTRIBUTES: Record<string, AttributeDefinition> = Object.fromEntries(
  Object.entries(ATTRIBUTES).flatMap(([name, a]) => [
    ...(name === "declaration_date" ? [["eligible_for_payment", V1_ATTRIBUTES.eligible_for_payment] as const] : []),
    ...(name === "state" ? [["voided", V1_ATTRIBUTES.voided] as const] : []),
    [name, a] as const,
  ]),
);
