/**
 * RECT's void and clawback services and mentor completion (app/services/api/declarations/{void,clawback}.rb,
 * app/services/declarations/{void,clawback,mentor_completion}.rb at 0fe31d1aa; docs/reference/rect/rules.md
 * §10.6 step 5, §10.7) through PUT /api/v3/participant-declarations/{id}/void and POST
 * /api/v3/participant-declarations, asserting the status, the exact body and the world afterwards
 * (GET /admin/v3/world). Each test names the spec examples it reproduces. Over HTTP the services
 * always get the caller's lead provider (declarations_controller.rb:35-45), and a `paid`
 * declaration always takes the clawback path.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario, v3Call, postDeclaration, declarationIn } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const id = (ref: string) => refs[ref]!.id as string;
const PATH = "/api/v3/participant-declarations";
/** a London calendar day relative to today */
const day = (n: number) => addDays(londonDate(new Date()), n);
/** an instant on that day (10:00 UTC is the same London day all year) */
const at = (n: number) => `${day(n)}T10:00:00Z`;

const statement = (ref: string, lead: string, month: number, year: number, deadline: string, payment: string, extra: Record<string, unknown> = {}) => ({
  ref,
  lead_provider: lead,
  cohort: 2025,
  month,
  year,
  deadline_date: deadline,
  payment_date: payment,
  ...extra,
});
const d = (ref: string, state: string, extra: Record<string, unknown> = {}) => ({ ref, type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "other", state, created_at: "now-30d", updated_at: "now-30d", ...extra });
const training = (ref: string, partnership: string, started: string, finished: string | null, declarations: Record<string, unknown>[] = []) => ({
  ref,
  partnership,
  schedule: "ecf-standard-september",
  started_on: started,
  ...(finished ? { finished_on: finished } : {}),
  declarations,
});
const ect = (ref: string, partnership: string, declarations: Record<string, unknown>[]) => ({
  ref,
  ect_periods: [{ school: "s1", started_on: "2025-07-01", training: [training(`${ref}tp`, partnership, "2025-09-01", null, declarations)] }],
});
/** a mentor whose at-school period and training period run from `started` to `finished` (null: open) */
const mentor = (ref: string, started: string, finished: string | null, declarations: Record<string, unknown>[] = [], extra: Record<string, unknown> = {}) => ({
  ref,
  ...extra,
  mentor_periods: [{ ref: `${ref}p`, school: "s1", started_on: started, ...(finished ? { finished_on: finished } : {}), training: [training(`${ref}tp`, "pa", started, finished, declarations)] }],
});
const INELIGIBLE = { funding: { mentor_eligible_at: "now-400d", mentor_ineligible_on: "2025-11-01", mentor_ineligible_reason: "completed_declaration_received" } };
const completed = (ref: string, state: string, extra: Record<string, unknown> = {}) => d(ref, state, { type: "completed", date: at(-10), evidence_held: "75-percent-engagement-met", ...extra });

