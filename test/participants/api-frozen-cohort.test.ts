import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assertMatchesContract, checkParticipantContract } from "../contract/validate";
import { type TestApp, createTestApp } from "../support/app";

/**
 * The 2021 payments-frozen exception to change-schedule (issue 18 item 1).
 *
 * v2 calls `ChangeSchedule` with `allow_change_to_from_frozen_cohort: true`
 * (app/controllers/concerns/api/v1/participant_actions.rb:25). Then
 * `changing_cohort_due_to_payments_frozen?` (app/services/change_schedule.rb:80-86)
 * skips the declarations check (:168) and the cohort check (:207) for a move
 * - to the active registration cohort (app/models/cohort.rb:21-23) of an
 *   unfinished participant whose schedule's cohort has `payments_frozen_at`
 *   (db/data/cohorts.csv: 2021, 2024-04-03) with an eligible/payable/paid
 *   declaration other than `completed` (app/models/participant_profile/ecf.rb:57-74;
 *   ect.rb:63-65; mentor.rb:86-88), or
 * - back to the frozen cohort, once moved, with no declarations in the new
 *   cohort (ecf.rb:76-82);
 * and each such change of cohort toggles `cohort_changed_after_payments_frozen`
 * (change_schedule.rb:121-127), with which the frozen cohorts' declarations no
 * longer count against a new schedule (:189-195). Specs:
 * spec/services/change_schedule_spec.rb:66-106,108-154,156-197. Release notes:
 * docs/source/release-notes.html.md:113-128.
 */

const LIST = "/api/v2/participants/ecf";
const INVALIDATES = "Changing schedule would invalidate existing declarations. Please void them first.";
const CANNOT_CHANGE_COHORT = "You cannot change the '#/cohort' field";

type Provider = { id: string; token: string };
let t: TestApp;
let p: Provider;
let urn = 610000;

beforeAll(async () => {
  t = checkParticipantContract(await createTestApp());
  p = await t.newProvider();
});
afterAll(() => t.close());

/** The admin body that makes a participant eligible for the move: a 2021 record with a paid `started`, partnered with its school in 2024. */
async function frozen2021(fields: Record<string, unknown> = {}, at = "2024-06-01T08:00:00Z") {
  t.clock.set(new Date(at));
  try {
    return await t.newParticipant(p.id, {
      participant_type: "ect",
      cohort: 2021,
      school_urn: String(++urn),
      paid_declarations: ["started"],
      partnership_cohorts: [2023, 2024],
      ...fields,
    });
  } finally {
    t.clock.reset();
  }
}

function change(id: string, attributes: Record<string, unknown>, now: string, course = "ecf-induction") {
  return t.call("PUT", `${LIST}/${id}/change-schedule`, {
    token: p.token,
    body: { data: { type: "participant-change-schedule", attributes: { course_identifier: course, ...attributes } } },
    headers: { "x-with-server-date": now },
  });
}

function declare(id: string, type: string, date: string, now: string, course = "ecf-induction") {
  return t.call("POST", "/api/v2/participant-declarations", {
    token: p.token,
    headers: { "x-with-server-date": now },
    body: {
      data: {
        type: "participant-declaration",
        attributes: { participant_id: id, declaration_type: type, declaration_date: date, course_identifier: course, evidence_held: "training-event-attended" },
      },
    },
  });
}

const flag = async (recordId: string) =>
  (await t.database.db.selectFrom("training_records").select("cohort_changed_after_payments_frozen").where("id", "=", recordId).executeTakeFirstOrThrow())
    .cohort_changed_after_payments_frozen;

