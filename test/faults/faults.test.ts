import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestApp, createTestApp } from "../support/app";
import { startedDeclaration } from "../support/suite";
import { FRONT_DOOR_ANSWERS } from "../../src/modules/faults/rules";

/** docs/reference/sandbox-contract.md § "Faults on demand" */

const DECLARATIONS = "/api/v2/participant-declarations";
const NOW = "2024-10-01T12:00:00Z";
const PARTICIPANTS = "/api/v2/participants/ecf";

let t: TestApp;
let provider: { id: string; name: string; token: string };

beforeAll(async () => {
  t = await createTestApp();
  provider = await t.newProvider("Fault provider");
});
afterAll(() => t.close());

const addRule = (rule: unknown) => t.admin("POST", "/admin/faults", rule);
const clearRules = () => t.admin("DELETE", "/admin/faults");
/** the newest record the predicate picks (a request is in the log before its answer is sent: no waiting) */
const lastLogged = async (pick: (record: any) => boolean) => {
  const found = (await t.admin("GET", "/admin/requests?limit=20")).body.data.find(pick);
  if (!found) throw new Error("not in the request log");
  return found;
};
const declarationCount = async () => Number((await t.database.db.selectFrom("declarations").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const declare = (participantId: string, headers: Record<string, string> = {}) =>
  t.call("POST", DECLARATIONS, { token: provider.token, headers: { "x-with-server-date": NOW, ...headers }, body: { data: { attributes: startedDeclaration(participantId) } } });

describe("the fault rules' admin calls", () => {
  test("when a rule is posted with only its fault, then it is answered 201 with the defaults, and listed with remaining and hits", async () => {
    await clearRules();
    const made = await addRule({ fault: { kind: "status", status: 503 } });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: expect.any(String), match: {}, fault: { kind: "status", status: 503 }, times: 1, probability: 1, seed: 0, remaining: 1, hits: 0 });
    const second = await addRule({ match: { method: "POST", path: `${DECLARATIONS}*` }, fault: { kind: "reset", when: "after" }, times: 0, probability: 0.5, seed: 9 });
    expect(second.body).toMatchObject({ match: { method: "POST", path: `${DECLARATIONS}*` }, fault: { kind: "reset", when: "after" }, times: 0, remaining: null, probability: 0.5, seed: 9 });
    const list = await t.admin("GET", "/admin/faults");
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: any) => r.id)).toEqual([made.body.id, second.body.id]);
    await clearRules();
  });

  test("when a rule is bad, then it is refused with 422 naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ fault: { kind: "explode" } }, "fault.kind"],
      [{}, "fault"],
      [{ fault: { kind: "status" } }, "fault.status"],
      [{ fault: { kind: "status", status: 404 } }, "fault.status"],
      [{ fault: { kind: "delay" } }, "fault.ms"],
      [{ fault: { kind: "delay", ms: 60_001 } }, "fault.ms"],
      [{ fault: { kind: "reset", when: "during" } }, "fault.when"],
      [{ fault: { kind: "timeout" }, match: { path: "api/v2" } }, "match.path"],
      [{ fault: { kind: "timeout" }, match: { method: "DELETE" } }, "match.method"],
      [{ fault: { kind: "timeout" }, probability: 0 }, "probability"],
      [{ fault: { kind: "timeout" }, probability: 1.5 }, "probability"],
      [{ fault: { kind: "timeout" }, times: -1 }, "times"],
    ];
    for (const [rule, field] of cases) {
      const r = await addRule(rule);
      expect({ rule, status: r.status, title: r.body.errors?.[0]?.title }).toEqual({ rule, status: 422, title: field });
      expect(r.body.errors).toHaveLength(1);
    }
    expect((await t.admin("GET", "/admin/faults")).body.data).toEqual([]);
  });

  test("when a rule is deleted, then it is gone; an unknown id is a 404 in the errors shape; no admin token is a 401", async () => {
    const made = await addRule({ fault: { kind: "rate_limit" } });
    expect(await t.admin("DELETE", `/admin/faults/${made.body.id}`)).toEqual({ status: 200, body: { id: made.body.id, deleted: true } });
    const unknown = await t.admin("DELETE", `/admin/faults/${made.body.id}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].title).toBe("Not found");
    expect((await t.call("GET", "/admin/faults", { token: provider.token })).status).toBe(401);
    await addRule({ fault: { kind: "rate_limit" } });
    await addRule({ fault: { kind: "rate_limit" } });
    expect(await clearRules()).toEqual({ status: 200, body: { deleted: 2 } });
  });
});

describe("status faults: the live service's and its front door's answers", () => {
  for (const status of [500, 502, 503, 504] as const) {
    test(`when a ${status} rule matches a declaration POST, then it is answered ${status} with the live body and nothing is written; the next POST is handled`, async () => {
      await clearRules();
      const { participant_id } = await t.newParticipant(provider.id);
      const rule = await addRule({ match: { method: "POST", path: DECLARATIONS }, fault: { kind: "status", status } });
      const before = await declarationCount();
      const faulted = await t.request("POST", DECLARATIONS, {
        token: provider.token,
        headers: { "x-with-server-date": NOW },
        body: { data: { attributes: startedDeclaration(participant_id) } },
      });
      expect(faulted.status).toBe(status);
      expect(faulted.headers.get("content-type")).toBe(FRONT_DOOR_ANSWERS[status].type);
      expect(await faulted.text()).toBe(FRONT_DOOR_ANSWERS[status].body);
      expect(await declarationCount()).toBe(before);
      const logged = await lastLogged((r) => r.status === status && r.request_body?.includes(participant_id));
      expect(logged).toMatchObject({ status, method: "POST", path: DECLARATIONS, lead_provider_id: provider.id, fault: { rule_id: rule.body.id, kind: "status" } });
      expect(JSON.parse(logged.request_body).data.attributes.participant_id).toBe(participant_id);
      // times 1: the retry is handled
      expect((await declare(participant_id)).status).toBe(200);
      expect(await declarationCount()).toBe(before + 1);
      expect((await lastLogged((r) => r.status === 200 && r.request_body?.includes(participant_id))).fault).toBeNull();
      expect((await t.admin("GET", "/admin/faults")).body.data[0]).toMatchObject({ remaining: 0, hits: 1 });
    });
  }

  test("when the 500 body is read, then it is the Rails exceptions app's JSON; 502-504 are nginx's pages", () => {
    expect(FRONT_DOOR_ANSWERS[500].body).toBe('{"error":"Internal server error"}');
    expect(FRONT_DOOR_ANSWERS[502].body).toBe("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    expect(FRONT_DOOR_ANSWERS[503].body).toContain("<title>503 Service Temporarily Unavailable</title>");
    expect(FRONT_DOOR_ANSWERS[504].body).toContain("<title>504 Gateway Time-out</title>");
  });
});

describe("rate_limit, times, matching", () => {
  test("when a rate_limit rule with times 2 matches, then two requests get the live throttle's 429 text and the third is handled", async () => {
    await clearRules();
    await addRule({ match: { path: "/api/v2/participants/*" }, fault: { kind: "rate_limit" }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await t.request("GET", PARTICIPANTS, { token: provider.token });
      expect(r.status).toBe(429);
      expect(r.headers.get("content-type")).toBe("text/plain");
      expect(await r.text()).toBe("Retry later\n");
    }
    expect((await t.request("GET", PARTICIPANTS, { token: provider.token })).status).toBe(200);
  });

  test("when times is 0, then the rule faults until it is deleted", async () => {
    await clearRules();
    const rule = await addRule({ fault: { kind: "status", status: 502 }, times: 0 });
    for (let i = 0; i < 5; i++) expect((await t.request("GET", PARTICIPANTS, { token: provider.token })).status).toBe(502);
    expect((await t.admin("GET", "/admin/faults")).body.data[0]).toMatchObject({ remaining: null, hits: 5 });
    await t.admin("DELETE", `/admin/faults/${rule.body.id}`);
    expect((await t.request("GET", PARTICIPANTS, { token: provider.token })).status).toBe(200);
  });

  test("when a rule names a method, a path pattern and a provider, then only requests that match all three are faulted", async () => {
    await clearRules();
    const other = await t.newProvider();
    await addRule({ match: { method: "GET", path: "/api/v2/participants/*", lead_provider_id: provider.id }, fault: { kind: "status", status: 503 }, times: 0 });
    expect((await t.request("GET", PARTICIPANTS, { token: other.token })).status).toBe(200);
    expect((await t.request("GET", "/api/v2/participant-declarations", { token: provider.token })).status).toBe(200);
    expect((await t.request("GET", `${PARTICIPANTS}?page[per_page]=1`, { token: provider.token })).status).toBe(503);
    // the format suffix is part of the path as sent
    expect((await t.request("GET", `${PARTICIPANTS}.json`, { token: provider.token })).status).toBe(503);
    const list = (await t.admin("GET", "/admin/faults")).body.data;
    expect(list[0].hits).toBe(2);
  });

  test("when a rule matches everything, then /admin, /healthz and the docs are never faulted", async () => {
    await clearRules();
    await addRule({ match: { path: "*" }, fault: { kind: "status", status: 500 }, times: 0 });
    expect((await t.request("GET", "/healthz")).status).toBe(200);
    expect((await t.request("GET", "/api-docs/json")).status).toBe(200);
    expect((await t.admin("GET", "/admin/faults")).status).toBe(200);
    expect((await t.request("GET", "/admin/faults", { headers: { authorization: "Bearer test-admin-token", "x-sandbox-fault": "status=503" } })).status).toBe(200);
    expect((await t.request("GET", PARTICIPANTS, { token: provider.token })).status).toBe(500);
    await clearRules();
  });

  test("when a snapshot is restored, then the fault rules are kept (settings, like the clock)", async () => {
    await clearRules();
    expect((await t.admin("PUT", "/admin/snapshots/faults-kept")).status).toBe(201);
    const rule = await addRule({ fault: { kind: "status", status: 504 } });
    expect((await t.admin("POST", "/admin/snapshots/faults-kept/restore")).status).toBe(200);
    expect((await t.admin("GET", "/admin/faults")).body.data.map((r: any) => r.id)).toEqual([rule.body.id]);
    expect((await t.request("GET", PARTICIPANTS, { token: provider.token })).status).toBe(504);
  });
});

describe("probability and seed", () => {
  async function run(seed: number): Promise<number[]> {
    const app = await createTestApp();
    try {
      const p = await app.newProvider("Seeded");
      await app.admin("POST", "/admin/faults", { fault: { kind: "status", status: 503 }, times: 0, probability: 0.3, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await app.request("GET", PARTICIPANTS, { token: p.token })).status);
      return statuses;
    } finally {
      await app.close();
    }
  }

  test("when two runs send the same requests under the same seeded rule, then the same requests get the fault; another seed gives other ones", async () => {
    const first = await run(42);
    const second = await run(42);
    expect(second).toEqual(first);
    const faulted = first.filter((s) => s === 503).length;
    // some faulted, some not (a p of 0.3 over 40 draws)
    expect(faulted).toBeGreaterThan(0);
    expect(faulted).toBeLessThan(40);
    expect(first.every((s) => s === 503 || s === 200)).toBe(true);
    expect(await run(7)).not.toEqual(first);
  });
});

describe("the X-Sandbox-Fault header", () => {
  test("when a request asks for status=503 or rate-limit, then it gets that answer once, logged with rule_id null", async () => {
    await clearRules();
    const r = await t.request("GET", PARTICIPANTS, { token: provider.token, headers: { "x-sandbox-fault": "status=503" } });
    expect(r.status).toBe(503);
    expect(await r.text()).toBe(FRONT_DOOR_ANSWERS[503].body);
    expect((await lastLogged((r) => r.status === 503 && r.fault?.rule_id === null)).fault).toEqual({ rule_id: null, kind: "status" });
    const limited = await t.request("GET", PARTICIPANTS, { token: provider.token, headers: { "x-sandbox-fault": "rate-limit" } });
    expect([limited.status, await limited.text()]).toEqual([429, "Retry later\n"]);
    expect((await t.request("GET", PARTICIPANTS, { token: provider.token })).status).toBe(200);
  });

  test("when the header's value is not one the contract names, then the request is refused 400 naming the header, and not handled", async () => {
    const { participant_id } = await t.newParticipant(provider.id);
    const before = await declarationCount();
    for (const value of ["status=404", "delay=0", "delay=60001", "reset-later", "", "status=5033"]) {
      const r = await declare(participant_id, { "x-sandbox-fault": value });
      expect({ value, status: r.status }).toEqual({ value, status: 400 });
      expect(r.body.errors[0].title).toBe("Bad request");
      expect(r.body.errors[0].detail).toContain("'X-Sandbox-Fault'");
    }
    expect(await declarationCount()).toBe(before);
    const logged = await lastLogged((r) => r.status === 400 && r.request_body?.includes(participant_id));
    expect(logged).toMatchObject({ status: 400, fault: null });
    expect(logged.errors[0]).toContain("X-Sandbox-Fault");
  });

  test("when a request asks for delay=1500, then it is handled as usual and its answer comes after it was logged", async () => {
    const { participant_id } = await t.newParticipant(provider.id);
    let settled = false;
    const answer = declare(participant_id, { "x-sandbox-fault": "delay=1500" }).then((r) => {
      settled = true;
      return r;
    });
    // the write and its log record happen first; the answer is held back
    let logged: any;
    for (let i = 0; i < 500 && !logged; i++) {
      await Bun.sleep(2);
      logged = (await t.admin("GET", "/admin/requests?limit=1")).body.data.find((r: any) => r.fault?.kind === "delay");
    }
    expect(logged).toMatchObject({ status: 200, fault: { rule_id: null, kind: "delay" } });
    expect(settled).toBe(false);
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.participant_id).toBe(participant_id);
  });
});

describe("delay and timeout rules", () => {
  test("when a delay rule matches, then the request is handled as usual and answered late", async () => {
    await clearRules();
    const rule = await addRule({ match: { path: PARTICIPANTS }, fault: { kind: "delay", ms: 1500 } });
    let settled = false;
    const answer = t.call("GET", PARTICIPANTS, { token: provider.token }).then((r) => {
      settled = true;
      return r;
    });
    let logged: any;
    for (let i = 0; i < 500 && !logged; i++) {
      await Bun.sleep(2);
      logged = (await t.admin("GET", "/admin/requests?limit=1")).body.data.find((r: any) => r.fault?.rule_id === rule.body.id);
    }
    expect(logged).toMatchObject({ status: 200, fault: { kind: "delay" } });
    expect(settled).toBe(false);
    expect((await answer).status).toBe(200);
  });

  test("when a timeout rule matches a declaration POST, then no answer comes, nothing is written, and it is logged with status 0; the client's giving up ends it", async () => {
    await clearRules();
    const { participant_id } = await t.newParticipant(provider.id);
    const rule = await addRule({ match: { method: "POST" }, fault: { kind: "timeout" } });
    const before = await declarationCount();
    const client = new AbortController();
    let settled = false;
    const answer = t.app
      .handle(
        new Request(`http://localhost${DECLARATIONS}`, {
          method: "POST",
          signal: client.signal,
          headers: { authorization: `Bearer ${provider.token}`, "content-type": "application/json", "x-with-server-date": NOW },
          body: JSON.stringify({ data: { attributes: startedDeclaration(participant_id) } }),
        }),
      )
      .then((r) => {
        settled = true;
        return r;
      });
    let logged: any;
    for (let i = 0; i < 500 && !logged; i++) {
      await Bun.sleep(2);
      logged = (await t.admin("GET", "/admin/requests?limit=1")).body.data.find((r: any) => r.fault?.rule_id === rule.body.id);
    }
    expect(logged).toMatchObject({ status: 0, method: "POST", fault: { kind: "timeout" }, response_body: null });
    expect(settled).toBe(false);
    expect(await declarationCount()).toBe(before);
    client.abort();
    // the connection is dropped: no status line, no body
    const dropped = await answer;
    const read = await dropped.text().then(
      () => "read",
      () => "failed",
    );
    expect(read).toBe("failed");
    expect(await declarationCount()).toBe(before);
  });
});

