import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../../db/connection";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";

const NOW = "2025-10-01T12:00:00Z";
const DECLARATIONS = "/api/v2/participant-declarations";
const PARTICIPANTS = "/api/v2/participants/ecf";

type Provider = { id: string; name: string; token: string };

async function declare(t: TestApp, p: Provider, participantId: string, type: string, date: string) {
  const r = await t.call("POST", DECLARATIONS, {
    token: p.token,
    headers: { "x-with-server-date": NOW },
    body: { data: { type: "participant-declaration", attributes: { participant_id: participantId, declaration_type: type, declaration_date: date, course_identifier: "ecf-induction" } } },
  });
  if (r.status !== 200) throw new Error(`declare: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data.id as string;
}

async function act(t: TestApp, p: Provider, participantId: string, action: string, attributes: Record<string, unknown>) {
  const r = await t.call("PUT", `${PARTICIPANTS}/${participantId}/${action}`, {
    token: p.token,
    headers: { "x-with-server-date": NOW },
    body: { data: { type: `participant-${action}`, attributes: { course_identifier: "ecf-induction", ...attributes } } },
  });
  if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Everything the v2 API and the admin API show, as raw bytes, per provider. */
async function everything(t: TestApp, providers: Provider[]): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  const admin = await t.request("GET", "/admin/lead-providers", { token: ADMIN_TOKEN });
  // last use moves with every request; the rest must match
  seen["admin lead providers"] = JSON.stringify(((await admin.json()) as any[]).map((p: any) => ({ ...p, tokens: p.tokens?.map((x: any) => ({ ...x, last_used_at: undefined })) })));
  for (const p of providers) {
    for (const path of [
      `${PARTICIPANTS}?page[per_page]=100`,
      `${PARTICIPANTS}?page[per_page]=2&page[page]=2`,
      `${PARTICIPANTS}.csv`,
      `${DECLARATIONS}?page[per_page]=100`,
      `${DECLARATIONS}.csv`,
    ]) {
      const r = await t.request("GET", path, { token: p.token, headers: { "x-with-server-date": NOW } });
      seen[`${p.name} ${path}`] = `${r.status} ${await r.text()}`;
    }
    const list = JSON.parse(seen[`${p.name} ${PARTICIPANTS}?page[per_page]=100`]!.slice(4));
    for (const participant of list.data ?? []) {
      const r = await t.request("GET", `${PARTICIPANTS}/${participant.id}`, { token: p.token });
      seen[`${p.name} participant ${participant.id}`] = `${r.status} ${await r.text()}`;
    }
    const declarations = JSON.parse(seen[`${p.name} ${DECLARATIONS}?page[per_page]=100`]!.slice(4));
    for (const d of declarations.data ?? []) {
      const r = await t.request("GET", `${DECLARATIONS}/${d.id}`, { token: p.token });
      seen[`${p.name} declaration ${d.id}`] = `${r.status} ${await r.text()}`;
    }
  }
  return seen;
}

/** A world with two providers, participants in several states, declarations in several states, and a transfer. */
async function buildWorld(t: TestApp) {
  const a = await t.newProvider("Snapshot A");
  const b = await t.newProvider("Snapshot B");
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await t.newParticipant(a.id, { cohort: 2025 })).participant_id);
  const mentor = (await t.newParticipant(b.id, { cohort: 2025, participant_type: "mentor" })).participant_id;
  const started = await declare(t, a, ids[0]!, "started", "2025-09-15T10:00:00Z");
  await declare(t, a, ids[1]!, "started", "2025-09-16T10:00:00Z");
  await t.admin("PUT", `/admin/participant-declarations/${started}/state`, { state: "eligible" });
  await act(t, a, ids[2]!, "defer", { reason: "bereavement" });
  await act(t, a, ids[3]!, "withdraw", { reason: "left-teaching-profession" });
  await t.admin("POST", `/admin/participants/${ids[4]}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id, school_urn: "654321" });
  return { a, b, ids, mentor };
}