describe("the 2021 payments-frozen exception to change-schedule (issue 18 item 1)", () => {
  test("when a 2021 ECT with a paid declaration moves to the active registration cohort, changes schedule there, moves back for a final declaration and returns, then every step is accepted (change_schedule.rb:80-86,121-127,189-195)", async () => {
    const q = await frozen2021();
    expect(await flag(q.training_record_id)).toBe(0);

    // 1. to 2024, the active registration cohort on 2024-06-10, on the extended schedule
    const moved = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-10T09:00:00Z");
    expect(moved.status).toBe(200);
    assertMatchesContract("ECFParticipantResponse", moved.body);
    expect(moved.body.data.attributes).toMatchObject({ cohort: "2024", schedule_identifier: "ecf-extended-september", training_status: "active", status: "active" });
    expect(await flag(q.training_record_id)).toBe(1);

    // 2. another schedule inside 2024: the 2021 declaration no longer counts against it (:189-195)
    const within = await change(q.participant_id, { schedule_identifier: "ecf-standard-september", cohort: 2024 }, "2024-06-11T09:00:00Z");
    expect(within.status).toBe(200);
    expect(within.body.data.attributes).toMatchObject({ cohort: "2024", schedule_identifier: "ecf-standard-september" });
    expect(await flag(q.training_record_id)).toBe(1);

    // 3. back to 2021 (frozen since 2024-04-03, no declaration in 2024): allowed, the flag clears (ecf.rb:76-82)
    const back = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2021 }, "2024-06-12T09:00:00Z");
    expect(back.status).toBe(200);
    expect(back.body.data.attributes).toMatchObject({ cohort: "2021", schedule_identifier: "ecf-extended-september" });
    expect(await flag(q.training_record_id)).toBe(0);

    // 4. a final declaration in 2021, before its last output-fee statement closes (31 July 2024)
    const final = await declare(q.participant_id, "retained-1", "2024-06-13T09:00:00Z", "2024-06-13T10:00:00Z");
    expect(final.status).toBe(200);
    const stored = await t.database.db.selectFrom("declarations").select(["declaration_type", "cohort", "state"]).where("training_record_id", "=", q.training_record_id).orderBy("created_at").execute();
    expect(stored).toEqual([
      { declaration_type: "started", cohort: 2021, state: "paid" },
      { declaration_type: "retained-1", cohort: 2021, state: "eligible" },
    ]);

    // 5. and back to 2024 again
    const returned = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-14T09:00:00Z");
    expect(returned.status).toBe(200);
    expect(returned.body.data.attributes).toMatchObject({ cohort: "2024", schedule_identifier: "ecf-extended-september" });
    expect(await flag(q.training_record_id)).toBe(1);
    const shown = await t.call("GET", `${LIST}/${q.participant_id}?filter[cohort]=2024`, { token: p.token });
    expect(shown.status).toBe(200);
    expect(shown.body.data.attributes).toMatchObject({ cohort: "2024", schedule_identifier: "ecf-extended-september" });
  });

  test("when the target is not the active registration cohort, then the cohort and declarations checks still refuse the move (ecf.rb:60)", async () => {
    const q = await frozen2021();
    const r = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2023 }, "2024-06-10T09:00:00Z");
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      errors: [
        { title: "schedule_identifier", detail: INVALIDATES },
        { title: "cohort", detail: CANNOT_CHANGE_COHORT },
      ],
    });
    expect(await flag(q.training_record_id)).toBe(0);
  });

  test("when the 2021 declarations are only submitted, or include a billable completed, or the mentor has completed, then the move is refused; an ECT with a submitted completed moves (ecf.rb:57-74; ect.rb:63-65; mentor.rb:86-88)", async () => {
    // submitted is not billable (participant_declaration.rb:106): an unfunded ECT's started stays submitted
    const unfunded = await frozen2021({ paid_declarations: [], eligible_for_funding: false }, "2021-10-01T08:00:00Z");
    expect((await declare(unfunded.participant_id, "started", "2021-09-20T09:00:00Z", "2021-10-01T09:00:00Z")).status).toBe(200);
    const completedOne = await frozen2021({ paid_declarations: ["started", "completed"] });
    // a mentor's submitted `completed` sets its completion date (check_training_completion.rb:25-35): finished
    const mentor = await frozen2021({ participant_type: "mentor", eligible_for_funding: false }, "2023-03-10T08:00:00Z");
    const completed = await declare(mentor.participant_id, "completed", "2023-03-05T09:00:00Z", "2023-03-10T09:00:00Z", "ecf-mentor");
    expect(completed.status).toBe(200);
    expect(completed.body.data.attributes.state).toBe("submitted");
    for (const [q, course] of [
      [unfunded, "ecf-induction"],
      [completedOne, "ecf-induction"],
      [mentor, "ecf-mentor"],
    ] as const) {
      const r = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-10T09:00:00Z", course);
      expect(r.status).toBe(422);
      expect(r.body.errors).toContainEqual({ title: "cohort", detail: CANNOT_CHANGE_COHORT });
    }
    // an ECT with the same submitted `completed` is not finished (no induction completion date): it moves
    const ect = await frozen2021({ eligible_for_funding: false }, "2023-03-10T08:00:00Z");
    expect((await declare(ect.participant_id, "completed", "2023-03-05T09:00:00Z", "2023-03-10T09:00:00Z")).body.data.attributes.state).toBe("submitted");
    expect((await change(ect.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-10T09:00:00Z")).status).toBe(200);
  });

  test("when a moved participant has a billable declaration in the new cohort, then the move back is refused with the cohort error (change_schedule_spec.rb:173-196)", async () => {
    const q = await frozen2021({}, "2024-06-01T08:00:00Z");
    expect((await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-10-01T09:00:00Z")).status).toBe(200);
    const declared = await declare(q.participant_id, "retained-1", "2024-10-02T09:00:00Z", "2024-10-02T10:00:00Z");
    expect(declared.status).toBe(200);
    expect((await t.admin("PUT", `/admin/participant-declarations/${declared.body.data.id}/state`, { state: "payable" })).status).toBe(200);
    const back = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2021 }, "2024-10-03T09:00:00Z");
    expect(back.status).toBe(422);
    expect(back.body).toEqual({ errors: [{ title: "cohort", detail: CANNOT_CHANGE_COHORT }] });
    expect(await flag(q.training_record_id)).toBe(1);
  });

  test("when a moved participant asks for yet another cohort, then the cohort check refuses it: the exception is only to the active registration cohort from the frozen one, and back (change_schedule_spec.rb:147-151)", async () => {
    const q = await frozen2021({ partnership_cohorts: [2024, 2025] });
    expect((await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-10T09:00:00Z")).status).toBe(200);
    // on 2025-05-01 the active registration cohort is 2025, but the profile's schedule is no longer in a frozen cohort
    const onwards = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2025 }, "2025-05-01T09:00:00Z");
    expect(onwards.status).toBe(422);
    expect(onwards.body).toEqual({ errors: [{ title: "cohort", detail: CANNOT_CHANGE_COHORT }] });
    expect(await flag(q.training_record_id)).toBe(1);
  });

  test("when the school has no partnership in the active registration cohort, then the move is refused for the partnership alone (change_schedule.rb:230-235)", async () => {
    const q = await frozen2021({ partnership_cohorts: [] });
    const r = await change(q.participant_id, { schedule_identifier: "ecf-extended-september", cohort: 2024 }, "2024-06-10T09:00:00Z");
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      errors: [
        {
          title: "cohort",
          detail: "You cannot change a participant to this cohort as you do not have a partnership with the school for the cohort. Contact the DfE for assistance.",
        },
      ],
    });
  });
});

