/**
 * The read model's views, triggers and stored documents are derived objects
 * (db/derived.ts): rebuilt from ParticipantResource whenever the hash stored
 * in the database is not the code's. A database or a snapshot last written
 * by another build (simulated: another hash, stale documents) answers, once
 * opened or restored, byte for byte what this build renders.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../../db/connection";
import { derivedHash, rebuildDerived } from "../../db/derived";
import { DERIVED_OBJECTS } from "../../src/derived-objects";
import { PARTICIPANT_DOCUMENTS } from "../../src/modules/participants/service";
import { type TestApp, createTestApp } from "../support/app";

const dir = mkdtempSync(join(tmpdir(), "derived-objects-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function world(t: TestApp) {
  const provider = await t.newProvider();
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await t.newParticipant(provider.id, { full_name: i === 1 ? 'O"Brien, Jo' : `Person ${i}` }));
  const put = await t.call("PUT", `/api/v2/participants/ecf/${people[2]!.participant_id}/withdraw`, {
    token: provider.token,
    body: { data: { type: "participant-withdraw", attributes: { reason: "moved-school", course_identifier: "ecf-induction" } } },
  });
  expect(put.status).toBe(200);
  return { provider, people };
}

async function answers(t: TestApp, token: string, ids: string[]) {
  const out: string[] = [];
  for (const path of ["/api/v2/participants/ecf", "/api/v2/participants/ecf.csv", ...ids.map((id) => `/api/v2/participants/ecf/${id}`)]) {
    const r = await t.request("GET", path, { token });
    expect(r.status).toBe(200);
    out.push(await r.text());
  }
  return out;
}

/** What an older build leaves: another hash, and documents it rendered its own way. */
async function makeStale(path: string) {
  const database = openDatabase(path);
  try {
    await sql`update derived_objects set hash = 'an older build'`.execute(database.db);
    await sql`update participant_documents set resource = '{"stale":true}', csv = ${"stale\n"}`.execute(database.db);
    await sql`drop trigger participant_documents_person_update`.execute(database.db);
  } finally {
    await database.close();
  }
}

describe("derived objects (issue 17 item 2)", () => {
  test("when a database was last opened by an older build, then the next open re-renders it and every answer is byte for byte as before", async () => {
    const path = join(dir, "older.sqlite");
    let t = await createTestApp({ path });
    const { provider, people } = await world(t);
    const ids = people.map((p) => p.participant_id);
    const before = await answers(t, provider.token, ids);
    await t.close();

    await makeStale(path);
    t = await createTestApp({ path });
    try {
      expect(await answers(t, provider.token, ids)).toEqual(before);
      const stored = await sql<{ hash: string }>`select hash from derived_objects where name = 'participant_documents'`.execute(t.database.db);
      expect(stored.rows[0]!.hash).toBe(derivedHash(PARTICIPANT_DOCUMENTS));
      // the dropped trigger is back: a write to the person is rendered
      await sql`update participants set full_name = 'Renamed' where id = ${ids[0]!}`.execute(t.database.db);
      expect(await (await t.request("GET", `/api/v2/participants/ecf/${ids[0]}`, { token: provider.token })).text()).toContain('"full_name":"Renamed"');
      // and with the code's hash stored, a start rebuilds nothing
      expect(await rebuildDerived(t.database.db, DERIVED_OBJECTS)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  test("when a snapshot saved by an older build is restored, then its documents are re-rendered in the restore and the answers are as saved", async () => {
    const path = join(dir, "snapshot.sqlite");
    const t = await createTestApp({ path });
    try {
      const { provider, people } = await world(t);
      const ids = people.map((p) => p.participant_id);
      const before = await answers(t, provider.token, ids);
      expect((await t.admin("PUT", "/admin/snapshots/older")).status).toBe(201);
      await makeStale(join(`${path}.snapshots`, "older.sqlite"));

      await t.newParticipant(provider.id, { full_name: "After the save" });
      expect(await answers(t, provider.token, ids)).not.toEqual(before);
      expect((await t.admin("POST", "/admin/snapshots/older/restore")).status).toBe(200);
      expect(await answers(t, provider.token, ids)).toEqual(before);
      // restored again (now compared row by row, the documents differ from the file's): still consistent
      await t.newParticipant(provider.id, { full_name: "After the restore" });
      expect((await t.admin("POST", "/admin/snapshots/older/restore")).status).toBe(200);
      expect(await answers(t, provider.token, ids)).toEqual(before);
      const stale = await sql<{ n: number }>`select count(*) as n from participant_documents where resource = '{"stale":true}'`.execute(t.database.db);
      expect(stale.rows[0]!.n).toBe(0);
    } finally {
      await t.close();
    }
  });
});
