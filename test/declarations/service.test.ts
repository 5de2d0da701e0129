import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ApiError } from "../../src/errors";
import { declarationsCsvStream, insertNewDeclaration, recordDeclaration } from "../../src/modules/declarations/service";
import { type TestApp, createTestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const NOW = new Date("2024-10-01T12:00:00Z");
const started = (participant_id: string, declaration_date = "2024-09-15T10:00:00Z") => ({
  participant_id,
  declaration_type: "started",
  declaration_date,
  course_identifier: "ecf-induction",
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    text += decoder.decode(chunk, { stream: true });
  }
  return { text, chunks };
}

describe("declarations service", () => {
  test("when a second billable row for the same slot reaches the database, then the partial unique index answers 422 base and nothing is written", async () => {
    const lp = await t.newProvider();
    const p = await t.newParticipant(lp.id);
    const { data } = await recordDeclaration(t.database.db, lp.id, started(p.participant_id), NOW);
    const stamp = "2024-10-01T12:00:00Z";
    const racing = {
      id: crypto.randomUUID(),
      participant_id: p.participant_id,
      training_record_id: p.training_record_id,
      lead_provider_id: lp.id,
      cohort: 2024,
      declaration_type: "started",
      course_identifier: "ecf-induction",
      declaration_date: "2024-09-16T10:00:00Z",
      evidence_held: null,
      state: "eligible" as const,
      created_at: stamp,
    };
    let caught: unknown;
    try {
      await t.database.db.transaction().execute((trx) => insertNewDeclaration(trx, racing));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).status).toBe(422);
    expect((caught as ApiError).body).toEqual({
      errors: [{ title: "base", detail: "A declaration has already been submitted that will be, or has been, paid for this event" }],
    });
    const rows = await t.database.db.selectFrom("declarations").select("id").where("participant_id", "=", p.participant_id).execute();
    expect(rows.map((r) => r.id)).toEqual([data.id]);
    const history = await t.database.db.selectFrom("declaration_state_history").select("id").where("declaration_id", "=", racing.id).execute();
    expect(history).toEqual([]);

    // a non-billable row for the same slot is allowed by the index
    const ineligible = await t.database.db
      .transaction()
      .execute((trx) => insertNewDeclaration(trx, { ...racing, id: crypto.randomUUID(), state: "ineligible" }));
    expect(ineligible.billable).toBe(0);
  });

  test("when the CSV is read in small batches, then every row comes once, in order, with one header", async () => {
    const lp = await t.newProvider();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await t.newParticipant(lp.id);
      // two share a created_at second: the rowid keeps them apart
      const now = new Date(Date.UTC(2024, 9, 1, 12, 0, Math.floor(i / 2)));
      ids.push((await recordDeclaration(t.database.db, lp.id, started(p.participant_id), now)).data.id);
    }
    const params = { participantId: null, updatedSince: null };
    const { text, chunks } = await readAll(declarationsCsvStream(t.database.db, lp.id, params, { batchSize: 2 }));
    const lines = text.split("\n");
    expect(lines[0]).toBe("id,participant_id,declaration_type,course_identifier,declaration_date,updated_at,state,has_passed");
    expect(lines.slice(1, -1).map((l) => l.split(",")[0])).toEqual(ids);
    expect(lines.at(-1)).toBe("");
    expect(chunks).toBe(3);

    const exact = await readAll(declarationsCsvStream(t.database.db, lp.id, params, { batchSize: 5 }));
    expect(exact.text).toBe(text);
    const empty = await readAll(declarationsCsvStream(t.database.db, crypto.randomUUID(), params, { batchSize: 2 }));
    expect(empty).toEqual({ text: "", chunks: 0 });
  });

  test("when the old provider declares after a transfer, then its former induction record counts only on the same schedule", async () => {
    const a = await t.newProvider();
    const b = await t.newProvider();
    const p = await t.newParticipant(a.id);
    await t.admin("POST", `/admin/participants/${p.participant_id}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id });
    const accepted = await recordDeclaration(t.database.db, a.id, started(p.participant_id), NOW);
    expect(accepted.data.attributes.state).toBe("eligible");

    const other = await t.newParticipant(a.id);
    await t.admin("POST", `/admin/participants/${other.participant_id}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id });
    const reduced = await t.database.db.selectFrom("schedules").select("id").where("identifier", "=", "ecf-reduced-september").where("cohort", "=", 2024).executeTakeFirstOrThrow();
    await t.database.db.updateTable("training_records").set({ schedule_id: reduced.id }).where("id", "=", other.training_record_id).execute();
    let caught: unknown;
    try {
      await recordDeclaration(t.database.db, a.id, started(other.participant_id), NOW);
    } catch (error) {
      caught = error;
    }
    expect((caught as ApiError).body).toEqual({
      errors: [
        {
          title: "participant_id",
          detail: "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.",
        },
      ],
    });
  });
});
