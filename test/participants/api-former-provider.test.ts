import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { findSchedule } from "../../db/reference-data";
import { assertMatchesContract, checkParticipantContract } from "../contract/validate";
import { type TestApp, createTestApp } from "../support/app";

/**
 * A former provider acts on its own view after a transfer (issue 18 item 2).
 *
 * Live resolves the caller's induction record with `Induction::FindBy`
 * (app/services/induction/find_by.rb:19-29,47-62): the latest induction record
 * whose partnership is the caller's, which for a former provider is its
 * `leaving` record. So `InductionRecordValidator`
 * (app/validators/induction_record_validator.rb:18-30) passes, and each
 * service changes that record (`Induction::ChangeInductionRecord`, a copy with
 * the change): withdraw (app/services/withdraw_participant.rb:27-33,97-105),
 * defer (app/services/defer_participant.rb:29-34,86-95), resume
 * (app/services/resume_participant.rb:21-26,71-79), change-schedule
 * (app/services/change_schedule.rb:111-157: the profile's schedule too). The
 * guidance tells the former provider to withdraw (docs/source/ecf/guidance.html.md:769,831).
 * The current provider's induction record, and so its view, stays as it was.
 */

const LIST = "/api/v2/participants/ecf";
const DECLARATIONS = "/api/v2/participant-declarations";
const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";

type Provider = { id: string; token: string };
let t: TestApp;
let urn = 520000;

beforeAll(async () => {
  t = checkParticipantContract(await createTestApp());
});
afterAll(() => t.close());

function act(token: string, id: string, action: string, attributes: Record<string, unknown>, now: string) {
  return t.call("PUT", `${LIST}/${id}/${action}`, {
    token,
    body: { data: { type: `participant-${action}`, attributes } },
    headers: { "x-with-server-date": now },
  });
}

async function view(token: string, id: string) {
  const r = await t.call("GET", `${LIST}/${id}`, { token });
  expect(r.status).toBe(200);
  return r.body.data.attributes;
}

/** A 2024 ECT trained by `from` at one school, then moved by the admin to `to` at another. */
async function transferred(): Promise<{ from: Provider; to: Provider; id: string; recordId: string; fromUrn: string; toUrn: string }> {
  const from = await t.newProvider();
  const to = await t.newProvider();
  const fromUrn = String(++urn);
  const toUrn = String(++urn);
  t.clock.set(new Date("2024-10-01T10:00:00Z"));
  try {
    const q = await t.newParticipant(from.id, { cohort: 2024, school_urn: fromUrn });
    t.clock.set(new Date("2024-10-05T10:00:00Z"));
    const moved = await t.admin("POST", `/admin/participants/${q.participant_id}/transfer`, {
      course_identifier: "ecf-induction",
      to_lead_provider_id: to.id,
      school_urn: toUrn,
    });
    expect(moved.status).toBe(200);
    return { from, to, id: q.participant_id, recordId: q.training_record_id, fromUrn, toUrn };
  } finally {
    t.clock.reset();
  }
}

