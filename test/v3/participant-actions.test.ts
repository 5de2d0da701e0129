/**
 * PUT /api/v3/participants/{id}/{defer,withdraw,resume,change-schedule} (docs/reference/rect/rules.md §7)
 * end to end over app.handle: status, exact error bodies, and the side effects seen through
 * GET /admin/v3/world. Each case names the RECT spec example it reproduces (at 0fe31d1aa):
 * spec/requests/api/v3/participants_spec.rb with spec/support/shared_contexts/api/update_endpoint.rb,
 * spec/support/shared_examples/api_teacher_shared_action_support.rb, spec/services/api/teachers/*_spec.rb
 * (checks) and spec/services/teachers/*_spec.rb (effects).
 *
 * Requests carry `X-With-Server-Date` at noon UTC of today's London date (so "today" is the
 * scenario's today and every stamp is exact); the world's relative dates are the clock's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
});
afterAll(() => t.close());

const TODAY = londonDate(new Date());
const AT = `${TODAY}T12:00:00Z`;
const YESTERDAY = addDays(TODAY, -1);
const uid = () => crypto.randomUUID().slice(0, 8);
const NOT_FOUND = { errors: [{ title: "Resource not found", detail: "Nothing could be found for the provided details" }] };
const BAD_BODY = { errors: [{ title: "Bad request", detail: "Correct json data structure required. See API docs for reference." }] };
const err = (title: string, detail: string) => ({ title, detail });
const unprocessable = (...items: { title: string; detail: string }[]) => ({ errors: items });

type Role = "ect" | "mentor";
type Action = "defer" | "withdraw" | "resume" | "change-schedule";
const COURSE: Record<Role, string> = { ect: "ecf-induction", mentor: "ecf-mentor" };

let urn = 410000;

interface Spec {
  role?: Role;
  /** the at-school period (school s1) */
  period?: Record<string, unknown>;
  training: Record<string, unknown>[];
  /** more at-school periods of the role */
  morePeriods?: Record<string, unknown>[];
  teacher?: Record<string, unknown>;
  otherTeachers?: Record<string, unknown>[];
  partnerships?: Record<string, unknown>[];
  statements?: Record<string, unknown>[];
  deliveryPartners?: Record<string, unknown>[];
}

/** One world per case: providers a (2022, 2024, 2025) and b (2024, 2025), school s1, partnerships pa22/pa24/pa25/pb25, teacher t1. */
class World {
  constructor(
    readonly refs: Refs,
    readonly role: Role,
  ) {}
  get id(): string {
    return this.refs.t1!.id;
  }
  token(lead = "a"): string {
    return this.refs[lead]!.api_token;
  }
  put(action: Action, attributes: Record<string, unknown>, options: { lead?: string; id?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    return t.call("PUT", `/api/v3/participants/${options.id ?? this.id}/${action}`, {
      token: this.token(options.lead),
      body: options.body ?? { data: { type: `participant-${action}`, attributes } },
      headers: { "X-With-Server-Date": AT, ...options.headers },
    });
  }
  /** change-schedule etc. with the role's course */
  act(action: Action, attributes: Record<string, unknown> = {}, options: { lead?: string; headers?: Record<string, string> } = {}) {
    return this.put(action, { course_identifier: COURSE[this.role], ...attributes }, options);
  }
  async teacher(): Promise<any> {
    const w = (await t.admin("GET", "/admin/v3/world")).body;
    return w.teachers.find((x: any) => x.id === this.id);
  }
  /** the role's training periods in the world, by start */
  async training(): Promise<any[]> {
    const teacher = await this.teacher();
    const periods = this.role === "ect" ? teacher.ect_periods : teacher.mentor_periods;
    return periods.flatMap((p: any) => p.training).sort((x: any, y: any) => (x.started_on < y.started_on ? -1 : 1));
  }
  async tp(ref = "tp"): Promise<any> {
    return (await this.training()).find((x) => x.ref === this.refs[ref]!.id);
  }
  async partnership(ref: string): Promise<string> {
    return this.refs[ref]!.id;
  }
}

async function build(spec: Spec): Promise<World> {
  const role = spec.role ?? "ect";
  const period = { ref: "asp", school: "s1", started_on: "today-200d", ...spec.period, training: spec.training };
  const periods = [period, ...(spec.morePeriods ?? [])];
  const teacher = { ref: "t1", ...(role === "mentor" ? { mentor_periods: periods } : { ect_periods: periods }), ...spec.teacher };
  const refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2022, 2024, 2025]), lp("b", [2024, 2025])],
    delivery_partners: [
      { ref: "dp1", name: `DP One ${uid()}`, partnered_with: [{ lead_provider: "a", cohorts: [2022, 2024, 2025] }] },
      { ref: "dp2", name: `DP Two ${uid()}`, partnered_with: [{ lead_provider: "a", cohorts: [2024] }, { lead_provider: "b", cohorts: [2024, 2025] }] },
      ...(spec.deliveryPartners ?? []),
    ],
    schools: [
      { ref: "s1", urn: String(++urn), name: "School One" },
      { ref: "s2", urn: String(++urn), name: "School Two" },
    ],
    partnerships: [
      { ref: "pa25", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025, created_at: "now-30d" },
      { ref: "pa24", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2024, created_at: "now-30d" },
      { ref: "pa22", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2022, created_at: "now-30d" },
      { ref: "pb25", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025, created_at: "now-30d" },
      ...(spec.partnerships ?? []),
    ],
    statements: spec.statements ?? [],
    teachers: [teacher, ...(spec.otherTeachers ?? [])],
  });
  return new World(refs, role);
}

