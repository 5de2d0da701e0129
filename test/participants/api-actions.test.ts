import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assertMatchesContract, checkParticipantContract } from "../contract/validate";
import { type TestApp, createTestApp } from "../support/app";

/**
 * PUT /api/v2/participants/ecf/{id}/defer|resume|withdraw (business-rules
 * §6.1–§6.5) and the request bodies they accept (§3.1, §3.3).
 * change-schedule (§6.6) is in api-change-schedule.test.ts.
 */

const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const COURSE_NOT_RECOGNISED =
  "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.";
const COURSE_BLANK = "Enter a '#/course_identifier' value for this participant.";
const REASON_MISSING = "The property '#/reason' must be present";
const REASON_INVALID = "The property '#/reason' must be a valid reason";
const ALREADY_DEFERRED = "The participant is already deferred";
const ALREADY_WITHDRAWN = "The participant is already withdrawn";
const ALREADY_ACTIVE = "The participant is already active";
const WITHDRAWN_PARTICIPANT = "Cannot perform actions on a withdrawn participant";
const MISSING_DATA = {
  errors: [{ title: "Bad request", detail: "correct json data structure required. See API docs for reference" }],
};

const LIST = "/api/v2/participants/ecf";
const ACTIONS = ["defer", "resume", "withdraw", "change-schedule"] as const;
const CREATED_AT = "2024-09-15T08:00:00Z";
const NOW = "2024-10-10T10:42:00Z";
const RESPONSE_SCHEMA: Record<string, string> = {
  defer: "ECFParticipantDeferResponse",
  resume: "ECFParticipantResumeResponse",
  withdraw: "ECFParticipantWithdrawResponse",
  "change-schedule": "ECFParticipantResponse",
};

type Provider = { id: string; token: string };
type Created = { participant_id: string; training_record_id: string };
let t: TestApp;

let p: Provider;

beforeAll(async () => {
  t = checkParticipantContract(await createTestApp());
  p = await t.newProvider();
});
afterAll(() => t.close());

async function newEct(fields: Record<string, unknown> = {}, provider = p): Promise<Created> {
  t.clock.set(new Date(CREATED_AT));
  try {
    return await t.newParticipant(provider.id, fields);
  } finally {
    t.clock.reset();
  }
}

function put(id: string, action: string, body: unknown, options: { now?: string; token?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.now) headers["x-with-server-date"] = options.now;
  return t.call("PUT", `${LIST}/${id}/${action}`, { token: options.token === undefined ? p.token : options.token, body, headers });
}

function act(id: string, action: string, attributes: Record<string, unknown>, now = NOW, token = p.token) {
  return put(id, action, { data: { type: `participant-${action}`, attributes } }, { now, token });
}

/** A 200 answer: checked against the contract (the general and the action's own schema). */
function expectOk(r: { status: number; body: any; response: Response }, action: string) {
  if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
  assertMatchesContract("ECFParticipantResponse", r.body);
  assertMatchesContract(RESPONSE_SCHEMA[action]!, r.body);
  return r.body.data;
}

function expect422(r: { status: number; body: any }, errors: Array<[string, string]>) {
  expect({ status: r.status, body: r.body }).toEqual({ status: 422, body: { errors: errors.map(([title, detail]) => ({ title, detail })) } });
}

async function getOne(id: string, token = p.token) {
  const r = await t.call("GET", `${LIST}/${id}`, { token });
  expect(r.status).toBe(200);
  assertMatchesContract("ECFParticipantResponse", r.body);
  return r.body.data;
}

async function history(recordId: string) {
  return t.database.db
    .selectFrom("training_status_history")
    .select(["state", "reason", "lead_provider_id", "created_at"])
    .where("training_record_id", "=", recordId)
    .orderBy("created_at")
    .execute();
}

