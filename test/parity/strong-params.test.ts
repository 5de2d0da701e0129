/**
 * The participant reads take `filter` through strong parameters
 * (`params.permit(:id, filter: %i[cohort updated_since])`, live
 * app/controllers/api/v1/ecf_participants_controller.rb:55-57): a nested value
 * is not a permitted scalar and is dropped without an error.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../support/app";
import { appWithProvider } from "../support/suite";

let t: TestApp;
let p: { id: string; token: string };

beforeAll(async () => ({ t, p } = await appWithProvider()));
afterAll(() => t.close());

describe("strong parameters on the participant filters", () => {
  test("when filter[cohort] or filter[updated_since] is nested on the participant list, CSV or show, then it is dropped: the answer is the unfiltered one", async () => {
    const q = await t.newParticipant(p.id, { cohort: 2023 });
    const plain = await t.call("GET", "/api/v2/participants/ecf", { token: p.token });
    for (const query of ["filter[cohort][]=2099", "filter[cohort][a]=2099", "filter[updated_since][]=2999-01-01T00:00:00Z", "filter[updated_since][a]=nope"]) {
      const list = await t.call("GET", `/api/v2/participants/ecf?${query}`, { token: p.token });
      expect({ query, status: list.status, body: list.body }).toEqual({ query, status: 200, body: plain.body });
      const csv = await t.request("GET", `/api/v2/participants/ecf.csv?${query}`, { token: p.token });
      expect({ query, status: csv.status }).toEqual({ query, status: 200 });
      expect(await csv.text()).toContain(q.participant_id);
      const one = await t.call("GET", `/api/v2/participants/ecf/${q.participant_id}?${query}`, { token: p.token });
      expect({ query, status: one.status }).toEqual({ query, status: 200 });
    }
  });
});