const put = (token: string, apiId: string) => v3Call(t, "PUT", `${PATH}/${apiId}/void`, { token });
const post = (token: string, attributes: Record<string, unknown>) => postDeclaration(t, token, attributes);
const error422 = (detail: string) => JSON.stringify({ errors: [{ title: "participant_declaration_id", detail }] });
const NO_OUTPUT = "You cannot submit or void declarations for the 2025 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us";
async function world() {
  return (await t.admin("GET", "/admin/v3/world")).body;
}
const findDeclaration = declarationIn;
async function teacherOf(ref: string): Promise<any> {
  return (await world()).teachers.find((x: any) => x.id === id(ref));
}
const mentorFunding = (teacher: any) => [teacher.funding?.mentor_ineligible_on ?? null, teacher.funding?.mentor_ineligible_reason ?? null];
const spans = (teacher: any, role: "ect_periods" | "mentor_periods" = "mentor_periods") => teacher[role][0].training.map((x: any) => [x.started_on, x.finished_on ?? null]);
/** POST a mentor's `completed` declaration */
const complete = (ref: string, date: string) => post(tok("a"), { participant_id: id(ref), declaration_type: "completed", declaration_date: date, course_identifier: "ecf-mentor", evidence_held: "75-percent-engagement-met" });

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2025]), lp("n", [2025]), lp("s", [2025])],
    delivery_partners: [{ ref: "dp1", name: "Void Spec DP", partnered_with: [{ lead_provider: "a", cohorts: [2025] }, { lead_provider: "n", cohorts: [2025] }, { lead_provider: "s", cohorts: [2025] }] }],
    schools: [{ ref: "s1", urn: "400101", name: "Void Spec School" }],
    partnerships: [
      { ref: "pa", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "pn", school: "s1", lead_provider: "n", delivery_partner: "dp1", cohort: 2025 },
      { ref: "ps", school: "s1", lead_provider: "s", delivery_partner: "dp1", cohort: 2025 },
    ],
    statements: [
      // a: a paid statement whose deadline was yesterday, and an open one a month ahead (the next output statement)
      statement("aPaid", "a", 1, 2026, "today-1d", "today+1d", { status: "paid" }),
      statement("aNext", "a", 2, 2030, "today+30d", "today+60d"),
      // n: only the paid statement whose deadline was yesterday
      statement("nPaid", "n", 1, 2026, "today-1d", "today+1d", { status: "paid" }),
      // s: only a service fee statement, a month ahead
      statement("sService", "s", 2, 2030, "today+30d", "today+60d", { fee_type: "service" }),
    ],
    teachers: [
      ect("vSub", "pa", [d("dSub", "submitted")]),
      ect("vElig", "pa", [d("dElig", "eligible", { statement: "aNext" })]),
      ect("vPay", "pa", [d("dPay", "payable", { statement: "aNext" })]),
      ect("vVoid", "pa", [d("dVoid", "voided", { statement: "aNext" })]),
      ect("vPaid", "pa", [d("dPaid", "paid", { statement: "aPaid" })]),
      ect("vAwait", "pa", [d("dAwait", "awaiting_clawback", { statement: "aPaid", clawback_statement: "aNext" })]),
      ect("vClawed", "pa", [d("dClawed", "clawed_back", { statement: "aPaid", clawback_statement: "aNext" })]),
      ect("vN1", "pn", [d("dN1", "paid", { statement: "nPaid" })]),
      ect("vN2", "pn", [d("dN2", "paid", { statement: "nPaid" })]),
      ect("vS", "ps", [d("dS", "paid", { statement: "sService" })]),
      // mentor completion after a POST (the "mentor training is completed" contexts): open periods from a month ago…
      mentor("mc1", "today-30d", null, [completed("mc1voided", "voided", { date: at(-7), statement: "aNext" })]),
      mentor("mc2", "today-30d", null),
      // …periods that finished a week ago (started two months ago)…
      mentor("mc3", "today-60d", "today-7d"),
      mentor("mc4", "today-60d", "today-7d"),
      // …and periods finishing two months ahead
      mentor("mc5", "today-60d", "today+60d"),
      // mentor completion after a void or clawback (the "completed mentor training is voided" context of mentor_completion.rb:17-19)
      mentor("mv1", "today-30d", null, [completed("dmv1", "submitted")], INELIGIBLE),
      { ...mentor("mv2", "today-30d", null, [], INELIGIBLE), mentor_periods: [{ ref: "mv2p", school: "s1", started_on: "today-30d", training: [training("mv2tp", "pa", "today-30d", "today-1d", [completed("dmv2", "submitted", { date: at(-5) })])] }] },
      mentor("mcl", "today-30d", null, [completed("dmcl", "paid", { statement: "aPaid" })], INELIGIBLE),
      // not a mentor's completed declaration
      mentor("ms", "today-30d", null),
      { ref: "ec", ect_periods: [{ school: "s1", started_on: "today-30d", training: [training("ectp", "pa", "today-30d", null)] }] },
    ],
  });
});
afterAll(() => t.close());

