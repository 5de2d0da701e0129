/** The v3 control plane's schemas (docs/reference/rect/control-plane.md §3, §4.4). */
import { t } from "elysia";
import { adminInput } from "../../admin/validation";

const loose = (description: string, example: Record<string, unknown>) => t.Object({}, { additionalProperties: true, description, examples: [example] });

export const ScenarioBody = adminInput(
  t.Object(
    {
      lead_providers: t.Optional(t.Array(loose("`{ref, name, cohorts, api_token?, vat_registered?, id?}`", { ref: "lpA", name: "Provider A", cohorts: [2024, 2025] }))),
      delivery_partners: t.Optional(
        t.Array(loose("`{ref, name, id?, partnered_with: [{lead_provider, cohorts}], created_at?, updated_at?}`", { ref: "dp1", name: "DP One", partnered_with: [{ lead_provider: "lpA", cohorts: [2025] }] })),
      ),
      schools: t.Optional(t.Array(loose("`{ref, urn, name, eligible?, marked_as_eligible?, induction_tutor?, gias_contacts?, funding?, id?}`", { ref: "s1", urn: "123456", name: "Test School" }))),
      partnerships: t.Optional(t.Array(loose("`{ref, school, lead_provider, delivery_partner, cohort, id?}`", { ref: "p1", school: "s1", lead_provider: "lpA", delivery_partner: "dp1", cohort: 2025 }))),
      statements: t.Optional(
        t.Array(loose("`{ref, lead_provider, cohort, month, year, deadline_date, payment_date, status?, fee_type?}`", { ref: "st1", lead_provider: "lpA", cohort: 2025, month: 11, year: 2025, deadline_date: "2025-10-31", payment_date: "2025-11-25" })),
      ),
      teachers: t.Optional(t.Array(loose("`{ref, trn, first_name, last_name, funding?, induction_periods?, ect_periods?, mentor_periods?, …}` (control-plane.md §3)", { ref: "t1", trn: "1234567", first_name: "Ada", last_name: "Lovelace" }))),
    },
    { additionalProperties: true, description: "A RECT world (control-plane.md §3). Dates: YYYY-MM-DD or today±Nd/w/m/y; instants: RFC 3339 or now±Nd/w/m/y" },
  ),
);

export const ScenarioLoaded = t.Object(
  { refs: t.Record(t.String(), t.Record(t.String(), t.Unknown())) },
  { description: "Every `ref` of the document and its ids", examples: [{ refs: { lpA: { id: "3c7f…", api_token: "…" }, s1: { id: "…", urn: "123456" } } }] },
);
export const ScenarioValid = t.Object({ ok: t.Literal(true) });

export const CreateV3LeadProviderBody = adminInput(
  t.Object({
    name: t.String({ minLength: 1, description: "a new name" }),
    cohorts: t.Array(t.Integer({ description: "a contract period year" }), { description: "the cohorts (contract periods) it is active in" }),
  }),
);
export const V3LeadProviderCreated = t.Object({ id: t.String({ format: "uuid" }), name: t.String(), api_token: t.String({ description: "shown once; stored hashed" }) });
export const V3LeadProviderList = t.Array(
  t.Object({
    id: t.String(),
    name: t.String(),
    cohorts: t.Array(t.Integer()),
    api_tokens: t.Array(t.String(), { description: "the demo world's tokens only" }),
    tokens: t.Array(t.Object({ id: t.String(), hash_prefix: t.String(), created_at: t.String(), last_used_at: t.Union([t.String(), t.Null()]) })),
  }),
);
export const V3LeadProviderParams = t.Object({ id: t.String({ description: "the v3 lead provider's id" }) });
export const V3TokenParams = t.Object({ id: t.String({ description: "the token's id (GET /admin/v3/lead-providers lists them)" }) });
export const V3TokenCreated = t.Object({ id: t.String(), api_token: t.String() });
export const V3TokenRevoked = t.Object({ id: t.String(), revoked: t.Literal(true) });
export const StatementBody = adminInput(loose("As `statements[]` of a scenario", { lead_provider: { id: "…" }, cohort: 2025, month: 11, year: 2025, deadline_date: "2025-10-31", payment_date: "2025-11-25" }));
export const StatementCreated = t.Object({ id: t.String({ format: "uuid" }) });
export const WorldDocument = t.Object({}, { additionalProperties: true, description: "The world as a scenario document (absolute dates, ids)" });
