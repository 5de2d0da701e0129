import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assertMatchesContract } from "../contract/validate";
import { type TestApp, createTestApp } from "../support/app";

// --- exact strings (docs/reference/business-rules.md §5) ---------------------------------------
const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const DATE_MISSING = "Enter a '#/declaration_date'.";
const TYPE_MISSING = "Enter a '#/declaration_type'.";
const FUTURE = "The '#/declaration_date' value cannot be a future date. Check the date and try again.";
const BAD_FORMAT = "Enter a valid RCF3339 '#/declaration_date'.";
const BEFORE_START = "Enter a '#/declaration_date' that's on or after the milestone start.";
const AFTER_END = "Enter a '#/declaration_date' that's before the milestone end date.";
const EVIDENCE_MISSING = "Enter a '#/evidence_held' value for this participant.";
const EVIDENCE_INVALID = "Enter an available '#/evidence_held' type for this participant's event and course.";
const cohortEnded = (y: number) =>
  `You cannot submit or void declarations for the ${y} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us`;
const NOT_IN_SCHEDULE = "The property '#/declaration_type' does not exist for this schedule.";
const DUPLICATE = "A declaration has already been submitted that will be, or has been, paid for this event";
const MENTOR_FUNDING =
  "You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration.";
const COURSE_NOT_RECOGNISED =
  "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.";
const ALREADY_VOIDED = "This declaration has already been voided.";
const CANNOT_BE_VOIDED =
  "This declaration cannot be voided. Contact the DfE if you have any questions about why you cannot void it.";

const NOW = "2024-10-01T12:00:00Z";
const BASE = "/api/v2/participant-declarations";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

type Provider = { id: string; token: string };

/** POST a declaration; every 200 body is checked against the contract. */
async function post(provider: Provider, attributes: unknown, now = NOW) {
  const r = await t.call("POST", BASE, {
    token: provider.token,
    body: { data: { type: "participant-declaration", attributes } },
    headers: { "x-with-server-date": now },
  });
  if (r.status === 200) assertMatchesContract("SingleParticipantDeclarationResponse", r.body);
  return r;
}

/** GET a JSON path; 200 bodies are checked against the list or single schema. */
async function get(provider: Provider, path: string, now = NOW) {
  const r = await t.call("GET", path, { token: provider.token, headers: { "x-with-server-date": now } });
  if (r.status === 200) {
    assertMatchesContract(Array.isArray(r.body?.data) ? "MultipleParticipantDeclarationsResponse" : "SingleParticipantDeclarationResponse", r.body);
  }
  return r;
}

async function voidIt(provider: Provider, id: string, now = NOW) {
  const r = await t.call("PUT", `${BASE}/${id}/void`, { token: provider.token, headers: { "x-with-server-date": now } });
  if (r.status === 200) assertMatchesContract("SingleParticipantDeclarationResponse", r.body);
  return r;
}

async function adminMove(id: string, state: string, now = NOW) {
  const r = await t.call("PUT", `/admin/participant-declarations/${id}/state`, {
    token: "test-admin-token",
    body: { state },
    headers: { "x-with-server-date": now },
  });
  if (r.status === 200) assertMatchesContract("SingleParticipantDeclarationResponse", r.body);
  return r;
}

function started(participantId: string, extra: Record<string, unknown> = {}) {
  return {
    participant_id: participantId,
    declaration_type: "started",
    declaration_date: "2024-09-15T10:00:00Z",
    course_identifier: "ecf-induction",
    evidence_held: "training-event-attended",
    ...extra,
  };
}

const randomTrn = () => String(1000000 + Math.floor(Math.random() * 8999999));

