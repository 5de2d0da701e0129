/**
 * A lead provider's sync script, written from the published v2.0.0 contract
 * (test/contract/lead-provider-api-v2.openapi.json) and nothing else: its
 * deepObject `filter` and `page`, its named schemas, its
 * `content["application/json"]`. test/contract/generated-client.test.ts copies
 * it next to `schema.d.ts`, the types openapi-typescript generates from the
 * served /api-docs/json, type-checks both with tsc, and runs it against a
 * started sandbox. Not part of `make typecheck` (./schema exists only there).
 *
 * Usage: bun provider.ts BASE_URL TOKEN  → prints one JSON summary line.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

// the contract's names for the resources
type ECFParticipant = components["schemas"]["ECFParticipant"];
type ECFParticipantAttributes = components["schemas"]["ECFParticipantAttributes"];
type Declaration = components["schemas"]["ParticipantDeclarationResponse"];
type DeclarationRequest = components["schemas"]["ParticipantDeclarationRequest"];
type Pagination = components["schemas"]["Pagination"];
type MultipleECFParticipantsResponse = components["schemas"]["MultipleECFParticipantsResponse"];
// the contract documents the answers as application/json
type ListAnswer = paths["/api/v2/participants/ecf"]["get"]["responses"][200]["content"]["application/json"];
type DeclarationAnswer = paths["/api/v2/participant-declarations/{id}"]["get"]["responses"][200]["content"]["application/json"];

const [baseUrl, token] = process.argv.slice(2);
if (!baseUrl || !token) throw new Error("usage: provider.ts BASE_URL TOKEN");

// openapi-fetch writes objects as deepObject (filter[cohort]=…), as the contract declares them
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

const page: Pagination = { page: 1, per_page: 100 };
const list = await client.GET("/api/v2/participants/ecf", { params: { query: { filter: { cohort: "2024" }, page } } });
if (!list.data) throw new Error(`list: ${list.response.status}`);
const listed: ListAnswer = list.data;
const sameList: MultipleECFParticipantsResponse = listed;
const participants: ECFParticipant[] = sameList.data;

// the second page of two per page, and updated_since: the other keys of the contract's deepObjects
const small = await client.GET("/api/v2/participants/ecf", {
  params: { query: { filter: { updated_since: "2020-01-01T00:00:00Z" }, page: { page: 2, per_page: 2 } } },
});
if (!small.data) throw new Error(`page 2: ${small.response.status}`);

const first = participants[0];
if (!first) throw new Error("no participant in cohort 2024");
const one = await client.GET("/api/v2/participants/ecf/{id}", { params: { path: { id: first.id } } });
if (!one.data) throw new Error(`by id: ${one.response.status}`);
const attributes: ECFParticipantAttributes = one.data.data.attributes;

// a fundable, active ECT of the cohort that has no started declaration yet
const everyDeclaration = await client.GET("/api/v2/participant-declarations", { params: { query: { page: { page: 1, per_page: 3000 } } } });
if (!everyDeclaration.data) throw new Error(`declarations: ${everyDeclaration.response.status}`);
const declarationsSeen = everyDeclaration.data.data.length;
const statesSeen = [...new Set(everyDeclaration.data.data.map((d) => d.attributes.state))].sort();
let declared: Declaration | undefined;
for (const participant of participants) {
  const a = participant.attributes;
  if (a.participant_type !== "ect" || a.training_status !== "active" || a.status !== "active" || a.eligible_for_funding !== true) continue;
  if (a.schedule_identifier !== "ecf-standard-september") continue;
  const existing = await client.GET("/api/v2/participant-declarations", { params: { query: { filter: { participant_id: participant.id } } } });
  if (!existing.data) throw new Error(`declarations: ${existing.response.status}`);
  if (existing.data.data.some((d) => d.attributes.declaration_type === "started")) continue;
  const body: DeclarationRequest = {
    data: {
      type: "participant-declaration",
      attributes: {
        participant_id: participant.id,
        declaration_type: "started",
        declaration_date: "2024-07-01T10:00:00Z",
        course_identifier: "ecf-induction",
      },
    },
  };
  const created = await client.POST("/api/v2/participant-declarations", { body });
  if (!created.data) throw new Error(`POST: ${created.response.status} ${JSON.stringify(created.error)}`);
  declared = created.data.data;
  break;
}
if (!declared) throw new Error("no participant to declare for");

const shown = await client.GET("/api/v2/participant-declarations/{id}", { params: { path: { id: declared.id } } });
if (!shown.data) throw new Error(`declaration by id: ${shown.response.status}`);
const shownAnswer: DeclarationAnswer = shown.data;

const voided = await client.PUT("/api/v2/participant-declarations/{id}/void", { params: { path: { id: declared.id } } });
if (!voided.data) throw new Error(`void: ${voided.response.status}`);
const state: Declaration["attributes"]["state"] = voided.data.data.attributes.state;

const missing = await client.GET("/api/v2/participants/ecf/{id}", { params: { path: { id: "00000000-0000-4000-8000-000000000000" } } });
// the error answers are a union (the 429 is text, as live sends it): narrowed as any union is
const notFound = typeof missing.error === "object" && missing.error !== null && "error" in missing.error ? missing.error : undefined;
const notFoundBody: components["schemas"]["NotFoundResponse"] | undefined = notFound;

const participantsCsv = await client.GET("/api/v2/participants/ecf.csv", { params: { query: { filter: { cohort: "2024" } } }, parseAs: "text" });
const declarationsCsv = await client.GET("/api/v2/participant-declarations.csv", { parseAs: "text" });
if (typeof participantsCsv.data !== "string" || typeof declarationsCsv.data !== "string") throw new Error("CSV");

console.log(
  JSON.stringify({
    listed: participants.length,
    page2: small.data.data.length,
    shown: { id: one.data.data.id, cohort: attributes.cohort },
    declarationsSeen,
    statesSeen,
    declared: { id: declared.id, state: declared.attributes.state, participant: declared.attributes.participant_id },
    shown_declaration: shownAnswer.data.id,
    voided: state,
    not_found: { status: missing.response.status, error: notFoundBody?.error },
    participants_csv_lines: participantsCsv.data.trim().split("\n").length,
    declarations_csv_has_it: declarationsCsv.data.includes(declared.id),
  }),
);
