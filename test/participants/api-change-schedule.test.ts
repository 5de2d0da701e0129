import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { findSchedule } from "../../db/reference-data";
import { assertMatchesContract, checkParticipantContract } from "../contract/validate";
import { type TestApp, createTestApp } from "../support/app";

/**
 * PUT /api/v2/participants/ecf/{id}/change-schedule (docs/reference/business-rules.md §6.6).
 * Declarations are inserted straight into the `declarations` table: this
 * suite tests the participant side only.
 */

const COURSE_NOT_RECOGNISED =
  "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.";
const COURSE_BLANK = "Enter a '#/course_identifier' value for this participant.";
const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const SCHEDULE_BLANK = "The property '#/schedule_identifier' must be present and correspond to a valid schedule";
const WITHDRAWN_PARTICIPANT = "Cannot perform actions on a withdrawn participant";
const INVALIDATES = "Changing schedule would invalidate existing declarations. Please void them first.";
const ALREADY_ON_PROFILE = "Selected schedule is already on the profile";
const INVALID_FOR_COURSE = "Selected schedule is not valid for the course";
const CANNOT_CHANGE_COHORT = "You cannot change the '#/cohort' field";
const NO_PARTNERSHIP =
  "You cannot change a participant to this cohort as you do not have a partnership with the school for the cohort. Contact the DfE for assistance.";
const MUST_EXIST = { errors: [{ title: "Invalid action", detail: "Validation failed: Schedule must exist" }] };

const LIST = "/api/v2/participants/ecf";
const NOW = "2025-02-03T04:05:06Z";

type Provider = { id: string; token: string };
type Created = { participant_id: string; training_record_id: string };
let t: TestApp;

let p: Provider;
let urnCounter = 400000;

beforeAll(async () => {
  t = checkParticipantContract(await createTestApp());
  p = await t.newProvider();
});
afterAll(() => t.close());

/** A school no other participant uses, so the only partnerships with it are the ones a test makes. */
const freshUrn = () => String(++urnCounter);

async function newParticipant(fields: Record<string, unknown> = {}): Promise<Created> {
  t.clock.set(new Date("2024-09-15T08:00:00Z"));
  try {
    return await t.newParticipant(p.id, { cohort: 2024, school_urn: freshUrn(), ...fields });
  } finally {
    t.clock.reset();
  }
}

function change(id: string, attributes: Record<string, unknown>, now = NOW) {
  return t.call("PUT", `${LIST}/${id}/change-schedule`, {
    token: p.token,
    body: { data: { type: "participant-change-schedule", attributes } },
    headers: { "x-with-server-date": now },
  });
}

function expectOk(r: { status: number; body: any; response: Response }) {
  if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
  assertMatchesContract("ECFParticipantResponse", r.body);
  return r.body.data;
}

function expect422(r: { status: number; body: any }, errors: Array<[string, string]>) {
  expect({ status: r.status, body: r.body }).toEqual({ status: 422, body: { errors: errors.map(([title, detail]) => ({ title, detail })) } });
}

async function getOne(id: string) {
  const r = await t.call("GET", `${LIST}/${id}`, { token: p.token });
  expect(r.status).toBe(200);
  assertMatchesContract("ECFParticipantResponse", r.body);
  return r.body.data;
}

async function stored(recordId: string) {
  return t.database.db
    .selectFrom("training_records as tr")
    .innerJoin("schedules as s", "s.id", "tr.schedule_id")
    .select(["s.identifier", "s.cohort as schedule_cohort", "tr.cohort", "tr.training_status", "tr.updated_at", "tr.school_urn"])
    .where("tr.id", "=", recordId)
    .executeTakeFirstOrThrow();
}

/** A declaration row for the participant, as the declarations feature would store it. */
async function declare(
  q: Created,
  type: string,
  date: string,
  options: { state?: "submitted" | "eligible" | "payable" | "paid" | "voided" | "ineligible" | "awaiting_clawback" | "clawed_back"; course?: string; providerId?: string } = {},
) {
  const state = options.state ?? "submitted";
  await t.database.db
    .insertInto("declarations")
    .values({
      id: crypto.randomUUID(),
      participant_id: q.participant_id,
      training_record_id: q.training_record_id,
      lead_provider_id: options.providerId ?? p.id,
      cohort: 2024,
      declaration_type: type,
      course_identifier: options.course ?? "ecf-induction",
      declaration_date: date,
      evidence_held: type === "started" ? null : "other",
      state,
      billable: ["submitted", "eligible", "payable", "paid"].includes(state) ? 1 : 0,
      created_at: "2024-10-01T00:00:00Z",
      updated_at: "2024-10-01T00:00:00Z",
    })
    .execute();
}