async function dbRow(id: string) {
  return t.database.db.selectFrom("declarations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function history(id: string) {
  const rows = await t.database.db
    .selectFrom("declaration_state_history")
    .select("state")
    .where("declaration_id", "=", id)
    .orderBy("created_at")
    .orderBy("rowid" as any)
    .execute();
  return rows.map((r) => r.state);
}

// -----------------------------------------------------------------------------

describe("POST /participant-declarations: the checks of §5.1", () => {
  let lp: Provider;
  let ect: string;
  beforeAll(async () => {
    lp = await t.newProvider();
    ect = (await t.newParticipant(lp.id)).participant_id;
  });

  test("when the token is missing, then 401 comes before the body is read", async () => {
    const r = await t.call("POST", BASE, { body: "not json" });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "HTTP Token: Access denied" });
  });

  test("when the body has no data member, then 400 with the live detail", async () => {
    const r = await t.call("POST", BASE, { token: lp.token, body: { attributes: {} } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      errors: [{ title: "Bad request", detail: "correct json data structure required. See API docs for reference" }],
    });
  });

  test("when the attributes are empty, then exactly participant_id, declaration_date and declaration_type, in that order", async () => {
    const r = await post(lp, {});
    expect(r.status).toBe(422);
    expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(r.body).toEqual({
      errors: [
        { title: "participant_id", detail: NOT_RECOGNISED },
        { title: "declaration_date", detail: DATE_MISSING },
        { title: "declaration_type", detail: TYPE_MISSING },
      ],
    });
  });

  test("when the course does not match the participant, then only the course_identifier error", async () => {
    const r = await post(lp, started(ect, { course_identifier: "ecf-mentor" }));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "course_identifier", detail: COURSE_NOT_RECOGNISED }] });
  });

  test("when the course is a typo, then only the course_identifier error", async () => {
    const r = await post(lp, started(ect, { course_identifier: "ecf-inductio" }));
    expect(r.body).toEqual({ errors: [{ title: "course_identifier", detail: COURSE_NOT_RECOGNISED }] });
  });

  test("when the date is foo, then both date messages are joined", async () => {
    const r = await post(lp, started(ect, { declaration_date: "foo" }));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "declaration_date", detail: `${DATE_MISSING}, ${BAD_FORMAT}` }] });
  });

  test("when the course is an NPQ course, then only the NPQ error", async () => {
    const r = await post(lp, { participant_id: "nope", course_identifier: "npq-senior-leadership" });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "course_identifier", detail: "NPQ Courses are no longer supported" }] });
  });

  test("when the participant id is unknown, then the participant_id error only", async () => {
    const r = await post(lp, started(crypto.randomUUID()));
    expect(r.body).toEqual({ errors: [{ title: "participant_id", detail: NOT_RECOGNISED }] });
  });

  test("when the participant id is a training record id, then it is not recognised", async () => {
    const { training_record_id } = await t.newParticipant(lp.id);
    const r = await post(lp, started(training_record_id));
    expect(r.body).toEqual({ errors: [{ title: "participant_id", detail: NOT_RECOGNISED }] });
  });

  test("when the date is in the future, then the future-date error", async () => {
    const r = await post(lp, started(ect, { declaration_date: "2024-10-01T12:00:01Z" }));
    expect(r.body).toEqual({ errors: [{ title: "declaration_date", detail: FUTURE }] });
  });

  test("when the date has no time, then only the format error", async () => {
    const r = await post(lp, started(ect, { declaration_date: "2024-09-15" }));
    expect(r.body).toEqual({ errors: [{ title: "declaration_date", detail: BAD_FORMAT }] });
  });

  test("when the date is a number, then 400 Bad request", async () => {
    const r = await post(lp, started(ect, { declaration_date: 20240915 }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].title).toBe("Bad request");
  });

  test("when evidence_held is missing on a retained declaration, then both evidence messages are joined", async () => {
    const r = await post(lp, started(ect, { declaration_type: "retained-1", declaration_date: "2025-01-15T10:00:00Z", evidence_held: undefined }), "2025-02-01T00:00:00Z");
    expect(r.body).toEqual({ errors: [{ title: "evidence_held", detail: `${EVIDENCE_MISSING}, ${EVIDENCE_INVALID}` }] });
  });

  test("when evidence_held is not an available type, then only the inclusion message", async () => {
    const r = await post(lp, started(ect, { declaration_type: "retained-1", declaration_date: "2025-01-15T10:00:00Z", evidence_held: "test" }), "2025-02-01T00:00:00Z");
    expect(r.body).toEqual({ errors: [{ title: "evidence_held", detail: EVIDENCE_INVALID }] });
  });

  test("when the declaration type is unknown or not in the schedule, then the schedule error", async () => {
    const foo = await post(lp, started(ect, { declaration_type: "foo" }));
    expect(foo.body).toEqual({ errors: [{ title: "declaration_type", detail: NOT_IN_SCHEDULE }] });
    const extended = await post(lp, started(ect, { declaration_type: "extended-1" }));
    expect(extended.body).toEqual({ errors: [{ title: "declaration_type", detail: NOT_IN_SCHEDULE }] });
  });

  test("when the participant is another provider's, then participant_id is not recognised", async () => {
    const other = await t.newProvider();
    const r = await post(other, started(ect));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "participant_id", detail: NOT_RECOGNISED }] });
  });

  test("when another provider's request also fails another check, then that check's error shows instead (§2.3 caveat)", async () => {
    const other = await t.newProvider();
    const r = await post(other, started(ect, { declaration_date: "2024-05-31T23:59:59Z" }));
    expect(r.body).toEqual({ errors: [{ title: "declaration_date", detail: BEFORE_START }] });
  });

  test("when the provider withdrew the participant before the date, then the withdrawal error; a strictly earlier date passes", async () => {
    const p = await t.newParticipant(lp.id);
    await t.database.db
      .insertInto("training_status_history")
      .values({ id: crypto.randomUUID(), training_record_id: p.training_record_id, lead_provider_id: lp.id, state: "withdrawn", reason: "other", created_at: "2024-09-20T08:00:00Z" })
      .execute();
    const same = await post(lp, started(p.participant_id, { declaration_date: "2024-09-20T08:00:00Z" }));
    expect(same.body).toEqual({
      errors: [
        {
          title: "participant_id",
          detail: "This participant withdrew from this course on 2024-09-20T08:00:00Z. Enter a '#/declaration_date' that's on or before the withdrawal date.",
        },
      ],
    });
    const before = await post(lp, started(p.participant_id, { declaration_date: "2024-09-20T07:59:59Z" }));
    expect(before.status).toBe(200);
  });

  test("when a deferred participant is declared for, then it is accepted", async () => {
    const p = await t.newParticipant(lp.id);
    await t.database.db.updateTable("training_records").set({ training_status: "deferred" }).where("id", "=", p.training_record_id).execute();
    await t.database.db
      .insertInto("training_status_history")
      .values({ id: crypto.randomUUID(), training_record_id: p.training_record_id, lead_provider_id: lp.id, state: "deferred", reason: "other", created_at: "2024-09-20T08:00:00Z" })
      .execute();
    expect((await post(lp, started(p.participant_id))).status).toBe(200);
  });

  test("when a 2025 mentor gets a retained declaration, then the mentor-funding error", async () => {
    const m = await t.newParticipant(lp.id, { participant_type: "mentor", cohort: 2025 });
    const r = await post(
      lp,
      started(m.participant_id, { course_identifier: "ecf-mentor", declaration_type: "retained-1", declaration_date: "2026-01-15T10:00:00Z" }),
      "2026-02-01T00:00:00Z",
    );
    expect(r.body).toEqual({ errors: [{ title: "declaration_type", detail: MENTOR_FUNDING }] });
    const ok = await post(lp, started(m.participant_id, { course_identifier: "ecf-mentor", declaration_date: "2025-07-01T10:00:00Z" }), "2026-02-01T00:00:00Z");
    expect(ok.status).toBe(200);
  });

  test("when a person is both ECT and mentor, then course_identifier picks the registration", async () => {
    const p = await t.newParticipant(lp.id);
    await t.newParticipant(lp.id, { participant_type: "mentor", participant_id: p.participant_id });
    const asEct = await post(lp, started(p.participant_id));
    const asMentor = await post(lp, started(p.participant_id, { course_identifier: "ecf-mentor" }));
    expect(asEct.status).toBe(200);
    expect(asMentor.status).toBe(200);
    expect(asMentor.body.data.attributes.course_identifier).toBe("ecf-mentor");
  });
});