const BODIES: Record<string, Record<string, unknown>> = {
  defer: { course_identifier: "ecf-induction", reason: "bereavement" },
  resume: { course_identifier: "ecf-induction" },
  withdraw: { course_identifier: "ecf-induction", reason: "left-teaching-profession" },
  "change-schedule": { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january" },
};

describe("request bodies (docs/reference/business-rules.md §3.1, §3.3)", () => {
  let q: Created;
  beforeAll(async () => {
    q = await newEct();
  });

  test("when the body has no usable data member, then 400 with the exact live body on every action (and 404 without /ecf)", async () => {
    const bodies: unknown[] = [{}, { data: null }, { data: {} }, { data: [] }, { attributes: BODIES.defer }, { data: "defer" }, { data: [1] }, [], "null", "5", '"x"'];
    for (const action of ACTIONS) {
      for (const body of bodies) {
        const r = await put(q.participant_id, action, body);
        expect({ action, body, status: r.status, answer: r.body }).toEqual({ action, body, status: 400, answer: MISSING_DATA });
        expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
      }
      const alias = await t.call("PUT", `/api/v2/participants/${q.participant_id}/${action}`, { token: p.token, body: {} });
      expect(alias.status).toBe(404);
    }
  });

  test("when there is no body at all, or an empty one, then the live missing-data 400", async () => {
    for (const action of ACTIONS) {
      const none = await t.call("PUT", `${LIST}/${q.participant_id}/${action}`, { token: p.token });
      expect(none.status).toBe(400);
      expect(none.body).toEqual(MISSING_DATA);
      const empty = await t.call("PUT", `${LIST}/${q.participant_id}/${action}`, { token: p.token, body: "", headers: { "content-type": "application/json" } });
      expect(empty.status).toBe(400);
      expect(empty.body).toEqual(MISSING_DATA);
    }
  });

  test("when the body is JSON but the content type is not a JSON one, then it is left unparsed: the missing-data 400", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await t.call("PUT", `${LIST}/${q.participant_id}/defer`, {
        token: p.token,
        body: JSON.stringify({ data: { attributes: BODIES.defer } }),
        headers: { "content-type": contentType },
      });
      expect(r.status).toBe(400);
      expect(r.body).toEqual(MISSING_DATA);
    }
  });

  test("when the body is malformed JSON, then 400 in the errors shape, never a 500", async () => {
    for (const text of ["{", '{"data":', "{data: {}}", "not json", '{"data":{"attributes":{}}}}']) {
      const r = await put(q.participant_id, "defer", text);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ errors: [{ title: "Bad request", detail: "The request body is not valid JSON" }] });
      expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
    }
  });

  test("when the body comes as application/vnd.api+json or text/x-json, then it is parsed as JSON", async () => {
    for (const [contentType, action] of [
      ["application/vnd.api+json", "defer"],
      ["text/x-json; charset=utf-8", "resume"],
    ] as const) {
      const r = await t.call("PUT", `${LIST}/${q.participant_id}/${action}`, {
        token: p.token,
        body: JSON.stringify({ data: { attributes: BODIES[action] } }),
        headers: { "content-type": contentType },
      });
      expectOk(r, action);
    }
  });

  test("when data.type is anything or absent, and extra attributes are sent, then they are ignored and the action succeeds", async () => {
    const x = await newEct();
    expectOk(await put(x.participant_id, "defer", { data: { type: "participant-withdraw", attributes: { ...BODIES.defer, foo: "bar", participant_id: "someone-else", training_status: "withdrawn" }, extra: 1 } }), "defer");
    expectOk(await put(x.participant_id, "resume", { data: { attributes: { ...BODIES.resume, schedule_identifier: "ecf-standard-january", cohort: 2025 } } }), "resume");
    expectOk(await put(x.participant_id, "withdraw", { data: { type: 12, attributes: BODIES.withdraw } }), "withdraw");
    const after = await getOne(x.participant_id);
    expect(after.attributes).toMatchObject({ training_status: "withdrawn", schedule_identifier: "ecf-standard-september", cohort: "2024" });
  });

  test("when data has no attributes, then every attribute counts as missing", async () => {
    const r = await put(q.participant_id, "defer", { data: { type: "participant-defer" } });
    expect422(r, [
      ["course_identifier", `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}`],
      ["reason", `${REASON_MISSING}, ${REASON_INVALID}`],
    ]);
  });

  test("when an attribute is an object or an array, then it counts as missing", async () => {
    const r = await act(q.participant_id, "defer", { course_identifier: ["ecf-induction"], reason: { value: "other" } });
    expect422(r, [
      ["course_identifier", `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}`],
      ["reason", `${REASON_MISSING}, ${REASON_INVALID}`],
    ]);
  });

  test("when there is no token, then 401 comes before any body check", async () => {
    const r = await put(q.participant_id, "defer", "{", { token: null });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "HTTP Token: Access denied" });
  });
});

