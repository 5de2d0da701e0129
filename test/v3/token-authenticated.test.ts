/**
 * "a token authenticated endpoint" (spec/support/shared_contexts/api/token_authenticated_endpoint.rb:1-20)
 * on every GET route of the read resources, each case naming the request spec line that includes it:
 * no Authorization → 401; `Bearer invalid` → 401; a valid token → not 401.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, { lead_providers: [lp("a")] });
});
afterAll(() => t.close());

const some = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const cases: [string, string][] = [
  ["spec/requests/api/v3/statements_spec.rb:18", "/api/v3/statements"],
  ["spec/requests/api/v3/statements_spec.rb:31", `/api/v3/statements/${some}`],
  ["spec/requests/api/v3/delivery_partners_spec.rb:20", "/api/v3/delivery-partners"],
  ["spec/requests/api/v3/delivery_partners_spec.rb:32", `/api/v3/delivery-partners/${some}`],
  ["spec/requests/api/v3/schools_spec.rb:26", "/api/v3/schools?filter[cohort]=2025"],
  ["spec/requests/api/v3/schools_spec.rb:56", `/api/v3/schools/${some}?filter[cohort]=2025`],
  ["spec/requests/api/v3/participants_spec.rb:39", "/api/v3/participants"],
  ["spec/requests/api/v3/participants_spec.rb:55", `/api/v3/participants/${some}`],
  ["spec/requests/api/v3/transfers_spec.rb:26", "/api/v3/participants/transfers"],
  ["spec/requests/api/v3/transfers_spec.rb:42", `/api/v3/participants/${some}/transfers`],
];

describe('"a token authenticated endpoint" on each GET route', () => {
  for (const [spec, path] of cases) {
    test(`${spec}: GET ${path.replace(some, "{id}")} without a token or with \`invalid\` → 401; with a valid token → not 401`, async () => {
      const none = await v3Get(t, path, null);
      expect(none.status).toBe(401);
      expect(none.text).toBe('{"error":"HTTP Token: Access denied"}');
      expect((await v3Get(t, path, "invalid")).status).toBe(401);
      const valid = await v3Get(t, path, refs.a!.api_token);
      expect(valid.status).not.toBe(401);
      expect([200, 404]).toContain(valid.status);
    });
  }
});