describe("POST /participant-declarations: success and the state on creation", () => {
  let lp: Provider;
  beforeAll(async () => {
    lp = await t.newProvider();
  });

  test("when accepted, then 200 in the v1 shape, vnd.api+json, date normalised to UTC whole seconds", async () => {
    const { participant_id } = await t.newParticipant(lp.id);
    const r = await post(lp, started(participant_id, { declaration_date: "2024-09-15T11:21:55.123+01:00", has_passed: "true", extra: "ignored" }));
    expect(r.status).toBe(200);
    expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
    const id = r.body.data.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body).toEqual({
      data: {
        id,
        type: "participant-declaration",
        attributes: {
          participant_id,
          declaration_type: "started",
          course_identifier: "ecf-induction",
          eligible_for_payment: true,
          declaration_date: "2024-09-15T10:21:55Z",
          updated_at: NOW,
          voided: false,
          state: "eligible",
          has_passed: null,
        },
      },
    });
    expect(Object.keys(r.body.data)).toEqual(["id", "type", "attributes"]);
    expect(Object.keys(r.body.data.attributes)).toEqual([
      "participant_id",
      "declaration_type",
      "course_identifier",
      "eligible_for_payment",
      "declaration_date",
      "updated_at",
      "voided",
      "state",
      "has_passed",
    ]);
    const row = await dbRow(id);
    expect(row).toMatchObject({ state: "eligible", billable: 1, created_at: NOW, updated_at: NOW, lead_provider_id: lp.id, cohort: 2024 });
    expect(await history(id)).toEqual(["submitted", "eligible"]);
  });

  test("when the participant's funding is false or undecided, then the declaration stays submitted", async () => {
    for (const eligible_for_funding of [false, null]) {
      const { participant_id } = await t.newParticipant(lp.id, { eligible_for_funding });
      const r = await post(lp, started(participant_id));
      expect(r.status).toBe(200);
      expect(r.body.data.attributes.state).toBe("submitted");
      expect(r.body.data.attributes.eligible_for_payment).toBe(false);
      expect(await history(r.body.data.id)).toEqual(["submitted"]);
    }
  });

  test("when another person with the same TRN holds the slot, then the new declaration is ineligible", async () => {
    const trn = randomTrn();
    const first = await t.newParticipant(lp.id, { teacher_reference_number: trn });
    const second = await t.newParticipant(lp.id, { teacher_reference_number: trn });
    expect((await post(lp, started(first.participant_id))).body.data.attributes.state).toBe("eligible");
    const r = await post(lp, started(second.participant_id));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.state).toBe("ineligible");
    expect((await dbRow(r.body.data.id)).billable).toBe(0);
    expect(await history(r.body.data.id)).toEqual(["submitted", "ineligible"]);
  });

  test("when the same declaration is sent twice, then 422 base; after a void, declaring again works", async () => {
    const { participant_id } = await t.newParticipant(lp.id);
    const first = await post(lp, started(participant_id));
    expect(first.status).toBe(200);
    const again = await post(lp, started(participant_id));
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ errors: [{ title: "base", detail: DUPLICATE }] });
    const otherDate = await post(lp, started(participant_id, { declaration_date: "2024-09-16T10:00:00Z" }));
    expect(otherDate.body).toEqual({ errors: [{ title: "base", detail: DUPLICATE }] });
    expect((await voidIt(lp, first.body.data.id)).status).toBe(200);
    const redeclared = await post(lp, started(participant_id));
    expect(redeclared.status).toBe(200);
    expect(redeclared.body.data.id).not.toBe(first.body.data.id);
  });
});

