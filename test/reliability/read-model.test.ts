import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3/linux-x64";
import type { ParticipantFilter } from "../../src/modules/participants/queries";
import { participantCsvLineBatches, participantJson, participantListJson } from "../../src/modules/participants/read-model";
import { listParticipantRows, participantCsvLine, participantResource, participantRowsByKeys, participantRowsFor, visibleParticipantKeys } from "../support/participant-oracle";
import { findDeclaration, findVisibleDeclaration, listDeclarationsBatch, listDeclarationsPage } from "../../src/modules/declarations/queries";
import { createdDeclarationDocumentById, declarationDocumentById, declarationJson, declarationListJson } from "../../src/modules/declarations/read-model";
import { DeclarationResource } from "../../src/modules/declarations/resource";
import { DECLARATION_CSV_HEADER, csvDeclarationLine, v1Declaration, v2Declaration } from "../support/declaration-oracle";
import { type TestApp, createTestApp } from "../support/app";

/**
 * The participant read model (stored JSON and CSV text kept by triggers,
 * generated from participants/resource.ts) against the straightforward
 * rendering (the joined rows through test/support/participant-oracle.ts), byte for byte: every list page under every filter, every
 * person by id and the whole CSV, for every provider, after every step of a
 * story that goes through each action, a transfer and back, awkward text and
 * writes by another connection.
 */
let t: TestApp;
let path: string;
const providers: Array<{ id: string; token: string }> = [];
const people: string[] = [];

beforeAll(async () => {
  path = join(mkdtempSync(join(tmpdir(), "read-model-")), "db.sqlite");
  t = await createTestApp({ path });
});
afterAll(() => t.close());

const FILTERS: ParticipantFilter[] = [
  { cohorts: null, updatedSince: null },
  { cohorts: [2024], updatedSince: null },
  { cohorts: [2025, 2023], updatedSince: null },
  { cohorts: [2023], updatedSince: null },
  { cohorts: [2023, 2024], updatedSince: null },
  { cohorts: [], updatedSince: null },
  { cohorts: null, updatedSince: "2000-01-01T00:00:00Z" },
  { cohorts: null, updatedSince: "2024-10-05T00:00:00Z" },
  { cohorts: [2024], updatedSince: "2024-10-05T00:00:00Z" },
];

async function straightforwardPage(providerId: string, filter: ParticipantFilter, page: number, perPage: number) {
  const rows = await listParticipantRows(t.database.db, providerId, filter, page, perPage);
  return JSON.stringify({ data: rows.map(participantResource) });
}

async function straightforwardOne(providerId: string, participantId: string, filter: ParticipantFilter) {
  const rows = await participantRowsFor(t.database.db, providerId, participantId, filter);
  if (rows.length === 0) return null;
  const row = rows.find((r) => r.participant_type === "ect") ?? rows[0]!;
  return JSON.stringify({ data: participantResource(row) });
}

