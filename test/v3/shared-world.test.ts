/**
 * What the two worlds share (docs/reference/rect/control-plane.md §0.5, §7): the admin token, the
 * clock, snapshots and the request log cover /api/v3 as they cover /api/v2;
 * and the built-in v3 demo world on an empty database.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDatabase } from "../../db/connection";
import { prepareDatabase } from "../../src/bootstrap";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false, requestLogSize: 100 });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a")],
    delivery_partners: [{ ref: "dp1", name: "DP Shared", partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
  });
});
afterAll(() => t.close());

describe("snapshots cover the RECT world", () => {
  test("when a v3 world is saved, changed and restored, then /api/v3 answers as before the change", async () => {
    const before = (await v3Get(t, "/api/v3/delivery-partners", refs.a!.api_token)).text;
    expect((await t.admin("PUT", "/admin/snapshots/v3base")).status).toBe(201);
    await v3Scenario(t, { delivery_partners: [{ name: "DP Added", partnered_with: [{ lead_provider: { id: refs.a!.id }, cohorts: [2024] }] }] });
    expect((await v3Get(t, "/api/v3/delivery-partners", refs.a!.api_token)).body.data).toHaveLength(2);
    expect((await t.admin("POST", "/admin/snapshots/v3base/restore")).status).toBe(200);
    expect((await v3Get(t, "/api/v3/delivery-partners", refs.a!.api_token)).text).toBe(before);
  });
  test("when a v3 token made after the snapshot is restored away, then it is 401 (tokens are in the snapshot)", async () => {
    await t.admin("PUT", "/admin/snapshots/v3tokens");
    const made = await t.admin("POST", `/admin/v3/lead-providers/${refs.a!.id}/api-tokens`);
    expect((await v3Get(t, "/api/v3/statements", made.body.api_token)).status).toBe(200);
    await t.admin("POST", "/admin/snapshots/v3tokens/restore");
    expect((await v3Get(t, "/api/v3/statements", made.body.api_token)).status).toBe(401);
  });
});

describe("the request log covers /api/v3", () => {
  test("when a v3 provider calls /api/v3, then the log has the request with its v3 id and name", async () => {
    await v3Get(t, "/api/v3/delivery-partners?page[page]=0", refs.a!.api_token);
    // the log is written after the answer is sent (as test/request-log/api.test.ts, let that turn pass)
    await Bun.sleep(2);
    const log = await t.admin("GET", "/admin/requests?path_prefix=/api/v3/delivery-partners&limit=1");
    expect(log.status).toBe(200);
    const [entry] = log.body.data;
    expect(entry.status).toBe(400);
    expect(entry.lead_provider_id).toBe(refs.a!.id);
    expect(entry.lead_provider_name).toBe((await t.admin("GET", "/admin/v3/lead-providers")).body.find((p: any) => p.id === refs.a!.id).name);
    expect(entry.errors).toEqual(["Bad request: The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"]);
  });
});

describe("the admin clock covers /api/v3", () => {
  test("when the clock is moved, then v3 writes are stamped with it", async () => {
    await t.admin("PUT", "/admin/clock", { now: "2026-02-03T10:00:00Z" });
    try {
      const made = await v3Scenario(t, { delivery_partners: [{ ref: "dpc", name: "DP Clock", partnered_with: [{ lead_provider: { id: refs.a!.id }, cohorts: [2025] }] }] });
      const r = await v3Get(t, `/api/v3/delivery-partners/${made.dpc!.id}`, refs.a!.api_token);
      expect(r.body.data.attributes.created_at).toBe("2026-02-03T10:00:00Z");
    } finally {
      await t.admin("DELETE", "/admin/clock");
    }
  });
});

describe("the v3 demo world (docs/reference/rect/control-plane.md §2)", () => {
  test("when an empty database starts with SEED=demo, then RECT's seven lead providers answer /api/v3 with RECT's development tokens; SEED=none has none", async () => {
    const demo = openDatabase(":memory:");
    const prepared = await prepareDatabase(demo.db, { seed: "demo", adminToken: "x-admin-token", participantsPerCohort: 1 });
    expect(prepared.v3DemoProviders.map((p) => p.token)).toEqual([
      "ambition-institute",
      "best-practice-network",
      "capita",
      "teach-first",
      "national-institute-of-teaching",
      "education-development-trust",
      "ucl-institute-of-education",
    ]);
    await demo.close();
    const none = openDatabase(":memory:");
    expect((await prepareDatabase(none.db, { seed: "none", adminToken: "x-admin-token" })).v3DemoProviders).toEqual([]);
    await none.close();
  });
});