describe("POST /participant-declarations: milestone windows through HTTP", () => {
  let lp: Provider;
  beforeAll(async () => {
    lp = await t.newProvider();
  });

  async function tryDate(fields: Record<string, unknown>, date: string, now: string, type = "started") {
    const { participant_id } = await t.newParticipant(lp.id, fields);
    return post(lp, started(participant_id, { declaration_type: type, declaration_date: date }), now);
  }

  // 2023 ecf-standard-september, started: 2023-06-01 → 2023-12-31 (§7.1)
  test("when a standard schedule's started window is probed, then the first and last instants pass and one second outside fails", async () => {
    const fields = { cohort: 2023 };
    const now = "2024-05-01T00:00:00Z";
    expect((await tryDate(fields, "2023-06-01T00:00:00Z", now)).status).toBe(200);
    expect((await tryDate(fields, "2023-12-31T23:59:59Z", now)).status).toBe(200);
    expect((await tryDate(fields, "2023-05-31T23:59:59Z", now)).body).toEqual({ errors: [{ title: "declaration_date", detail: BEFORE_START }] });
    expect((await tryDate(fields, "2024-01-01T00:00:00Z", now)).body).toEqual({ errors: [{ title: "declaration_date", detail: AFTER_END }] });
  });

  test("when a standard schedule's later milestone is probed, then its own window applies (2023 retained-2: 2024-04-01 → 2024-07-31)", async () => {
    const fields = { cohort: 2023 };
    const now = "2024-09-01T00:00:00Z";
    expect((await tryDate(fields, "2024-04-01T00:00:00Z", now, "retained-2")).status).toBe(200);
    expect((await tryDate(fields, "2024-07-31T23:59:59Z", now, "retained-2")).status).toBe(200);
    expect((await tryDate(fields, "2024-03-31T23:59:59Z", now, "retained-2")).body.errors).toEqual([{ title: "declaration_date", detail: BEFORE_START }]);
    expect((await tryDate(fields, "2024-08-01T00:00:00Z", now, "retained-2")).body.errors).toEqual([{ title: "declaration_date", detail: AFTER_END }]);
  });

  // Non-standard: one start date for every milestone, no end; "now" is the last instant (§7.2)
  for (const [cohort, identifier, start, before] of [
    [2022, "ecf-extended-september", "2022-09-01T00:00:00Z", "2022-08-31T23:59:59Z"],
    [2024, "ecf-reduced-january", "2025-01-01T00:00:00Z", "2024-12-31T23:59:59Z"],
  ] as const) {
    test(`when ${identifier} ${cohort} is probed, then it opens on its start date and stays open until now`, async () => {
      const fields = { cohort, schedule_identifier: identifier };
      const now = "2025-06-01T12:00:00Z";
      expect((await tryDate(fields, start, now)).status).toBe(200);
      expect((await tryDate(fields, now, now)).status).toBe(200);
      expect((await tryDate(fields, before, now)).body).toEqual({ errors: [{ title: "declaration_date", detail: BEFORE_START }] });
      expect((await tryDate(fields, "2025-06-01T12:00:01Z", now)).body).toEqual({ errors: [{ title: "declaration_date", detail: FUTURE }] });
      // every milestone shares the same start date
      expect((await tryDate(fields, start, now, "retained-3")).status).toBe(200);
      expect((await tryDate(fields, before, now, "completed")).body).toEqual({ errors: [{ title: "declaration_date", detail: BEFORE_START }] });
    });
  }

  test("when extended-1 is declared on an extended schedule, then it is accepted", async () => {
    const r = await tryDate({ cohort: 2022, schedule_identifier: "ecf-extended-september" }, "2023-01-10T00:00:00Z", "2025-06-01T00:00:00Z", "extended-1");
    expect(r.status).toBe(200);
  });
});

