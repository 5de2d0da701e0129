/**
 * Which writes move the timestamps a provider sees and polls with
 * `filter[updated_since]` (docs/live-parity.md §3). Live compares the
 * **user's** `updated_at` (participants_query.rb:31-35), and every change to a
 * person's profiles, induction records or states reaches the user through the
 * `touch: true` chain; a declaration touches nothing, except that a mentor's
 * `completed` one saves the mentor profile's completion date.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Provider = { id: string; token: string };

async function setClock(now: string) {
  expect((await t.admin("PUT", "/admin/clock", { now })).status).toBe(200);
}

/** The provider's rows updated since `since`, as `participant_type updated_at` per participant id. */
async function polled(provider: Provider, since: string) {
  const r = await t.call("GET", `/api/v2/participants/ecf?filter[updated_since]=${encodeURIComponent(since)}`, { token: provider.token });
  expect(r.status).toBe(200);
  return r.body.data.map((d: any) => `${d.id} ${d.attributes.participant_type} ${d.attributes.updated_at}`);
}

async function put(provider: Provider, path: string, now: string, attributes: unknown) {
  return t.call("PUT", path, { token: provider.token, headers: { "x-with-server-date": now }, body: { data: { attributes } } });
}

async function declare(provider: Provider, now: string, attributes: Record<string, unknown>) {
  return t.call("POST", "/api/v2/participant-declarations", {
    token: provider.token,
    headers: { "x-with-server-date": now },
    body: { data: { attributes } },
  });
}