describe("over a real socket: timeout and reset", () => {
  let url: string;
  beforeAll(() => {
    t.app.listen({ port: 0, hostname: "127.0.0.1" });
    url = `http://127.0.0.1:${t.app.server!.port}`;
  });
  afterAll(async () => {
    await t.app.stop(true);
  });
  const post = (participantId: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${url}${DECLARATIONS}`, {
      method: "POST",
      signal,
      headers: { authorization: `Bearer ${provider.token}`, "content-type": "application/json", "x-with-server-date": NOW, ...headers },
      body: JSON.stringify({ data: { attributes: startedDeclaration(participantId) } }),
    });

  test("when reset before the write, then the connection is closed without an answer and nothing is written", async () => {
    await clearRules();
    const { participant_id } = await t.newParticipant(provider.id);
    const rule = await addRule({ match: { method: "POST", path: DECLARATIONS }, fault: { kind: "reset" } });
    const before = await declarationCount();
    const error = await post(participant_id).then(
      () => null,
      (e: any) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String(error.code ?? error.message)).toMatch(/ECONNRESET|closed/i);
    expect(await declarationCount()).toBe(before);
    expect(await lastLogged((r) => r.fault?.rule_id === rule.body.id)).toMatchObject({ status: 0, fault: { rule_id: rule.body.id, kind: "reset" } });
    // and the retry is handled: one declaration
    expect((await post(participant_id)).status).toBe(200);
    expect(await declarationCount()).toBe(before + 1);
  });

  test("when reset after the write, then the write is committed, the client gets no answer, and its retry meets the live duplicate 422", async () => {
    await clearRules();
    const { participant_id } = await t.newParticipant(provider.id);
    const rule = await addRule({ match: { method: "POST", path: DECLARATIONS }, fault: { kind: "reset", when: "after" } });
    const before = await declarationCount();
    const error = await post(participant_id).then(
      () => null,
      (e: any) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(await declarationCount()).toBe(before + 1);
    const logged = await lastLogged((r) => r.fault?.rule_id === rule.body.id);
    expect(logged).toMatchObject({ status: 200, method: "POST", fault: { rule_id: rule.body.id, kind: "reset" } });
    // the client retries the POST it never heard back from
    const retry = await post(participant_id);
    expect(retry.status).toBe(422);
    expect(await retry.json()).toEqual({
      errors: [{ title: "base", detail: "A declaration has already been submitted that will be, or has been, paid for this event" }],
    });
    expect(await declarationCount()).toBe(before + 1);
    // the provider can still read the one it made
    const listed = await fetch(`${url}${DECLARATIONS}?filter[participant_id]=${participant_id}`, { headers: { authorization: `Bearer ${provider.token}` } });
    expect(((await listed.json()) as any).data).toHaveLength(1);
  });

  test("when X-Sandbox-Fault is reset-after, then the same: written, no answer", async () => {
    await clearRules();
    const { participant_id } = await t.newParticipant(provider.id);
    const before = await declarationCount();
    const error = await post(participant_id, { "x-sandbox-fault": "reset-after" }).then(
      () => null,
      (e: any) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(await declarationCount()).toBe(before + 1);
    expect((await post(participant_id)).status).toBe(422);
  });

  test("when a timeout rule matches, then the client gets no answer until it gives up, and nothing is written", async () => {
    await clearRules();
    const { participant_id } = await t.newParticipant(provider.id);
    await addRule({ match: { method: "POST", path: DECLARATIONS }, fault: { kind: "timeout" } });
    const before = await declarationCount();
    const client = new AbortController();
    const pending = post(participant_id, {}, client.signal).then(
      () => "answered",
      (e) => (e as Error).name,
    );
    let logged: any;
    for (let i = 0; i < 500 && !logged; i++) {
      await Bun.sleep(2);
      logged = (await t.admin("GET", "/admin/requests?limit=1")).body.data.find((r: any) => r.fault?.kind === "timeout");
    }
    expect(logged.status).toBe(0);
    client.abort();
    expect(await pending).toBe("AbortError");
    expect(await declarationCount()).toBe(before);
  });

  test("when X-Sandbox-Fault is reset, then the same as the rule: no answer, nothing written", async () => {
    await clearRules();
    const { participant_id } = await t.newParticipant(provider.id);
    const before = await declarationCount();
    const error = await post(participant_id, { "x-sandbox-fault": "reset" }).then(
      () => null,
      (e: any) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(await declarationCount()).toBe(before);
    expect((await lastLogged((r) => r.fault?.kind === "reset" && r.request_body?.includes(participant_id))).fault).toEqual({ rule_id: null, kind: "reset" });
  });
});