describe("POST /participant-declarations: output-fee statement deadline (§5.1 step 8)", () => {
  let lp: Provider;
  beforeAll(async () => {
    lp = await t.newProvider();
  });
  const fields = { cohort: 2021, schedule_identifier: "ecf-extended-september" };

  test("when a fundable 2021 declaration arrives on the deadline day, then it is accepted", async () => {
    const { participant_id } = await t.newParticipant(lp.id, fields);
    const r = await post(lp, started(participant_id, { declaration_date: "2024-07-01T00:00:00Z" }), "2024-07-31T23:59:59Z");
    expect(r.status).toBe(200);
  });

  test("when a fundable 2021 declaration arrives after 2024-07-31, then the cohort error", async () => {
    const { participant_id } = await t.newParticipant(lp.id, fields);
    const r = await post(lp, started(participant_id, { declaration_date: "2024-07-01T00:00:00Z" }), "2024-08-01T00:00:00Z");
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "cohort", detail: cohortEnded(2021) }] });
  });

  test("when a non-fundable 2021 declaration arrives after the deadline, then it is accepted as submitted", async () => {
    const { participant_id } = await t.newParticipant(lp.id, { ...fields, eligible_for_funding: false });
    const r = await post(lp, started(participant_id, { declaration_date: "2024-07-01T00:00:00Z" }), "2024-08-01T00:00:00Z");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.state).toBe("submitted");
  });
});

describe("PUT /participant-declarations/{id}/void and the admin state moves", () => {
  let lp: Provider;
  beforeAll(async () => {
    lp = await t.newProvider();
  });

  async function declared(fields: Record<string, unknown> = {}) {
    const { participant_id } = await t.newParticipant(lp.id, fields);
    const r = await post(lp, started(participant_id));
    expect(r.status).toBe(200);
    return r.body.data.id as string;
  }

  test("when a submitted declaration is voided, then 200 voided in the v2 shape, updated_at moves, billable is cleared", async () => {
    const id = await declared({ eligible_for_funding: false });
    const r = await voidIt(lp, id, "2024-10-02T08:00:00Z");
    expect(r.status).toBe(200);
    expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(Object.keys(r.body.data.attributes)).toEqual([
      "participant_id",
      "declaration_type",
      "course_identifier",
      "declaration_date",
      "updated_at",
      "state",
      "has_passed",
    ]);
    expect(r.body.data.attributes).toMatchObject({ state: "voided", updated_at: "2024-10-02T08:00:00Z", has_passed: null });
    expect(await dbRow(id)).toMatchObject({ state: "voided", billable: 0, updated_at: "2024-10-02T08:00:00Z" });
    expect(await history(id)).toEqual(["submitted", "voided"]);
  });

  test("when eligible, payable and ineligible declarations are voided, then each becomes voided", async () => {
    const eligible = await declared();
    expect((await voidIt(lp, eligible)).body.data.attributes.state).toBe("voided");

    const payable = await declared();
    const moved = await adminMove(payable, "payable");
    expect(moved.status).toBe(200);
    expect(moved.body.data.attributes.state).toBe("payable");
    expect((await voidIt(lp, payable)).body.data.attributes.state).toBe("voided");

    const trn = randomTrn();
    await declared({ teacher_reference_number: trn });
    const ineligible = await declared({ teacher_reference_number: trn });
    expect((await dbRow(ineligible)).state).toBe("ineligible");
    expect((await voidIt(lp, ineligible)).body.data.attributes.state).toBe("voided");
  });

  test("when a voided declaration is voided again, then 422 already voided", async () => {
    const id = await declared();
    await voidIt(lp, id);
    const r = await voidIt(lp, id);
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ errors: [{ title: "Invalid action", detail: ALREADY_VOIDED }] });
  });

  test("when a paid declaration is voided, then awaiting-clawback; then neither it nor clawed-back can be voided", async () => {
    const id = await declared();
    for (const state of ["payable", "paid"]) expect((await adminMove(id, state)).status).toBe(200);
    expect((await dbRow(id)).billable).toBe(1);
    const clawback = await voidIt(lp, id);
    expect(clawback.status).toBe(200);
    expect(clawback.body.data.attributes.state).toBe("awaiting-clawback");
    expect((await dbRow(id)).billable).toBe(0);

    const again = await voidIt(lp, id);
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ errors: [{ title: "Invalid action", detail: CANNOT_BE_VOIDED }] });

    const clawedBack = await adminMove(id, "clawed_back", "2024-10-03T00:00:00Z");
    expect(clawedBack.status).toBe(200);
    expect(clawedBack.body.data.attributes).toMatchObject({ state: "clawed-back", updated_at: "2024-10-03T00:00:00Z" });
    expect((await voidIt(lp, id)).body).toEqual({ errors: [{ title: "Invalid action", detail: CANNOT_BE_VOIDED }] });
    expect(await history(id)).toEqual(["submitted", "eligible", "payable", "paid", "awaiting_clawback", "clawed_back"]);
  });

  test("when a paid 2021 declaration is voided after the cohort's last deadline, then 422 with the clawback cohort message", async () => {
    const { participant_id } = await t.newParticipant(lp.id, { cohort: 2021, schedule_identifier: "ecf-extended-september" });
    const r = await post(lp, started(participant_id, { declaration_date: "2024-07-01T00:00:00Z" }), "2024-07-15T00:00:00Z");
    const id = r.body.data.id;
    await adminMove(id, "payable");
    await adminMove(id, "paid");
    const late = await voidIt(lp, id, "2024-08-01T00:00:00Z");
    expect(late.status).toBe(422);
    expect(late.body).toEqual({ errors: [{ title: "Invalid action", detail: `Participant declaration ${cohortEnded(2021)}` }] });
    expect((await voidIt(lp, id, "2024-07-31T10:00:00Z")).body.data.attributes.state).toBe("awaiting-clawback");
  });

  test("when another provider's declaration or an unknown id is voided, then 404", async () => {
    const id = await declared();
    const other = await t.newProvider();
    const r = await voidIt(other, id);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "Resource not Found" });
    expect((await voidIt(lp, crypto.randomUUID())).status).toBe(404);
    expect((await dbRow(id)).state).toBe("eligible");
  });

  test("when the admin asks for a move DfE does not make, then 422; an unknown id is 404", async () => {
    const id = await declared();
    const skip = await adminMove(id, "paid");
    expect(skip.status).toBe(422);
    expect(skip.body.errors[0].title).toBe("state");
    const back = await adminMove(id, "eligible");
    expect(back.status).toBe(422);
    const unknown = crypto.randomUUID();
    const missing = await adminMove(unknown, "eligible");
    expect(missing.status).toBe(404);
    // the admin API's 404 is the errors shape (issue 18 item 7)
    expect(missing.body).toEqual({ errors: [{ title: "Not found", detail: `There is no declaration with id '${unknown}'` }] });
  });

  test("when the admin moves a submitted declaration to eligible, then the v2 document comes back", async () => {
    const id = await declared({ eligible_for_funding: null });
    const r = await adminMove(id, "eligible", "2024-10-05T00:00:00Z");
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id, type: "participant-declaration", attributes: { state: "eligible", updated_at: "2024-10-05T00:00:00Z" } });
  });

  test("when a provider token calls the admin move, then 401", async () => {
    const id = await declared();
    const r = await t.call("PUT", `/admin/participant-declarations/${id}/state`, { token: lp.token, body: { state: "payable" } });
    expect(r.status).toBe(401);
  });
});