describe("common checks (docs/reference/business-rules.md §6.1)", () => {
  let q: Created;
  beforeAll(async () => {
    q = await newEct();
  });

  test("when course_identifier is blank, then both course messages are joined, on every action", async () => {
    for (const action of ACTIONS) {
      for (const course of [undefined, "", "   ", null]) {
        const attributes = { ...BODIES[action], course_identifier: course };
        if (course === undefined) delete attributes.course_identifier;
        expect422(await act(q.participant_id, action, attributes), [["course_identifier", `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}`]]);
      }
    }
  });

  test("when course_identifier is not one of the person's courses, then only the not-recognised message", async () => {
    for (const action of ACTIONS) {
      for (const course of ["ecf-mentor", "foo", "npq-leading-teaching", "ECF-INDUCTION"]) {
        expect422(await act(q.participant_id, action, { ...BODIES[action], course_identifier: course }), [["course_identifier", COURSE_NOT_RECOGNISED]]);
      }
    }
  });

  test("when the id is unknown and the course blank, then participant_id first, then the blank-course message only", async () => {
    const unknown = "00000000-0000-4000-8000-000000000001";
    expect422(await act(unknown, "resume", {}), [
      ["participant_id", NOT_RECOGNISED],
      ["course_identifier", COURSE_BLANK],
    ]);
    expect422(await act(unknown, "resume", { course_identifier: "foo" }), [["participant_id", NOT_RECOGNISED]]);
  });

  test("when a person is both ECT and mentor, then course_identifier picks the registration the action changes", async () => {
    const both = await newEct();
    const mentor = await newEct({ participant_type: "mentor", participant_id: both.participant_id });
    const r = await act(both.participant_id, "defer", { course_identifier: "ecf-mentor", reason: "other" });
    const data = expectOk(r, "defer");
    expect(data.attributes).toMatchObject({ participant_type: "mentor", training_record_id: mentor.training_record_id, training_status: "deferred" });
    const rows = (await t.call("GET", `${LIST}?filter[updated_since]=${encodeURIComponent(NOW)}`, { token: p.token })).body.data as any[];
    const byRecord = Object.fromEntries(rows.filter((row) => row.id === both.participant_id).map((row) => [row.attributes.training_record_id, row.attributes.training_status]));
    expect(byRecord).toEqual({ [both.training_record_id]: "active", [mentor.training_record_id]: "deferred" });
  });
});

describe("reasons (docs/reference/business-rules.md §6.2, §6.3)", () => {
  test("when defer has no reason, a blank one or an unknown one, then the live reason messages", async () => {
    const q = await newEct();
    expect422(await act(q.participant_id, "defer", { course_identifier: "ecf-induction" }), [["reason", `${REASON_MISSING}, ${REASON_INVALID}`]]);
    expect422(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "" }), [["reason", `${REASON_MISSING}, ${REASON_INVALID}`]]);
    expect422(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason: null }), [["reason", `${REASON_MISSING}, ${REASON_INVALID}`]]);
    expect422(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "holiday" }), [["reason", REASON_INVALID]]);
    expect422(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "moved-school" }), [["reason", REASON_INVALID]]);
    expect422(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "Other" }), [["reason", REASON_INVALID]]);
    expect(await history(q.training_record_id)).toEqual([]);
  });

  test("when withdraw has no reason, a blank one or a defer reason, then the live reason messages", async () => {
    const q = await newEct();
    expect422(await act(q.participant_id, "withdraw", { course_identifier: "ecf-induction" }), [["reason", `${REASON_MISSING}, ${REASON_INVALID}`]]);
    expect422(await act(q.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: " " }), [["reason", `${REASON_MISSING}, ${REASON_INVALID}`]]);
    expect422(await act(q.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: "bereavement" }), [["reason", REASON_INVALID]]);
  });

  test("when the course is blank and the reason missing, then defer reports both, course first; withdraw, with no training record resolved, only the course", async () => {
    const q = await newEct();
    expect422(await act(q.participant_id, "defer", {}), [
      ["course_identifier", `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}`],
      ["reason", `${REASON_MISSING}, ${REASON_INVALID}`],
    ]);
    expect422(await act(q.participant_id, "withdraw", {}), [["course_identifier", `${COURSE_NOT_RECOGNISED}, ${COURSE_BLANK}`]]);
    // a course that resolves another registration of the person: the reason is checked
    const mentor = await newEct({ participant_type: "mentor", participant_id: q.participant_id });
    expect(mentor.participant_id).toBe(q.participant_id);
    expect422(await act(q.participant_id, "withdraw", { course_identifier: "ecf-mentor", reason: "nope" }), [["reason", REASON_INVALID]]);
  });

  test("when the participant is unknown, then defer still checks the reason but withdraw does not", async () => {
    const unknown = "00000000-0000-4000-8000-000000000002";
    expect422(await act(unknown, "defer", { course_identifier: "ecf-induction" }), [
      ["participant_id", NOT_RECOGNISED],
      ["reason", `${REASON_MISSING}, ${REASON_INVALID}`],
    ]);
    expect422(await act(unknown, "withdraw", { course_identifier: "ecf-induction" }), [["participant_id", NOT_RECOGNISED]]);
  });

  test("when each listed defer reason is sent, then it is accepted and recorded", async () => {
    for (const reason of ["bereavement", "long-term-sickness", "parental-leave", "career-break", "other"]) {
      const q = await newEct();
      expectOk(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason }), "defer");
      expect((await history(q.training_record_id)).map((h) => h.reason)).toEqual([reason]);
    }
  });

  test("when each listed withdraw reason is sent, then it is accepted for ECTs and mentors alike", async () => {
    for (const reason of ["left-teaching-profession", "moved-school", "mentor-no-longer-being-mentor", "school-left-fip", "other"]) {
      const ect = await newEct();
      expectOk(await act(ect.participant_id, "withdraw", { course_identifier: "ecf-induction", reason }), "withdraw");
      const mentor = await newEct({ participant_type: "mentor" });
      expectOk(await act(mentor.participant_id, "withdraw", { course_identifier: "ecf-mentor", reason }), "withdraw");
      expect((await history(ect.training_record_id)).map((h) => h.reason)).toEqual([reason]);
      expect((await history(mentor.training_record_id)).map((h) => h.reason)).toEqual([reason]);
    }
  });
});