const ECT = { course_identifier: "ecf-induction" };

describe("check 1: schedule_identifier blank", () => {
  test("when schedule_identifier is missing, empty, blank or null, then 422 schedule_identifier with the live detail", async () => {
    const q = await newParticipant();
    for (const value of [undefined, "", "  ", null, false]) {
      const attributes: Record<string, unknown> = { ...ECT, schedule_identifier: value };
      if (value === undefined) delete attributes.schedule_identifier;
      expect422(await change(q.participant_id, attributes), [["schedule_identifier", SCHEDULE_BLANK]]);
    }
  });

  test("when the course is blank too, then course first, then schedule", async () => {
    const q = await newParticipant();
    expect422(await change(q.participant_id, {}), [
      ["course_identifier", `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}`],
      ["schedule_identifier", SCHEDULE_BLANK],
    ]);
  });

  test("when the participant is unknown, then participant_id, and the blank schedule is still reported", async () => {
    expect422(await change("00000000-0000-4000-8000-000000000003", { ...ECT }), [
      ["participant_id", NOT_RECOGNISED],
      ["schedule_identifier", SCHEDULE_BLANK],
    ]);
  });
});

describe("check 2: withdrawn with the caller", () => {
  test("when the participant is withdrawn, then 422 participant_id / Cannot perform actions on a withdrawn participant, and nothing changes", async () => {
    const q = await newParticipant();
    const w = await t.call("PUT", `${LIST}/${q.participant_id}/withdraw`, { token: p.token, body: { data: { attributes: { ...ECT, reason: "other" } } } });
    expect(w.status).toBe(200);
    const before = await stored(q.training_record_id);
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }), [["participant_id", WITHDRAWN_PARTICIPANT]]);
    expect(await stored(q.training_record_id)).toEqual(before);
  });
});

describe("check 3: existing declarations must fit the new schedule", () => {
  test("when a billable declaration falls outside the new schedule's milestone, then 422 schedule_identifier / invalidate", async () => {
    for (const state of ["submitted", "eligible", "payable", "paid"] as const) {
      const q = await newParticipant();
      await declare(q, "started", "2024-10-01T10:00:00Z", { state });
      const before = await stored(q.training_record_id);
      expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }), [["schedule_identifier", INVALIDATES]]);
      expect(await stored(q.training_record_id)).toEqual(before);
    }
  });

  test("when the declaration fits the new schedule, then the change is made", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2024-10-01T10:00:00Z");
    const data = expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-reduced-september" }));
    expect(data.attributes.schedule_identifier).toBe("ecf-reduced-september");
  });

  test("when a declaration is dated exactly at 00:00 UTC on the milestone start, then it does not fit (at or before); a second later it does", async () => {
    const at = await newParticipant();
    await declare(at, "started", "2024-09-01T00:00:00Z");
    expect422(await change(at.participant_id, { ...ECT, schedule_identifier: "ecf-reduced-september" }), [["schedule_identifier", INVALIDATES]]);
    const after = await newParticipant();
    await declare(after, "started", "2024-09-01T00:00:01Z");
    expectOk(await change(after.participant_id, { ...ECT, schedule_identifier: "ecf-reduced-september" }));
  });

  test("when a declaration is on the last second of the milestone-date day, then it fits; the next day it does not", async () => {
    const last = await newParticipant({ schedule_identifier: "ecf-reduced-september" });
    await declare(last, "started", "2025-03-31T23:59:59Z");
    expectOk(await change(last.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }));
    const next = await newParticipant({ schedule_identifier: "ecf-reduced-september" });
    await declare(next, "started", "2025-04-01T00:00:00Z");
    expect422(await change(next.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }), [["schedule_identifier", INVALIDATES]]);
  });

  test("when several declarations fail, then the message appears once", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2024-10-01T10:00:00Z");
    await declare(q, "retained-1", "2024-12-01T10:00:00Z");
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }), [["schedule_identifier", INVALIDATES]]);
  });

  test("when the failing declarations are voided, ineligible or clawed back, then they are ignored", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2024-10-01T10:00:00Z", { state: "voided" });
    await declare(q, "retained-1", "2024-12-01T10:00:00Z", { state: "ineligible" });
    await declare(q, "retained-2", "2024-12-01T10:00:00Z", { state: "clawed_back" });
    await declare(q, "retained-3", "2024-12-01T10:00:00Z", { state: "awaiting_clawback" });
    expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }));
  });

  test("when the failing declaration was made by a previous provider, then it still counts", async () => {
    const other = await t.newProvider();
    const q = await newParticipant();
    await declare(q, "started", "2024-10-01T10:00:00Z", { providerId: other.id });
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january" }), [["schedule_identifier", INVALIDATES]]);
  });

  test("when the new schedule has no milestone for a declaration's type, then 404 Resource not Found and nothing changes", async () => {
    const q = await newParticipant({ schedule_identifier: "ecf-extended-september" });
    await declare(q, "extended-1", "2025-05-01T10:00:00Z");
    const before = await stored(q.training_record_id);
    const r = await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september" });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "Resource not Found" });
    expect(await stored(q.training_record_id)).toEqual(before);
    // and to another extended schedule it is fine
    expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-extended-april" }));
  });

  test("when a declaration already does not fit the current schedule and the same schedule is asked for, then both schedule messages are joined in check order", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2024-05-01T10:00:00Z");
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september" }), [
      ["schedule_identifier", `${INVALIDATES}, ${ALREADY_ON_PROFILE}`],
    ]);
  });

  test("when declarations do not fit and the schedule is for mentors only, then both messages are joined", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2024-08-01T10:00:00Z");
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-replacement-september" }), [
      ["schedule_identifier", `${INVALIDATES}, ${INVALID_FOR_COURSE}`],
    ]);
  });
});

