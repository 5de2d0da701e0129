import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN_TOKEN, createTestApp, type TestApp } from "../support/app";

/** Issue 14: far clocks, dates that do not exist, text that is not Unicode, and a header on every answer. */
let t: TestApp;
let provider: { id: string; name: string; token: string };
let participantId: string;
beforeAll(async () => {
  t = await createTestApp();
  provider = await t.newProvider();
  participantId = (await t.newParticipant(provider.id)).participant_id;
});
afterAll(() => t.close());

const declaration = (participant_id: string) => ({
  data: {
    type: "participant-declaration",
    attributes: { participant_id, declaration_type: "started", declaration_date: "2024-10-01T10:00:00Z", course_identifier: "ecf-induction" },
  },
});

describe("X-Content-Type-Options", () => {
  test("when any answer is sent (JSON, CSV, errors, 404, 401, docs, healthz), then it carries nosniff", async () => {
    const answers = [
      await t.request("GET", "/api/v2/participants/ecf", { token: provider.token }),
      await t.request("GET", "/api/v2/participants/ecf.csv", { token: provider.token }),
      await t.request("GET", "/api/v2/participants/ecf", { token: "nope" }),
      await t.request("POST", "/api/v2/participant-declarations", { token: provider.token, body: "{" }),
      await t.request("GET", "/no/such/path"),
      await t.request("GET", "/healthz"),
      await t.request("GET", "/api-docs"),
      await t.request("GET", "/admin/lead-providers", { token: ADMIN_TOKEN }),
    ];
    for (const r of answers) expect(r.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("time in range", () => {
  test("when the admin clock is set outside the years 2000-2999, then 400 naming now, and the clock is unchanged", async () => {
    const before = t.clock.now().getTime();
    for (const now of ["9999-12-31T23:59:59Z", "1999-12-31T23:59:59Z", "3000-01-01T00:00:00Z", "0001-01-01T00:00:00Z"]) {
      const r = await t.admin("PUT", "/admin/clock", { now });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].title).toBe("now");
      expect(r.body.errors[0].detail).toContain("2000 to 2999");
    }
    expect(Math.abs(t.clock.now().getTime() - before)).toBeLessThan(60_000);
    for (const now of ["2000-01-01T00:00:00Z", "2999-12-31T23:59:59Z"]) {
      expect((await t.admin("PUT", "/admin/clock", { now })).status).toBe(200);
    }
    await t.admin("DELETE", "/admin/clock");
  });

  test("when the admin clock names a day that does not exist, then 422 naming now (not a roll-over into March)", async () => {
    for (const now of ["2025-02-31T00:00:00Z", "2025-02-29T10:00:00Z", "2025-04-31", "2025-02-30T10:00:00"]) {
      const r = await t.admin("PUT", "/admin/clock", { now });
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe("now");
    }
    const leap = await t.admin("PUT", "/admin/clock", { now: "2024-02-29T10:00:00Z" });
    expect(leap.body).toEqual({ now: "2024-02-29T10:00:00Z" });
    await t.admin("DELETE", "/admin/clock");
  });

  test("when X-With-Server-Date is outside 2000-2999 or names a day that does not exist, then 400 naming the header and nothing is written", async () => {
    for (const date of ["9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2025-02-31T10:00:00Z", "2023-02-29T10:00:00Z"]) {
      const r = await t.call("POST", "/api/v2/participant-declarations", {
        token: provider.token,
        headers: { "x-with-server-date": date },
        body: declaration(participantId),
      });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].detail).toContain("'X-With-Server-Date'");
    }
    const rows = await t.database.db.selectFrom("declarations").select("id").execute();
    expect(rows).toEqual([]);
    const ok = await t.call("GET", "/api/v2/participants/ecf", { token: provider.token, headers: { "x-with-server-date": "2999-12-31T23:59:59Z" } });
    expect(ok.status).toBe(200);
  });

  test("when declaration_date names 30 February, then it rolls over to 2 March as live (docs/reference/business-rules.md §5.1, (D): Ruby's Time.utc normalises the day)", async () => {
    // app/validators/declaration_date_validator.rb:15-16 (9123fbfcd) passes it through Time.zone.parse, which rolls the day over;
    // only the admin clock and X-With-Server-Date refuse days that do not exist.
    const { castDeclarationDate } = await import("../../src/modules/declarations/declaration-date");
    expect(castDeclarationDate("2021-02-30T10:00:00Z")?.toISOString()).toBe("2021-03-02T10:00:00.000Z");
  });
});

describe("text is valid Unicode", () => {
  const invalidUtf8 = (prefix: string, suffix: string) =>
    new Uint8Array([...new TextEncoder().encode(prefix), 0xff, 0xfe, 0xc3, ...new TextEncoder().encode(suffix)]);

  test("when a v2 body has bytes that are not UTF-8, or a lone surrogate escape, then 400 in the errors shape and nothing is stored", async () => {
    const bodies: Array<string | Uint8Array> = [
      invalidUtf8(`{"data":{"type":"participant-declaration","attributes":{"participant_id":"${participantId}","declaration_type":"started","declaration_date":"2024-10-01T10:00:00Z","course_identifier":"ecf-induction","evidence_held":"`, `"}}}`),
      JSON.stringify(declaration(participantId)).replace(`"started"`, `"started","evidence_held":"\\ud800"`),
      JSON.stringify(declaration(participantId)).replace(`"started"`, `"started","x\\udc00":"y"`),
    ];
    for (const body of bodies) {
      const r = await t.app.handle(
        new Request("http://localhost/api/v2/participant-declarations", {
          method: "POST",
          headers: { authorization: `Bearer ${provider.token}`, "content-type": "application/json" },
          body,
        }),
      );
      expect(r.status).toBe(400);
      const json = (await r.json()) as any;
      expect(json.errors[0].title).toBe("Bad request");
      expect(json.errors[0].detail).toContain("UTF-8");
    }
    expect(await t.database.db.selectFrom("declarations").select("id").execute()).toEqual([]);
    // a surrogate pair, escaped or not, is valid text
    const pair = await t.call("POST", "/admin/lead-providers", { token: ADMIN_TOKEN, body: `{"name":"Emoji \\ud83d\\ude00 ${crypto.randomUUID()}"}` });
    expect(pair.status).toBe(201);
    expect(pair.body.name).toStartWith("Emoji \u{1F600}");
  });

  test("when an admin body has bytes that are not UTF-8, or a lone surrogate, then 422 naming body and no provider is stored", async () => {
    const before = (await t.database.db.selectFrom("lead_providers").select("id").execute()).length;
    for (const body of [invalidUtf8(`{"name":"Bad `, `"}`), `{"name":"Lone \\ud800 surrogate"}`, `{"name":"Lone \\udfff"}`]) {
      const r = await t.app.handle(
        new Request("http://localhost/admin/lead-providers", {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
          body,
        }),
      );
      expect(r.status).toBe(422);
      expect(((await r.json()) as any).errors[0]).toMatchObject({ title: "body" });
    }
    expect((await t.database.db.selectFrom("lead_providers").select("id").execute()).length).toBe(before);
  });
});

describe("objects whose keys shadow toString and valueOf (issue 18 item 3)", () => {
  test("when an admin field gets {\"toString\":1}, then 422 naming that field (Elysia's validation message formats the value: it was a 500) and nothing is stored", async () => {
    const other = await t.newProvider();
    const before = (await t.database.db.selectFrom("lead_providers").select("id").execute()).length;
    const cases: Array<[string, string, string, string]> = [
      ["POST", "/admin/lead-providers", `{"name":{"toString":1}}`, "name"],
      ["POST", "/admin/lead-providers", `{"name":{"toString":1,"valueOf":1}}`, "name"],
      ["POST", "/admin/participants", `{"lead_provider_id":"${provider.id}","participant_type":"ect","cohort":2025,"full_name":{"toString":1}}`, "full_name"],
      ["POST", "/admin/participants", `{"lead_provider_id":{"to\\u0053tring":[]},"participant_type":"ect","cohort":2025}`, "lead_provider_id"],
      ["POST", `/admin/participants/${participantId}/transfer`, `{"course_identifier":"ecf-induction","to_lead_provider_id":"${other.id}","school_urn":[{"toString":1}]}`, "school_urn"],
      ["PUT", "/admin/clock", `{"now":{"toString":"2025-01-01T00:00:00Z"}}`, "now"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await t.call(method, path, { token: ADMIN_TOKEN, body });
      expect({ path, status: r.status }).toEqual({ path, status: 422 });
      expect(r.body.errors[0].title).toBe(field);
    }
    expect((await t.database.db.selectFrom("lead_providers").select("id").execute()).length).toBe(before);
    expect(await t.database.db.selectFrom("training_records").select("id").where("participant_id", "=", participantId).execute()).toHaveLength(1);
  });

  test("when a v2 body's data or attributes carry such objects, then the live 400/422 answers, and a valid field beside a toString key still counts", async () => {
    const bad = await t.call("POST", "/api/v2/participant-declarations", { token: provider.token, body: `{"data":{"type":{"toString":1},"attributes":{"participant_id":{"toString":1},"declaration_type":{"valueOf":1},"declaration_date":{"toString":1},"course_identifier":"ecf-induction"}}}` });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(bad.body.errors.length).toBeGreaterThan(0);
    // the keys stay as sent: an object keyed toString beside the attributes changes nothing
    const ok = await t.call("POST", "/api/v2/participant-declarations", {
      token: provider.token,
      headers: { "x-with-server-date": "2024-10-02T10:00:00Z" },
      body: JSON.stringify(declaration(participantId)).replace(`"started"`, `"started","toString":{"toString":1}`),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.attributes.declaration_type).toBe("started");
  });
});