describe("the void path (spec/services/api/declarations/void_spec.rb, spec/services/declarations/void_spec.rb)", () => {
  for (const [ref, from] of [["dSub", "submitted"], ["dElig", "eligible"], ["dPay", "payable"]] as const) {
    test(`spec/services/api/declarations/void_spec.rb:43,53 and spec/services/declarations/void_spec.rb:100 "when declaration is ${from}": valid, voided via the service; 200 voided`, async () => {
      const r = await put(tok("a"), id(ref));
      expect(r.status).toBe(200);
      expect(r.body.data.id).toBe(id(ref));
      expect(r.body.data.attributes).toMatchObject({ state: "voided", statement_id: null, clawback_statement_id: null });
      expect(findDeclaration(await world(), id(ref)).state).toBe("voided");
    });
  }
  test('spec/services/declarations/void_spec.rb:16 "voids the declaration": payable → voided, the payment statement kept', async () => {
    const after = findDeclaration(await world(), id("dPay"));
    expect(after).toMatchObject({ state: "voided", statement: id("aNext") });
    expect(after.clawback_statement ?? null).toBeNull();
  });
  test('spec/services/api/declarations/void_spec.rb:28,29 "when declaration is voided": one error only, already voided; spec/services/declarations/void_spec.rb:79 (the voided → voided transition RECT\'s domain service refuses is never attempted)', async () => {
    const before = findDeclaration(await world(), id("dVoid"));
    const r = await put(tok("a"), id("dVoid"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422("The declaration has already been voided."));
    expect(findDeclaration(await world(), id("dVoid"))).toEqual(before);
  });
});

describe("the clawback path (spec/services/api/declarations/clawback_spec.rb, spec/services/declarations/clawback_spec.rb)", () => {
  test('spec/services/api/declarations/clawback_spec.rb:122,143 "not been refunded and output fee is available": valid, clawed back via the service; spec/services/declarations/clawback_spec.rb:34,41 awaiting clawback on the next output fee statement', async () => {
    const r = await put(tok("a"), id("dPaid"));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ state: "awaiting-clawback", statement_id: id("aPaid"), clawback_statement_id: id("aNext") });
    expect(findDeclaration(await world(), id("dPaid"))).toMatchObject({ state: "awaiting_clawback", statement: id("aPaid"), clawback_statement: id("aNext") });
  });
  test('spec/services/api/declarations/clawback_spec.rb:28,29 "when declaration is awaiting clawback": one error only, will or has been refunded', async () => {
    const r = await put(tok("a"), id("dAwait"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422("The declaration will or has been refunded"));
    // and the one clawed back above
    expect((await put(tok("a"), id("dPaid"))).text).toBe(error422("The declaration will or has been refunded"));
  });
  test('spec/services/api/declarations/clawback_spec.rb:35,36 "when declaration has been clawed back": one error only, will or has been refunded', async () => {
    const r = await put(tok("a"), id("dClawed"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422("The declaration will or has been refunded"));
    expect(findDeclaration(await world(), id("dClawed")).state).toBe("clawed_back");
  });
  test('spec/services/api/declarations/clawback_spec.rb:50,52,54 "no future output fee statements available": invalid, one error only, the contract has ended (mapped to cohort); spec/services/declarations/clawback_spec.rb:107,111 nothing clawed back', async () => {
    const r = await put(tok("n"), id("dN1"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422(NO_OUTPUT));
    const after = findDeclaration(await world(), id("dN1"));
    expect(after.state).toBe("paid");
    expect(after.clawback_statement ?? null).toBeNull();
  });
  test('spec/services/api/declarations/clawback_spec.rb:99,101 "the declaration\'s payment statement deadline date is in the past" (a paid statement, deadline yesterday, paid tomorrow): one error only', async () => {
    const r = await put(tok("n"), id("dN2"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422(NO_OUTPUT));
    expect(findDeclaration(await world(), id("dN2")).state).toBe("paid");
  });
  test('spec/services/api/declarations/clawback_spec.rb:69,71 "the declaration\'s payment statement has no output fee" (a service fee statement a month ahead is not a clawback statement): one error only', async () => {
    const r = await put(tok("s"), id("dS"));
    expect(r.status).toBe(422);
    expect(r.text).toBe(error422(NO_OUTPUT));
    const after = findDeclaration(await world(), id("dS"));
    expect(after.state).toBe("paid");
    expect(after.clawback_statement ?? null).toBeNull();
  });
});

describe("mentor completion after a mentor's completed declaration (spec/services/declarations/mentor_completion_spec.rb)", () => {
  test("L26 L36 a completed declaration: ineligible for funding from its date, the open training period finished on it; the later voided completed declaration is ignored", async () => {
    expect(mentorFunding(await teacherOf("mc1"))).toEqual([null, null]);
    const r = await complete("mc1", at(-14));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ declaration_type: "completed", state: "submitted", course_identifier: "ecf-mentor" });
    const teacher = await teacherOf("mc1");
    expect(mentorFunding(teacher)).toEqual([day(-14), "completed_declaration_received"]);
    expect(spans(teacher)).toEqual([[day(-30), day(-14)]]);
  });
  test("L43 a declaration dated before the training period started: finished the day after it started", async () => {
    const r = await complete("mc2", at(-60));
    expect(r.status).toBe(200);
    const teacher = await teacherOf("mc2");
    expect(spans(teacher)).toEqual([[day(-30), day(-29)]]);
    expect(mentorFunding(teacher)).toEqual([day(-60), "completed_declaration_received"]);
  });
  test("L56 L60 the training period already finished (a week ago): its finished_on is kept, the teacher is ineligible from the declaration date", async () => {
    const r = await complete("mc3", at(-14));
    expect(r.status).toBe(200);
    const teacher = await teacherOf("mc3");
    expect(spans(teacher)).toEqual([[day(-60), day(-7)]]);
    expect(mentorFunding(teacher)).toEqual([day(-14), "completed_declaration_received"]);
  });
  test("L71 L75 a declaration dated after the school period ended (its end + 2 days): no error, finished_on kept", async () => {
    const r = await complete("mc4", at(-5));
    expect(r.status).toBe(200);
    const teacher = await teacherOf("mc4");
    expect(spans(teacher)).toEqual([[day(-60), day(-7)]]);
    expect(teacher.mentor_periods[0].finished_on).toBe(day(-7));
    expect(mentorFunding(teacher)).toEqual([day(-5), "completed_declaration_received"]);
  });
  test("L83 L87 a training period finishing two months ahead: brought forward to the declaration date, the teacher ineligible", async () => {
    const r = await complete("mc5", at(-14));
    expect(r.status).toBe(200);
    const teacher = await teacherOf("mc5");
    expect(spans(teacher)).toEqual([[day(-60), day(-14)]]);
    expect(mentorFunding(teacher)).toEqual([day(-14), "completed_declaration_received"]);
  });
  test('L166 "when declaration is not completed": a mentor\'s started declaration changes nothing on the teacher or the training', async () => {
    const before = await teacherOf("ms");
    const r = await post(tok("a"), { participant_id: id("ms"), declaration_type: "started", declaration_date: at(-10), course_identifier: "ecf-mentor", evidence_held: "other" });
    expect(r.status).toBe(200);
    const after = await teacherOf("ms");
    expect(mentorFunding(after)).toEqual([null, null]);
    expect(spans(after)).toEqual([[day(-30), null]]);
    expect(after.updated_at).toBe(before.updated_at);
  });
  test('L177 "when teacher type is ECT": an ECT\'s completed declaration changes nothing on the teacher or the training', async () => {
    const before = await teacherOf("ec");
    const r = await post(tok("a"), { participant_id: id("ec"), declaration_type: "completed", declaration_date: at(-10), course_identifier: "ecf-induction", evidence_held: "75-percent-engagement-met" });
    expect(r.status).toBe(200);
    const after = await teacherOf("ec");
    expect(mentorFunding(after)).toEqual([null, null]);
    expect(spans(after, "ect_periods")).toEqual([[day(-30), null]]);
    expect(after.updated_at).toBe(before.updated_at);
  });
});

describe("mentor completion after a void or clawback (spec/services/declarations/mentor_completion_spec.rb, 'when completed mentor training is voided')", () => {
  test("mentor_completion_spec.rb:117,127 and spec/services/declarations/void_spec.rb:23: voiding the completed declaration makes the mentor eligible again; the ongoing training period is kept, none added", async () => {
    expect(mentorFunding(await teacherOf("mv1"))).toEqual(["2025-11-01", "completed_declaration_received"]);
    const r = await put(tok("a"), id("dmv1"));
    expect(r.status).toBe(200);
    const teacher = await teacherOf("mv1");
    expect(mentorFunding(teacher)).toEqual([null, null]);
    expect(spans(teacher)).toEqual([[day(-30), null]]);
  });
  test("mentor_completion_spec.rb:134 no training period ongoing today (it ended yesterday): a new one from the day after, same partnership and schedule, no expression of interest, to the school period's end", async () => {
    const r = await put(tok("a"), id("dmv2"));
    expect(r.status).toBe(200);
    const teacher = await teacherOf("mv2");
    expect(mentorFunding(teacher)).toEqual([null, null]);
    const [old, added] = teacher.mentor_periods[0].training;
    expect(spans(teacher)).toEqual([[day(-30), day(-1)], [day(0), null]]);
    expect(added.partnership).toBe(id("pa"));
    expect(added.partnership).toBe(old.partnership);
    expect(added.schedule).toBe(old.schedule);
    expect(added.eoi ?? null).toBeNull();
  });
  test("spec/services/declarations/clawback_spec.rb:48 \"completes the mentor\": clawing back a paid completed declaration makes the mentor eligible again", async () => {
    const r = await put(tok("a"), id("dmcl"));
    expect(r.status).toBe(200);
    expect(r.body.data.attributes).toMatchObject({ state: "awaiting-clawback", clawback_statement_id: id("aNext") });
    const teacher = await teacherOf("mcl");
    expect(mentorFunding(teacher)).toEqual([null, null]);
    expect(spans(teacher)).toEqual([[day(-30), null]]);
  });
});
