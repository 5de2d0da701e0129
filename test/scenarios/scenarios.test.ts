import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { startServerProcess } from "../support/server-process";

/** sandbox-contract.md § "Scenarios" */

const CONTRACT_EXAMPLE = {
  clock: "2025-10-01T09:00:00Z",
  lead_providers: [
    { ref: "lp", name: "Test provider" },
    { ref: "other", name: "Other provider" },
  ],
  participants: [
    { ref: "mentor", lead_provider: "lp", participant_type: "mentor", cohort: 2025 },
    { ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025, mentor: "mentor", school_urn: "100001" },
  ],
  declarations: [{ ref: "started", participant: "ect", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z", state: "paid" }],
  actions: [{ participant: "mentor", action: "defer", reason: "career-break" }],
  transfers: [{ participant: "ect", to_lead_provider: "other" }],
  induction_statuses: [{ participant: "ect", status: "withdrawn" }],
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let counter = 0;
/** the document with its providers' names made new (names must be new) */
function fresh<T extends { lead_providers?: { name: string }[] }>(doc: T): T {
  const n = ++counter;
  return { ...doc, lead_providers: doc.lead_providers?.map((lp) => ({ ...lp, name: `${lp.name} ${n}` })) };
}
const post = (doc: unknown) => t.admin("POST", "/admin/scenarios", doc);
const counts = async () => {
  const db = t.database.db;
  const n = async (table: "lead_providers" | "participants" | "training_records" | "declarations" | "api_tokens" | "partnerships" | "schools") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  return {
    lead_providers: await n("lead_providers"),
    api_tokens: await n("api_tokens"),
    participants: await n("participants"),
    training_records: await n("training_records"),
    declarations: await n("declarations"),
    partnerships: await n("partnerships"),
    schools: await n("schools"),
  };
};
const v2 = async (token: string, path: string) => (await t.call("GET", `/api/v2${path}`, { token })).body;

describe("POST /admin/scenarios", () => {
  test("when the contract's example is posted, then it is answered 201 with the refs' ids, and the world is as the document says", async () => {
    const r = await post(fresh(CONTRACT_EXAMPLE));
    expect(r.status).toBe(201);
    const refs = r.body.refs;
    expect(Object.keys(refs).sort()).toEqual(["ect", "lp", "mentor", "other", "started"]);
    expect(refs.lp).toEqual({ id: expect.any(String), api_token: expect.any(String) });
    expect(refs.ect).toEqual({ participant_id: expect.any(String), training_record_id: expect.any(String) });
    expect(refs.started).toEqual({ id: expect.any(String) });
    // the clock moved to the document's
    expect(t.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse("2025-10-01T09:00:00Z"));
    expect(t.clock.now().getTime()).toBeLessThan(Date.parse("2025-10-01T10:00:00Z"));

    // the mentor is deferred by lp
    const mentor = (await v2(refs.lp.api_token, `/participants/ecf/${refs.mentor.participant_id}`)).data;
    expect(mentor.attributes).toMatchObject({ training_status: "deferred", participant_type: "mentor" });
    // the ECT trains with other now, with the mentor, withdrawn by the school
    const ect = (await v2(refs.other.api_token, `/participants/ecf/${refs.ect.participant_id}`)).data;
    expect(ect.attributes).toMatchObject({ mentor_id: refs.mentor.participant_id, school_urn: "100001", status: "withdrawn", training_status: "active" });
    // lp's declaration, paid
    const declaration = (await v2(refs.lp.api_token, `/participant-declarations/${refs.started.id}`)).data;
    expect(declaration.attributes).toMatchObject({ participant_id: refs.ect.participant_id, declaration_type: "started", course_identifier: "ecf-induction", state: "paid" });
  });

  test("when the last item is refused, then nothing is written (all or nothing) and the clock stays", async () => {
    t.clock.set(new Date("2025-11-05T12:00:00Z"));
    const before = await counts();
    const doc = fresh({
      ...CONTRACT_EXAMPLE,
      clock: "2025-10-02T09:00:00Z",
      // the ECT has no mentor training record: the last item names a course it does not have
      induction_statuses: [
        { participant: "ect", status: "withdrawn" },
        { participant: "ect", status: "withdrawn", course_identifier: "ecf-mentor" },
      ],
    });
    const r = await post(doc);
    expect(r.status).toBe(422);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].title).toBe("induction_statuses[1]");
    expect(await counts()).toEqual(before);
    expect(t.clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse("2025-11-05T12:00:00Z"));
    // and the same document without the bad item goes in
    const good = await post({ ...doc, induction_statuses: doc.induction_statuses.slice(0, 1) });
    expect(good.status).toBe(201);
    t.clock.reset();
  });

  test("when a declaration breaks a v2 rule, then the 422 is titled with its place and the rule's own words, and nothing is written", async () => {
    const before = await counts();
    const r = await post(
      fresh({
        clock: "2025-10-01T09:00:00Z",
        lead_providers: [{ ref: "lp", name: "Rules provider" }],
        participants: [{ ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025 }],
        declarations: [{ participant: "ect", declaration_type: "started", declaration_date: "2025-12-15T10:00:00Z" }],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ title: "declarations[0].declaration_date", detail: expect.stringContaining("future") }]);
    expect(await counts()).toEqual(before);
  });

  test("when the same provider declares twice for one slot, then the second is the live duplicate refusal at its place", async () => {
    const r = await post(
      fresh({
        clock: "2025-10-01T09:00:00Z",
        lead_providers: [{ ref: "lp", name: "Duplicate provider" }],
        participants: [{ ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025 }],
        declarations: [
          { participant: "ect", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z" },
          { participant: "ect", declaration_type: "started", declaration_date: "2025-09-16T10:00:00Z" },
        ],
      }),
    );
    expect(r).toEqual({
      status: 422,
      body: { errors: [{ title: "declarations[1]", detail: "A declaration has already been submitted that will be, or has been, paid for this event" }] },
    });
  });

  test("when a ref names no item, names the wrong kind, comes later, or is given twice, then it is refused at its place and nothing is written", async () => {
    const before = await counts();
    const base = { lead_providers: [{ ref: "lp", name: "Refs provider" }] };
    const cases: Array<[unknown, string, string]> = [
      [{ ...base, participants: [{ lead_provider: "nobody", participant_type: "ect", cohort: 2025 }] }, "participants[0].lead_provider", 'no item has the ref "nobody"'],
      [{ ...base, participants: [{ ref: "lp", lead_provider: "lp", participant_type: "ect", cohort: 2025 }] }, "participants[0].ref", 'the ref "lp" is used twice'],
      [
        { ...base, participants: [{ ref: "a", lead_provider: "lp", participant_type: "ect", cohort: 2025 }, { ref: "a", lead_provider: "lp", participant_type: "ect", cohort: 2025 }] },
        "participants[1].ref",
        "used twice",
      ],
      [{ ...base, participants: [{ ref: "e", lead_provider: "lp", participant_type: "ect", cohort: 2025, mentor: "lp" }] }, "participants[0].mentor", "names a lead provider"],
      [
        { ...base, participants: [{ ref: "e", lead_provider: "lp", participant_type: "ect", cohort: 2025, mentor: "m" }, { ref: "m", lead_provider: "lp", participant_type: "mentor", cohort: 2025 }] },
        "participants[0].mentor",
        "later participant",
      ],
      [{ ...base, transfers: [{ participant: "ghost", to_lead_provider: "lp" }] }, "transfers[0].participant", 'no item has the ref "ghost"'],
    ];
    for (const [doc, title, detail] of cases) {
      const r = await post(fresh(doc as any));
      expect({ title, status: r.status, errors: r.body.errors.length }).toEqual({ title, status: 422, errors: 1 });
      expect(r.body.errors[0].title).toBe(title);
      expect(r.body.errors[0].detail).toContain(detail);
    }
    expect(await counts()).toEqual(before);
  });

  test("when an item is not of the document's shape, then the 422 names its place", async () => {
    const cases: Array<[unknown, string]> = [
      [{ participants: [{ lead_provider: "x", participant_type: "ect", cohort: 2031 }] }, "participants[0].cohort"],
      [{ participants: [{ lead_provider: "x", cohort: 2025 }] }, "participants[0].participant_type"],
      [{ declarations: [{ participant: "x", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z", state: "lost" }] }, "declarations[0].state"],
      [{ actions: [{ participant: "x", action: "pause" }] }, "actions[0].action"],
      [{ lead_providers: [{ ref: "has space", name: "x" }] }, "lead_providers[0].ref"],
      [{ clock: "2025-13-01" }, "clock"],
      [{ lead_providers: [{ ref: "lp", name: "At provider", at: "yesterday" }] }, "lead_providers[0].at"],
    ];
    for (const [doc, title] of cases) {
      const r = await post(doc);
      expect({ doc, status: r.status, title: r.body.errors?.[0]?.title, n: r.body.errors?.length }).toEqual({ doc, status: 422, title, n: 1 });
    }
  });

  test("when a state cannot be reached from the state the POST gives, then it is refused at the item's state", async () => {
    const r = await post(
      fresh({
        clock: "2025-10-01T09:00:00Z",
        lead_providers: [{ ref: "lp", name: "State provider" }],
        participants: [{ ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025 }],
        declarations: [{ participant: "ect", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z", state: "ineligible" }],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.errors[0].title).toBe("declarations[0].state");
  });

  test("when an action breaks a v2 rule (a reason that is not live's), then it is refused at its place", async () => {
    const r = await post(
      fresh({
        lead_providers: [{ ref: "lp", name: "Action provider" }],
        participants: [{ ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025 }],
        actions: [{ participant: "ect", action: "defer", reason: "holiday" }],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.errors[0].title).toBe("actions[0].reason");
  });

  test("when no admin token is sent, then 401", async () => {
    expect((await t.call("POST", "/admin/scenarios", { body: CONTRACT_EXAMPLE })).status).toBe(401);
  });
});

describe("shipped scenarios", () => {
  test("when GET /admin/scenarios, then every-state and the others are listed with a description; each document can be read; an unknown name is 404", async () => {
    const list = await t.admin("GET", "/admin/scenarios");
    expect(list.status).toBe(200);
    const names = list.body.data.map((s: any) => s.name);
    expect(names).toContain("every-state");
    expect(names).toContain("ten-ects");
    for (const s of list.body.data) {
      expect(s.description.length).toBeGreaterThan(10);
      const doc = await t.admin("GET", `/admin/scenarios/${s.name}`);
      expect(doc.status).toBe(200);
      expect(doc.body.description).toBe(s.description);
    }
    const unknown = await t.admin("GET", "/admin/scenarios/nope");
    expect(unknown.status).toBe(404);
    expect((await t.admin("POST", "/admin/scenarios/nope")).status).toBe(404);
  });

  test("when every shipped scenario is applied to a new database, then each is 201", async () => {
    const list = (await t.admin("GET", "/admin/scenarios")).body.data;
    for (const s of list) {
      const app = await createTestApp();
      try {
        const r = await app.admin("POST", `/admin/scenarios/${s.name}`);
        expect({ name: s.name, status: r.status, body: r.status === 201 ? "ok" : r.body }).toEqual({ name: s.name, status: 201, body: "ok" });
      } finally {
        await app.close();
      }
    }
  });

  test("when every-state is applied, then lp has each training and induction status, a mentor, a transfer in and out, a 2021 participant the frozen-cohort move takes, and a declaration in each state", async () => {
    const app = await createTestApp();
    try {
      const r = await app.admin("POST", "/admin/scenarios/every-state");
      expect(r.status).toBe(201);
      const refs = r.body.refs;
      const token = refs.lp.api_token;
      const get = async (path: string) => (await app.call("GET", `/api/v2${path}`, { token })).body;
      const participants = (await get("/participants/ecf?page[per_page]=100")).data;
      const enrolments = participants.map((p: any) => ({ ...p.attributes, id: p.id }));
      const ofRef = (ref: string) => enrolments.find((e: any) => e.id === refs[ref].participant_id);
      expect(new Set(enrolments.map((e: any) => e.training_status))).toEqual(new Set(["active", "deferred", "withdrawn"]));
      expect(ofRef("deferred").training_status).toBe("deferred");
      expect(ofRef("withdrawn").training_status).toBe("withdrawn");
      expect(ofRef("induction-withdrawn").status).toBe("withdrawn");
      expect(ofRef("active").status).toBe("active");
      expect(ofRef("mentored").mentor_id).toBe(refs.mentor.participant_id);
      expect(ofRef("transferred-in")).toBeDefined();
      // the provider a participant left keeps seeing it as it last was; the other provider trains it now
      const otherSees = (await app.call("GET", `/api/v2/participants/ecf/${refs["transferred-out"].participant_id}`, { token: refs.other.api_token })).status;
      expect(otherSees).toBe(200);
      const declarations = (await get("/participant-declarations?page[per_page]=100")).data;
      expect(new Set(declarations.map((d: any) => d.attributes.state))).toEqual(
        new Set(["submitted", "eligible", "payable", "paid", "voided", "ineligible", "awaiting-clawback", "clawed-back"]), // v2 dasherises states
      );
      // the 2021 participant with a paid started declaration moves to the active registration cohort, 2025 at the
      // scenario's clock (the payments-frozen exception, change_schedule.rb:80-86)
      const move = await app.call("PUT", `/api/v2/participants/ecf/${refs["frozen-2021"].participant_id}/change-schedule`, {
        token,
        body: { data: { type: "participant-change-schedule", attributes: { schedule_identifier: "ecf-standard-september", course_identifier: "ecf-induction", cohort: 2025 } } },
      });
      expect({ status: move.status, body: move.status === 200 ? "ok" : move.body }).toEqual({ status: 200, body: "ok" });
      expect(move.body.data.attributes.cohort).toBe("2025");
    } finally {
      await app.close();
    }
  });

  test("when a shipped scenario is applied twice, then the second is refused (its providers' names must be new) and writes nothing", async () => {
    const app = await createTestApp();
    try {
      expect((await app.admin("POST", "/admin/scenarios/ten-ects")).status).toBe(201);
      const again = await app.admin("POST", "/admin/scenarios/ten-ects");
      expect(again.status).toBe(422);
      expect(again.body.errors[0].title).toBe("lead_providers[0].name");
    } finally {
      await app.close();
    }
  });
});

describe("the scenario document's schema", () => {
  test("when the served OpenAPI document is read, then POST /admin/scenarios takes the ScenarioDocument schema with every section", async () => {
    const doc = (await t.call("GET", "/api-docs/json")).body;
    const op = doc.paths["/admin/scenarios"].post;
    let schema = op.requestBody.content["application/json"].schema;
    if (schema.$ref) schema = doc.components.schemas[schema.$ref.split("/").pop()];
    expect(Object.keys(schema.properties)).toEqual(["description", "clock", "lead_providers", "participants", "declarations", "actions", "transfers", "induction_statuses"]);
    expect(schema.properties.declarations.items.properties.state.anyOf.map((s: any) => s.const)).toContain("awaiting_clawback");
  });
});

describe("SCENARIO at start and the scenario command", () => {
  const cli = join(import.meta.dir, "../../src/cli.ts");
  const dir = mkdtempSync(join(tmpdir(), "scenario-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (env: Record<string, string>, ...args: string[]) => {
    const p = Bun.spawnSync([process.execPath, cli, ...args], { env: { ...process.env, SEED: "none", LOG_REQUESTS: "off", ...env }, stdout: "pipe", stderr: "pipe" });
    return { code: p.exitCode, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
  };

  test("when SCENARIO names a file, then a new database is built from it instead of the demo data, its clock is the server's, and its refs are printed", async () => {
    const file = join(dir, "start.json");
    writeFileSync(file, JSON.stringify(CONTRACT_EXAMPLE));
    const server = await startServerProcess({ DATABASE_PATH: join(dir, "start.sqlite"), ADMIN_TOKEN, SCENARIO: file, SEED: "demo" });
    try {
      expect(server.stdout()).toContain("SCENARIO applied; refs: ");
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const providers = (await (await fetch(`${server.url}/admin/lead-providers`, { headers: admin })).json()) as { name: string }[];
      expect(providers.map((p) => p.name).sort()).toEqual(["Other provider", "Test provider"]);
      const clock = (await (await fetch(`${server.url}/admin/clock`, { headers: admin })).json()) as { now: string };
      expect(clock.now).toStartWith("2025-10-01T09:0");
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("when SCENARIO's document is refused, then start-up stops with one line naming the item's place (exit 2)", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ ...CONTRACT_EXAMPLE, declarations: [{ participant: "nobody", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z" }] }));
    const r = run({ DATABASE_PATH: join(dir, "bad.sqlite"), ADMIN_TOKEN, SCENARIO: file, PORT: "0" }, "serve");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("declarations[0].participant");
  }, 30_000);

  test("when `scenario apply NAME` and `scenario list` are run, then the refs map is printed as JSON and the shipped scenarios are listed", () => {
    const env = { DATABASE_PATH: join(dir, "cli.sqlite"), ADMIN_TOKEN };
    const applied = run(env, "scenario", "apply", "ten-ects");
    expect(applied.code).toBe(0);
    const refs = JSON.parse(applied.stdout);
    expect(Object.keys(refs).length).toBeGreaterThan(10);
    const again = run(env, "scenario", "apply", "ten-ects");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("lead_providers[0].name");
    const list = run(env, "scenario", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^every-state\s+One lead provider/m);
    expect(run(env, "scenario", "--help").stdout).toContain("scenario apply FILE");
    expect(run(env, "scenario", "apply").code).toBe(2);
    expect(run(env, "scenario", "apply", join(dir, "missing.json")).code).toBe(2);
  }, 30_000);
});