describe("GET /participant-declarations: visibility across a transfer (§2.2)", () => {
  let a: Provider;
  let b: Provider;
  let participant: string;
  let aStarted: string;
  let aVoided: string;
  let bRetained: string;
  const later = "2025-02-01T00:00:00Z";

  beforeAll(async () => {
    a = await t.newProvider();
    b = await t.newProvider();
    participant = (await t.newParticipant(a.id)).participant_id;
    aStarted = (await post(a, started(participant))).body.data.id;
    const retained = { declaration_type: "retained-1", declaration_date: "2025-01-10T00:00:00Z" };
    aVoided = (await post(a, started(participant, retained), later)).body.data.id;
    await voidIt(a, aVoided, later);
    const transfer = await t.admin("POST", `/admin/participants/${participant}/transfer`, { course_identifier: "ecf-induction", to_lead_provider_id: b.id });
    expect(transfer.status).toBe(200);
    const r = await post(b, started(participant, { ...retained, declaration_date: "2025-01-20T00:00:00Z" }), later);
    expect(r.status).toBe(200);
    bRetained = r.body.data.id;
  });

  test("when the new provider lists, then it sees the old provider's billable declaration but not its voided one", async () => {
    const r = await get(b, BASE, later);
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: any) => d.id)).toEqual([aStarted, bRetained]);
    expect((await get(b, `${BASE}/${aStarted}`, later)).status).toBe(200);
    expect((await get(b, `${BASE}/${aVoided}`, later)).body).toEqual({ error: "Resource not Found" });
  });

  test("when the old provider lists, then it sees its own in every state and not the new provider's", async () => {
    const r = await get(a, BASE, later);
    expect(r.body.data.map((d: any) => [d.id, d.attributes.state])).toEqual([
      [aStarted, "eligible"],
      [aVoided, "voided"],
    ]);
    expect((await get(a, `${BASE}/${bRetained}`, later)).status).toBe(404);
  });

  test("when the new provider re-declares the old provider's billable event, then 422 base", async () => {
    const r = await post(b, started(participant), later);
    expect(r.body).toEqual({ errors: [{ title: "base", detail: DUPLICATE }] });
  });

  test("when the new provider voids the old provider's declaration, then 404 although it can see it", async () => {
    expect((await voidIt(b, aStarted, later)).status).toBe(404);
  });

  test("when the school withdraws the induction, then the new provider no longer sees the old provider's declarations", async () => {
    const w = await t.admin("PUT", `/admin/participants/${participant}/induction-status`, { course_identifier: "ecf-induction", status: "withdrawn" });
    expect(w.status).toBe(200);
    expect((await get(b, BASE, later)).body.data.map((d: any) => d.id)).toEqual([bRetained]);
    await t.admin("PUT", `/admin/participants/${participant}/induction-status`, { course_identifier: "ecf-induction", status: "active" });
    expect((await get(b, BASE, later)).body.data.map((d: any) => d.id)).toEqual([aStarted, bRetained]);
  });
});