/** Every read the fast path serves, compared with the straightforward one; returns how many were compared. */
async function expectSameBytes(step: string): Promise<number> {
  const db = t.database.db;
  let compared = 0;
  const allProviders = await db.selectFrom("lead_providers").select("id").execute();
  const allPeople = (await db.selectFrom("participants").select("id").execute()).map((p) => p.id);
  for (const { id: providerId } of allProviders) {
    for (const filter of FILTERS) {
      const total = (await visibleParticipantKeys(db, providerId, filter)).length;
      for (const perPage of [1, 2, 3, 1000]) {
        for (let page = 1; page <= Math.ceil(total / perPage) + 1; page++) {
          const fast = new TextDecoder().decode(await participantListJson(db, providerId, filter, page, perPage));
          expect(`${step}: ${fast}`).toBe(`${step}: ${await straightforwardPage(providerId, filter, page, perPage)}`);
          compared++;
        }
      }
      for (const participantId of [...allPeople, crypto.randomUUID()]) {
        const fast = await participantJson(db, providerId, participantId, filter);
        expect(`${step}: ${fast}`).toBe(`${step}: ${await straightforwardOne(providerId, participantId, filter)}`);
        compared++;
      }
      // the CSV, in batches of 2 so that the cursor is used
      const keys = await visibleParticipantKeys(db, providerId, filter);
      const expected = (await participantRowsByKeys(db, providerId, keys)).map(participantCsvLine).join("");
      const next = participantCsvLineBatches(db, providerId, filter);
      let csv = "";
      for (let batch = await next(2); batch.count > 0; batch = await next(2)) csv += new TextDecoder().decode(batch.bytes);
      expect(`${step}: ${csv}`).toBe(`${step}: ${expected}`);
      compared++;
    }
  }
  // through the app (response cache on): pages in turn, then backwards, start where earlier pages ended
  for (const provider of providers) {
    const total = (await visibleParticipantKeys(db, provider.id, FILTERS[0]!)).length;
    const pages = Array.from({ length: Math.ceil(total / 2) + 1 }, (_, i) => i + 1);
    for (const page of [...pages, ...pages.reverse(), ...pages]) {
      const r = await t.request("GET", `/api/v2/participants/ecf?page[per_page]=2&page[page]=${page}`, { token: provider.token });
      expect(`${step}: page ${page}: ${await r.text()}`).toBe(`${step}: page ${page}: ${await straightforwardPage(provider.id, FILTERS[0]!, page, 2)}`);
      compared++;
    }
  }
  // declarations: every page under each filter, and each one by id
  const allDeclarations = (await db.selectFrom("declarations").select("id").execute()).map((d) => d.id);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  for (const { id: callerId } of allProviders) {
    for (const filter of [
      { participantId: null, updatedAfter: null },
      { participantId: null, updatedAfter: "2024-10-05T00:00:00Z" },
      ...allPeople.slice(0, 3).map((participantId) => ({ participantId, updatedAfter: null })),
    ]) {
      for (const [limit, offset] of [[1, 0], [1, 1], [2, 2], [1000, 0]] as const) {
        const expected = JSON.stringify({ data: (await listDeclarationsPage(db, callerId, filter, { limit, offset })).map(v2Declaration) });
        expect(`${step}: ${decode(await declarationListJson(db, callerId, filter, limit, offset))}`).toBe(`${step}: ${expected}`);
        compared++;
      }
      // the CSV lines (§5.5): the whole export in one batch
      const all = await listDeclarationsPage(db, callerId, filter, { limit: 100000, offset: 0 });
      const lines = (await listDeclarationsBatch(db, callerId, filter, null, 100000)).map((r) => r.csv);
      expect(`${step}: ${lines.join("")}`).toBe(`${step}: ${all.map(csvDeclarationLine).join("")}`);
      compared++;
    }
    for (const id of [...allDeclarations, crypto.randomUUID()]) {
      for (const filter of [
        { participantId: null, updatedAfter: null },
        { participantId: allPeople[0] ?? null, updatedAfter: null },
        { participantId: null, updatedAfter: "2024-11-01T00:00:00Z" },
      ]) {
        const found = await findVisibleDeclaration(db, callerId, id, filter);
        expect(`${step}: ${await declarationJson(db, callerId, id, filter)}`).toBe(`${step}: ${found ? JSON.stringify({ data: v2Declaration(found) }) : null}`);
        compared++;
      }
    }
  }
  // the write answers (void and the admin moves: v2; the POST: v1), whoever sees the declaration
  for (const id of allDeclarations) {
    const row = (await findDeclaration(db, id))!;
    expect(`${step}: ${await declarationDocumentById(db, id)}`).toBe(`${step}: ${JSON.stringify({ data: v2Declaration(row) })}`);
    expect(`${step}: ${await createdDeclarationDocumentById(db, id)}`).toBe(`${step}: ${JSON.stringify({ data: v1Declaration(row) })}`);
    compared += 2;
  }
  // nothing left behind: one document per visible view
  const documents = await db.selectFrom("participant_documents").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const records = await db.selectFrom("training_records").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const views = await db.selectFrom("former_provider_views").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  expect(documents.n).toBe(records.n + views.n);
  return compared;
}

async function step(name: string, action: () => Promise<{ status: number; body?: any }>, status = 200) {
  const r = await action();
  if (r.status !== status) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return expectSameBytes(name);
}

const at = (now: string) => ({ "x-with-server-date": now });
const act = (provider: { token: string }, id: string, action: string, attributes: Record<string, unknown>, now: string) =>
  t.call("PUT", `/api/v2/participants/ecf/${id}/${action}`, { token: provider.token, body: { data: { attributes } }, headers: at(now) });