describe("check 4: same schedule", () => {
  test("when the participant's own schedule is asked for, with or without its cohort, then 422 already on the profile", async () => {
    const q = await newParticipant();
    for (const extra of [{}, { cohort: "2024" }, { cohort: 2024 }]) {
      expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", ...extra }), [["schedule_identifier", ALREADY_ON_PROFILE]]);
    }
  });

  test("when the same identifier in another cohort is asked for, then it is not the same schedule", async () => {
    const urn = freshUrn();
    const q = await newParticipant({ school_urn: urn });
    await newParticipant({ school_urn: urn, cohort: 2025 }); // the provider's partnership with the school in 2025
    const data = expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", cohort: 2025 }));
    expect(data.attributes).toMatchObject({ schedule_identifier: "ecf-standard-september", cohort: "2025" });
  });
});

describe("check 5: the schedule must allow the course", () => {
  test("when an ECT is moved to an ecf-replacement schedule, then 422 not valid for the course", async () => {
    const q = await newParticipant();
    for (const id of ["ecf-replacement-september", "ecf-replacement-january", "ecf-replacement-april"]) {
      expect422(await change(q.participant_id, { ...ECT, schedule_identifier: id }), [["schedule_identifier", INVALID_FOR_COURSE]]);
    }
  });

  test("when a mentor is moved to an ecf-replacement schedule or any other, then it is allowed", async () => {
    const q = await newParticipant({ participant_type: "mentor" });
    for (const id of ["ecf-replacement-january", "ecf-extended-april", "ecf-reduced-january", "ecf-replacement-september"]) {
      const data = expectOk(await change(q.participant_id, { course_identifier: "ecf-mentor", schedule_identifier: id }));
      expect(data.attributes).toMatchObject({ participant_type: "mentor", schedule_identifier: id });
    }
  });

  test("when an ECT is moved to each non-replacement schedule, then it is allowed", async () => {
    const q = await newParticipant();
    for (const id of ["ecf-standard-january", "ecf-standard-april", "ecf-reduced-september", "ecf-reduced-january", "ecf-reduced-april", "ecf-extended-september", "ecf-extended-january", "ecf-extended-april", "ecf-standard-september"]) {
      expect(expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: id })).attributes.schedule_identifier).toBe(id);
    }
  });
});