describe("GET /participant-declarations: filters, order and pagination", () => {
  let lp: Provider;
  const ids: string[] = [];
  const participants: string[] = [];
  const times = ["2024-09-20T10:00:00Z", "2024-09-20T10:00:01Z", "2024-09-20T10:00:02Z"];

  beforeAll(async () => {
    lp = await t.newProvider();
    // created out of order in time: the list follows created_at, not insertion
    for (const at of [times[1]!, times[0]!, times[2]!]) {
      const { participant_id } = await t.newParticipant(lp.id);
      participants.push(participant_id);
      const r = await post(lp, started(participant_id), at);
      ids.push(r.body.data.id);
    }
  });

  const byTime = () => [ids[1], ids[0], ids[2]];

  test("when listing, then declarations come in creation order", async () => {
    const r = await get(lp, BASE);
    expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(r.body.data.map((d: any) => d.id)).toEqual(byTime());
    expect(r.body.data[0]).toEqual({
      id: ids[1],
      type: "participant-declaration",
      attributes: {
        participant_id: participants[1],
        declaration_type: "started",
        course_identifier: "ecf-induction",
        declaration_date: "2024-09-15T10:00:00Z",
        updated_at: times[0],
        state: "eligible",
        has_passed: null,
      },
    });
  });

  test("when filtering by participant_id, then only that person's; an unknown UUID gives exactly {data:[]}", async () => {
    const r = await get(lp, `${BASE}?filter[participant_id]=${participants[2]}`);
    expect(r.body.data.map((d: any) => d.id)).toEqual([ids[2]]);
    const upper = await get(lp, `${BASE}?filter[participant_id]=${participants[2]!.toUpperCase()}`);
    expect(upper.body.data.map((d: any) => d.id)).toEqual([ids[2]]);
    const unknown = await t.request("GET", `${BASE}?filter[participant_id]=${crypto.randomUUID()}`, { token: lp.token });
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toBe('{"data":[]}');
    const blank = await get(lp, `${BASE}?filter[participant_id]=`);
    expect(blank.body.data).toHaveLength(3);
  });

  test("when participant_id is not a UUID, then 400 in the errors shape", async () => {
    const r = await get(lp, `${BASE}?filter[participant_id]=abc`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0].title).toBe("Bad request");
    expect(typeof r.body.errors[0].detail).toBe("string");
  });

  test("when filtering by updated_since, then updates later than it, the shown second counting as later (live keeps microseconds)", async () => {
    const at = (v: string) => `${BASE}?filter[updated_since]=${encodeURIComponent(v)}`;
    // live: a write at times[1] + a fraction is later than times[1] as printed (docs/live-parity.md §3)
    expect((await get(lp, at(times[1]!))).body.data.map((d: any) => d.id)).toEqual([ids[0], ids[2]]);
    expect((await get(lp, at("2024-09-20T10:00:00.500Z"))).body.data.map((d: any) => d.id)).toEqual([ids[0], ids[2]]);
    expect((await get(lp, at("2024-09-20T11:00:00+01:00"))).body.data.map((d: any) => d.id)).toEqual(byTime());
    const bad = await get(lp, `${BASE}?filter[updated_since]=2024-09-20`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errors: [{ title: "Bad request", detail: "The filter '#/updated_since' must be a valid RCF3339 date" }] });
  });

  test("when a declaration is voided, then updated_since picks it up again", async () => {
    const lp2 = await t.newProvider();
    const { participant_id } = await t.newParticipant(lp2.id);
    const id = (await post(lp2, started(participant_id), "2024-09-20T10:00:00Z")).body.data.id;
    const since = `${BASE}?filter[updated_since]=${encodeURIComponent("2024-09-21T00:00:00Z")}`;
    expect((await get(lp2, since)).body.data).toEqual([]);
    await voidIt(lp2, id, "2024-09-22T00:00:00Z");
    expect((await get(lp2, since)).body.data.map((d: any) => d.id)).toEqual([id]);
  });

  test("when paginating, then pages follow the order and a page past the end is {data:[]}", async () => {
    const page = (n: number | string, per = 2) => get(lp, `${BASE}?page[per_page]=${per}&page[page]=${n}`);
    expect((await page(1)).body.data.map((d: any) => d.id)).toEqual(byTime().slice(0, 2));
    expect((await page(2)).body.data.map((d: any) => d.id)).toEqual(byTime().slice(2));
    const past = await t.request("GET", `${BASE}?page[per_page]=2&page[page]=3`, { token: lp.token });
    expect(await past.text()).toBe('{"data":[]}');
    expect((await get(lp, `${BASE}?page[per_page]=5000`)).body.data).toHaveLength(3);
    const zero = await get(lp, `${BASE}?page[per_page]=0`);
    expect(zero.status).toBe(400);
    expect(zero.body.errors[0].detail).toBe(
      "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid number (equal and more than 1)",
    );
  });

  test("when the filters are bad but the token is missing, then 401 comes first", async () => {
    const r = await t.call("GET", `${BASE}?filter[participant_id]=abc`);
    expect(r.status).toBe(401);
  });

  test("when a single declaration is fetched, then the v2 document; an unknown or odd id is 404", async () => {
    const r = await get(lp, `${BASE}/${ids[0]}`);
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(ids[0]);
    expect(r.body.data.attributes.state).toBe("eligible");
    expect((await get(lp, `${BASE}/${crypto.randomUUID()}`)).body).toEqual({ error: "Resource not Found" });
    expect((await get(lp, `${BASE}/not-a-uuid`)).status).toBe(404);
  });
});

