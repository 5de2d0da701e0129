import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../support/app";
import { hashToken } from "../../src/modules/auth/tokens";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("admin API (docs/reference/sandbox-contract.md)", () => {
  test("when a lead provider is created, then 201 with a working token stored only hashed, and it gets statements", async () => {
    const r = await t.admin("POST", "/admin/lead-providers", { name: "Acme Training" });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(["id", "name", "api_token"]);
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: r.body.api_token })).status).toBe(200);
    const tokens = await t.database.db.selectFrom("api_tokens").selectAll().where("lead_provider_id", "=", r.body.id).execute();
    expect(tokens.map((x) => x.token_hash)).toEqual([hashToken(r.body.api_token)]);
    const statements = await t.database.db.selectFrom("statements").select("cohort").distinct().where("lead_provider_id", "=", r.body.id).where("output_fee", "=", 1).execute();
    expect(statements.map((s) => s.cohort).sort()).toEqual([2021, 2022, 2023, 2024, 2025]);
  });

  test("when a lead provider body is bad, then 422 naming the field", async () => {
    for (const body of [{}, { name: 5 }, { name: "" }]) {
      const r = await t.admin("POST", "/admin/lead-providers", body);
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe("name");
    }
    const dup = await t.admin("POST", "/admin/lead-providers", { name: "Acme Training" });
    expect(dup.status).toBe(422);
  });

  test("when a bad body comes without the admin token, then 401 before any 422 (authentication runs before validation)", async () => {
    const p = await t.newProvider();
    for (const token of [null, p.token, "not-a-token"]) {
      for (const body of ["{nope", "{}", JSON.stringify({ name: 5 })]) {
        const r = await t.call("POST", "/admin/lead-providers", { token, body, headers: { "content-type": "application/json" } });
        expect(r.status).toBe(401);
        expect(r.body).toEqual({ error: "HTTP Token: Access denied" });
      }
    }
    const big = await t.call("PUT", "/admin/clock", { token: null, body: JSON.stringify({ now: "x".repeat(1024 * 1024 + 10) }) });
    expect(big.status).toBe(401);
  });

  test("when admin bodies are refused, then the 422 has one item per field, in the schema's order, with a readable detail", async () => {
    expect((await t.admin("POST", "/admin/lead-providers", {})).body).toEqual({ errors: [{ title: "name", detail: "is required" }] });
    expect((await t.admin("POST", "/admin/lead-providers", "[1]")).body).toEqual({ errors: [{ title: "body", detail: "must be a JSON object" }] });
    const p = await t.newProvider();
    const r = await t.admin("POST", "/admin/participants", { lead_provider_id: "nope", participant_type: "teacher", cohort: 2020, school_urn: "12", mentor_id: 5 });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      errors: [
        { title: "lead_provider_id", detail: "must be a UUID" },
        { title: "participant_type", detail: 'must be one of "ect", "mentor"' },
        { title: "cohort", detail: "must be a cohort from 2021 to 2025" },
        { title: "school_urn", detail: "must be a 6-digit school URN" },
        { title: "mentor_id", detail: "must be a mentor's participant id (a UUID), or null" },
      ],
    });
    const clock = await t.admin("PUT", "/admin/clock", { now: "2025-13-45" });
    expect(clock.body).toEqual({ errors: [{ title: "now", detail: "2025-13-45 is not a date: a year has 12 months" }] });
    expect((await t.admin("POST", `/admin/lead-providers/${p.id}/api-tokens`, "{ignored")).status).toBe(201);
  });

  test("when NODE_ENV=production (Elysia then hides validation details), then the admin 422 still names the field", async () => {
    const script = `
      const { createTestApp } = await import(${JSON.stringify(`${import.meta.dir}/../support/app.ts`)});
      const t = await createTestApp();
      const r = await t.admin("POST", "/admin/participants", { participant_type: "ect", cohort: 2024, school_urn: "12" });
      console.log(JSON.stringify(r));
      await t.close();`;
    const child = Bun.spawn([process.execPath, "-e", script], { env: { ...process.env, NODE_ENV: "production" }, stdout: "pipe", stderr: "inherit" });
    const out = await new Response(child.stdout).text();
    expect(await child.exited).toBe(0);
    expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({
      status: 422,
      body: { errors: [{ title: "lead_provider_id", detail: "is required" }, { title: "school_urn", detail: "must be a 6-digit school URN" }] },
    });
  });

  test("when more tokens are minted and one is revoked, then it gets 401 from the next request on", async () => {
    const p = await t.newProvider();
    const minted = await t.admin("POST", `/admin/lead-providers/${p.id}/api-tokens`);
    expect(minted.status).toBe(201);
    expect(typeof minted.body.api_token).toBe("string");
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: minted.body.api_token })).status).toBe(200);
    const revoke = await t.admin("DELETE", `/admin/api-tokens/${hashToken(minted.body.api_token).slice(0, 12)}`);
    expect(revoke.status).toBe(200);
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: minted.body.api_token })).status).toBe(401);
    expect((await t.call("GET", "/api/v2/participants/ecf", { token: p.token })).status).toBe(200);
    expect((await t.admin("DELETE", `/admin/api-tokens/${minted.body.id}`)).status).toBe(404);
    expect((await t.admin("POST", `/admin/lead-providers/00000000-0000-4000-8000-000000000000/api-tokens`)).status).toBe(404);
  });

  test("when lead providers are listed, then each has id, name and api_tokens (empty for non-demo)", async () => {
    const r = await t.admin("GET", "/admin/lead-providers");
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThan(0);
    for (const p of r.body) {
      expect(p).toMatchObject({ id: expect.any(String), name: expect.any(String), api_tokens: [] });
    }
  });

  test("when demo providers are seeded, then their tokens are listed and work", async () => {
    const demo = await createTestApp({ seed: "demo" });
    try {
      const r = await demo.admin("GET", "/admin/lead-providers");
      expect(r.body.map((p: any) => p.name).sort()).toEqual(["Ambition Institute", "Best Practice Network", "Capita", "Education Development Trust", "Teach First", "UCL Institute of Education"]);
      const res = await demo.call("GET", "/api/v2/participants/ecf?page[per_page]=3", { token: r.body[0].api_tokens[0] });
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(3);
    } finally {
      await demo.close();
    }
  });

  test("when a participant is created with defaults, then it shows in the provider's list with realistic values", async () => {
    const p = await t.newProvider();
    const r = await t.admin("POST", "/admin/participants", { lead_provider_id: p.id, participant_type: "ect", cohort: 2023 });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(["participant_id", "training_record_id"]);
    const list = await t.call("GET", "/api/v2/participants/ecf", { token: p.token });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].id).toBe(r.body.participant_id);
    expect(list.body.data[0].attributes).toMatchObject({
      participant_type: "ect",
      cohort: "2023",
      schedule_identifier: "ecf-standard-september",
      eligible_for_funding: true,
      training_status: "active",
      status: "active",
      training_record_id: r.body.training_record_id,
    });
    expect(list.body.data[0].attributes.school_urn).toMatch(/^\d{6}$/);
  });

  test("when an existing participant_id is passed, then a second training record is added (ECT who is also a mentor)", async () => {
    const p = await t.newProvider();
    const ect = await t.newParticipant(p.id, { participant_type: "ect", cohort: 2024 });
    const mentor = await t.newParticipant(p.id, { participant_type: "mentor", cohort: 2024, participant_id: ect.participant_id });
    expect(mentor.participant_id).toBe(ect.participant_id);
    expect(mentor.training_record_id).not.toBe(ect.training_record_id);
    const list = await t.call("GET", "/api/v2/participants/ecf", { token: p.token });
    expect(list.body.data.map((d: any) => d.attributes.participant_type).sort()).toEqual(["ect", "mentor"]);
    const single = await t.call("GET", `/api/v2/participants/ecf/${ect.participant_id}`, { token: p.token });
    expect(single.body.data.attributes.participant_type).toBe("ect");
  });

  test("when participant fields are bad, then 422 naming each field", async () => {
    const p = await t.newProvider();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ lead_provider_id: "nope", participant_type: "ect", cohort: 2024 }, "lead_provider_id"],
      [{ lead_provider_id: "00000000-0000-4000-8000-000000000000", participant_type: "ect", cohort: 2024 }, "lead_provider_id"],
      [{ lead_provider_id: p.id, participant_type: "teacher", cohort: 2024 }, "participant_type"],
      [{ lead_provider_id: p.id, participant_type: "ect", cohort: 2020 }, "cohort"],
      [{ lead_provider_id: p.id, participant_type: "ect", cohort: 2024, schedule_identifier: "ecf-nope" }, "schedule_identifier"],
      [{ lead_provider_id: p.id, participant_type: "ect", cohort: 2024, school_urn: "12" }, "school_urn"],
      [{ lead_provider_id: p.id, participant_type: "ect", cohort: 2024, mentor_id: "00000000-0000-4000-8000-000000000000" }, "mentor_id"],
      [{ lead_provider_id: p.id, participant_type: "ect", cohort: 2024, eligible_for_funding: "yes" }, "eligible_for_funding"],
    ];
    for (const [body, field] of cases) {
      const r = await t.admin("POST", "/admin/participants", body);
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe(field);
      expect(typeof r.body.errors[0].detail).toBe("string");
    }
    const notJson = await t.call("POST", "/admin/participants", { token: "test-admin-token", body: "{nope", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(422);
  });

  test("when a participant is transferred, then the new provider sees it and the old one keeps seeing it", async () => {
    const a = await t.newProvider();
    const b = await t.newProvider();
    const created = await t.newParticipant(a.id, { cohort: 2024 });
    const r = await t.admin("POST", `/admin/participants/${created.participant_id}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id, school_urn: "654321" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(created);
    const seenByB = await t.call("GET", `/api/v2/participants/ecf/${created.participant_id}`, { token: b.token });
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.data.attributes.school_urn).toBe("654321");
    const seenByA = await t.call("GET", `/api/v2/participants/ecf/${created.participant_id}`, { token: a.token });
    expect(seenByA.status).toBe(200);
    expect(seenByA.body.data.attributes.school_urn).not.toBe("654321");
    const bad = await t.admin("POST", `/admin/participants/${created.participant_id}/transfer`, { course_identifier: "ecf-mentor", to_lead_provider_id: a.id });
    expect(bad.status).toBe(404);
    const badBody = await t.admin("POST", `/admin/participants/${created.participant_id}/transfer`, { course_identifier: "npq", to_lead_provider_id: a.id });
    expect(badBody.status).toBe(422);
    expect(badBody.body.errors[0].title).toBe("course_identifier");
  });

  test("when the induction status is set to withdrawn, then status shows withdrawn and updated_at moves", async () => {
    const p = await t.newProvider();
    t.clock.set(new Date("2025-01-01T10:00:00Z"));
    const created = await t.newParticipant(p.id);
    t.clock.set(new Date("2025-02-01T10:00:00Z"));
    const r = await t.admin("PUT", `/admin/participants/${created.participant_id}/induction-status`, { course_identifier: "ecf-induction", status: "withdrawn" });
    expect(r.status).toBe(200);
    const single = await t.call("GET", `/api/v2/participants/ecf/${created.participant_id}`, { token: p.token });
    expect(single.body.data.attributes.status).toBe("withdrawn");
    expect(single.body.data.attributes.training_status).toBe("active");
    expect(single.body.data.attributes.updated_at).toBe("2025-02-01T10:00:00Z");
    expect((await t.admin("PUT", `/admin/participants/${created.participant_id}/induction-status`, { course_identifier: "ecf-induction", status: "gone" })).status).toBe(422);
    t.clock.reset();
  });
});

describe("clock", () => {
  test("when the admin clock is moved, then 'now' moves for timestamps written, and DELETE returns to real time", async () => {
    const set = await t.admin("PUT", "/admin/clock", { now: "2025-03-04T05:06:07Z" });
    expect(set.status).toBe(200);
    expect(set.body.now).toMatch(/^2025-03-04T05:06:0\dZ$/);
    const p = await t.newProvider();
    const created = await t.newParticipant(p.id);
    const single = await t.call("GET", `/api/v2/participants/ecf/${created.participant_id}`, { token: p.token });
    expect(single.body.data.attributes.updated_at).toMatch(/^2025-03-04T05:06:/);
    const reset = await t.admin("DELETE", "/admin/clock");
    expect(reset.status).toBe(200);
    expect(Math.abs(new Date(reset.body.now).getTime() - Date.now())).toBeLessThan(5000);
  });

  test("when the X-With-Server-Date header is sent, then it is 'now' for that request only", async () => {
    const r = await t.call("POST", "/admin/lead-providers", { token: "test-admin-token", body: { name: "Header clock provider" }, headers: { "x-with-server-date": "2024-02-03T04:05:06Z" } });
    expect(r.status).toBe(201);
    const row = await t.database.db.selectFrom("lead_providers").select("created_at").where("id", "=", r.body.id).executeTakeFirstOrThrow();
    expect(row.created_at).toBe("2024-02-03T04:05:06Z");
  });

  test("when the X-With-Server-Date header is not RFC 3339, then 400 in the errors shape naming the header", async () => {
    const p = await t.newProvider();
    for (const value of ["tomorrow", "2024-02-03", "2024-02-03T04:05:06"]) {
      const r = await t.call("GET", "/api/v2/participants/ecf", { token: p.token, headers: { "x-with-server-date": value } });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].title).toBe("Bad request");
      expect(r.body.errors[0].detail).toContain("X-With-Server-Date");
    }
  });

  test("when GET /admin/clock is asked, then 200 {now}: the moved clock while it is moved, real time after DELETE, and only for the admin token", async () => {
    const moved = await t.admin("PUT", "/admin/clock", { now: "2025-03-04T05:06:07Z" });
    const read = await t.admin("GET", "/admin/clock");
    expect(read.status).toBe(200);
    expect(Object.keys(read.body)).toEqual(["now"]);
    expect(read.body.now).toMatch(/^2025-03-04T05:06:\d\dZ$/);
    expect(read.body.now >= moved.body.now).toBe(true);
    await t.admin("DELETE", "/admin/clock");
    const real = await t.admin("GET", "/admin/clock");
    expect(Math.abs(new Date(real.body.now).getTime() - Date.now())).toBeLessThan(5000);
    const p = await t.newProvider();
    expect((await t.call("GET", "/admin/clock", { token: p.token })).status).toBe(401);
    expect((await t.call("GET", "/admin/clock")).status).toBe(401);
  });

  test("when the admin clock names a day that does not exist, then 422 naming now and the missing day", async () => {
    const cases: Array<[string, string]> = [
      ["2025-02-31", "2025-02-31 is not a date: February 2025 has 28 days"],
      ["2025-02-29T10:00:00Z", "2025-02-29 is not a date: February 2025 has 28 days"],
      ["2024-04-31T10:00:00", "2024-04-31 is not a date: April 2024 has 30 days"],
      ["2025-00-10", "2025-00-10 is not a date: a year has 12 months"],
      ["2025-01-00T00:00:00Z", "2025-01-00 is not a date: the days of a month start at 01"],
    ];
    for (const [now, detail] of cases) expect(await t.admin("PUT", "/admin/clock", { now })).toEqual({ status: 422, body: { errors: [{ title: "now", detail }] } });
    expect((await t.admin("PUT", "/admin/clock", { now: "2024-02-29T10:00:00Z" })).status).toBe(200);
    await t.admin("DELETE", "/admin/clock");
  });

  test("when X-With-Server-Date names a day that does not exist, then 400 naming the header and the missing day", async () => {
    const p = await t.newProvider();
    const r = await t.call("GET", "/api/v2/participants/ecf", { token: p.token, headers: { "x-with-server-date": "2025-02-31T10:00:00Z" } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ title: "Bad request", detail: "The header 'X-With-Server-Date' names a day that does not exist: 2025-02-31 is not a date: February 2025 has 28 days" }]);
  });

  test("when the admin clock body is bad, then 422 naming now", async () => {
    for (const body of [{}, { now: "soon" }]) {
      const r = await t.admin("PUT", "/admin/clock", body);
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe("now");
    }
  });
});

describe("operations", () => {
  test("when /healthz is asked, then 200 {status: ok}", async () => {
    const r = await t.call("GET", "/healthz");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: "ok" });
  });

  test("when the OpenAPI document is asked, then it is titled as the live one and lists the v2 and admin routes", async () => {
    const r = await t.call("GET", "/api-docs/json");
    expect(r.status).toBe(200);
    expect(r.body.info.title).toBe("Lead provider API - 2.0.0");
    expect(Object.keys(r.body.paths)).toContain("/api/v2/participants/ecf");
    expect(Object.keys(r.body.paths)).toContain("/admin/participants");
  });
});

describe("admin answers' shapes (issue 18 item 7)", () => {
  test("when an admin call fails (401, 404, 422, unknown admin path), then it is application/json, and every 404 is the errors shape", async () => {
    const t = await createTestApp();
    try {
      const cases: Array<[string, string, string | null, unknown, number]> = [
        ["POST", "/admin/lead-providers", null, { name: "x" }, 401],
        ["POST", "/admin/lead-providers", ADMIN_TOKEN, {}, 422],
        ["POST", "/admin/lead-providers/00000000-0000-4000-8000-000000000000/api-tokens", ADMIN_TOKEN, undefined, 404],
        ["DELETE", "/admin/api-tokens/00000000-0000-4000-8000-000000000000", ADMIN_TOKEN, undefined, 404],
        ["GET", "/admin/requests/999999", ADMIN_TOKEN, undefined, 404],
        ["DELETE", "/admin/snapshots/nothing-here", ADMIN_TOKEN, undefined, 404],
        ["PUT", "/admin/participant-declarations/00000000-0000-4000-8000-000000000000/state", ADMIN_TOKEN, { state: "eligible" }, 404],
        ["GET", "/admin/no-such-thing", ADMIN_TOKEN, undefined, 404],
      ];
      for (const [method, path, token, body, status] of cases) {
        const r = await t.call(method, path, { token, body });
        expect({ path, status: r.status, type: r.response.headers.get("content-type") }).toEqual({ path, status, type: "application/json" });
        if (status === 404) {
          expect(r.body.errors).toBeArray();
          expect(r.body.errors[0].title).toBe("Not found");
          expect(r.body.errors[0].detail).toBeString();
        }
      }
    } finally {
      await t.close();
    }
  });
});