describe("check 6: cohort change with declarations", () => {
  test("when the cohort changes and there is a billable declaration, then 422 cohort / You cannot change the '#/cohort' field", async () => {
    const urn = freshUrn();
    const q = await newParticipant({ school_urn: urn });
    await newParticipant({ school_urn: urn, cohort: 2025 });
    await declare(q, "started", "2025-10-01T10:00:00Z"); // fits 2025 ecf-standard-september
    const before = await stored(q.training_record_id);
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", cohort: 2025 }), [["cohort", CANNOT_CHANGE_COHORT]]);
    expect(await stored(q.training_record_id)).toEqual(before);
  });

  test("when the cohort changes with a declaration and no partnership there, then both cohort messages are joined", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2025-10-01T10:00:00Z");
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", cohort: "2025" }), [
      ["cohort", `${CANNOT_CHANGE_COHORT}, ${NO_PARTNERSHIP}`],
    ]);
  });

  test("when the cohort changes and the declarations are all voided, then the change is made", async () => {
    const urn = freshUrn();
    const q = await newParticipant({ school_urn: urn });
    await newParticipant({ school_urn: urn, cohort: 2025 });
    await declare(q, "started", "2024-10-01T10:00:00Z", { state: "voided" });
    expect(expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january", cohort: 2025 })).attributes.cohort).toBe("2025");
  });

  test("when the schedule changes within the cohort with a billable declaration that fits, then it is allowed", async () => {
    const q = await newParticipant();
    await declare(q, "started", "2024-10-01T10:00:00Z");
    expect(expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-extended-september", cohort: 2024 })).attributes.cohort).toBe("2024");
  });
});

describe("check 7: a partnership in the target cohort", () => {
  test("when the provider has no partnership with the school in the target cohort, then 422 cohort / no partnership", async () => {
    const q = await newParticipant(); // its school is used in 2024 only
    const before = await stored(q.training_record_id);
    for (const cohort of [2025, "2025", 2023]) {
      expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", cohort }), [["cohort", NO_PARTNERSHIP]]);
    }
    expect(await stored(q.training_record_id)).toEqual(before);
  });

  test("when the cohort does not exist or is not a number, then the no-partnership error", async () => {
    const q = await newParticipant();
    for (const cohort of [2030, "2030", "abc", 1999]) {
      expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january", cohort }), [["cohort", NO_PARTNERSHIP]]);
    }
  });

  test("when the provider has a partnership with another school in the target cohort only, then it is not enough to move cohort", async () => {
    const q = await newParticipant();
    await newParticipant({ cohort: 2025 }); // another fresh school, 2025
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", cohort: 2025 }), [["cohort", NO_PARTNERSHIP]]);
  });

  test("when the partnership in the target cohort is challenged, then it does not count", async () => {
    const urn = freshUrn();
    const q = await newParticipant({ school_urn: urn });
    await newParticipant({ school_urn: urn, cohort: 2025 });
    await t.database.db.updateTable("partnerships").set({ challenged_at: "2024-10-01T00:00:00Z" }).where("lead_provider_id", "=", p.id).where("school_urn", "=", urn).where("cohort", "=", 2025).execute();
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-september", cohort: 2025 }), [["cohort", NO_PARTNERSHIP]]);
  });

  test("when the school has a partnership in the target cohort, then the cohort changes, the re-GET and the new cohort's filter show it, and the old cohort's filter shows the closed induction record", async () => {
    const urn = freshUrn();
    const q = await newParticipant({ school_urn: urn });
    await newParticipant({ school_urn: urn, cohort: 2025 });
    const data = expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-january", cohort: "2025" }));
    expect(data.attributes).toMatchObject({ schedule_identifier: "ecf-standard-january", cohort: "2025", school_urn: urn, training_status: "active", updated_at: NOW });
    expect(await getOne(q.participant_id)).toEqual(data);
    const in2025 = (await t.call("GET", `${LIST}?filter[cohort]=2025&page[per_page]=3000`, { token: p.token })).body.data as any[];
    expect(in2025.map((r) => r.attributes.training_record_id)).toContain(q.training_record_id);
    const in2024 = (await t.call("GET", `${LIST}?filter[cohort]=2024&page[per_page]=3000`, { token: p.token })).body.data as any[];
    // live: the latest induction record among the 2024 ones is the closed one (docs/live-parity.md §5)
    const old = in2024.filter((r) => r.attributes.training_record_id === q.training_record_id);
    expect(old.map((r) => [r.attributes.cohort, r.attributes.status, r.attributes.schedule_identifier])).toEqual([["2024", "withdrawn", "ecf-standard-september"]]);
    expect(await stored(q.training_record_id)).toEqual({
      identifier: "ecf-standard-january",
      schedule_cohort: 2025,
      cohort: 2025,
      training_status: "active",
      updated_at: NOW,
      school_urn: urn,
    });
  });
});