describe("the §6.5 transition table, cell by cell", () => {
  type State = "active" | "deferred" | "withdrawn";
  const OK = null;
  const table: Record<State, Record<(typeof ACTIONS)[number], [string, string] | null>> = {
    active: { defer: OK, withdraw: OK, resume: ["participant_profile", ALREADY_ACTIVE], "change-schedule": OK },
    deferred: { defer: ["participant_profile", ALREADY_DEFERRED], withdraw: OK, resume: OK, "change-schedule": OK },
    withdrawn: {
      defer: ["participant_profile", ALREADY_WITHDRAWN],
      withdraw: ["participant_profile", ALREADY_WITHDRAWN],
      resume: OK,
      "change-schedule": ["participant_id", WITHDRAWN_PARTICIPANT],
    },
  };
  const resulting: Record<string, State | null> = { defer: "deferred", withdraw: "withdrawn", resume: "active", "change-schedule": null };
  const SETUP = "2024-10-05T09:00:00Z";

  async function participantIn(state: State): Promise<Created> {
    const q = await newEct();
    if (state === "deferred") expectOk(await act(q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "parental-leave" }, SETUP), "defer");
    if (state === "withdrawn") expectOk(await act(q.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: "moved-school" }, SETUP), "withdraw");
    return q;
  }

  for (const from of ["active", "deferred", "withdrawn"] as const) {
    for (const action of ACTIONS) {
      const cell = table[from][action];
      const outcome = cell ? `422 ${cell[0]} / ${cell[1]}` : "200";
      test(`when a ${from} participant gets ${action}, then ${outcome}`, async () => {
        const q = await participantIn(from);
        const before = await getOne(q.participant_id);
        const historyBefore = await history(q.training_record_id);
        const r = await act(q.participant_id, action, BODIES[action]!);
        if (cell) {
          expect422(r, [cell]);
          expect(await getOne(q.participant_id)).toEqual(before);
          expect(await history(q.training_record_id)).toEqual(historyBefore);
          return;
        }
        const data = expectOk(r, action);
        const to = resulting[action] ?? from;
        expect(data.id).toBe(q.participant_id);
        expect(data.attributes.training_status).toBe(to);
        expect(data.attributes.status).toBe("active");
        expect(data.attributes.updated_at).toBe(NOW);
        expect(await getOne(q.participant_id)).toEqual(data);
        const rows = await history(q.training_record_id);
        if (action === "change-schedule") {
          expect(rows).toEqual(historyBefore);
          expect(data.attributes.schedule_identifier).toBe("ecf-standard-january");
        } else {
          expect(rows).toEqual([
            ...historyBefore,
            { state: to!, reason: (BODIES[action]!.reason as string | undefined) ?? null, lead_provider_id: p.id, created_at: NOW },
          ]);
        }
      });
    }
  }
});

