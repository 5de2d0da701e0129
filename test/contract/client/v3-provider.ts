/**
 * A lead provider's v3 sync script, written against the types openapi-typescript generates from
 * the served /api-docs/v3/json (RECT's v3 alone). test/contract/generated-client-v3.test.ts copies
 * it next to that `schema.d.ts`, type-checks both with tsc, and runs it against a started sandbox
 * with the v3 demo world. Two parts:
 * - typed calls a provider writes by hand: statements, delivery partners, schools of a cohort
 *   (`filter[cohort]`, required by RECT: docs/reference/rect/rules.md §14.1), one of each by id;
 * - every other GET of the document, read from the document itself: each list without a path
 *   parameter, then `{list}/{id}` with the first id it gave, so that each route added to v3 is
 *   called through the generated client as soon as it is served.
 * Not part of `make typecheck` (./schema exists only there).
 *
 * Usage: bun v3-provider.ts BASE_URL TOKEN DOCUMENT_FILE  → prints one JSON summary line.
 */
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { paths } from "./schema";

type Json = "application/json; charset=utf-8";
type StatementList = paths["/api/v3/statements"]["get"]["responses"][200]["content"][Json];
type School = paths["/api/v3/schools/{id}"]["get"]["responses"][200]["content"][Json]["data"];

const [baseUrl, token, documentFile] = process.argv.slice(2);
if (!baseUrl || !token || !documentFile) throw new Error("usage: v3-provider.ts BASE_URL TOKEN DOCUMENT_FILE");
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

const statements = await client.GET("/api/v3/statements", { params: { query: { "page[per_page]": "100" } } });
if (!statements.data) throw new Error(`statements: ${statements.response.status}`);
const statementList: StatementList = statements.data;

const partners = await client.GET("/api/v3/delivery-partners", {});
if (!partners.data) throw new Error(`delivery partners: ${partners.response.status}`);
const partner = partners.data.data[0];
if (!partner) throw new Error("no delivery partner");
const onePartner = await client.GET("/api/v3/delivery-partners/{id}", { params: { path: { id: partner.id } } });
if (!onePartner.data) throw new Error(`delivery partner by id: ${onePartner.response.status}`);

const schools = await client.GET("/api/v3/schools", { params: { query: { "filter[cohort]": "2025" } } });
if (!schools.data) throw new Error(`schools: ${schools.response.status}`);
const firstSchool = schools.data.data[0];
let school: School | undefined;
if (firstSchool) {
  const one = await client.GET("/api/v3/schools/{id}", { params: { path: { id: firstSchool.id }, query: { "filter[cohort]": "2025" } } });
  if (!one.data) throw new Error(`school by id: ${one.response.status}`);
  school = one.data.data;
}
const missing = await client.GET("/api/v3/delivery-partners/{id}", { params: { path: { id: "00000000-0000-4000-8000-000000000000" } } });

// every GET route of the document, generically
const document = JSON.parse(readFileSync(documentFile, "utf8")) as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
const generic: Record<string, number> = {};
const firstIds: Record<string, string> = {};
const untyped = client as unknown as { GET(path: string, init: unknown): Promise<{ data?: any; response: Response }> };
const gets = Object.keys(document.paths).filter((p) => p.startsWith("/api/v3/") && document.paths[p]!.get);
const queryOf = (path: string) => ((document.paths[path]!.get!.parameters ?? []).some((p) => p.in === "query" && p.name === "filter[cohort]") ? { "filter[cohort]": "2025" } : {});
for (const path of gets.filter((p) => !p.includes("{"))) {
  const answer = await untyped.GET(path, { params: { query: queryOf(path) } });
  generic[path] = answer.response.status;
  const first = answer.data?.data?.[0];
  if (first?.id) firstIds[path] = first.id;
}
for (const path of gets.filter((p) => p.endsWith("/{id}"))) {
  const list = path.slice(0, -"/{id}".length);
  const id = firstIds[list];
  if (!id) continue;
  const answer = await untyped.GET(path, { params: { path: { id }, query: queryOf(path) } });
  generic[path] = answer.response.status;
  if (answer.data?.data?.id !== id) generic[path] = -1;
}

console.log(
  JSON.stringify({
    statements: statementList.data.length,
    partner: onePartner.data.data.id === partner.id,
    schools: schools.data.data.length,
    school: school?.attributes.cohort ?? null,
    missing: { status: missing.response.status, error: missing.error },
    generic,
  }),
);