describe("unknown schedule identifier", () => {
  test("when the identifier exists in no cohort, then 422 Invalid action / Validation failed: Schedule must exist", async () => {
    const q = await newParticipant();
    const before = await stored(q.training_record_id);
    for (const id of ["foo", "ecf-standard-september ", "ECF-STANDARD-JANUARY", "npq-leadership-spring"]) {
      const r = await change(q.participant_id, { ...ECT, schedule_identifier: id });
      expect(r.status).toBe(422);
      expect(r.body).toEqual(MUST_EXIST);
    }
    expect(await stored(q.training_record_id)).toEqual(before);
  });

  test("when the identifier is unknown and the cohort has no partnership, then the partnership error comes instead", async () => {
    const q = await newParticipant();
    expect422(await change(q.participant_id, { ...ECT, schedule_identifier: "foo", cohort: 2025 }), [["cohort", NO_PARTNERSHIP]]);
  });
});

describe("effects (docs/reference/business-rules.md §6.6)", () => {
  test("when the schedule changes, then the response and the re-GET show it, training_status and status stay, updated_at is the request's now, no status history is written", async () => {
    const q = await newParticipant();
    const data = expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-standard-april" }));
    expect(data.id).toBe(q.participant_id);
    expect(data.attributes).toMatchObject({ schedule_identifier: "ecf-standard-april", cohort: "2024", training_status: "active", status: "active", updated_at: NOW, training_record_id: q.training_record_id });
    expect(await getOne(q.participant_id)).toEqual(data);
    const s = await stored(q.training_record_id);
    expect(s).toMatchObject({ identifier: "ecf-standard-april", schedule_cohort: 2024, cohort: 2024, updated_at: NOW });
    expect(findSchedule("ecf-standard-april", 2024)).toBeDefined();
    const history = await t.database.db.selectFrom("training_status_history").selectAll().where("training_record_id", "=", q.training_record_id).execute();
    expect(history).toEqual([]);
    const person = await t.database.db.selectFrom("participants").select("updated_at").where("id", "=", q.participant_id).executeTakeFirstOrThrow();
    expect(person.updated_at).toBe(NOW);
  });

  test("when a deferred participant changes schedule, then it is allowed and stays deferred", async () => {
    const q = await newParticipant();
    const d = await t.call("PUT", `${LIST}/${q.participant_id}/defer`, { token: p.token, body: { data: { attributes: { ...ECT, reason: "career-break" } } } });
    expect(d.status).toBe(200);
    const data = expectOk(await change(q.participant_id, { ...ECT, schedule_identifier: "ecf-extended-january" }));
    expect(data.attributes).toMatchObject({ training_status: "deferred", schedule_identifier: "ecf-extended-january" });
  });

  test("when a both-roles person changes the mentor registration's schedule, then the ECT registration is untouched", async () => {
    const ect = await newParticipant();
    const mentor = await t.newParticipant(p.id, { participant_type: "mentor", cohort: 2024, participant_id: ect.participant_id });
    const data = expectOk(await change(ect.participant_id, { course_identifier: "ecf-mentor", schedule_identifier: "ecf-replacement-september" }));
    expect(data.attributes).toMatchObject({ participant_type: "mentor", training_record_id: mentor.training_record_id, schedule_identifier: "ecf-replacement-september" });
    expect((await stored(ect.training_record_id)).identifier).toBe("ecf-standard-september");
    expect((await getOne(ect.participant_id)).attributes.schedule_identifier).toBe("ecf-standard-september");
  });

  test("when the path without /ecf is used, then 404 (its controller was deleted) and the schedule stays", async () => {
    const q = await newParticipant();
    const r = await t.call("PUT", `/api/v2/participants/${q.participant_id}/change-schedule`, {
      token: p.token,
      body: { data: { attributes: { ...ECT, schedule_identifier: "ecf-reduced-april" } } },
    });
    expect({ status: r.status, body: r.body }).toEqual({ status: 404, body: { error: "Resource not Found" } });
    expect((await stored(q.training_record_id)).identifier).toBe("ecf-standard-september");
  });
});