describe("GET /participant-declarations.csv", () => {
  test("when there are rows, then the header, formatted rows, text/csv, and the filters apply", async () => {
    const lp = await t.newProvider();
    const first = await t.newParticipant(lp.id);
    const second = await t.newParticipant(lp.id, { eligible_for_funding: false });
    const a = (await post(lp, started(first.participant_id), "2024-09-20T10:00:00Z")).body.data.id;
    const b = (await post(lp, started(second.participant_id, { declaration_date: "2024-09-16T10:00:00+02:00" }), "2024-09-21T10:00:00Z")).body.data.id;
    const r = await t.request("GET", `${BASE}.csv?page[per_page]=1`, { token: lp.token });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv");
    expect(await r.text()).toBe(
      "id,participant_id,declaration_type,course_identifier,declaration_date,updated_at,state,has_passed\n" +
        `${a},${first.participant_id},started,ecf-induction,2024-09-15T10:00:00Z,2024-09-20T10:00:00Z,eligible,""\n` +
        `${b},${second.participant_id},started,ecf-induction,2024-09-16T08:00:00Z,2024-09-21T10:00:00Z,submitted,""\n`,
    );
    const filtered = await t.request("GET", `${BASE}.csv?filter[participant_id]=${second.participant_id}`, { token: lp.token });
    expect((await filtered.text()).split("\n").slice(1, -1).map((l) => l.split(",")[0])).toEqual([b]);
    const since = await t.request("GET", `${BASE}.csv?filter[updated_since]=${encodeURIComponent("2024-09-20T10:00:01Z")}`, { token: lp.token });
    expect((await since.text()).split("\n").slice(1, -1).map((l) => l.split(",")[0])).toEqual([b]);
  });

  test("when there is nothing to show, then an empty body with no header", async () => {
    const lp = await t.newProvider();
    const r = await t.request("GET", `${BASE}.csv`, { token: lp.token });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv");
    expect(await r.text()).toBe("");
  });

  test("when the token is missing, then the 401 is JSON", async () => {
    const r = await t.request("GET", `${BASE}.csv`);
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(await r.json()).toEqual({ error: "HTTP Token: Access denied" });
  });

  test("when participant_id is not a UUID, then the CSV answers a JSON 400", async () => {
    const lp = await t.newProvider();
    const r = await t.request("GET", `${BASE}.csv?filter[participant_id]=abc`, { token: lp.token });
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toBe("application/vnd.api+json");
  });
});

describe("racing duplicates over a real socket", () => {
  test("when 20 identical POSTs are fired at once, then exactly one 200, the rest 422 base, and one billable row", async () => {
    const lp = await t.newProvider();
    const { participant_id } = await t.newParticipant(lp.id);
    t.app.listen({ port: 0, hostname: "127.0.0.1" });
    try {
      const url = `http://127.0.0.1:${t.app.server!.port}${BASE}`;
      const body = JSON.stringify({ data: { type: "participant-declaration", attributes: started(participant_id) } });
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(url, {
            method: "POST",
            headers: { authorization: `Bearer ${lp.token}`, "content-type": "application/json", "x-with-server-date": NOW },
            body,
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })),
        ),
      );
      const ok = responses.filter((r) => r.status === 200);
      const refused = responses.filter((r) => r.status === 422);
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(19);
      for (const r of refused) expect(r.body).toEqual({ errors: [{ title: "base", detail: DUPLICATE }] });
      const rows = await t.database.db
        .selectFrom("declarations")
        .select("id")
        .where("participant_id", "=", participant_id)
        .where("billable", "=", 1)
        .execute();
      expect(rows.map((r) => r.id)).toEqual([ok[0]!.body.data.id]);
    } finally {
      await t.app.stop();
    }
  });
});

import { describe as describeEmpty, expect as expectEmpty, test as testEmpty } from "bun:test";
import { createTestApp as createEmptyBodyApp } from "../support/app";

describeEmpty("an empty POST body", () => {
  testEmpty("when the body is empty, then the live missing-data 400 (Rails does not parse an empty body)", async () => {
    const t = await createEmptyBodyApp();
    const p = await t.newProvider();
    const r = await t.call("POST", "/api/v2/participant-declarations", { token: p.token, body: "", headers: { "content-type": "application/json" } });
    expectEmpty(r.status).toBe(400);
    expectEmpty(r.body).toEqual({ errors: [{ title: "Bad request", detail: "correct json data structure required. See API docs for reference" }] });
    await t.close();
  });
});
