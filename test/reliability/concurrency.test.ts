import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestApp, type TestApp } from "../support/app";

/** Concurrency over a real socket, on a file database (WAL), as a provider's parallel test suite would hit it. */
let t: TestApp;
let url: string;
let provider: { id: string; token: string };

beforeAll(async () => {
  t = await createTestApp({ path: join(mkdtempSync(join(tmpdir(), "conc-")), "db.sqlite") });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  url = `http://127.0.0.1:${t.app.server!.port}`;
  provider = await t.newProvider();
});
afterAll(async () => {
  await t.app.stop();
  await t.close();
});

const put = (path: string, body: unknown, now?: string) =>
  fetch(`${url}${path}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${provider.token}`, "content-type": "application/json", ...(now ? { "x-with-server-date": now } : {}) },
    body: JSON.stringify(body),
  });

describe("concurrency", () => {
  test("when 64 identical declaration POSTs race, then exactly one is accepted and one billable declaration exists", async () => {
    const p = await t.newParticipant(provider.id, { cohort: 2025 });
    const body = JSON.stringify({ data: { type: "participant-declaration", attributes: { participant_id: p.participant_id, declaration_type: "started", declaration_date: "2025-09-10T10:00:00Z", course_identifier: "ecf-induction" } } });
    const responses = await Promise.all(
      Array.from({ length: 64 }, () =>
        fetch(`${url}/api/v2/participant-declarations`, {
          method: "POST",
          headers: { authorization: `Bearer ${provider.token}`, "content-type": "application/json", "x-with-server-date": "2025-10-01T12:00:00Z" },
          body,
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(63);
    const refusals = await Promise.all(responses.filter((r) => r.status === 422).map((r) => r.json()));
    for (const r of refusals) expect((r as any).errors[0].title).toBe("base");
    const rows = await t.database.db.selectFrom("declarations").select(["id", "state"]).where("participant_id", "=", p.participant_id).execute();
    expect(rows).toHaveLength(1);
  });

  test("when defer, resume and withdraw race on one participant, then each accepted change is in the history and the final state is the last accepted one", async () => {
    const p = await t.newParticipant(provider.id, { cohort: 2025 });
    const actions = Array.from({ length: 30 }, (_, i) => ["defer", "resume", "withdraw"][i % 3]!);
    const results = await Promise.all(
      actions.map(async (action, i) => {
        const r = await put(`/api/v2/participants/ecf/${p.participant_id}/${action}`, {
          data: { attributes: { course_identifier: "ecf-induction", reason: action === "defer" ? "bereavement" : "other" } },
        });
        return { action, status: r.status, i };
      }),
    );
    const accepted = results.filter((r) => r.status === 200);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of results) expect([200, 422]).toContain(r.status);
    const history = await t.database.db
      .selectFrom("training_status_history")
      .select(["state"])
      .where("training_record_id", "=", p.training_record_id)
      .orderBy("created_at")
      .orderBy(t.database.db.dynamic.ref("rowid"))
      .execute();
    // one history row per accepted change, no more, no less
    expect(history).toHaveLength(accepted.length);
    const record = await t.database.db.selectFrom("training_records").select("training_status").where("id", "=", p.training_record_id).executeTakeFirstOrThrow();
    expect(record.training_status).toBe(history[history.length - 1]!.state);
    // each accepted change is a legal transition from the one before (§6.5)
    let state = "active";
    const target: Record<string, string> = { deferred: "defer", active: "resume", withdrawn: "withdraw" };
    for (const h of history) {
      const action = target[h.state];
      if (action === "defer") expect(state).toBe("active");
      if (action === "resume") expect(state).not.toBe("active");
      if (action === "withdraw") expect(state).not.toBe("withdrawn");
      state = h.state;
    }
  });
});