/** Every kind of change the APIs allow. */
async function changeEverything(t: TestApp, world: Awaited<ReturnType<typeof buildWorld>>) {
  const { a, b, ids } = world;
  const list = (await t.call("GET", `${DECLARATIONS}`, { token: a.token })).body.data;
  const voided = list.find((d: any) => d.attributes.participant_id === ids[1])!.id;
  expect((await t.call("PUT", `${DECLARATIONS}/${voided}/void`, { token: a.token })).status).toBe(200);
  await declare(t, a, ids[5]!, "started", "2025-09-20T10:00:00Z");
  await act(t, a, ids[2]!, "resume", {});
  await act(t, a, ids[0]!, "change-schedule", { schedule_identifier: "ecf-extended-september" }).catch(() => undefined);
  await t.admin("PUT", `/admin/participants/${ids[5]}/induction-status`, { course_identifier: "ecf-induction", status: "withdrawn" });
  await t.admin("POST", `/admin/participants/${ids[0]}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id });
  const c = await t.newProvider("Snapshot C (after the save)");
  await t.newParticipant(c.id, { cohort: 2025 });
  await t.newParticipant(a.id, { cohort: 2024 });
  const extra = await t.admin("POST", `/admin/lead-providers/${a.id}/api-tokens`);
  const revoked = (await t.admin("GET", "/admin/lead-providers")).body.find((p: any) => p.id === b.id).tokens[0].id;
  expect((await t.admin("DELETE", `/admin/api-tokens/${revoked}`)).status).toBe(200);
  return { c, extraToken: extra.body.api_token as string };
}

describe("snapshots (docs/reference/sandbox-contract.md, Snapshots)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test("when a world is saved, changed in every way, and restored, then every v2 and admin answer is byte for byte as saved", async () => {
    const world = await buildWorld(t);
    const providers = [world.a, world.b];
    const before = await everything(t, providers);
    const saved = await t.admin("PUT", "/admin/snapshots/world");
    expect(saved.status).toBe(201);
    expect(Object.keys(saved.body)).toEqual(["name", "created_at", "size_bytes"]);
    expect(saved.body.name).toBe("world");
    expect(saved.body.size_bytes).toBeGreaterThan(0);

    t.clock.set(new Date("2025-10-02T09:00:00Z"));
    const { c, extraToken } = await changeEverything(t, world);
    const newAdmin = await t.admin("POST", "/admin/lead-providers", { name: "unused" }); // one more write
    expect(newAdmin.status).toBe(201);
    expect(await everything(t, providers)).not.toEqual(before);

    const restored = await t.admin("POST", "/admin/snapshots/world/restore");
    expect(restored.status).toBe(200);
    expect(restored.body.name).toBe("world");
    // the admin clock is kept as it was moved
    expect(restored.body.restored_at.slice(0, 10)).toBe("2025-10-02");
    expect(await everything(t, providers)).toEqual(before);
    // what was made after the save is gone: the new provider's and the new token are refused; the revoked token works again
    expect((await t.call("GET", PARTICIPANTS, { token: c.token })).status).toBe(401);
    expect((await t.call("GET", PARTICIPANTS, { token: extraToken })).status).toBe(401);
    expect((await t.call("GET", PARTICIPANTS, { token: world.b.token })).status).toBe(200);
    t.clock.reset();
  });

  test("when an admin token is made after the save, then it still works after the restore", async () => {
    await t.admin("PUT", "/admin/snapshots/admin-kept");
    const tokens = await t.database.db.selectFrom("api_tokens").select("id").where("kind", "=", "admin").execute();
    // a second admin token, as `token create --admin` makes
    const { storeToken } = await import("../../src/modules/auth/tokens");
    await storeToken(t.database.db, "second-admin-token", "admin", null, new Date());
    expect((await t.admin("POST", "/admin/snapshots/admin-kept/restore")).status).toBe(200);
    const second = await t.call("GET", "/admin/snapshots", { token: "second-admin-token" });
    expect(second.status).toBe(200);
    expect((await t.database.db.selectFrom("api_tokens").select("id").where("kind", "=", "admin").execute()).length).toBe(tokens.length + 1);
  });

  test("when snapshots are saved, replaced, listed and deleted, then the statuses and the order follow the contract", async () => {
    expect((await t.admin("PUT", "/admin/snapshots/one")).status).toBe(201);
    await Bun.sleep(5);
    expect((await t.admin("PUT", "/admin/snapshots/two.v-2_x")).status).toBe(201);
    await Bun.sleep(5);
    const replaced = await t.admin("PUT", "/admin/snapshots/one");
    expect(replaced.status).toBe(200);
    const list = await t.admin("GET", "/admin/snapshots");
    expect(list.status).toBe(200);
    const names = list.body.map((s: any) => s.name);
    expect(names.indexOf("one")).toBeLessThan(names.indexOf("two.v-2_x"));
    expect(list.body.find((s: any) => s.name === "one")).toEqual(replaced.body);
    expect(await t.admin("DELETE", "/admin/snapshots/one")).toEqual({ status: 200, body: { name: "one", deleted: true } });
    expect((await t.admin("GET", "/admin/snapshots")).body.map((s: any) => s.name)).not.toContain("one");
    for (const [method, path] of [["DELETE", "/admin/snapshots/one"], ["POST", "/admin/snapshots/nope/restore"]] as const) {
      const r = await t.admin(method, path);
      expect(r.status).toBe(404);
      expect(r.body.errors[0]).toEqual({ title: "Not found", detail: expect.stringContaining("no snapshot named") });
    }
  });

  test("when a name is not allowed, then 422 naming `name`", async () => {
    for (const name of ["a%20b", "x".repeat(65), "a%2Fb", "%C3%A9t%C3%A9", "a:b"]) {
      for (const [method, path] of [["PUT", `/admin/snapshots/${name}`], ["POST", `/admin/snapshots/${name}/restore`], ["DELETE", `/admin/snapshots/${name}`]] as const) {
        const r = await t.admin(method, path);
        expect(r.status).toBe(422);
        expect(r.body.errors[0].title).toBe("name");
      }
    }
  });

  test("when a lead provider's token is used, then the snapshot calls answer 401", async () => {
    const p = await t.newProvider();
    expect((await t.call("PUT", "/admin/snapshots/x", { token: p.token })).status).toBe(401);
    expect((await t.call("GET", "/admin/snapshots", { token: p.token })).status).toBe(401);
  });

  test("when the routes are documented, then /api-docs/json lists them", async () => {
    const spec = (await t.call("GET", "/api-docs/json")).body;
    expect(spec.paths["/admin/snapshots/{name}"].put).toBeDefined();
    expect(spec.paths["/admin/snapshots/{name}"].delete).toBeDefined();
    expect(spec.paths["/admin/snapshots/{name}/restore"].post).toBeDefined();
    expect(spec.paths["/admin/snapshots"].get).toBeDefined();
  });
});

describe("restore while reading", () => {
  test("when a restore runs under concurrent reads, then no read errs and each answer is wholly the old state or wholly the new", async () => {
    const t = await createTestApp();
    try {
      const p = await t.newProvider("Concurrent");
      for (let i = 0; i < 5; i++) await t.newParticipant(p.id, { cohort: 2025 });
      const read = async () => {
        const r = await t.request("GET", `${PARTICIPANTS}?page[per_page]=100`, { token: p.token });
        return `${r.status} ${await r.text()}`;
      };
      const old = await read();
      await t.admin("PUT", "/admin/snapshots/small");
      for (let i = 0; i < 20; i++) await t.newParticipant(p.id, { cohort: 2024 });
      const changed = await read();
      expect(changed).not.toBe(old);
      const answers: string[] = [];
      let restoring = true;
      const readers = Array.from({ length: 8 }, async () => {
        while (restoring) {
          answers.push(await read());
          // app.handle on a cached answer never leaves the microtask queue: let timers run
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
      await Bun.sleep(5);
      const restore = await t.admin("POST", "/admin/snapshots/small/restore");
      restoring = false;
      await Promise.all(readers);
      expect(restore.status).toBe(200);
      const after = await read();
      expect(after).toBe(old);
      expect(answers.length).toBeGreaterThan(8);
      for (const answer of answers) expect([old, changed]).toContain(answer);
    } finally {
      await t.close();
    }
  });

  test("when requests are in flight at a restore, then they finish on the old state and the ones after it see the new", async () => {
    const t = await createTestApp();
    try {
      const p = await t.newProvider("In flight");
      await t.newParticipant(p.id, { cohort: 2025 });
      await t.admin("PUT", "/admin/snapshots/base");
      const { participant_id } = await t.newParticipant(p.id, { cohort: 2025 });
      // a POST in flight (group commit waits a tick) when the restore is asked for
      const post = declare(t, p, participant_id, "started", "2025-09-15T10:00:00Z");
      const restore = t.admin("POST", "/admin/snapshots/base/restore");
      const declared = await post;
      expect((await restore).status).toBe(200);
      expect(typeof declared).toBe("string");
      // the restore came after the POST, so its declaration is gone, and so is the participant
      expect((await t.call("GET", `${DECLARATIONS}/${declared}`, { token: p.token })).status).toBe(404);
      expect((await t.call("GET", `${PARTICIPANTS}/${participant_id}`, { token: p.token })).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe("restore while a CSV streams", () => {
  test("when a CSV download is under way at a restore, then the restore waits for its last batch, and the CSV is wholly the old state", async () => {
    const t = await createTestApp();
    try {
      const p = await t.newProvider("Streaming");
      for (let i = 0; i < 3; i++) await t.newParticipant(p.id, { cohort: 2025 });
      await t.admin("PUT", "/admin/snapshots/csv-base");
      await t.newParticipant(p.id, { cohort: 2025 });
      const expected = await (await t.request("GET", `${PARTICIPANTS}.csv`, { token: p.token })).text();
      // the answer has come back, but its body has not been read yet
      const download = await t.request("GET", `${PARTICIPANTS}.csv`, { token: p.token });
      let restored = false;
      const restore = t.admin("POST", "/admin/snapshots/csv-base/restore").then((r) => {
        restored = true;
        return r;
      });
      await Bun.sleep(30);
      expect(restored).toBe(false);
      expect(await download.text()).toBe(expected);
      expect((await restore).status).toBe(200);
      const after = await (await t.request("GET", `${PARTICIPANTS}.csv`, { token: p.token })).text();
      expect(after.split("\n").length).toBe(expected.split("\n").length - 1);
    } finally {
      await t.close();
    }
  });
});

describe("snapshots on disk", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "snapshots-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("when the service restarts between the save and the restore, then the snapshot is still there and restores", async () => {
    const path = join(dir, "sandbox.sqlite");
    const first = await createTestApp({ path });
    const world = await buildWorld(first);
    const before = await everything(first, [world.a, world.b]);
    expect((await first.admin("PUT", "/admin/snapshots/kept")).status).toBe(201);
    expect(existsSync(join(dir, "sandbox.sqlite.snapshots", "kept.sqlite"))).toBe(true);
    await changeEverything(first, world);
    await first.close();

    const second = await createTestApp({ path });
    try {
      const list = await second.admin("GET", "/admin/snapshots");
      expect(list.body.map((s: any) => s.name)).toEqual(["kept"]);
      expect((await second.admin("POST", "/admin/snapshots/kept/restore")).status).toBe(200);
      expect(await everything(second, [world.a, world.b])).toEqual(before);
    } finally {
      await second.close();
    }
  });

  test("when a snapshot file is damaged, then the restore is refused with 422 saying so, and nothing changes", async () => {
    const path = join(dir, "damaged.sqlite");
    const t = await createTestApp({ path });
    try {
      const p = await t.newProvider("Damaged");
      expect((await t.admin("PUT", "/admin/snapshots/broken")).status).toBe(201);
      await Bun.write(join(dir, "damaged.sqlite.snapshots", "broken.sqlite"), "this is not a database, just text long enough to look like a header........................................................");
      const before = await everything(t, [p]);
      const r = await t.admin("POST", "/admin/snapshots/broken/restore");
      expect(r.status).toBe(422);
      expect(r.body.errors[0]).toEqual({ title: "name", detail: expect.stringContaining("snapshot 'broken' cannot be read") });
      expect(await everything(t, [p])).toEqual(before);
      // the service goes on serving
      expect((await t.admin("PUT", "/admin/snapshots/fine")).status).toBe(201);
    } finally {
      await t.close();
    }
  });

  test("when a snapshot comes from a newer sandbox, then the restore is refused with a clear message and nothing changes", async () => {
    const path = join(dir, "newer.sqlite");
    const t = await createTestApp({ path });
    try {
      const p = await t.newProvider("Newer");
      expect((await t.admin("PUT", "/admin/snapshots/future")).status).toBe(201);
      const file = openDatabase(join(dir, "newer.sqlite.snapshots", "future.sqlite"));
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(file.db);
      await file.close();
      await t.newParticipant(p.id);
      const before = await everything(t, [p]);
      const r = await t.admin("POST", "/admin/snapshots/future/restore");
      expect(r.status).toBe(422);
      expect(r.body.errors[0].title).toBe("name");
      expect(r.body.errors[0].detail).toContain("newer version of the sandbox");
      expect(r.body.errors[0].detail).toContain("9999_from_the_future");
      expect(await everything(t, [p])).toEqual(before);
    } finally {
      await t.close();
    }
  });
});

describe("snapshots with DATABASE_PATH=:memory:", () => {
  test("when the database is in memory, then snapshots live in memory and restore", async () => {
    const t = await createTestApp();
    try {
      const p = await t.newProvider("Memory");
      await t.newParticipant(p.id);
      const before = await everything(t, [p]);
      expect((await t.admin("PUT", "/admin/snapshots/mem")).status).toBe(201);
      await t.newParticipant(p.id);
      expect(await everything(t, [p])).not.toEqual(before);
      expect((await t.admin("POST", "/admin/snapshots/mem/restore")).status).toBe(200);
      expect(await everything(t, [p])).toEqual(before);
      expect((await t.admin("GET", "/admin/snapshots")).body.map((s: any) => s.name)).toEqual(["mem"]);
    } finally {
      await t.close();
    }
  });
});

describe("restores that write back only the tracked rows", () => {
  test("when the snapshot the database last equalled is restored, then only the changed rows are written, with the same result as comparing every row", async () => {
    const { restoreSnapshot } = await import("../../src/modules/snapshots/service");
    const dir = mkdtempSync(join(tmpdir(), "snapshots-tracked-"));
    const path = join(dir, "sandbox.sqlite");
    const t = await createTestApp({ path });
    try {
      const world = await buildWorld(t);
      const providers = [world.a, world.b];
      const before = await everything(t, providers);
      expect((await t.admin("PUT", "/admin/snapshots/tracked")).status).toBe(201);
      const ctx = (t.app as any).decorator.ctx;

      await changeEverything(t, world);
      const tracked = await restoreSnapshot(t.database.db, ctx.snapshots, "tracked", ctx.snapshotBase);
      expect(tracked).toMatchObject({ status: "restored", compared: "tracked rows" });
      expect(tracked.status === "restored" && tracked.changedRows).toBeGreaterThan(0);
      expect(await everything(t, providers)).toEqual(before);

      // again, restored by comparing every row (no base): nothing left to write
      const full = await restoreSnapshot(t.database.db, ctx.snapshots, "tracked");
      expect(full).toMatchObject({ status: "restored", compared: "every row", changedRows: 0 });

      // a write by another connection (e.g. the CLI) is not tracked: every row is compared
      const other = openDatabase(path);
      await other.db.deleteFrom("declaration_state_history").execute();
      await other.close();
      const afterOther = await restoreSnapshot(t.database.db, ctx.snapshots, "tracked", ctx.snapshotBase);
      expect(afterOther).toMatchObject({ status: "restored", compared: "every row" });
      expect(afterOther.status === "restored" && afterOther.changedRows).toBeGreaterThan(0);
      expect(await everything(t, providers)).toEqual(before);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("change tracking under upserts", () => {
  test("when a snapshot has been saved and an upsert changes a tracked row (a v3 milestone set twice), then each answers 200 and a restore undoes both", async () => {
    const t = await createTestApp({ path: join(mkdtempSync(join(tmpdir(), "snapshot-upsert-")), "db.sqlite") });
    try {
      const path = "/admin/v3/schedules/2025/ecf-standard-september/milestones/started";
      const milestones = () => t.database.db.selectFrom("rect_milestones").selectAll().orderBy("id").execute();
      const before = await milestones();
      expect((await t.admin("PUT", "/admin/snapshots/upsert-base")).status).toBe(201);
      // the tracking triggers once noted with INSERT OR IGNORE, which the upsert's own conflict clause overrode: a 500
      expect((await t.admin("PUT", path, { start_date: "2025-06-01", milestone_date: "2025-12-31" })).status).toBe(200);
      expect((await t.admin("PUT", path, { start_date: "2025-06-02", milestone_date: "2025-12-31" })).status).toBe(200);
      expect(await milestones()).not.toEqual(before);
      expect((await t.admin("POST", "/admin/snapshots/upsert-base/restore")).status).toBe(200);
      expect(await milestones()).toEqual(before);
    } finally {
      await t.close();
    }
  });
});