describe("read models (participants stored, declarations built by SQLite)", () => {
  test("when every kind of write happens, then every page, person and CSV line is the straightforward rendering, byte for byte", async () => {
    let compared = await expectSameBytes("empty");
    for (let i = 0; i < 3; i++) providers.push(await t.newProvider(`Read model ${i}`));
    const [a, b] = providers as [(typeof providers)[0], (typeof providers)[0]];

    t.clock.set(new Date("2024-10-01T10:00:00Z"));
    const mentor = await t.newParticipant(a.id, { participant_type: "mentor", cohort: 2024, full_name: 'Mentor "Quoted", Name', teacher_reference_number: null });
    people.push(mentor.participant_id);
    const ect = await t.newParticipant(a.id, { cohort: 2024, mentor_id: mentor.participant_id, full_name: "Zoë Line\nBreak", eligible_for_funding: null, pupil_premium_uplift: true });
    people.push(ect.participant_id);
    t.clock.set(new Date("2024-10-02T10:00:00Z"));
    const other = await t.newParticipant(a.id, { cohort: 2025, email: "comma,in@example.com", teacher_reference_number: "1234567", teacher_reference_number_validated: true, sparsity_uplift: true });
    people.push(other.participant_id);
    const second = await t.newParticipant(a.id, { participant_type: "mentor", cohort: 2023, participant_id: ect.participant_id });
    compared += await expectSameBytes("created");
    t.clock.reset();

    compared += await step("defer", () => act(a, ect.participant_id, "defer", { course_identifier: "ecf-induction", reason: "bereavement" }, "2024-10-03T10:00:00Z"));
    compared += await step("resume", () => act(a, ect.participant_id, "resume", { course_identifier: "ecf-induction" }, "2024-10-04T10:00:00Z"));
    compared += await step("change-schedule", () =>
      act(a, other.participant_id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september", cohort: 2025 }, "2024-10-05T10:00:00Z"),
    );
    // a change of schedule across cohorts leaves the closed induction record, shown under the old cohort's filter only
    t.clock.set(new Date("2024-10-05T11:00:00Z"));
    const mover = await t.newParticipant(a.id, { cohort: 2023, school_urn: "123456" });
    await t.newParticipant(a.id, { cohort: 2024, school_urn: "123456" });
    t.clock.reset();
    compared += await step("change-schedule across cohorts", () =>
      act(a, mover.participant_id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-september", cohort: 2024 }, "2024-10-05T12:00:00Z"),
    );
    compared += await step("and back", () =>
      act(a, mover.participant_id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january", cohort: 2023 }, "2024-10-05T13:00:00Z"),
    );
    compared += await step("induction status", () =>
      t.admin("PUT", `/admin/participants/${other.participant_id}/induction-status`, { course_identifier: "ecf-induction", status: "withdrawn" }),
    );
    compared += await step("withdraw", () => act(a, mentor.participant_id, "withdraw", { course_identifier: "ecf-mentor", reason: "other" }, "2024-10-06T10:00:00Z"));
    compared += await step("declaration", () =>
      t.call("POST", "/api/v2/participant-declarations", {
        token: a.token,
        headers: at("2024-11-01T10:00:00Z"),
        body: { data: { type: "participant-declaration", attributes: { participant_id: ect.participant_id, declaration_type: "started", declaration_date: "2024-10-10T10:00:00Z", course_identifier: "ecf-induction" } } },
      }),
    );

    const declare = (participantId: string, type: string, course = "ecf-induction") =>
      t.call("POST", "/api/v2/participant-declarations", {
        token: a.token,
        headers: at("2024-11-02T10:00:00Z"),
        body: { data: { type: "participant-declaration", attributes: { participant_id: participantId, declaration_type: type, declaration_date: "2024-10-05T10:00:00Z", course_identifier: course } } },
      });
    const mentorStarted = await declare(mentor.participant_id, "started", "ecf-mentor");
    compared += await step("a mentor's declaration", async () => mentorStarted);
    const ectStarted = (await t.database.db.selectFrom("declarations").select("id").where("participant_id", "=", ect.participant_id).executeTakeFirstOrThrow()).id;
    for (const state of ["eligible", "payable", "paid"]) {
      compared += await step(`declaration ${state}`, () => t.admin("PUT", `/admin/participant-declarations/${ectStarted}/state`, { state }));
    }
    compared += await step("declaration voided", () => t.call("PUT", `/api/v2/participant-declarations/${mentorStarted.body.data.id}/void`, { token: a.token }));

    t.clock.set(new Date("2024-10-07T10:00:00Z"));
    compared += await step("transfer", () =>
      t.admin("POST", `/admin/participants/${ect.participant_id}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id, school_urn: "330002" }),
    );
    t.clock.reset();
    compared += await step("defer by the new provider", () => act(b, ect.participant_id, "defer", { course_identifier: "ecf-induction", reason: "other" }, "2024-10-08T10:00:00Z"));
    // the former provider acts on its own view (issue 18 item 2, app/services/induction/find_by.rb:19-29)
    compared += await step("withdraw by the former provider", () => act(a, ect.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: "moved-school" }, "2024-10-08T11:00:00Z"));
    compared += await step("resume by the former provider", () => act(a, ect.participant_id, "resume", { course_identifier: "ecf-induction" }, "2024-10-08T12:00:00Z"));
    compared += await step("change-schedule by the former provider", () =>
      act(a, ect.participant_id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september" }, "2024-10-08T13:00:00Z"),
    );
    t.clock.set(new Date("2024-10-09T10:00:00Z"));
    compared += await step("transfer back", () =>
      t.admin("POST", `/admin/participants/${ect.participant_id}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: a.id }),
    );
    t.clock.reset();
    compared += await step("paid declaration clawed back by its provider", () => t.call("PUT", `/api/v2/participant-declarations/${ectStarted}/void`, { token: a.token }));
    compared += await step("withdraw after coming back", () => act(a, ect.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: "other" }, "2024-10-10T10:00:00Z"));

    // the 2021 payments-frozen exception (issue 18 item 1): a move to the active registration cohort and back
    t.clock.set(new Date("2024-06-01T10:00:00Z"));
    const frozen = await t.newParticipant(a.id, { cohort: 2021, paid_declarations: ["started"], partnership_cohorts: [2024] });
    t.clock.reset();
    compared += await step("frozen-cohort move", () =>
      act(a, frozen.participant_id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-10T10:00:00Z"),
    );
    compared += await step("and back to the frozen cohort", () =>
      act(a, frozen.participant_id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september", cohort: 2021 }, "2024-06-12T10:00:00Z"),
    );

    // another connection on the same file (a second process, or a tool): the triggers keep the documents, not the app
    const other_connection = new Sqlite(path);
    other_connection.pragma("busy_timeout = 5000");
    const write = (name: string, sqlText: string, ...params: unknown[]) =>
      step(name, async () => {
        other_connection.prepare(sqlText).run(...params);
        return { status: 200 };
      });
    compared += await write("awkward text", "update participants set full_name = ?, email = ?, updated_at = ? where id = ?", 'Quote " comma , cr \r lf \n tab \t ctrl \u0001 ☃ 😀', "", "2024-10-11T10:00:00Z", ect.participant_id);
    compared += await write("no TRN", "update participants set teacher_reference_number = null, teacher_reference_number_validated = 1 where id = ?", other.participant_id);
    compared += await write("odd induction statuses", "update training_records set induction_status = case when participant_type = 'ect' then 'leaving' else 'something new' end");
    compared += await write("funding flags", "update training_records set eligible_for_funding = 0, pupil_premium_uplift = 2, mentor_id = null where id = ?", second.training_record_id);
    compared += await write("a record deleted", "delete from training_records where id = ?", second.training_record_id);
    compared += await write("a person deleted", "delete from participants where id = ?", other.participant_id);
    compared += await write("awkward declaration text", "update declarations set declaration_date = ? where rowid = (select min(rowid) from declarations)", 'Quote " comma , lf \n ☃');
    other_connection.close();
    expect(compared).toBeGreaterThan(1000);
  }, 120_000);

  test("when the declarations CSV is written, then its header is the oracle's (the definition's CSV columns)", () => {
    expect(DeclarationResource.csvHeader).toEqual([...DECLARATION_CSV_HEADER]);
  });
});