describe("the touch chain (induction_record.rb:26, participant_profile.rb:41, teacher_profile.rb:5)", () => {
  test("when one provider acts on a person's record, then the person's rows at every provider move and enter their updated_since polls (a participant action moves the person for every provider)", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const b = await t.newProvider();
    const ect = await t.newParticipant(a.id, { cohort: 2024 });
    await t.newParticipant(b.id, { cohort: 2024, participant_type: "mentor", participant_id: ect.participant_id });
    const bystander = await t.newParticipant(a.id, { cohort: 2024 });
    await t.admin("DELETE", "/admin/clock");

    const at = "2024-10-02T09:30:00Z";
    expect(await polled(a, at)).toEqual([]);
    const deferred = await put(b, `/api/v2/participants/ecf/${ect.participant_id}/defer`, at, { course_identifier: "ecf-mentor", reason: "other" });
    expect(deferred.status).toBe(200);
    expect(deferred.body.data.attributes.updated_at).toBe(at);
    // A's ECT row of the same person moved with the mentor's change, the bystander did not
    expect(await polled(a, at)).toEqual([`${ect.participant_id} ect ${at}`]);
    expect(await polled(b, at)).toEqual([`${ect.participant_id} mentor ${at}`]);
    const single = await t.call("GET", `/api/v2/participants/ecf/${bystander.participant_id}`, { token: a.token });
    expect(single.body.data.attributes.updated_at).toBe("2024-09-01T08:00:00Z");
  });

  test("when a provider changes a record's schedule, then the person's rows move (change_schedule.rb:32-36 saves the profile and the induction record)", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const q = await t.newParticipant(a.id, { cohort: 2024 });
    await t.admin("DELETE", "/admin/clock");
    const at = "2024-10-04T11:00:00Z";
    expect(await polled(a, at)).toEqual([]);
    const changed = await put(a, `/api/v2/participants/ecf/${q.participant_id}/change-schedule`, at, { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september" });
    expect(changed.status).toBe(200);
    expect(await polled(a, at)).toEqual([`${q.participant_id} ect ${at}`]);
  });

  test("when the new provider acts on a transferred record, then the former provider's row moves too", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const c = await t.newProvider();
    const q = await t.newParticipant(a.id, { cohort: 2024 });
    expect((await t.admin("POST", `/admin/participants/${q.participant_id}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: c.id })).status).toBe(200);
    await t.admin("DELETE", "/admin/clock");

    const at = "2024-10-03T10:00:00Z";
    expect(await polled(a, at)).toEqual([]);
    expect((await put(c, `/api/v2/participants/ecf/${q.participant_id}/withdraw`, at, { course_identifier: "ecf-induction", reason: "other" })).status).toBe(200);
    expect(await polled(a, at)).toEqual([`${q.participant_id} ect ${at}`]);
  });
});

describe("mentor completion (record_declaration.rb:51,239-241; void_participant_declaration.rb:33-37; check_training_completion.rb:25-35)", () => {
  const completed = (participantId: string, course: string, date: string) => ({
    participant_id: participantId,
    declaration_type: "completed",
    declaration_date: date,
    course_identifier: course,
    evidence_held: "training-event-attended",
  });

  test("when a mentor's completed declaration is recorded or voided, then the mentor's row moves and enters the updated_since poll (a mentor's completed declaration moves the mentor)", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const mentor = await t.newParticipant(a.id, { cohort: 2024, participant_type: "mentor" });
    await t.admin("DELETE", "/admin/clock");

    const posted = "2026-05-01T12:00:00Z";
    const r = await declare(a, posted, completed(mentor.participant_id, "ecf-mentor", "2026-04-15T10:00:00Z"));
    expect(r.status).toBe(200);
    expect(await polled(a, posted)).toEqual([`${mentor.participant_id} mentor ${posted}`]);

    const voidedAt = "2026-05-02T12:00:00Z";
    const voided = await t.call("PUT", `/api/v2/participant-declarations/${r.body.data.id}/void`, { token: a.token, headers: { "x-with-server-date": voidedAt } });
    expect(voided.status).toBe(200);
    expect(await polled(a, voidedAt)).toEqual([`${mentor.participant_id} mentor ${voidedAt}`]);
  });

  test("when a mentor's paid completed declaration is clawed back, then the mentor does not move (a clawback does not recompute the completion date)", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const mentor = await t.newParticipant(a.id, { cohort: 2024, participant_type: "mentor", eligible_for_funding: true });
    await t.admin("DELETE", "/admin/clock");
    const posted = "2026-05-01T12:00:00Z";
    const r = await declare(a, posted, completed(mentor.participant_id, "ecf-mentor", "2026-04-15T10:00:00Z"));
    expect(r.body.data.attributes.state).toBe("eligible");
    for (const state of ["payable", "paid"]) {
      expect((await t.call("PUT", `/admin/participant-declarations/${r.body.data.id}/state`, { token: "test-admin-token", body: { state }, headers: { "x-with-server-date": posted } })).status).toBe(200);
    }
    const clawedAt = "2026-05-03T12:00:00Z";
    const clawed = await t.call("PUT", `/api/v2/participant-declarations/${r.body.data.id}/void`, { token: a.token, headers: { "x-with-server-date": clawedAt } });
    expect(clawed.body.data.attributes.state).toBe("awaiting-clawback");
    expect(await polled(a, clawedAt)).toEqual([]);
    expect(await polled(a, posted)).toEqual([`${mentor.participant_id} mentor ${posted}`]);
  });

  test("when an ECT's completed or a mentor's started declaration is recorded or voided, then only the declaration moves (a declaration moves only itself otherwise)", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const ect = await t.newParticipant(a.id, { cohort: 2024 });
    const mentor = await t.newParticipant(a.id, { cohort: 2024, participant_type: "mentor" });
    await t.admin("DELETE", "/admin/clock");
    const posted = "2026-05-01T12:00:00Z";
    const one = await declare(a, posted, completed(ect.participant_id, "ecf-induction", "2026-04-15T10:00:00Z"));
    const two = await declare(a, posted, { participant_id: mentor.participant_id, declaration_type: "started", declaration_date: "2024-10-15T10:00:00Z", course_identifier: "ecf-mentor" });
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(await polled(a, posted)).toEqual([]);
    const voidedAt = "2026-05-02T12:00:00Z";
    for (const d of [one, two]) {
      const v = await t.call("PUT", `/api/v2/participant-declarations/${d.body.data.id}/void`, { token: a.token, headers: { "x-with-server-date": voidedAt } });
      expect(v.body.data.attributes.updated_at).toBe(voidedAt);
    }
    expect(await polled(a, posted)).toEqual([]);
    const declarations = await t.call("GET", `/api/v2/participant-declarations?filter[updated_since]=${encodeURIComponent(posted)}`, { token: a.token });
    expect(declarations.body.data.length).toBe(2);
  });
});

describe("updated_since against microsecond timestamps (index.rb:23, participants_query.rb:32)", () => {
  test("when a provider polls with the last updated_at it was shown, then that second's rows come again, on both lists (live stores microseconds and prints seconds)", async () => {
    await setClock("2024-09-01T08:00:00Z");
    const a = await t.newProvider();
    const q = await t.newParticipant(a.id, { cohort: 2024 });
    await t.admin("DELETE", "/admin/clock");
    const at = "2024-10-01T12:00:00Z";
    const declared = await declare(a, at, { participant_id: q.participant_id, declaration_type: "started", declaration_date: "2024-09-15T10:00:00Z", course_identifier: "ecf-induction" });
    const shown: string = declared.body.data.attributes.updated_at;
    expect(shown).toBe(at);
    const poll = (since: string) => t.call("GET", `/api/v2/participant-declarations?filter[updated_since]=${encodeURIComponent(since)}`, { token: a.token });
    expect((await poll(shown)).body.data.map((d: any) => d.id)).toEqual([declared.body.data.id]);
    // a since inside that second may be before or after the write live: we count the write as before it
    expect((await poll("2024-10-01T12:00:00.5Z")).body.data).toEqual([]);
    expect((await poll("2024-10-01T12:00:01Z")).body.data).toEqual([]);
    expect(await polled(a, "2024-09-01T08:00:00Z")).toEqual([`${q.participant_id} ect 2024-09-01T08:00:00Z`]);
    expect(await polled(a, "2024-09-01T08:00:00.5Z")).toEqual([]);
  });
});
