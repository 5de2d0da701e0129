/**
 * Participants (docs/reference/rect/rules.md §6) end to end: GET /api/v3/participants and
 * /participants/{id}. Each case names the RECT spec example it reproduces
 * (spec/requests/api/v3/participants_spec.rb and its shared examples;
 * spec/services/api/teachers/query_spec.rb; spec/serializers/api/teacher_serializer_spec.rb;
 * spec/services/api/training_periods/{training_status,teacher_status}_spec.rb).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addDays, londonDate } from "../../src/lib/london";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
const tok = (ref: string) => refs[ref]!.api_token as string;
const ids = (body: any) => body.data.map((r: any) => r.id);
const id = (ref: string) => refs[ref]!.id as string;
const today = () => londonDate(new Date());
const world = async () => (await t.admin("GET", "/admin/v3/world")).body;

beforeAll(async () => {
  t = await createTestApp({ rectStatements: false });
  refs = await v3Scenario(t, {
    lead_providers: [lp("a", [2024, 2025]), lp("b", [2024, 2025])],
    delivery_partners: [
      { ref: "dp1", name: "DP One", partnered_with: [{ lead_provider: "a", cohorts: [2024, 2025] }] },
      { ref: "dp2", name: "DP Two", partnered_with: [{ lead_provider: "b", cohorts: [2025] }] },
    ],
    schools: [
      { ref: "s1", urn: "300001", name: "One", funding: { "2025": { pupil_premium_uplift: true, sparsity_uplift: true } } },
      { ref: "s2", urn: "300002", name: "Two" },
    ],
    partnerships: [
      { ref: "p1", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 },
      { ref: "p2", school: "s2", lead_provider: "a", delivery_partner: "dp1", cohort: 2024 },
      { ref: "pb", school: "s1", lead_provider: "b", delivery_partner: "dp2", cohort: 2025 },
    ],
    teachers: [
      {
        ref: "t1",
        trn: "1000001",
        first_name: "Ada",
        last_name: "Lovelace",
        created_at: "2025-01-01T10:00:00Z",
        updated_at: "2025-08-01T10:00:00Z",
        funding: { ect_eligible_at: "2025-03-30T23:30:00Z", ect_ineligible_on: "2025-03-30", mentor_ineligible_on: "2025-05-01", mentor_ineligible_reason: "completed_declaration_received" },
        induction_periods: [{ started_on: "2024-09-01", finished_on: "2025-07-01", outcome: "pass" }],
        id_changes: [{ from_participant_id: "0b4a4d1e-1111-4222-8333-944455556666", created_at: "2025-05-05T05:05:05Z" }],
        ect_periods: [
          {
            ref: "t1e1",
            school: "s1",
            started_on: "today-400d",
            email: "ada@example.com",
            working_pattern: "part_time",
            created_at: "2024-08-01T08:00:00Z",
            training: [{ ref: "t1e1tp", partnership: "p1", started_on: "today-300d" }],
            mentorships: [{ mentor: "t2m1", started_on: "today-100d" }],
          },
        ],
        mentor_periods: [
          { ref: "t1m1", school: "s1", started_on: "today-500d", email: "ada.m@example.com", created_at: "2024-07-01T08:00:00Z", training: [{ partnership: "p1", started_on: "today-300d" }] },
        ],
      },
      {
        ref: "t2",
        corrected_name: "Grace Hopper",
        created_at: "2025-01-02T10:00:00Z",
        updated_at: "2025-08-02T10:00:00Z",
        mentor_periods: [{ ref: "t2m1", school: "s1", started_on: "today-500d", training: [{ partnership: "p1", started_on: "today-300d" }] }],
      },
      {
        ref: "t3",
        first_name: ".",
        last_name: "Turing",
        created_at: "2025-01-03T10:00:00Z",
        updated_at: "2025-08-03T10:00:00Z",
        ect_periods: [
          {
            school: "s2",
            started_on: "today-400d",
            training: [{ partnership: "p2", started_on: "today-300d", finished_on: "today-1d", withdrawn: { at: "now-1d", reason: "left-teaching-profession" } }],
          },
        ],
      },
      {
        ref: "t4",
        created_at: "2025-01-04T10:00:00Z",
        updated_at: "2025-08-04T10:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ partnership: "pb", started_on: "today-300d" }] }],
      },
      {
        ref: "t5",
        created_at: "2025-01-05T10:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-400d", training: [{ eoi: { lead_provider: "a", cohort: 2025 }, started_on: "today-300d" }] }],
      },
    ],
  });
});
afterAll(() => t.close());


const q = (path: string, ref = "a", headers: Record<string, string> = {}) => v3Get(t, path, tok(ref), headers);
const listIds = async (query: string, ref = "a") => {
  const r = await q(`/api/v3/participants${query}`, ref);
  expect(r.status).toBe(200);
  return ids(r.body);
};
const trainingOf = (w: any, teacherRef: string, kind: "ect_periods" | "mentor_periods") => w.teachers.find((x: any) => x.id === id(teacherRef))[kind][0].training[0];

describe("GET /api/v3/participants (spec/requests/api/v3/participants_spec.rb #index)", () => {
  test('spec/requests/api/v3/participants_spec.rb:40 "an index endpoint": the caller\'s teachers only (a partnership training period; EOI-only not), created_at ascending, byte for byte in the serializer\'s order (spec/services/api/teachers/query_spec.rb:67,287)', async () => {
    const r = await q("/api/v3/participants");
    expect(r.status).toBe(200);
    expect(r.type).toBe("application/json; charset=utf-8");
    expect(ids(r.body)).toEqual([id("t1"), id("t2"), id("t3")]);
    const w = await world();
    const ectSchedule = trainingOf(w, "t1", "ect_periods").schedule;
    const mentorSchedule = trainingOf(w, "t1", "mentor_periods").schedule;
    // spec/serializers/api/teacher_serializer_spec.rb:34 "core attributes", :44 "nested attributes", :79 participant_id_changes,
    // :147 two enrolments (ECT first), :152 ECT enrolment and :404 mentor enrolment "serializes correctly"
    const t1 = `{"id":"${id("t1")}","type":"participant","attributes":{"full_name":"Ada Lovelace","teacher_reference_number":"1000001","updated_at":"2025-08-01T10:00:00Z","ecf_enrolments":[{"training_record_id":"${refs.t1!.ect_training_record_id}","email":"ada@example.com","mentor_id":"${id("t2")}","school_urn":"300001","participant_type":"ect","cohort":"2025","training_status":"active","participant_status":"active","eligible_for_funding":false,"pupil_premium_uplift":false,"sparsity_uplift":false,"schedule_identifier":"${ectSchedule}","delivery_partner_id":"${id("dp1")}","withdrawal":null,"deferral":null,"created_at":"2024-08-01T08:00:00Z","induction_end_date":"2025-07-01","most_recent_induction_period_end_date":"2025-07-01","overall_induction_start_date":"2024-09-01","mentor_funding_end_date":null,"cohort_changed_after_payments_frozen":false,"mentor_ineligible_for_funding_reason":null,"working_pattern":"part_time"},{"training_record_id":"${refs.t1!.mentor_training_record_id}","email":"ada.m@example.com","mentor_id":null,"school_urn":"300001","participant_type":"mentor","cohort":"2025","training_status":"active","participant_status":"active","eligible_for_funding":false,"pupil_premium_uplift":false,"sparsity_uplift":false,"schedule_identifier":"${mentorSchedule}","delivery_partner_id":"${id("dp1")}","withdrawal":null,"deferral":null,"created_at":"2024-07-01T08:00:00Z","induction_end_date":null,"most_recent_induction_period_end_date":null,"overall_induction_start_date":null,"mentor_funding_end_date":"2025-05-01","cohort_changed_after_payments_frozen":false,"mentor_ineligible_for_funding_reason":"completed_declaration_received","working_pattern":null}],"participant_id_changes":[{"from_participant_id":"0b4a4d1e-1111-4222-8333-944455556666","to_participant_id":"${id("t1")}","changed_at":"2025-05-05T05:05:05Z"}]}}`;
    expect(r.text.startsWith(`{"data":[${t1},`)).toBe(true);
  });
  test('spec/requests/api/v3/participants_spec.rb:40 "an index endpoint": another provider sees its own only; none → exactly {"data":[]} (spec/services/api/teachers/query_spec.rb:74)', async () => {
    expect(await listIds("", "b")).toEqual([id("t4")]);
    const none = await v3Scenario(t, { lead_providers: [lp("none")] });
    const r = await v3Get(t, "/api/v3/participants", none.none!.api_token);
    expect(r.text).toBe('{"data":[]}');
  });
  test('spec/requests/api/v3/participants_spec.rb:41 "a paginated endpoint": page[per_page] and page[page]; past the end an empty page; page 0 is a 400', async () => {
    expect(await listIds("?page[per_page]=2&page[page]=2")).toEqual([id("t3")]);
    expect(await listIds("?page[per_page]=2&page[page]=3")).toEqual([]);
    const r = await q("/api/v3/participants?page[page]=0");
    expect(r.status).toBe(400);
  });
  test('spec/requests/api/v3/participants_spec.rb:42 "a filter by multiple cohorts": latest ECT or mentor period\'s cohort; comma list; invalid items dropped (none left: nothing); blank: not applied (spec/services/api/teachers/query_spec.rb:107,113,121,133,139)', async () => {
    expect(await listIds("?filter[cohort]=2024")).toEqual([id("t3")]);
    expect(await listIds("?filter[cohort]=2025")).toEqual([id("t1"), id("t2")]);
    expect(await listIds("?filter[cohort]=2024,2025")).toEqual([id("t1"), id("t2"), id("t3")]);
    expect(await listIds("?filter[cohort]=2023")).toEqual([]);
    expect(await listIds("?filter[cohort]=invalid")).toEqual([]);
    expect(await listIds("?filter[cohort]=invalid,2024")).toEqual([id("t3")]);
    expect(await listIds("?filter[cohort]=")).toEqual([id("t1"), id("t2"), id("t3")]);
  });
  test('spec/requests/api/v3/participants_spec.rb:43 "a filter by from_participant_id endpoint": a TeacherIdChange from that id; none found: empty; blank: not applied; not a UUID: nothing (spec/services/api/teachers/query_spec.rb:160,167,173)', async () => {
    expect(await listIds("?filter[from_participant_id]=0b4a4d1e-1111-4222-8333-944455556666")).toEqual([id("t1")]);
    expect(await listIds("?filter[from_participant_id]=0B4A4D1E-1111-4222-8333-944455556666")).toEqual([id("t1")]);
    expect(await listIds(`?filter[from_participant_id]=${crypto.randomUUID()}`)).toEqual([]);
    expect(await listIds("?filter[from_participant_id]=")).toEqual([id("t1"), id("t2"), id("t3")]);
    expect(await listIds("?filter[from_participant_id]=not-a-uuid")).toEqual([]);
  });
  test('spec/requests/api/v3/participants_spec.rb:44 "a filter by training_status endpoint": withdrawn, active, deferred; another value: nothing; blank: not applied (spec/services/api/teachers/query_spec.rb:204,210,216,222)', async () => {
    expect(await listIds("?filter[training_status]=withdrawn")).toEqual([id("t3")]);
    expect(await listIds("?filter[training_status]=active")).toEqual([id("t1"), id("t2")]);
    expect(await listIds("?filter[training_status]=deferred")).toEqual([]);
    expect(await listIds("?filter[training_status]=invalid")).toEqual([]);
    expect(await listIds("?filter[training_status]=")).toEqual([id("t1"), id("t2"), id("t3")]);
    // participants_controller.rb:96 permits a scalar only: a list is dropped (not applied)
    expect(await listIds("?filter[training_status][]=withdrawn")).toEqual([id("t1"), id("t2"), id("t3")]);
  });
  test('spec/requests/api/v3/participants_spec.rb:45 "a filter by updated_since endpoint": teachers.api_updated_at at or after (inclusive); invalid → 400 (spec/services/api/teachers/query_spec.rb:255,264,271)', async () => {
    expect(await listIds("?filter[updated_since]=2025-08-02T10:00:00Z")).toEqual([id("t2"), id("t3")]);
    expect(await listIds("?filter[updated_since]=")).toEqual([id("t1"), id("t2"), id("t3")]);
    const r = await q("/api/v3/participants?filter[updated_since]=yesterday");
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ title: "Bad request", detail: "The filter '#/updated_since' must be a valid ISO 8601 date" }] });
  });
  test('spec/requests/api/v3/participants_spec.rb:46 "a sortable endpoint": created_at, updated_at (the API timestamp), descending with -; unknown names dropped (spec/services/api/teachers/query_spec.rb:294,303,310)', async () => {
    expect(await listIds("?sort=-created_at")).toEqual([id("t3"), id("t2"), id("t1")]);
    expect(await listIds("?sort=-updated_at")).toEqual([id("t3"), id("t2"), id("t1")]);
    expect(await listIds("?sort=+updated_at")).toEqual([id("t1"), id("t2"), id("t3")]);
    expect(await listIds("?sort=nonsense")).toEqual([id("t1"), id("t2"), id("t3")]);
  });
  test("filter: a hash is a 400 (filter_validatable.rb:21-29)", async () => {
    const r = await q("/api/v3/participants?filter=x");
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ title: "Bad parameter", detail: "Filter must be a hash" }] });
  });
});

describe("GET /api/v3/participants/{id} (spec/requests/api/v3/participants_spec.rb #show)", () => {
  const NOT_FOUND = { errors: [{ title: "Resource not found", detail: "Nothing could be found for the provided details" }] };
  test('spec/requests/api/v3/participants_spec.rb:56 "a show endpoint": the participant as the list renders it (spec/services/api/teachers/query_spec.rb:319)', async () => {
    const list = await q("/api/v3/participants");
    const r = await q(`/api/v3/participants/${id("t3")}`);
    expect(r.status).toBe(200);
    expect(r.text).toBe(`{"data":${JSON.stringify(list.body.data[2])}}`);
  });
  test('spec/requests/api/v3/participants_spec.rb:56 "a show endpoint": unknown id, non-UUID → 404 (spec/services/api/teachers/query_spec.rb:326)', async () => {
    for (const path of [`/api/v3/participants/${crypto.randomUUID()}`, "/api/v3/participants/nope"]) {
      const r = await q(path);
      expect(r.status).toBe(404);
      expect(r.body).toEqual(NOT_FOUND);
    }
  });
  test("isolation: another provider's participant, or an EOI-only teacher, is the same 404 as an unknown id (spec/services/api/teachers/query_spec.rb:332)", async () => {
    const unknown = await q(`/api/v3/participants/${crypto.randomUUID()}`);
    for (const [ref, teacher] of [["a", "t4"], ["b", "t1"], ["a", "t5"]] as const) {
      const r = await q(`/api/v3/participants/${id(teacher)}`, ref);
      expect(r.status).toBe(404);
      expect(r.text).toBe(unknown.text);
    }
  });
  test('spec/requests/api/v3/participants_spec.rb:57 "a does not filter by updated_since endpoint": filters are ignored', async () => {
    const r = await q(`/api/v3/participants/${id("t1")}?filter[updated_since]=2030-01-01T00:00:00Z&filter[cohort]=2023&filter[training_status]=deferred`);
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(id("t1"));
  });
});

describe("attributes (spec/serializers/api/teacher_serializer_spec.rb)", () => {
  const attrs = async (teacher: string, ref = "a") => (await q(`/api/v3/participants/${id(teacher)}`, ref)).body.data.attributes;
  test("L54, L55, L60 full_name: corrected_name first; L66 TRS names joined, a '.' or blank one dropped (app/services/teachers/name.rb:8-20)", async () => {
    expect((await attrs("t2")).full_name).toBe("Grace Hopper");
    expect((await attrs("t3")).full_name).toBe("Turing");
    expect((await attrs("t1")).full_name).toBe("Ada Lovelace");
  });
  test("L73/L79 participant_id_changes: [] without changes, each change {from, to, changed_at}", async () => {
    expect((await attrs("t2")).participant_id_changes).toEqual([]);
  });
  test("L325 withdrawn: the withdrawal, reason dasherized, date withdrawn_at; deferral null; participant_status left (finished yesterday)", async () => {
    const w = await world();
    const tp = trainingOf(w, "t3", "ect_periods");
    const e = (await attrs("t3")).ecf_enrolments[0];
    expect(e.training_status).toBe("withdrawn");
    expect(e.withdrawal).toEqual({ reason: "left-teaching-profession", date: tp.withdrawn.at });
    expect(e.deferral).toBeNull();
    expect(e.participant_status).toBe("left");
    expect(e.cohort).toBe("2024");
    expect(e.school_urn).toBe("300002");
  });
  test("L254 eligible_for_funding: the eligible date is the London date of the timestamp (2025-03-30T23:30Z is 31 March in BST, after the ineligible 30 March: false); neither date: null (eligibility_for_funding.rb:9-30)", async () => {
    expect((await attrs("t1")).ecf_enrolments[0].eligible_for_funding).toBe(false);
    expect((await attrs("t2")).ecf_enrolments[0].eligible_for_funding).toBeNull();
  });
  test("ECT mentor_id: the mentor of the current mentorship; mentor enrolment: null; L242 an ECT without a mentorship: null", async () => {
    expect((await attrs("t3")).ecf_enrolments[0].mentor_id).toBeNull();
    const e = (await attrs("t1")).ecf_enrolments;
    expect(e[0].mentor_id).toBe(id("t2"));
    expect(e[1].mentor_id).toBeNull();
  });
});

describe("statuses and the latest training period (spec/services/api/training_periods/teacher_status_spec.rb, training_status_spec.rb; docs/reference/rect/rules.md §5.9, §6.4)", () => {
  let c: Refs;
  const cid = (ref: string) => c[ref]!.id as string;
  const enrolments = async (teacher: string, ref = "c", headers: Record<string, string> = {}) => {
    const r = await v3Get(t, `/api/v3/participants/${cid(teacher)}`, c[ref]!.api_token, headers);
    expect(r.status).toBe(200);
    return r.body.data.attributes.ecf_enrolments;
  };
  const ect = { school: "cs1", started_on: "today-400d" };
  beforeAll(async () => {
    c = await v3Scenario(t, {
      lead_providers: [lp("c", [2024, 2025]), lp("d", [2025])],
      delivery_partners: [
        { ref: "cdp", name: "DP C", partnered_with: [{ lead_provider: "c", cohorts: [2024, 2025] }] },
        { ref: "ddp", name: "DP D", partnered_with: [{ lead_provider: "d", cohorts: [2025] }] },
      ],
      schools: [
        { ref: "cs1", urn: "400001", name: "C One", funding: { "2025": { pupil_premium_uplift: true, sparsity_uplift: false } } },
        { ref: "cs2", urn: "400002", name: "C Two" },
      ],
      partnerships: [
        { ref: "pc", school: "cs1", lead_provider: "c", delivery_partner: "cdp", cohort: 2025 },
        { ref: "pc24", school: "cs1", lead_provider: "c", delivery_partner: "cdp", cohort: 2024 },
        { ref: "pc2", school: "cs2", lead_provider: "c", delivery_partner: "cdp", cohort: 2025 },
        { ref: "pd", school: "cs1", lead_provider: "d", delivery_partner: "ddp", cohort: 2025 },
      ],
      teachers: [
        { ref: "joining", ect_periods: [{ ...ect, training: [{ partnership: "pc", started_on: "today+10d" }] }] },
        { ref: "leaving", ect_periods: [{ ...ect, training: [{ partnership: "pc", started_on: "today-300d", finished_on: "today+10d" }] }] },
        { ref: "leftToday", ect_periods: [{ ...ect, training: [{ partnership: "pc", started_on: "today-300d", finished_on: "today" }] }] },
        {
          ref: "inductionDone",
          induction_periods: [{ started_on: "today-390d", finished_on: "today-20d", outcome: "pass" }],
          ect_periods: [{ ...ect, training: [{ partnership: "pc", started_on: "today-300d", finished_on: "today-10d" }] }],
        },
        {
          ref: "inductionLater",
          induction_periods: [{ started_on: "today-390d", finished_on: "today-5d", outcome: "pass" }, { started_on: "today-4d" }],
          ect_periods: [{ ...ect, training: [{ partnership: "pc", started_on: "today-300d", finished_on: "today-10d" }] }],
        },
        {
          ref: "mentorDone",
          funding: { mentor_ineligible_on: "today-30d", mentor_ineligible_reason: "completed_declaration_received" },
          mentor_periods: [{ school: "cs1", started_on: "today-400d", training: [{ partnership: "pc", started_on: "today-300d", finished_on: "today-10d" }] }],
        },
        { ref: "deferred", ect_periods: [{ ...ect, training: [{ partnership: "pc", started_on: "today-300d", finished_on: "today-2d", deferred: { at: "now-2d", reason: "parental-leave" } }] }] },
        {
          ref: "twoCohorts",
          ect_periods: [
            {
              ...ect,
              training: [
                { partnership: "pc24", started_on: "today-300d", finished_on: "today-200d" },
                { partnership: "pc", started_on: "today-199d" },
              ],
            },
          ],
        },
        {
          ref: "moved",
          ect_periods: [
            {
              ...ect,
              training: [
                { partnership: "pc", started_on: "today-300d", finished_on: "today-100d" },
                { partnership: "pd", started_on: "today-99d" },
              ],
            },
          ],
        },
        {
          ref: "mentee",
          first_name: "",
          last_name: ".",
          payments_frozen_year: { ect: 2024 },
          ect_periods: [
            { school: "cs2", started_on: "today-500d", finished_on: "today-401d", working_pattern: "full_time", created_at: "2023-01-01T00:00:00Z", training: [{ programme: "school_led", started_on: "today-500d", finished_on: "today-401d" }] },
            {
              ref: "menteeP",
              school: "cs1",
              started_on: "today-400d",
              working_pattern: "part_time",
              training: [{ partnership: "pc", started_on: "today-300d" }],
              mentorships: [
                { mentor: "m1p", started_on: "today-300d", finished_on: "today-1d" },
                { mentor: "m2p", started_on: "today+5d" },
              ],
            },
          ],
        },
        { ref: "m1", mentor_periods: [{ ref: "m1p", school: "cs1", started_on: "today-400d", training: [{ partnership: "pc", started_on: "today-300d" }] }] },
        { ref: "m2", mentor_periods: [{ ref: "m2p", school: "cs1", started_on: "today-400d", training: [{ partnership: "pc", started_on: "today-300d" }] }] },
      ],
    });
  });

  test("teacher_status_spec.rb: joining (starts after today), leaving (finishes after today), left (finishes today or before)", async () => {
    expect((await enrolments("joining"))[0].participant_status).toBe("joining");
    expect((await enrolments("leaving"))[0].participant_status).toBe("leaving");
    expect((await enrolments("leftToday"))[0].participant_status).toBe("left");
  });
  test("teacher_status_spec.rb: X-With-Server-Date moves the day: joining becomes active, leaving becomes left", async () => {
    const later = `${addDays(londonDate(new Date()), 20)}T12:00:00Z`;
    expect((await enrolments("joining", "c", { "X-With-Server-Date": later }))[0].participant_status).toBe("active");
    expect((await enrolments("leaving", "c", { "X-With-Server-Date": later }))[0].participant_status).toBe("left");
  });
  test("teacher_status_spec.rb: an ECT whose induction ended on or before the period's end is active; ended after it: left (teacher_status.rb:16,61-67)", async () => {
    const done = (await enrolments("inductionDone"))[0];
    expect(done.participant_status).toBe("active");
    expect(done.induction_end_date).toBe(addDays(londonDate(new Date()), -20));
    const later = (await enrolments("inductionLater"))[0];
    expect(later.participant_status).toBe("left");
    // spec/serializers/api/teacher_serializer_spec.rb:283 the latest induction period is ongoing: most_recent_induction_period_end_date null; L308 overall start from the earliest
    expect(later.most_recent_induction_period_end_date).toBeNull();
    expect(later.overall_induction_start_date).toBe(addDays(londonDate(new Date()), -390));
  });
  test("teacher_status_spec.rb: a mentor whose funding ended on or before the period's end is active; mentor_funding_end_date and reason shown", async () => {
    const e = (await enrolments("mentorDone"))[0];
    expect(e.participant_status).toBe("active");
    expect(e.mentor_ineligible_for_funding_reason).toBe("completed_declaration_received");
    expect(e.induction_end_date).toBeNull();
  });
  test("training_status_spec.rb / teacher_serializer_spec.rb:334 deferred: the deferral, reason dasherized; withdrawal null; left once finished", async () => {
    const d = (await enrolments("deferred"))[0];
    expect(d.training_status).toBe("deferred");
    expect(d.deferral.reason).toBe("parental-leave");
    expect(d.withdrawal).toBeNull();
    expect(d.participant_status).toBe("left");
  });
  test("spec/services/api/teachers/query_spec.rb:198 training_status filter on the latest periods (query.rb:90-106)", async () => {
    const r = async (s: string) => ids((await v3Get(t, `/api/v3/participants?filter[training_status]=${s}`, c.c!.api_token)).body);
    expect(await r("withdrawn")).toEqual([]);
    expect(await r("deferred")).toEqual([cid("deferred")]);
    expect(await r("active")).not.toContain(cid("deferred"));
    expect(await r("active")).toContain(cid("joining"));
  });
  test("§5.9 the latest period (greatest started_on) decides cohort and the cohort filter; an earlier period in 2024 does not match filter[cohort]=2024", async () => {
    expect((await enrolments("twoCohorts"))[0].cohort).toBe("2025");
    const r = await v3Get(t, "/api/v3/participants?filter[cohort]=2024", c.c!.api_token);
    expect(ids(r.body)).toEqual([]);
  });
  test("§6.2 moved to another provider: still visible to the first through its last period (left), and to the second through its own", async () => {
    const forC = (await enrolments("moved", "c"))[0];
    const forD = (await enrolments("moved", "d"))[0];
    expect(forC.participant_status).toBe("left");
    expect(forC.delivery_partner_id).toBe(cid("cdp"));
    expect(forD.participant_status).toBe("active");
    expect(forD.delivery_partner_id).toBe(cid("ddp"));
  });
  test("serializer: mentor_id from the current or next mentorship (a finished one gives none: the future one); name Unknown; frozen year; working_pattern of the latest ECT period; created_at of the earliest", async () => {
    const r = await v3Get(t, `/api/v3/participants/${cid("mentee")}`, c.c!.api_token);
    const a = r.body.data.attributes;
    expect(a.full_name).toBe("Unknown");
    const e = a.ecf_enrolments[0];
    expect(e.mentor_id).toBe(cid("m2"));
    // teacher_serializer_spec.rb:394 cohort_changed_after_payments_frozen
    expect(e.cohort_changed_after_payments_frozen).toBe(true);
    // teacher_serializer_spec.rb:211 the latest working_pattern
    expect(e.working_pattern).toBe("part_time");
    expect(e.created_at).toBe("2023-01-01T00:00:00Z");
    expect(e.school_urn).toBe("400001");
  });
  test("teacher_serializer_spec.rb:224 uplifts false while the cohort has no uplift fees; with them, the partnership school's funding for the cohort (:233 none: false)", async () => {
    expect((await enrolments("joining"))[0].pupil_premium_uplift).toBe(false);
    const put = await t.admin("PUT", "/admin/v3/contract-periods/2025", { uplift_fees_enabled: true });
    expect(put.status).toBe(200);
    const e = (await enrolments("joining"))[0];
    expect(e.pupil_premium_uplift).toBe(true);
    expect(e.sparsity_uplift).toBe(false);
    await t.admin("PUT", "/admin/v3/contract-periods/2025", { uplift_fees_enabled: false });
  });
});