describe("a former provider's actions after a transfer (issue 18 item 2)", () => {
  test("when the former provider withdraws after a transfer, then its own view is withdrawn and the new provider's stays active (withdraw_participant.rb:27-33; find_by.rb:19-29)", async () => {
    const q = await transferred();
    const r = await act(q.from.token, q.id, "withdraw", { course_identifier: "ecf-induction", reason: "moved-school" }, "2024-10-10T09:00:00Z");
    expect(r.status).toBe(200);
    assertMatchesContract("ECFParticipantResponse", r.body);
    // the answer is the former provider's own record (record_to_serialize_for(lead_provider:), withdraw_participant.rb:44)
    expect(r.body.data.attributes).toMatchObject({
      school_urn: q.fromUrn,
      training_status: "withdrawn",
      status: "active",
      training_record_id: q.recordId,
      updated_at: "2024-10-10T09:00:00Z",
    });
    expect(await view(q.from.token, q.id)).toMatchObject({ school_urn: q.fromUrn, training_status: "withdrawn" });
    // the new provider's induction record is untouched; the profile and the user move (touch chain)
    expect(await view(q.to.token, q.id)).toMatchObject({ school_urn: q.toUrn, training_status: "active", status: "active", updated_at: "2024-10-10T09:00:00Z" });
    // the profile state is the former provider's (ParticipantProfileState with cpd_lead_provider, withdraw_participant.rb:88-95)
    const history = await t.database.db.selectFrom("training_status_history").select(["lead_provider_id", "state", "reason"]).where("training_record_id", "=", q.recordId).execute();
    expect(history).toEqual([{ lead_provider_id: q.from.id, state: "withdrawn", reason: "moved-school" }]);

    // a second withdraw is judged on the former provider's record (withdrawn_for?, withdraw_participant.rb:69-73)
    const again = await act(q.from.token, q.id, "withdraw", { course_identifier: "ecf-induction", reason: "other" }, "2024-10-11T09:00:00Z");
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ errors: [{ title: "participant_profile", detail: "The participant is already withdrawn" }] });
    // and the former provider's declarations dated after its withdrawal are refused (§5.1 check 2, its own state)
    const declared = await t.call("POST", DECLARATIONS, {
      token: q.from.token,
      headers: { "x-with-server-date": "2024-10-12T09:00:00Z" },
      body: { data: { type: "participant-declaration", attributes: { participant_id: q.id, declaration_type: "started", declaration_date: "2024-10-11T09:00:00Z", course_identifier: "ecf-induction" } } },
    });
    expect(declared.status).toBe(422);
    expect(declared.body.errors[0].title).toBe("participant_id");
    expect(declared.body.errors[0].detail).toStartWith("This participant withdrew from this course on 2024-10-10T09:00:00Z");
    // the new provider still acts on its own record
    const deferred = await act(q.to.token, q.id, "defer", { course_identifier: "ecf-induction", reason: "other" }, "2024-10-13T09:00:00Z");
    expect(deferred.status).toBe(200);
    expect(deferred.body.data.attributes).toMatchObject({ school_urn: q.toUrn, training_status: "deferred" });
    expect(await view(q.from.token, q.id)).toMatchObject({ training_status: "withdrawn", updated_at: "2024-10-13T09:00:00Z" });
  });

  test("when the former provider defers and resumes after a transfer, then only its own view changes (defer_participant.rb:29-34; resume_participant.rb:21-26)", async () => {
    const q = await transferred();
    const deferred = await act(q.from.token, q.id, "defer", { course_identifier: "ecf-induction", reason: "career-break" }, "2024-10-10T09:00:00Z");
    expect(deferred.status).toBe(200);
    expect(deferred.body.data.attributes).toMatchObject({ school_urn: q.fromUrn, training_status: "deferred" });
    expect(await view(q.to.token, q.id)).toMatchObject({ training_status: "active" });

    const twice = await act(q.from.token, q.id, "defer", { course_identifier: "ecf-induction", reason: "career-break" }, "2024-10-10T10:00:00Z");
    expect(twice.status).toBe(422);
    expect(twice.body).toEqual({ errors: [{ title: "participant_profile", detail: "The participant is already deferred" }] });

    const resumed = await act(q.from.token, q.id, "resume", { course_identifier: "ecf-induction" }, "2024-10-11T09:00:00Z");
    expect(resumed.status).toBe(200);
    expect(resumed.body.data.attributes).toMatchObject({ school_urn: q.fromUrn, training_status: "active", updated_at: "2024-10-11T09:00:00Z" });
    // resume judges the former provider's record: active now (active_for?, resume_participant.rb:53-57)
    const again = await act(q.from.token, q.id, "resume", { course_identifier: "ecf-induction" }, "2024-10-11T10:00:00Z");
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ errors: [{ title: "participant_profile", detail: "The participant is already active" }] });

    // the new provider's record never moved: its own defer is accepted, then its resume
    expect((await act(q.to.token, q.id, "defer", { course_identifier: "ecf-induction", reason: "other" }, "2024-10-12T09:00:00Z")).status).toBe(200);
    expect(await view(q.from.token, q.id)).toMatchObject({ training_status: "active" });
    const states = await t.database.db
      .selectFrom("training_status_history")
      .select(["lead_provider_id", "state"])
      .where("training_record_id", "=", q.recordId)
      .orderBy("created_at")
      .execute();
    expect(states).toEqual([
      { lead_provider_id: q.from.id, state: "deferred" },
      { lead_provider_id: q.from.id, state: "active" },
      { lead_provider_id: q.to.id, state: "deferred" },
    ]);
  });

  test("when the former provider changes the schedule after a transfer, then its view and the profile take it, the new provider's view keeps its own, and the new provider's declarations no longer find a record on the profile's schedule (change_schedule.rb:117-119,133-143; record_declaration.rb:88; induction_record_validator.rb:26-30)", async () => {
    const q = await transferred();
    const r = await act(q.from.token, q.id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january" }, "2024-10-10T09:00:00Z");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ school_urn: q.fromUrn, schedule_identifier: "ecf-standard-january", cohort: "2024", training_status: "active" });
    expect(await view(q.from.token, q.id)).toMatchObject({ schedule_identifier: "ecf-standard-january" });
    expect(await view(q.to.token, q.id)).toMatchObject({ school_urn: q.toUrn, schedule_identifier: "ecf-standard-september", cohort: "2024", updated_at: "2024-10-10T09:00:00Z" });
    const row = await t.database.db.selectFrom("training_records").select(["schedule_id", "profile_schedule_id"]).where("id", "=", q.recordId).executeTakeFirstOrThrow();
    expect(row).toEqual({ schedule_id: findSchedule("ecf-standard-september", 2024)!.id, profile_schedule_id: findSchedule("ecf-standard-january", 2024)!.id });

    const declare = (token: string) =>
      t.call("POST", DECLARATIONS, {
        token,
        headers: { "x-with-server-date": "2025-01-20T09:00:00Z" },
        body: { data: { type: "participant-declaration", attributes: { participant_id: q.id, declaration_type: "started", declaration_date: "2025-01-15T09:00:00Z", course_identifier: "ecf-induction" } } },
      });
    // the new provider has no induction record on the profile's (January) schedule
    const refused = await declare(q.to.token);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ errors: [{ title: "participant_id", detail: NOT_RECOGNISED }] });
    // the former provider does, and the January milestones apply
    const accepted = await declare(q.from.token);
    expect(accepted.status).toBe(200);

    // the same schedule again is "already on the profile" for the former provider
    const same = await act(q.from.token, q.id, "change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january" }, "2025-01-21T09:00:00Z");
    expect(same.status).toBe(422);
    expect(same.body.errors).toContainEqual({ title: "schedule_identifier", detail: "Selected schedule is already on the profile" });
  });

  test("when a provider that never trained the record acts on it, then 422 participant_id, as before", async () => {
    const q = await transferred();
    const stranger = await t.newProvider();
    for (const [action, attributes] of [
      ["withdraw", { course_identifier: "ecf-induction", reason: "other" }],
      ["defer", { course_identifier: "ecf-induction", reason: "other" }],
      ["resume", { course_identifier: "ecf-induction" }],
      ["change-schedule", { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january" }],
    ] as const) {
      const r = await act(stranger.token, q.id, action, attributes, "2024-10-10T09:00:00Z");
      expect(r.status).toBe(422);
      expect(r.body).toEqual({ errors: [{ title: "participant_id", detail: NOT_RECOGNISED }] });
    }
  });
});
