import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Database from "better-sqlite3/linux-x64";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let path: string;
let provider: { id: string; token: string };
let participant: { participant_id: string; training_record_id: string };

beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), "cache-")), "db.sqlite");
  t = await createTestApp({ path });
  provider = await t.newProvider();
  participant = await t.newParticipant(provider.id, { cohort: 2025, full_name: "Before Change" });
});
afterAll(() => t.close());

const get = (p: string) => t.call("GET", p, { token: provider.token });

describe("the response cache", () => {
  test("when the same page is asked twice with no write between, then the bytes are the same", async () => {
    const a = await t.request("GET", "/api/v2/participants/ecf", { token: provider.token });
    const b = await t.request("GET", "/api/v2/participants/ecf", { token: provider.token });
    expect(await a.text()).toBe(await b.text());
  });

  test("when this process writes, then the next answer shows the write", async () => {
    expect((await get(`/api/v2/participants/ecf/${participant.participant_id}`)).body.data.attributes.training_status).toBe("active");
    const r = await t.call("PUT", `/api/v2/participants/ecf/${participant.participant_id}/defer`, {
      token: provider.token,
      body: { data: { attributes: { course_identifier: "ecf-induction", reason: "bereavement" } } },
    });
    expect(r.status).toBe(200);
    expect((await get(`/api/v2/participants/ecf/${participant.participant_id}`)).body.data.attributes.training_status).toBe("deferred");
    expect((await get("/api/v2/participants/ecf")).body.data[0].attributes.training_status).toBe("deferred");
  });

  test("when another process writes the database file, then the next answer shows it", async () => {
    expect((await get("/api/v2/participants/ecf")).body.data[0].attributes.full_name).toBe("Before Change");
    const other = new Database(path);
    other.pragma("busy_timeout = 5000");
    other.prepare("update participants set full_name = 'Changed Elsewhere' where id = ?").run(participant.participant_id);
    other.close();
    expect((await get("/api/v2/participants/ecf")).body.data[0].attributes.full_name).toBe("Changed Elsewhere");
    expect((await get(`/api/v2/participants/ecf/${participant.participant_id}`)).body.data.attributes.full_name).toBe("Changed Elsewhere");
  });

  test("when two providers ask the same URL, then each gets its own answer", async () => {
    const other = await t.newProvider();
    const mine = await get("/api/v2/participants/ecf");
    const theirs = await t.call("GET", "/api/v2/participants/ecf", { token: other.token });
    expect(mine.body.data).toHaveLength(1);
    expect(theirs.body).toEqual({ data: [] });
  });

  test("when a GET fails (404), then nothing is cached and a later success is served", async () => {
    const id = crypto.randomUUID();
    expect((await get(`/api/v2/participants/ecf/${id}`)).status).toBe(404);
    await t.newParticipant(provider.id, { participant_id: participant.participant_id, participant_type: "mentor", cohort: 2025 });
    expect((await get(`/api/v2/participants/ecf/${id}`)).status).toBe(404);
    const list = await get("/api/v2/participants/ecf");
    expect(list.body.data).toHaveLength(2);
  });
});

describe("compression", () => {
  test("when the client accepts gzip, then a list comes gzipped and inflates to the plain answer", async () => {
    const plain = await (await t.request("GET", "/api/v2/participants/ecf", { token: provider.token })).text();
    for (let i = 0; i < 2; i++) {
      const r = await t.request("GET", "/api/v2/participants/ecf", { token: provider.token, headers: { "accept-encoding": "gzip, deflate" } });
      expect(r.status).toBe(200);
      expect(r.headers.get("content-encoding")).toBe("gzip");
      expect(r.headers.get("content-type")).toBe("application/vnd.api+json");
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(plain);
    }
  });

  test("when the client does not ask for gzip, then the answer is plain", async () => {
    const r = await t.request("GET", "/api/v2/participants/ecf", { token: provider.token, headers: { "accept-encoding": "identity" } });
    expect(r.headers.get("content-encoding")).toBeNull();
  });
});

describe("paging through a provider's list", () => {
  test("when every page is read in turn, with and without writes between, then the pages join up to the whole list exactly once", async () => {
    const p = await t.newProvider();
    for (let i = 0; i < 23; i++) await t.newParticipant(p.id, { cohort: 2024 + (i % 2) });
    const all = (await t.call("GET", "/api/v2/participants/ecf?page[per_page]=3000", { token: p.token })).body.data.map((d: any) => d.attributes.training_record_id);
    expect(all).toHaveLength(23);
    const read = async (perPage: number, pages: number[]) => {
      const seen: string[] = [];
      for (const page of pages) {
        const r = await t.call("GET", `/api/v2/participants/ecf?page[per_page]=${perPage}&page[page]=${page}`, { token: p.token });
        seen.push(...r.body.data.map((d: any) => d.attributes.training_record_id));
      }
      return seen;
    };
    expect(await read(5, [1, 2, 3, 4, 5])).toEqual(all);
    expect(await read(4, [1, 2, 3, 4, 5, 6])).toEqual(all);
    // out of order, and a page size that does not divide the earlier ones
    expect((await read(7, [3, 1, 4, 2])).sort()).toEqual([...all].sort());
    // a write between pages: the next page is computed afresh, with the new row at the end
    const first = await read(10, [1]);
    const added = await t.newParticipant(p.id, { cohort: 2024 });
    const rest = await read(10, [2, 3]);
    expect([...first, ...rest]).toEqual([...all, added.training_record_id]);
  });
});