describe("the admin fields that build such a participant", () => {
  test("when the README's admin body is posted on a day in 2026, then the participant moves to 2025, the active registration cohort, with the README's change-schedule", async () => {
    t.clock.set(new Date("2026-12-07T09:00:00Z"));
    try {
      const created = await t.admin("POST", "/admin/participants", {
        lead_provider_id: p.id,
        participant_type: "ect",
        cohort: 2021,
        paid_declarations: ["started"],
        partnership_cohorts: [2024, 2025],
      });
      expect(created.status).toBe(201);
      const moved = await t.call("PUT", `${LIST}/${created.body.participant_id}/change-schedule`, {
        token: p.token,
        body: { data: { type: "participant-change-schedule", attributes: { course_identifier: "ecf-induction", schedule_identifier: "ecf-extended-september", cohort: 2025 } } },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.data.attributes).toMatchObject({ cohort: "2025", schedule_identifier: "ecf-extended-september" });
    } finally {
      t.clock.reset();
    }
  });

  test("when paid_declarations names a type the schedule lacks, or one dated after now, then 422 naming paid_declarations and nothing is written", async () => {
    const before = await t.database.db.selectFrom("training_records").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const bad = await t.admin("POST", "/admin/participants", { lead_provider_id: p.id, participant_type: "ect", cohort: 2021, paid_declarations: ["extended-1"] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].title).toBe("paid_declarations");
    t.clock.set(new Date("2021-10-01T00:00:00Z"));
    const future = await t.admin("POST", "/admin/participants", { lead_provider_id: p.id, participant_type: "ect", cohort: 2021, paid_declarations: ["retained-2"] });
    t.clock.reset();
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toEqual({ title: "paid_declarations", detail: "the retained-2 declaration would be dated 2022-02-02T00:00:00Z, after now" });
    const notAType = await t.admin("POST", "/admin/participants", { lead_provider_id: p.id, participant_type: "ect", cohort: 2021, paid_declarations: ["begun"] });
    expect(notAType.status).toBe(422);
    expect(notAType.body.errors[0].title).toBe("paid_declarations");
    const after = await t.database.db.selectFrom("training_records").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  test("when paid_declarations and partnership_cohorts are given, then the provider sees the paid declarations and the school is partnered in those cohorts", async () => {
    const q = await frozen2021({ paid_declarations: ["started", "retained-1"] });
    const r = await t.call("GET", `/api/v2/participant-declarations?filter[participant_id]=${q.participant_id}`, { token: p.token });
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: any) => [d.attributes.declaration_type, d.attributes.state, d.attributes.declaration_date])).toEqual([
      ["started", "paid", "2021-09-02T00:00:00Z"],
      ["retained-1", "paid", "2021-09-02T00:00:00Z"],
    ]);
    const record = await t.database.db.selectFrom("training_records").select("school_urn").where("id", "=", q.training_record_id).executeTakeFirstOrThrow();
    const cohorts = await t.database.db.selectFrom("partnerships").select("cohort").where("lead_provider_id", "=", p.id).where("school_urn", "=", record.school_urn).orderBy("cohort").execute();
    expect(cohorts.map((c) => c.cohort)).toEqual([2021, 2023, 2024]);
  });
});