describe("what the status actions write (docs/reference/business-rules.md §6.5, §4.2)", () => {
  test("when a participant is deferred, resumed, withdrawn and resumed, then each change is one history row at the request's now, by the caller", async () => {
    const q = await newEct();
    const steps: Array<[string, Record<string, unknown>, string, string, string | null]> = [
      ["defer", { course_identifier: "ecf-induction", reason: "long-term-sickness" }, "2024-10-02T08:00:00Z", "deferred", "long-term-sickness"],
      ["resume", { course_identifier: "ecf-induction" }, "2024-10-03T08:00:00Z", "active", null],
      ["withdraw", { course_identifier: "ecf-induction", reason: "school-left-fip" }, "2024-10-04T08:00:00Z", "withdrawn", "school-left-fip"],
      ["resume", { course_identifier: "ecf-induction" }, "2024-10-05T08:00:00+01:00", "active", null],
    ];
    for (const [action, attributes, now, state] of steps) {
      const data = expectOk(await act(q.participant_id, action, attributes, now), action);
      const instant = new Date(now).toISOString().slice(0, 19) + "Z";
      expect(data.attributes).toMatchObject({ training_status: state, status: "active", updated_at: instant });
      const stored = await t.database.db.selectFrom("training_records").select(["training_status", "updated_at"]).where("id", "=", q.training_record_id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ training_status: state as any, updated_at: instant });
      const person = await t.database.db.selectFrom("participants").select("updated_at").where("id", "=", q.participant_id).executeTakeFirstOrThrow();
      expect(person.updated_at).toBe(instant);
    }
    expect(await history(q.training_record_id)).toEqual(
      steps.map(([, , now, state, reason]) => ({ state: state as any, reason, lead_provider_id: p.id, created_at: new Date(now).toISOString().slice(0, 19) + "Z" })),
    );
  });

  test("when an action succeeds without X-With-Server-Date, then updated_at is the service clock's now, in whole seconds", async () => {
    const q = await newEct();
    t.clock.set(new Date("2024-11-11T11:11:11.400Z"));
    try {
      const data = expectOk(await put(q.participant_id, "defer", { data: { attributes: BODIES.defer } }), "defer");
      expect(data.attributes.updated_at).toBe("2024-11-11T11:11:11Z");
      expect((await history(q.training_record_id))[0]!.created_at).toBe("2024-11-11T11:11:11Z");
    } finally {
      t.clock.reset();
    }
  });

  test("when an action succeeds, then the list's updated_since picks the participant up from the request's now", async () => {
    const q = await newEct();
    const now = "2024-12-01T10:00:00Z";
    expectOk(await act(q.participant_id, "defer", BODIES.defer!, now), "defer");
    const rows = (await t.call("GET", `${LIST}?filter[updated_since]=${now}`, { token: p.token })).body.data as any[];
    expect(rows.map((r) => r.attributes.training_record_id)).toContain(q.training_record_id);
    const later = (await t.call("GET", `${LIST}?filter[updated_since]=2024-12-01T10:00:01Z`, { token: p.token })).body.data as any[];
    expect(later.map((r) => r.attributes.training_record_id)).not.toContain(q.training_record_id);
  });

  test("when the school has withdrawn the induction, then the provider's actions still judge training_status, and status stays withdrawn", async () => {
    const q = await newEct();
    expect((await t.admin("PUT", `/admin/participants/${q.participant_id}/induction-status`, { course_identifier: "ecf-induction", status: "withdrawn" })).status).toBe(200);
    const data = expectOk(await act(q.participant_id, "defer", BODIES.defer!), "defer");
    expect(data.attributes).toMatchObject({ status: "withdrawn", training_status: "deferred" });
  });

  test("when a withdrawn participant is resumed, then a later change-schedule is allowed again", async () => {
    const q = await newEct();
    expectOk(await act(q.participant_id, "withdraw", BODIES.withdraw!, "2024-10-02T08:00:00Z"), "withdraw");
    expect422(await act(q.participant_id, "change-schedule", BODIES["change-schedule"]!), [["participant_id", WITHDRAWN_PARTICIPANT]]);
    expectOk(await act(q.participant_id, "resume", BODIES.resume!, "2024-10-03T08:00:00Z"), "resume");
    const data = expectOk(await act(q.participant_id, "change-schedule", BODIES["change-schedule"]!), "change-schedule");
    expect(data.attributes).toMatchObject({ training_status: "active", schedule_identifier: "ecf-standard-january" });
  });

  test("when the path id is in upper case, then the action resolves the participant", async () => {
    const q = await newEct();
    const data = expectOk(await act(q.participant_id.toUpperCase(), "defer", BODIES.defer!), "defer");
    expect(data.id).toBe(q.participant_id);
  });
});