/** The usual case: one ongoing training period with a, started 60 days ago. */
const ongoing = (extra: Record<string, unknown> = {}, role: Role = "ect") => build({ role, training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d", ...extra }] });

const ROLES: Role[] = ["ect", "mentor"];

// ---------------------------------------------------------------------------
// the envelope every action shares
// ---------------------------------------------------------------------------

const VALID: Record<Action, Record<string, unknown>> = {
  defer: { reason: "career-break", course_identifier: "ecf-induction" },
  withdraw: { reason: "moved-school", course_identifier: "ecf-induction" },
  resume: { course_identifier: "ecf-induction" },
  "change-schedule": { schedule_identifier: "ecf-extended-september", course_identifier: "ecf-induction" },
};
/** a world where the action succeeds (resume: a period withdrawn two days ago) */
const forAction = (action: Action) =>
  action === "resume" ? ongoing({ finished_on: "today-2d", withdrawn: { at: "now-2d", reason: "other" } }) : ongoing();

describe("the envelope (participants_spec.rb with the update_endpoint.rb shared example)", () => {
  for (const action of ["change-schedule", "defer", "resume", "withdraw"] as Action[]) {
    test(`${action}: spec/requests/api/v3/participants_spec.rb:102,149,179,212 "a token authenticated endpoint": no token → 401`, async () => {
      const w = await forAction(action);
      const r = await t.call("PUT", `/api/v3/participants/${w.id}/${action}`, { token: null, body: { data: { attributes: VALID[action] } } });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: "HTTP Token: Access denied" });
    });
    test(`${action}: spec/requests/api/v3/participants_spec.rb:103,150,180,213 "an API update endpoint" (spec/support/shared_contexts/api/update_endpoint.rb:4 "updates and returns the resource"; spec/requests/api/v3/participants_spec.rb:118,151,181,214 "refreshes metadata"): 200, application/json; charset=utf-8, the participant`, async () => {
      const w = await forAction(action);
      const r = await w.put(action, VALID[action]);
      expect(r.status).toBe(200);
      expect(r.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(r.body.data.id).toBe(w.id);
      expect(r.body.data.type).toBe("participant");
      // api_controller.rb:27-31: to_json(response), the serializer of GET /participants/{id}
      const shown = await t.call("GET", `/api/v3/participants/${w.id}`, { token: w.token(), headers: { "X-With-Server-Date": AT } });
      expect(shown.status).toBe(200);
      expect(r.body).toEqual(shown.body);
      expect(r.body.data.attributes.ecf_enrolments.length).toBeGreaterThan(0);
    });
    test(`${action}: spec/support/shared_contexts/api/update_endpoint.rb:33 "returns a 400 response if the request body is malformed"`, async () => {
      const w = await forAction(action);
      const before = await w.teacher();
      const r = await w.put(action, {}, { body: { not_a_valid: "body" } });
      expect(r.status).toBe(400);
      expect(r.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(r.body).toEqual(BAD_BODY);
      expect(await w.teacher()).toEqual(before);
    });
    test(`${action}: spec/support/shared_contexts/api/update_endpoint.rb:42-52 "when the resource has a different lead provider" → 404, and nothing changes`, async () => {
      const w = await forAction(action);
      const before = await w.teacher();
      const r = await w.put(action, VALID[action], { lead: "b" });
      expect(r.status).toBe(404);
      expect(r.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(r.body).toEqual(NOT_FOUND);
      expect(await w.teacher()).toEqual(before);
    });
    test(`${action}: spec/support/shared_contexts/api/update_endpoint.rb:54-61 "when extra params are sent": ignored`, async () => {
      const w = await forAction(action);
      const r = await w.put(action, { ...VALID[action], any_param1: "test", any_param2: "test" });
      expect(r.status).toBe(200);
    });
  }

  test("docs/reference/rect/rules.md §3.3: unknown and non-UUID ids → 404; the body is judged first (400 before 404)", async () => {
    const w = await ongoing();
    for (const id of [crypto.randomUUID(), "not-a-uuid"]) {
      const r = await w.put("defer", VALID.defer, { id });
      expect(r.status).toBe(404);
      expect(r.body).toEqual(NOT_FOUND);
    }
    const r = await w.put("defer", {}, { id: crypto.randomUUID(), body: { data: {} } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(BAD_BODY);
  });

  test("docs/reference/rect/rules.md §3.3: data blank, attributes missing or not a hash, only unknown or non-scalar attributes → 400", async () => {
    const w = await ongoing();
    for (const body of [{}, { data: null }, { data: "" }, { data: {} }, { data: { type: "x" } }, { data: { attributes: "x" } }, { data: { attributes: {} } }, { data: { attributes: { foo: 1 } } }, { data: { attributes: { reason: { a: 1 }, course_identifier: ["ecf-induction"] } } }]) {
      const r = await w.put("defer", {}, { body });
      expect(r.status).toBe(400);
      expect(r.body).toEqual(BAD_BODY);
    }
  });

  test("docs/reference/rect/rules.md §3.3 'data a non-empty string, number or array' (RECT: a 500, `expect` on a non-hash): our 400 (README, v3 differences)", async () => {
    const w = await ongoing();
    for (const data of ["x", 5, true, [{ attributes: VALID.defer }], ["x"]]) {
      const r = await w.put("defer", {}, { body: { data } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual(BAD_BODY);
    }
    const notJson = await t.call("PUT", `/api/v3/participants/${w.id}/defer`, { token: w.token(), body: "{not json", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect((await w.tp()).deferred).toBeUndefined();
  });

  test("a permitted attribute sent as null counts (not a 400): the service's 422", async () => {
    const w = await ongoing();
    const r = await w.put("defer", { reason: null });
    expect(r.status).toBe(422);
    expect(r.body).toEqual(unprocessable(err("course_identifier", "Enter a '#/course_identifier'."), err("reason", "Enter a '#/reason'.")));
  });

  test("docs/reference/rect/rules.md §0: a form-encoded body is read as Rails reads it", async () => {
    const w = await ongoing();
    const r = await t.call("PUT", `/api/v3/participants/${w.id}/defer`, {
      token: w.token(),
      body: "data[type]=participant-defer&data[attributes][reason]=bereavement&data[attributes][course_identifier]=ecf-induction",
      headers: { "content-type": "application/x-www-form-urlencoded", "X-With-Server-Date": AT },
    });
    expect(r.status).toBe(200);
    expect((await w.tp()).deferred).toEqual({ at: AT.replace(".000", ""), reason: "bereavement" });
  });
});

// ---------------------------------------------------------------------------
// the shared checks
// ---------------------------------------------------------------------------

describe("the shared checks (spec/support/shared_examples/api_teacher_shared_action_support.rb)", () => {
  for (const role of ROLES) {
    test(`${role}: spec/support/shared_examples/api_teacher_shared_action_support.rb:27-31 "different teacher type" → course_identifier not recognised, every action (spec/services/api/teachers/defer_spec.rb:13, spec/services/api/teachers/withdraw_spec.rb:13, spec/services/api/teachers/resume_spec.rb:10, spec/services/api/teachers/change_schedule_spec.rb:20); spec/services/api/teachers/change_schedule_spec.rb:136,137 "contract_period_year not specified and teacher_type invalid"`, async () => {
      const w = await ongoing({}, role);
      const other = role === "ect" ? "ecf-mentor" : "ecf-induction";
      for (const action of ["defer", "withdraw", "resume"] as Action[]) {
        const r = await w.put(action, { reason: action === "defer" ? "other" : "moved-school", course_identifier: other });
        expect(r.status).toBe(422);
        expect(r.body).toEqual(unprocessable(err("course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.")));
      }
      // "when the contract_period_year is not specified and the teacher_type is invalid": one error per
      // attribute; with no period and no cohort there is no schedule to find either (change_schedule.rb:30,60-68), so C3 too
      const notRecognised = err("course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.");
      const r = await w.put("change-schedule", { schedule_identifier: "ecf-extended-september", course_identifier: other });
      expect(r.body).toEqual(unprocessable(notRecognised, err("schedule_identifier", "The property '#/schedule_identifier' must be present and correspond to a valid schedule.")));
      const withCohort = await w.put("change-schedule", { schedule_identifier: "ecf-extended-september", cohort: "2025", course_identifier: other });
      expect(withCohort.body).toEqual(unprocessable(notRecognised));
    });
  }

  test('spec/support/shared_examples/api_teacher_shared_action_support.rb:34-38 "different lead provider": visible through the mentor role only → course not recognised for the ECT course', async () => {
    const w = await build({
      training: [{ ref: "tp", partnership: "pb25", started_on: "today-60d" }],
      morePeriods: [],
      teacher: { mentor_periods: [{ school: "s1", started_on: "today-200d", training: [{ partnership: "pa25", started_on: "today-60d" }] }] },
    });
    const r = await w.put("defer", { reason: "other", course_identifier: "ecf-induction" });
    expect(r.status).toBe(422);
    expect(r.body).toEqual(unprocessable(err("course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.")));
  });

  test('spec/support/shared_examples/api_teacher_shared_action_support.rb:48-64 "a non-existent / empty / nil teacher type": anything but the two courses is missing (docs/reference/rect/rules.md §3.1)', async () => {
    const w = await ongoing();
    for (const course of ["ecf-other", "", null, 7, "ECF-INDUCTION"]) {
      const r = await w.put("resume", { course_identifier: course });
      expect(r.status).toBe(422);
      expect(r.body).toEqual(unprocessable(err("course_identifier", "Enter a '#/course_identifier'.")));
    }
  });
});

// ---------------------------------------------------------------------------
// defer
// ---------------------------------------------------------------------------

const DEFERRAL_REASONS = ["bereavement", "long-term-sickness", "parental-leave", "career-break", "other"];
const WITHDRAWAL_REASONS = ["left-teaching-profession", "moved-school", "mentor-no-longer-being-mentor", "switched-to-school-led", "changed-lead-provider", "other"];

describe("defer (spec/services/api/teachers/defer_spec.rb, spec/services/teachers/defer_spec.rb)", () => {
  for (const role of ROLES) {
    test(`${role}: spec/services/api/teachers/defer_spec.rb:21,108,112 valid; spec/services/teachers/defer_spec.rb:26 "when training period is ongoing": deferred now, ends today, participant touched`, async () => {
      const w = await ongoing({}, role);
      const before = await w.teacher();
      const r = await w.act("defer", { reason: "long-term-sickness" });
      expect(r.status).toBe(200);
      const tp = await w.tp();
      expect(tp.deferred).toEqual({ at: AT, reason: "long-term-sickness" });
      expect(tp.withdrawn).toBeUndefined();
      expect(tp.finished_on).toBe(TODAY);
      expect(tp.updated_at).toBe(AT); // api_transfer_updated_at: finished_on changed (training_period.rb:50)
      const after = await w.teacher();
      expect(after.updated_at).toBe(AT); // teachers.api_updated_at (training_period.rb:51-65)
      expect(before.updated_at).not.toBe(AT);
      expect(await w.training()).toHaveLength(1);
    });
    test(`${role}: spec/services/teachers/defer_spec.rb:50 "already finished in the past": finished_on kept`, async () => {
      const w = await ongoing({ finished_on: "today-5d" }, role);
      expect((await w.act("defer", { reason: "other" })).status).toBe(200);
      const tp = await w.tp();
      expect(tp.finished_on).toBe(addDays(TODAY, -5));
      expect(tp.deferred).toEqual({ at: AT, reason: "other" });
    });
    test(`${role}: spec/services/teachers/defer_spec.rb:74 "will finish in the future": ends today`, async () => {
      const w = await ongoing({ finished_on: "today+30d" }, role);
      expect((await w.act("defer", { reason: "parental-leave" })).status).toBe(200);
      expect((await w.tp()).finished_on).toBe(TODAY);
    });
  }

  test('spec/services/api/teachers/defer_spec.rb:34 "when reason values are dashed": each is valid, stored with underscores', async () => {
    for (const reason of DEFERRAL_REASONS) {
      const w = await ongoing();
      const r = await w.act("defer", { reason });
      expect(r.status).toBe(200);
      expect((await w.tp()).deferred.reason).toBe(reason);
      const row = await t.database.db.selectFrom("rect_training_periods").select("deferral_reason").where("api_id", "=", w.refs.tp!.id).executeTakeFirstOrThrow();
      expect(row.deferral_reason).toBe(reason.replace(/-/g, "_"));
    }
  });

  test('spec/services/api/teachers/defer_spec.rb:26,27 "when reason is invalid", spec/services/api/teachers/defer_spec.rb:43,44 "when reason is underscored", spec/services/api/teachers/defer_spec.rb:101,102 "when invalid" (nothing changes); D1 reason missing', async () => {
    const w = await ongoing();
    const before = await w.teacher();
    for (const reason of ["invalid", "long_term_sickness", "moved-school", 5, true]) {
      const r = await w.act("defer", { reason });
      expect(r.status).toBe(422);
      expect(r.body).toEqual(unprocessable(err("reason", "The entered '#/reason' is not recognised for the given participant. Check details and try again.")));
    }
    for (const reason of ["", "  ", null, false]) {
      const r = await w.act("defer", { reason });
      expect(r.body).toEqual(unprocessable(err("reason", "Enter a '#/reason'.")));
    }
    // nothing changes
    expect(await w.teacher()).toEqual(before);
  });

  test('spec/services/api/teachers/defer_spec.rb:50,51 "when teacher already withdrawn"', async () => {
    const w = await ongoing({ finished_on: "today-1d", withdrawn: { at: "now-1d", reason: "other" } });
    const r = await w.act("defer", { reason: "other" });
    expect(r.status).toBe(422);
    expect(r.body).toEqual(unprocessable(err("participant_id", "The '#/participant_id' is already withdrawn.")));
  });

  test('spec/services/api/teachers/defer_spec.rb:57,58 "when teacher already deferred"; a later withdrawal wins the status (training_status.rb:9-19)', async () => {
    const w = await ongoing({ finished_on: "today-1d", deferred: { at: "now-1d", reason: "other" } });
    const r = await w.act("defer", { reason: "other" });
    expect(r.body).toEqual(unprocessable(err("participant_id", "The '#/participant_id' is already deferred.")));
    // deferred, then withdrawn (through the API: the scenario document holds one stamp per period)
    const w2 = await ongoing({ finished_on: "today-1d", deferred: { at: "now-3d", reason: "other" } });
    expect((await w2.act("withdraw", { reason: "other" })).status).toBe(200);
    expect((await w2.act("defer", { reason: "other" })).body).toEqual(unprocessable(err("participant_id", "The '#/participant_id' is already withdrawn.")));
  });

  test('spec/services/api/teachers/defer_spec.rb:64,65 "when training not started yet"', async () => {
    const w = await ongoing({ started_on: "today+10d" });
    const r = await w.act("defer", { reason: "other" });
    expect(r.body).toEqual(unprocessable(err("participant_id", "You cannot defer #/participant_id. This is because they have not been training with you for at least one day.")));
  });

  test('spec/services/api/teachers/defer_spec.rb:71,72 "when training started today", spec/services/api/teachers/defer_spec.rb:77,78 "when an earlier training period exists for the lead provider"; X-With-Server-Date the next day', async () => {
    const today = "You cannot defer or withdraw this participant today. You need to try again tomorrow as the training was recently changed for this participant.";
    const w = await ongoing({ started_on: "today" });
    expect((await w.act("defer", { reason: "other" })).body).toEqual(unprocessable(err("participant_id", today)));
    const w2 = await build({
      training: [
        { ref: "old", partnership: "pa25", started_on: "today-60d", finished_on: "today-1d" },
        { ref: "tp", partnership: "pa25", started_on: "today" },
      ],
    });
    expect((await w2.act("defer", { reason: "other" })).body).toEqual(unprocessable(err("participant_id", today)));
    // X-With-Server-Date tomorrow: no longer the first day (docs/reference/rect/rules.md §2.4)
    const tomorrow = `${addDays(TODAY, 1)}T12:00:00Z`;
    expect((await w.act("defer", { reason: "other" }, { headers: { "X-With-Server-Date": tomorrow } })).status).toBe(200);
    expect((await w.tp()).deferred).toEqual({ at: tomorrow, reason: "other" });
    expect((await w.tp()).finished_on).toBe(addDays(TODAY, 1));
  });

  test("errors of several attributes: one item each, in the order the validations run (shared, then reason, then participant_id)", async () => {
    const w = await ongoing({ started_on: "today+10d" });
    expect((await w.put("defer", { reason: "nope", course_identifier: "ecf-induction" })).body).toEqual(
      unprocessable(
        err("reason", "The entered '#/reason' is not recognised for the given participant. Check details and try again."),
        err("participant_id", "You cannot defer #/participant_id. This is because they have not been training with you for at least one day."),
      ),
    );
    expect((await w.put("defer", { reason: "", course_identifier: "x" })).body).toEqual(
      unprocessable(err("course_identifier", "Enter a '#/course_identifier'."), err("reason", "Enter a '#/reason'.")),
    );
  });

  test("the latest period with the caller is the one acted on, even one that already finished (docs/reference/rect/rules.md §7.1, §7.6 'active, already finished')", async () => {
    const w = await build({
      training: [
        { ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-10d" },
        { ref: "bp", partnership: "pb25", started_on: "today-9d" },
      ],
    });
    expect((await w.act("defer", { reason: "other" })).status).toBe(200);
    expect((await w.tp()).deferred).toEqual({ at: AT, reason: "other" });
    expect((await w.tp()).finished_on).toBe(addDays(TODAY, -10));
    expect((await w.tp("bp")).deferred).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// withdraw
// ---------------------------------------------------------------------------

describe("withdraw (spec/services/api/teachers/withdraw_spec.rb, spec/services/teachers/withdraw_spec.rb)", () => {
  for (const role of ROLES) {
    test(`${role}: spec/services/api/teachers/withdraw_spec.rb:21,104,108 "when valid"; spec/services/teachers/withdraw_spec.rb:26 "ongoing": withdrawn now, ends today`, async () => {
      const w = await ongoing({}, role);
      const r = await w.act("withdraw", { reason: "left-teaching-profession" });
      expect(r.status).toBe(200);
      const tp = await w.tp();
      expect(tp.withdrawn).toEqual({ at: AT, reason: "left-teaching-profession" });
      expect(tp.finished_on).toBe(TODAY);
      expect(tp.updated_at).toBe(AT);
      expect((await w.teacher()).updated_at).toBe(AT);
    });
    test(`${role}: spec/services/teachers/withdraw_spec.rb:50 "already finished in the past" (kept), spec/services/teachers/withdraw_spec.rb:74 "will finish in the future" (today)`, async () => {
      const past = await ongoing({ finished_on: "today-5d" }, role);
      expect((await past.act("withdraw", { reason: "other" })).status).toBe(200);
      expect((await past.tp()).finished_on).toBe(addDays(TODAY, -5));
      const future = await ongoing({ finished_on: "today+5d" }, role);
      expect((await future.act("withdraw", { reason: "other" })).status).toBe(200);
      expect((await future.tp()).finished_on).toBe(TODAY);
    });
    test(`${role}: spec/services/api/teachers/withdraw_spec.rb:104,108 under "when the training period is deferred" (withdraw_spec.rb context at line 140): can be withdrawn`, async () => {
      const w = await ongoing({ finished_on: "today-3d", deferred: { at: "now-3d", reason: "other" } }, role);
      const r = await w.act("withdraw", { reason: "moved-school" });
      expect(r.status).toBe(200);
      const tp = await w.tp();
      expect(tp.withdrawn).toEqual({ at: AT, reason: "moved-school" });
      expect(tp.deferred.reason).toBe("other");
      expect(tp.finished_on).toBe(addDays(TODAY, -3));
    });
  }

  test('spec/services/api/teachers/withdraw_spec.rb:34 "when reason values are dashed": each valid (spec/services/api/teachers/withdraw_spec.rb:99 mentor-no-longer-being-mentor for a mentor)', async () => {
    for (const reason of WITHDRAWAL_REASONS) {
      const w = await ongoing({}, "mentor");
      expect((await w.act("withdraw", { reason })).status).toBe(200);
      expect((await w.tp()).withdrawn.reason).toBe(reason);
    }
  });

  test('spec/services/api/teachers/withdraw_spec.rb:26,27 "reason is invalid", spec/services/api/teachers/withdraw_spec.rb:43,44 "underscored"; W1 missing', async () => {
    const w = await ongoing();
    for (const reason of ["invalid", "moved_school", "changed_lead_provider", "career-break"]) {
      expect((await w.act("withdraw", { reason })).body).toEqual(
        unprocessable(err("reason", "The entered '#/reason' is not recognised for the given participant. Check details and try again.")),
      );
    }
    expect((await w.act("withdraw", {})).body).toEqual(unprocessable(err("reason", "Enter a '#/reason'.")));
  });

  test('spec/services/api/teachers/withdraw_spec.rb:50,51 "when teacher already withdrawn"', async () => {
    const w = await ongoing({ finished_on: "today-1d", withdrawn: { at: "now-1d", reason: "other" } });
    expect((await w.act("withdraw", { reason: "other" })).body).toEqual(unprocessable(err("participant_id", "The '#/participant_id' is already withdrawn.")));
  });

  test('spec/services/api/teachers/withdraw_spec.rb:57,58 "not started yet", spec/services/api/teachers/withdraw_spec.rb:64,65 "started today", spec/services/api/teachers/withdraw_spec.rb:70,71 "an earlier training period exists"', async () => {
    const future = await ongoing({ started_on: "today+1d" });
    expect((await future.act("withdraw", { reason: "other" })).body).toEqual(
      unprocessable(err("participant_id", "You cannot withdraw #/participant_id. This is because they have not been training with you for at least one day.")),
    );
    const today = "You cannot defer or withdraw this participant today. You need to try again tomorrow as the training was recently changed for this participant.";
    const started = await ongoing({ started_on: "today" });
    expect((await started.act("withdraw", { reason: "other" })).body).toEqual(unprocessable(err("participant_id", today)));
    const earlier = await build({
      training: [
        { partnership: "pa25", started_on: "today-60d", finished_on: "today-1d" },
        { ref: "tp", partnership: "pa25", started_on: "today" },
      ],
    });
    expect((await earlier.act("withdraw", { reason: "other" })).body).toEqual(unprocessable(err("participant_id", today)));
  });

  test('spec/services/api/teachers/withdraw_spec.rb:89,90 "for ect with mentor-no-longer-being-mentor reason", spec/services/api/teachers/withdraw_spec.rb:131,132 "when invalid" (nothing changes); only when nothing else failed (withdraw.rb:55-61)', async () => {
    const w = await ongoing();
    const before = await w.teacher();
    expect((await w.act("withdraw", { reason: "mentor-no-longer-being-mentor" })).body).toEqual(
      unprocessable(err("reason", "You cannot withdraw an ECT for this reason. The ECT is not a mentor.")),
    );
    expect(await w.teacher()).toEqual(before);
    const today = await ongoing({ started_on: "today" });
    expect((await today.act("withdraw", { reason: "mentor-no-longer-being-mentor" })).body).toEqual(
      unprocessable(err("participant_id", "You cannot defer or withdraw this participant today. You need to try again tomorrow as the training was recently changed for this participant.")),
    );
  });
});

// ---------------------------------------------------------------------------
// resume
// ---------------------------------------------------------------------------

describe("resume (spec/services/api/teachers/resume_spec.rb, spec/services/teachers/resume_spec.rb)", () => {
  for (const role of ROLES) {
    for (const stop of ["deferred", "withdrawn"] as const) {
      test(`${role}: spec/services/api/teachers/resume_spec.rb:18,108; spec/services/teachers/resume_spec.rb:48,91 "when teacher is ${stop} and remaining at a school": a new period from today, the old one untouched`, async () => {
        const w = await ongoing({ finished_on: "today-2d", [stop]: { at: "now-2d", reason: "other" }, schedule: "ecf-standard-january" }, role);
        const old = await w.tp();
        const r = await w.act("resume");
        expect(r.status).toBe(200);
        const periods = await w.training();
        expect(periods).toHaveLength(2);
        expect(periods[0]).toEqual(old);
        const created = periods[1];
        expect(created.started_on).toBe(TODAY);
        expect(created.finished_on).toBeUndefined();
        expect(created.withdrawn).toBeUndefined();
        expect(created.deferred).toBeUndefined();
        expect(created.partnership).toBe(old.partnership);
        expect(created.schedule).toBe("ecf-standard-january");
        expect(created.programme).toBe("provider_led");
        expect(created.created_at).toBe(AT);
        // api_transfer_updated_at is a database default: the real clock, not X-With-Server-Date (docs/reference/rect/rules.md §2.4)
        expect(created.updated_at).not.toBe(AT);
        expect((await w.teacher()).updated_at).toBe(AT);
      });
      test(`${role}: spec/services/teachers/resume_spec.rb:70,113 "when teacher is ${stop} and leaving a school": the new period ends with the at-school period`, async () => {
        const w = await build({ role, period: { finished_on: "today+150d" }, training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-30d", [stop]: { at: "now-30d", reason: "other" } }] });
        expect((await w.act("resume")).status).toBe(200);
        const periods = await w.training();
        expect(periods[1].started_on).toBe(TODAY);
        expect(periods[1].finished_on).toBe(addDays(TODAY, 150));
      });
    }
  }

  test('spec/services/teachers/resume_spec.rb:138 "when teacher is moving to a new Lead provider": the new period ends with the at-school period, before the next school\'s', async () => {
    const w = await build({
      period: { finished_on: "today+60d" },
      training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-30d", deferred: { at: "now-30d", reason: "other" } }],
      morePeriods: [{ school: "s2", started_on: "today+61d", training: [{ ref: "next", partnership: "pb25s2", started_on: "today+61d" }] }],
      partnerships: [{ ref: "pb25s2", school: "s2", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 }],
    });
    expect((await w.act("resume")).status).toBe(200);
    const periods = await w.training();
    expect(periods.map((p) => [p.started_on, p.finished_on ?? null])).toEqual([
      [addDays(TODAY, -60), addDays(TODAY, -30)],
      [TODAY, addDays(TODAY, 60)],
      [addDays(TODAY, 61), null],
    ]);
  });

  test("spec/requests/api/v3/participants_spec.rb:180 #resume (a withdrawn participant); resumed the day after a defer (docs/reference/rect/rules.md §7.4)", async () => {
    const w = await ongoing();
    const yesterday = `${YESTERDAY}T12:00:00Z`;
    expect((await w.act("defer", { reason: "career-break" }, { headers: { "X-With-Server-Date": yesterday } })).status).toBe(200);
    expect((await w.tp()).finished_on).toBe(YESTERDAY);
    expect((await w.act("resume")).status).toBe(200);
    const periods = await w.training();
    expect(periods.map((p) => [p.started_on, p.finished_on ?? null])).toEqual([
      [addDays(TODAY, -60), YESTERDAY],
      [TODAY, null],
    ]);
    // active again: defer is refused on the new period's first day
    expect((await w.act("defer", { reason: "other" })).body).toEqual(
      unprocessable(err("participant_id", "You cannot defer or withdraw this participant today. You need to try again tomorrow as the training was recently changed for this participant.")),
    );
  });

  test('spec/services/api/teachers/resume_spec.rb:24,25 "when training period has finished today" (so: no resume on the day of a defer)', async () => {
    const w = await ongoing();
    expect((await w.act("withdraw", { reason: "other" })).status).toBe(200);
    const before = await w.teacher();
    expect((await w.act("resume")).body).toEqual(
      unprocessable(err("participant_id", "You cannot resume a participant on the same day they were withdrawn or deferred. Resume them tomorrow or later.")),
    );
    expect(await w.teacher()).toEqual(before);
  });

  test('spec/services/api/teachers/resume_spec.rb:32,33 "when teacher training period is active/ongoing"; spec/services/api/teachers/resume_spec.rb:100,101 "when invalid" (nothing changes)', async () => {
    const w = await ongoing();
    const before = await w.teacher();
    expect((await w.act("resume")).body).toEqual(unprocessable(err("participant_id", "The '#/participant_id' is already active.")));
    expect(await w.teacher()).toEqual(before);
  });

  test('spec/services/api/teachers/resume_spec.rb:41,42 and spec/services/api/teachers/resume_spec.rb:50,51 "another active/ongoing training period for the school period at a different lead provider" (open, finishing in the future, finishing today); spec/services/api/teachers/resume_spec.rb:56 after it finished: valid', async () => {
    const elsewhere = "This participant cannot be resumed because they are already active with another provider.";
    for (const finished of [null, "today+20d", "today"]) {
      const w = await build({
        training: [
          { ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-20d", deferred: { at: "now-20d", reason: "other" } },
          { partnership: "pb25", started_on: "today-19d", ...(finished ? { finished_on: finished } : {}) },
        ],
      });
      expect((await w.act("resume")).body).toEqual(unprocessable(err("participant_id", elsewhere)));
    }
    const after = await build({
      training: [
        { ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-20d", deferred: { at: "now-20d", reason: "other" } },
        { partnership: "pb25", started_on: "today-19d", finished_on: "today-1d" },
      ],
    });
    expect((await after.act("resume")).status).toBe(200);
  });

  test('spec/services/api/teachers/resume_spec.rb:63,64 "when at school period is finished", spec/services/api/teachers/resume_spec.rb:71,72 "finishes today, but the training period finished before today"; spec/services/api/teachers/resume_spec.rb:78 "finishes tomorrow": valid', async () => {
    const left = "The participant is no longer at the school. Please contact the induction tutor to resolve.";
    for (const [asp, tp] of [
      ["today-30d", "today-31d"],
      ["today", "today-1d"],
    ]) {
      const w = await build({ period: { finished_on: asp }, training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: tp, withdrawn: { at: "now-31d", reason: "other" } }] });
      expect((await w.act("resume")).body).toEqual(unprocessable(err("participant_id", left)));
    }
    const w = await build({ period: { finished_on: "today+1d" }, training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-1d", withdrawn: { at: "now-1d", reason: "other" } }] });
    expect((await w.act("resume")).status).toBe(200);
    expect((await w.training())[1].finished_on).toBe(addDays(TODAY, 1));
  });

  test("spec/services/teachers/resume_spec.rb:24 (RECT raises RecordInvalid, a 500): the new period would overlap one of the teacher's → our 422 with the model's message", async () => {
    // withdrawn with an end in the future: R1-R4 pass, the new period overlaps the old one
    const w = await ongoing({ finished_on: "today+10d", withdrawn: { at: "now-1d", reason: "other" } });
    const before = await w.teacher();
    const r = await w.act("resume");
    expect(r.status).toBe(422);
    expect(r.body).toEqual(unprocessable(err("participant_id", "Start date cannot overlap another Trainee period")));
    expect(await w.teacher()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// change-schedule
// ---------------------------------------------------------------------------

const CS = (schedule_identifier: unknown, extra: Record<string, unknown> = {}) => ({ schedule_identifier, ...extra });

describe("change-schedule checks (spec/services/api/teachers/change_schedule_spec.rb)", () => {
  test("spec/requests/api/v3/participants_spec.rb:107 \"when the `schedule_identifier` is invalid\"; spec/services/api/teachers/change_schedule_spec.rb:30,31 presence and inclusion", async () => {
    const w = await ongoing();
    expect((await w.act("change-schedule", CS("invalid", { cohort: "2024" }))).body).toEqual(unprocessable(err("schedule_identifier", "Enter a valid schedule identifier.")));
    for (const blank of ["", " ", null, false]) {
      expect((await w.act("change-schedule", CS(blank))).body).toEqual(
        unprocessable(err("schedule_identifier", "The property '#/schedule_identifier' must be present and correspond to a valid schedule.")),
      );
    }
    expect((await w.act("change-schedule", CS(12))).body).toEqual(unprocessable(err("schedule_identifier", "Enter a valid schedule identifier.")));
  });

  for (const role of ROLES) {
    test(`${role}: spec/services/api/teachers/change_schedule_spec.rb:67,68 "when changing to the same schedule" (same identifier and cohort); another cohort's same identifier is a change`, async () => {
      const w = await ongoing({ schedule: "ecf-standard-september" }, role);
      expect((await w.act("change-schedule", CS("ecf-standard-september"))).body).toEqual(unprocessable(err("schedule_identifier", "Selected schedule is already on the profile")));
      expect((await w.act("change-schedule", CS("ecf-standard-september", { cohort: 2025 }))).body).toEqual(
        unprocessable(err("schedule_identifier", "Selected schedule is already on the profile")),
      );
      expect((await w.act("change-schedule", CS("ecf-standard-september", { cohort: "2024" }))).status).toBe(200);
    });
  }

  test('spec/services/api/teachers/change_schedule_spec.rb:76,77 "an ECT attempts to change to a replacement schedule", spec/services/api/teachers/change_schedule_spec.rb:84,85 "a mentor attempts to change to a reduced schedule"', async () => {
    const ect = await ongoing();
    expect((await ect.act("change-schedule", CS("ecf-replacement-april"))).body).toEqual(unprocessable(err("schedule_identifier", "Selected schedule is not valid for the course_identifier")));
    const mentor = await ongoing({}, "mentor");
    expect((await mentor.act("change-schedule", CS("ecf-reduced-april"))).body).toEqual(
      unprocessable(err("schedule_identifier", "Mentors cannot be placed on a reduced schedule. Assign them to a different schedule.")),
    );
    expect((await mentor.act("change-schedule", CS("ecf-replacement-april"))).status).toBe(200);
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:97,98 "when changing contract_period_year without a school partnership" (no partnership with the school in that cohort; no active lead provider for it)', async () => {
    const noPartnership = "You cannot change a participant to this contract_period as you do not have a partnership with the school for the contract_period. Contact the DfE for assistance.";
    const w = await build({ training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d" }], partnerships: [] });
    // a has 2024 and 2022 partnerships at s1, none in 2023 (and no active lead provider for 2023)
    expect((await w.act("change-schedule", CS("ecf-extended-september", { cohort: "2023" }))).body).toEqual(unprocessable(err("cohort", noPartnership)));
    // b is active in 2024 but has no partnership at s1 in 2024
    const wb = await build({ training: [{ ref: "tp", partnership: "pb25", started_on: "today-60d" }] });
    expect((await wb.act("change-schedule", CS("ecf-extended-september", { cohort: 2024 }), { lead: "b" })).body).toEqual(unprocessable(err("cohort", noPartnership)));
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:51,52 "when training_period is withdrawn" (leaving: C13), spec/services/api/teachers/change_schedule_spec.rb:57,59 "and participant_status is left" (C12)', async () => {
    const leaving = await ongoing({ finished_on: "today+10d", withdrawn: { at: "now-1d", reason: "other" } });
    expect((await leaving.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(unprocessable(err("participant_id", "Cannot perform actions on a withdrawn participant")));
    const left = await ongoing({ finished_on: "today", withdrawn: { at: "now", reason: "other" } });
    expect((await left.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(
      unprocessable(err("participant_id", "You cannot change this participant's schedule. This is because the participant has a 'left' participant_status, so they are not training with you currently.")),
    );
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:104 "when the participant is leaving": valid; spec/services/api/teachers/change_schedule_spec.rb:110,111 "when the participant has left"; a deferred participant is left (docs/reference/rect/rules.md §7.5)', async () => {
    const leftMsg = "You cannot change this participant's schedule. This is because the participant has a 'left' participant_status, so they are not training with you currently.";
    const leaving = await ongoing({ finished_on: "today+10d" });
    expect((await leaving.act("change-schedule", CS("ecf-extended-september"))).status).toBe(200);
    const left = await ongoing({ finished_on: "today-1d" });
    expect((await left.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(unprocessable(err("participant_id", leftMsg)));
    const deferred = await ongoing();
    expect((await deferred.act("defer", { reason: "other" }, { headers: { "X-With-Server-Date": `${YESTERDAY}T12:00:00Z` } })).status).toBe(200);
    expect((await deferred.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(unprocessable(err("participant_id", leftMsg)));
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:119,120 "future training periods (for the same teacher)" (any provider); spec/services/api/teachers/change_schedule_spec.rb:129 "(for a different teacher)": valid', async () => {
    const w = await build({
      training: [
        { ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today+9d" },
        { partnership: "pb25", started_on: "today+10d" },
      ],
    });
    expect((await w.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(
      unprocessable(err("participant_id", "You cannot change this participant's schedule as they are due to start with another lead provider in the future.")),
    );
    const other = await build({
      training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d" }],
      otherTeachers: [{ ect_periods: [{ school: "s1", started_on: "today-60d", training: [{ partnership: "pb25", started_on: "today+10d" }] }] }],
    });
    expect((await other.act("change-schedule", CS("ecf-extended-september"))).status).toBe(200);
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:150 "when participant has completed training"; spec/services/api/teachers/change_schedule_spec.rb:159,161,162 "when schedule is reduced": ECT valid, mentor both errors', async () => {
    const completed = "You cannot change this participant's schedule as they have completed their training or induction.";
    const ect = await build({
      training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d" }],
      teacher: { induction_periods: [{ started_on: "today-100d", finished_on: "today-5d", outcome: "pass" }] },
    });
    expect((await ect.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(unprocessable(err("participant_id", completed)));
    expect((await ect.act("change-schedule", CS("ecf-reduced-september"))).status).toBe(200);
    const mentor = await build({
      role: "mentor",
      training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d" }],
      teacher: { funding: { mentor_ineligible_on: "today-5d", mentor_ineligible_reason: "completed_declaration_received" } },
    });
    expect((await mentor.act("change-schedule", CS("ecf-extended-september"))).body).toEqual(unprocessable(err("participant_id", completed)));
    expect((await mentor.act("change-schedule", CS("ecf-reduced-september"))).body).toEqual(
      unprocessable(err("schedule_identifier", "Mentors cannot be placed on a reduced schedule. Assign them to a different schedule."), err("participant_id", completed)),
    );
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:177,179 "moving to a frozen contract period where the participant has not been before" (2022, frozen in the reference data); spec/services/api/teachers/change_schedule_spec.rb:216,217 nothing changes', async () => {
    const w = await ongoing({ partnership: "pa24" });
    const before = await w.teacher();
    expect((await w.act("change-schedule", CS("ecf-extended-september", { cohort: 2022 }))).body).toEqual(
      unprocessable(err("cohort", "You cannot move a participant to a payments frozen cohort unless they previously belonged to that cohort.")),
    );
    expect(await w.teacher()).toEqual(before);
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:188 "declarations are valid for the new schedule", spec/services/api/teachers/change_schedule_spec.rb:197,199 "not valid" (C8): the training period `started_on` has not yet passed', async () => {
    // 2024 standard schedules have dated windows (started: september 2024-06-01..2024-12-31, january 2025-01-01..2025-03-31)
    const w = await build({
      training: [{ ref: "tp", partnership: "pa24", schedule: "ecf-standard-september", started_on: "today+5d", declarations: [{ type: "started", date: "2024-10-01T10:00:00Z", state: "submitted" }] }],
    });
    expect((await w.act("change-schedule", CS("ecf-standard-january"))).body).toEqual(
      unprocessable(
        err(
          "schedule_identifier",
          "The change of schedule cannot be applied because a previous change of schedule and a declaration were made on the same day. Applying another change of schedule would invalidate existing declarations. Please contact DfE for assistance.",
        ),
      ),
    );
    expect((await w.act("change-schedule", CS("ecf-extended-september"))).status).toBe(200);
  });
});

describe("change-schedule: a model validation RECT raises as a 500 (docs/rect-parity.md §18 E4)", () => {
  test("when an in-place change moves a period whose declarations sit on another cohort's statement, then 422 with the model's message and nothing written (RECT: RecordInvalid, a 500; app/models/training_period.rb:89,251-258)", async () => {
    const [y, m] = TODAY.split("-").map(Number) as [number, number];
    const w = await build({
      statements: [{ ref: "st", lead_provider: "a", cohort: 2025, month: m, year: y, deadline_date: "today+10d", payment_date: "today+20d", fee_type: "output" }],
      training: [
        { ref: "tp", partnership: "pa25", schedule: "ecf-extended-september", started_on: "today+5d", declarations: [{ ref: "d1", type: "started", date: "now-30d", state: "eligible", statement: "st" }] },
      ],
    });
    const before = await w.teacher();
    const r = await w.act("change-schedule", CS("ecf-extended-september", { cohort: "2024" }));
    expect(r.status).toBe(422);
    expect(r.body).toEqual(unprocessable(err("participant_id", "Contract period mismatch: schedule, EOI, school partnership, and declarations must have the same contract period.")));
    expect(await w.teacher()).toEqual(before);
    // the same change into the statement's own cohort is made in place (the rule is the statements' cohort, not the change)
    expect((await w.act("change-schedule", CS("ecf-extended-january", { cohort: "2025" }))).status).toBe(200);
    expect((await w.training()).map((p) => p.schedule)).toEqual(["ecf-extended-january"]);
  });
});

describe("change-schedule effects (spec/services/api/teachers/change_schedule_spec.rb #change_schedule, spec/services/teachers/change_schedule_spec.rb)", () => {
  for (const role of ROLES) {
    test(`${role}: spec/services/api/teachers/change_schedule_spec.rb:28,239 valid, "the contract period year is not changing"; spec/services/teachers/change_schedule_spec.rb:31,54: TP ends yesterday, a new period from today on the new schedule`, async () => {
      const w = await ongoing({ partnership: "pa25", schedule: "ecf-standard-september" }, role);
      const r = await w.act("change-schedule", CS("ecf-extended-january", { cohort: "2025" }));
      expect(r.status).toBe(200);
      const [old, created] = await w.training();
      expect(old.finished_on).toBe(YESTERDAY);
      expect(old.schedule).toBe("ecf-standard-september");
      expect(old.updated_at).toBe(AT);
      expect(created.started_on).toBe(TODAY);
      expect(created.finished_on).toBeUndefined();
      expect(created.schedule).toBe("ecf-extended-january");
      expect(created.partnership).toBe(w.refs.pa25!.id);
      expect(created.eoi).toBeUndefined();
      expect((await w.teacher()).updated_at).toBe(AT);
    });
  }

  test('spec/services/api/teachers/change_schedule_spec.rb:303 "when the contract_period_year is not specified" (and an unknown cohort: ignored): the current cohort', async () => {
    for (const cohort of [undefined, "1999", "abc", ""]) {
      const w = await ongoing({ partnership: "pa24", schedule: "ecf-standard-september" });
      const r = await w.act("change-schedule", CS("ecf-standard-april", cohort === undefined ? {} : { cohort }));
      expect(r.status).toBe(200);
      expect((await w.training())[1].partnership).toBe(w.refs.pa24!.id);
    }
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:267 "a school partnership exists with the same delivery partner", spec/services/api/teachers/change_schedule_spec.rb:291 "does not exist": the most recently created', async () => {
    // a's 2024 partnerships at s1: pa24 (dp1, 30 days old) and pa24b (dp2, newer)
    const w = await build({
      training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d" }],
      partnerships: [{ ref: "pa24b", school: "s1", lead_provider: "a", delivery_partner: "dp2", cohort: 2024, created_at: "now-1d" }],
    });
    expect((await w.act("change-schedule", CS("ecf-standard-january", { cohort: 2024 }))).status).toBe(200);
    expect((await w.training())[1].partnership).toBe(w.refs.pa24!.id);
    // a TP with dp2 (2024) moving to 2025, where a works with dp1 and dp3 at s1, not dp2: the newest
    const w2 = await build({
      deliveryPartners: [{ ref: "dp3", name: `DP Three ${uid()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
      training: [{ ref: "tp", partnership: "pa24b", started_on: "today-60d" }],
      partnerships: [
        { ref: "pa24b", school: "s1", lead_provider: "a", delivery_partner: "dp2", cohort: 2024, created_at: "now-1d" },
        { ref: "pa25new", school: "s1", lead_provider: "a", delivery_partner: "dp3", cohort: 2025, created_at: "now-2d" },
      ],
    });
    expect((await w2.act("change-schedule", CS("ecf-standard-january", { cohort: "2025" }))).status).toBe(200);
    expect((await w2.training())[1].partnership).toBe(w2.refs.pa25new!.id);
  });

  test("spec/requests/api/v3/participants_spec.rb:103 #change_schedule \"an API update endpoint\" (another cohort with a partnership at the school): the new period is in that cohort", async () => {
    const w = await ongoing({ partnership: "pa25" });
    expect((await w.act("change-schedule", CS("ecf-extended-september", { cohort: "2024" }))).status).toBe(200);
    const [old, created] = await w.training();
    expect(old.partnership).toBe(w.refs.pa25!.id);
    expect(created.partnership).toBe(w.refs.pa24!.id);
    expect(created.schedule).toBe("ecf-extended-september");
  });

  test('spec/services/teachers/change_schedule_spec.rb:68 "finished_on is set to the future" (kept for the new period), spec/services/teachers/change_schedule_spec.rb:82 "and school_period.finished_on" (the earliest)', async () => {
    const w = await ongoing({ finished_on: "today+3d" });
    expect((await w.act("change-schedule", CS("ecf-extended-september"))).status).toBe(200);
    expect((await w.training()).map((p) => p.finished_on)).toEqual([YESTERDAY, addDays(TODAY, 3)]);
    for (const [tpEnd, aspEnd, expected] of [
      ["today+20d", "today+20d", 20],
      ["today+10d", "today+20d", 10],
    ] as const) {
      const w2 = await build({ period: { finished_on: aspEnd }, training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: tpEnd }] });
      expect((await w2.act("change-schedule", CS("ecf-extended-september"))).status).toBe(200);
      expect((await w2.training()).map((p) => p.finished_on)).toEqual([YESTERDAY, addDays(TODAY, expected)]);
    }
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:327; spec/services/teachers/change_schedule_spec.rb:185 "started_on has not yet passed": in place (schedule, partnership, EOI); starting today too', async () => {
    for (const started of ["today+5d", "today"]) {
      const w = await ongoing({ partnership: "pa25", started_on: started, eoi: { lead_provider: "a", cohort: 2025 } });
      const r = await w.act("change-schedule", CS("ecf-extended-september", { cohort: "2024" }));
      expect(r.status).toBe(200);
      const periods = await w.training();
      expect(periods).toHaveLength(1);
      expect(periods[0].schedule).toBe("ecf-extended-september");
      expect(periods[0].partnership).toBe(w.refs.pa24!.id);
      expect(periods[0].eoi).toEqual({ lead_provider: w.refs.a!.id, cohort: 2024 });
      expect((await w.teacher()).updated_at).toBe(AT);
    }
  });

  test('spec/services/teachers/change_schedule_spec.rb:104,108,113 "the trainee has completed training" and "the new schedule is a reduced schedule": in place, finished_on kept', async () => {
    const w = await build({
      training: [{ ref: "tp", partnership: "pa25", started_on: "today-60d" }],
      teacher: { induction_periods: [{ started_on: "today-100d", finished_on: "today-5d", outcome: "pass" }] },
    });
    expect((await w.act("change-schedule", CS("ecf-reduced-april"))).status).toBe(200);
    const periods = await w.training();
    expect(periods).toHaveLength(1);
    expect(periods[0].schedule).toBe("ecf-reduced-april");
    expect(periods[0].finished_on).toBeUndefined();
  });

  test("release note 2026-01-19 / docs/reference/rect/rules.md §7.5: paid declarations do not block a change; they stay on the old period", async () => {
    const [y, m] = TODAY.split("-").map(Number) as [number, number];
    const w = await build({
      statements: [{ ref: "st", lead_provider: "a", cohort: 2025, month: m, year: y, deadline_date: "today+10d", payment_date: "today+20d", status: "paid", fee_type: "output" }],
      training: [
        { ref: "tp", partnership: "pa25", started_on: "today-60d", schedule: "ecf-extended-september", declarations: [{ ref: "d1", type: "started", date: "now-30d", state: "paid", statement: "st" }] },
      ],
    });
    expect((await w.act("change-schedule", CS("ecf-extended-january"))).status).toBe(200);
    const [old, created] = await w.training();
    expect(old.declarations).toHaveLength(1);
    expect(old.declarations[0].state).toBe("paid");
    expect(created.declarations ?? []).toHaveLength(0);
  });

  test("docs/reference/rect/rules.md §15: a change into a cohort where the provider had no period at the school touches the school's metadata (every cohort); within the cohort it does not", async () => {
    const schoolUpdatedAt = async (w: World, year: number) =>
      (await v3Get(t, `/api/v3/schools/${w.refs.s1!.id}?filter[cohort]=${year}`, w.token(), { "X-With-Server-Date": AT })).body.data.attributes.updated_at;
    const across = await ongoing({ partnership: "pa25" });
    const before = await schoolUpdatedAt(across, 2023);
    expect(before).not.toBe(AT);
    expect((await across.act("change-schedule", CS("ecf-extended-september", { cohort: 2024 }))).status).toBe(200);
    // (a, 2024) is a new EOI-or-partnership pairing (school_lead_provider_contract_period.rb:18), and 2024's programme choice moved
    expect(await schoolUpdatedAt(across, 2023)).toBe(AT);
    expect(await schoolUpdatedAt(across, 2024)).toBe(AT);
    const within = await ongoing({ partnership: "pa25", schedule: "ecf-standard-september" });
    const untouched = await schoolUpdatedAt(within, 2025);
    expect((await within.act("change-schedule", CS("ecf-extended-september"))).status).toBe(200);
    expect(await schoolUpdatedAt(within, 2025)).toBe(untouched);
  });

  test('spec/services/api/teachers/change_schedule_spec.rb:316 "moving back to a frozen contract period"; spec/services/teachers/change_schedule_spec.rb:162 "moving away from" (frozen year recorded) and spec/services/teachers/change_schedule_spec.rb:175 "moving back" (cleared)', async () => {
    // a TP in 2022 (frozen) moving to 2024: the frozen year is recorded
    const away = await ongoing({ partnership: "pa22" });
    expect((await away.act("change-schedule", CS("ecf-standard-january", { cohort: 2024 }))).status).toBe(200);
    expect((await away.teacher()).payments_frozen_year).toEqual({ ect: 2022, mentor: null });
    // moving back the next day is allowed (they belonged there) and clears it
    const tomorrow = `${addDays(TODAY, 1)}T12:00:00Z`;
    const r = await away.act("change-schedule", CS("ecf-standard-september", { cohort: 2022 }), { headers: { "X-With-Server-Date": tomorrow } });
    expect(r.status).toBe(200);
    const teacher = await away.teacher();
    expect(teacher.payments_frozen_year).toEqual({ ect: null, mentor: null });
    expect(teacher.updated_at).toBe(tomorrow);
    const periods = await away.training();
    expect(periods.map((p) => [p.partnership, p.schedule, p.started_on])).toEqual([
      [away.refs.pa22!.id, periods[0].schedule, addDays(TODAY, -60)],
      [away.refs.pa24!.id, "ecf-standard-january", TODAY],
      [away.refs.pa22!.id, "ecf-standard-september", addDays(TODAY, 1)],
    ]);
  });
});

describe("isolation", () => {
  test("another provider's participant: 404 for every action and every attribute set, and nothing changes (spec/support/shared_contexts/api/update_endpoint.rb:42-52; docs/reference/rect/rules.md §7.1 step 2)", async () => {
    const w = await ongoing({ finished_on: "today-2d", withdrawn: { at: "now-2d", reason: "other" } });
    const b = await v3Scenario(t, { lead_providers: [lp("other", [2025])] });
    const before = await w.teacher();
    for (const action of ["defer", "withdraw", "resume", "change-schedule"] as Action[]) {
      for (const attributes of [VALID[action], { course_identifier: "ecf-mentor" }, { reason: "nope", course_identifier: "x" }]) {
        const r = await t.call("PUT", `/api/v3/participants/${w.id}/${action}`, { token: b.other!.api_token, body: { data: { attributes } }, headers: { "X-With-Server-Date": AT } });
        expect(r.status).toBe(404);
        expect(r.body).toEqual(NOT_FOUND);
      }
    }
    expect(await w.teacher()).toEqual(before);
  });

  test("a provider that trained the participant before sees it, and acts on its own latest period only (docs/reference/rect/rules.md §6.2)", async () => {
    const w = await build({
      training: [
        { ref: "tp", partnership: "pa25", started_on: "today-60d", finished_on: "today-31d" },
        { ref: "bp", partnership: "pb25", started_on: "today-30d" },
      ],
    });
    expect((await w.act("withdraw", { reason: "changed-lead-provider" })).status).toBe(200);
    expect((await w.tp()).withdrawn.reason).toBe("changed-lead-provider");
    expect((await w.tp("bp")).withdrawn).toBeUndefined();
    expect((await w.tp("bp")).finished_on).toBeUndefined();
    // b's own period is active: b's resume is refused, a's is "already active with another provider"
    expect((await w.act("resume", {}, { lead: "b" })).body).toEqual(unprocessable(err("participant_id", "The '#/participant_id' is already active.")));
    expect((await w.act("resume")).body).toEqual(unprocessable(err("participant_id", "This participant cannot be resumed because they are already active with another provider.")));
  });
});
