import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assertMatchesContract, checkParticipantContract } from "../contract/validate";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { PARTICIPANT_CSV_HEADER } from "../support/participant-oracle";

/**
 * GET /api/v2/participants/ecf, /ecf/{id} and their aliases: what one row
 * is, its attributes (docs/reference/business-rules.md §4.1, §4.2) and who sees it (§2.1, §2.3).
 */

/** The live attribute order (§4.2): the oracle's CSV header without its `id`. */
const ATTRIBUTE_ORDER = PARTICIPANT_CSV_HEADER.slice(1);
const NOT_FOUND = { error: "Resource not Found" };
const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const LIST = "/api/v2/participants/ecf";

type Provider = { id: string; token: string };
let t: TestApp;


beforeAll(async () => {
  t = checkParticipantContract(await createTestApp());
});
afterAll(() => t.close());

/** GET a list, check 200, the content type and the contract; the body. */
async function list(token: string, query = "", path = LIST) {
  const r = await t.call("GET", `${path}${query}`, { token });
  expect(r.status).toBe(200);
  expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
  assertMatchesContract("MultipleECFParticipantsResponse", r.body);
  return r.body.data as any[];
}

/** GET one participant, check 200, the content type and the contract; the resource. */
async function single(token: string, id: string, query = "", path = LIST) {
  const r = await t.call("GET", `${path}/${id}${query}`, { token });
  expect(r.status).toBe(200);
  expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
  assertMatchesContract("ECFParticipantResponse", r.body);
  return r.body.data;
}

async function act(token: string, id: string, action: string, attributes: Record<string, unknown>, now?: string) {
  return t.call("PUT", `${LIST}/${id}/${action}`, {
    token,
    body: { data: { type: `participant-${action}`, attributes } },
    headers: now ? { "x-with-server-date": now } : {},
  });
}

describe("rows and attributes (docs/reference/business-rules.md §4.1, §4.2)", () => {
  let p: Provider;
  let mentor: { participant_id: string; training_record_id: string };
  let ect: { participant_id: string; training_record_id: string };

  beforeAll(async () => {
    p = await t.newProvider();
    t.clock.set(new Date("2024-10-01T09:00:00.789Z"));
    mentor = await t.newParticipant(p.id, {
      participant_type: "mentor",
      cohort: 2023,
      full_name: "Martin Jones",
      email: "martin.jones@example.com",
      teacher_reference_number: "1234567",
      school_urn: "310001",
      pupil_premium_uplift: true,
    });
    t.clock.set(new Date("2024-10-01T09:05:00Z"));
    ect = await t.newParticipant(p.id, {
      participant_type: "ect",
      cohort: 2023,
      full_name: "Jane Smith",
      email: "jane.smith@example.com",
      teacher_reference_number: "7654321",
      school_urn: "310001",
      mentor_id: mentor.participant_id,
      schedule_identifier: "ecf-standard-january",
      sparsity_uplift: true,
    });
    t.clock.reset();
  });

  test("when a provider lists its participants, then each row is id, type, attributes with the §4.2 attributes in order", async () => {
    const rows = await list(p.token);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["id", "type", "attributes"]);
      expect(row.type).toBe("participant");
      expect(Object.keys(row.attributes)).toEqual(ATTRIBUTE_ORDER);
    }
    expect(rows[0]).toEqual({
      id: mentor.participant_id,
      type: "participant",
      attributes: {
        email: "martin.jones@example.com",
        full_name: "Martin Jones",
        mentor_id: null,
        school_urn: "310001",
        participant_type: "mentor",
        cohort: "2023",
        status: "active",
        teacher_reference_number: "1234567",
        teacher_reference_number_validated: true,
        eligible_for_funding: true,
        pupil_premium_uplift: true,
        sparsity_uplift: false,
        training_status: "active",
        training_record_id: mentor.training_record_id,
        schedule_identifier: "ecf-standard-september",
        updated_at: "2024-10-01T09:00:00Z",
      },
    });
    expect(rows[1]).toEqual({
      id: ect.participant_id,
      type: "participant",
      attributes: {
        email: "jane.smith@example.com",
        full_name: "Jane Smith",
        mentor_id: mentor.participant_id,
        school_urn: "310001",
        participant_type: "ect",
        cohort: "2023",
        status: "active",
        teacher_reference_number: "7654321",
        teacher_reference_number_validated: true,
        eligible_for_funding: true,
        pupil_premium_uplift: false,
        sparsity_uplift: true,
        training_status: "active",
        training_record_id: ect.training_record_id,
        schedule_identifier: "ecf-standard-january",
        updated_at: "2024-10-01T09:05:00Z",
      },
    });
  });

  test("when one participant is read, then it is the same resource as in the list, in the same order of keys", async () => {
    const rows = await list(p.token);
    const one = await single(p.token, ect.participant_id);
    expect(one).toEqual(rows[1]);
    expect(Object.keys(one)).toEqual(["id", "type", "attributes"]);
    expect(Object.keys(one.attributes)).toEqual(ATTRIBUTE_ORDER);
    // the raw text keeps the order too (not just the parsed object)
    const text = await (await t.request("GET", `${LIST}/${ect.participant_id}`, { token: p.token })).text();
    expect(text.indexOf('"id"')).toBeLessThan(text.indexOf('"type"'));
    expect(text.indexOf('"type"')).toBeLessThan(text.indexOf('"attributes"'));
  });

  test("when the clock has milliseconds, then every timestamp is whole seconds with Z", async () => {
    for (const row of await list(p.token)) expect(row.attributes.updated_at).toMatch(TIMESTAMP);
    expect(JSON.stringify(await list(p.token))).not.toContain(".789");
  });

  test("when a mentor's stored record carries a mentor id, then the mentor row still shows mentor_id null", async () => {
    const q = await t.newParticipant(p.id, { participant_type: "mentor", cohort: 2023 });
    await t.database.db.updateTable("training_records").set({ mentor_id: mentor.participant_id }).where("id", "=", q.training_record_id).execute();
    const row = await single(p.token, q.participant_id);
    expect(row.attributes.participant_type).toBe("mentor");
    expect(row.attributes.mentor_id).toBeNull();
  });

  test("when an ECT has no mentor, then mentor_id is null", async () => {
    const q = await t.newParticipant(p.id, { participant_type: "ect", cohort: 2023 });
    expect((await single(p.token, q.participant_id)).attributes.mentor_id).toBeNull();
  });
});

describe("computed attributes (docs/reference/business-rules.md §4.2)", () => {
  let p: Provider;
  beforeAll(async () => {
    p = await t.newProvider();
  });

  test("when eligibility is eligible, ineligible or undecided, then eligible_for_funding is true, false or null", async () => {
    const yes = await t.newParticipant(p.id, { eligible_for_funding: true });
    const no = await t.newParticipant(p.id, { eligible_for_funding: false });
    const unknown = await t.newParticipant(p.id, { eligible_for_funding: null });
    expect((await single(p.token, yes.participant_id)).attributes.eligible_for_funding).toBe(true);
    expect((await single(p.token, no.participant_id)).attributes.eligible_for_funding).toBe(false);
    expect((await single(p.token, unknown.participant_id)).attributes.eligible_for_funding).toBeNull();
  });

  test("when there is no TRN, then teacher_reference_number and _validated are null, whatever the validation flag", async () => {
    const a = await t.newParticipant(p.id, { teacher_reference_number: null });
    const b = await t.newParticipant(p.id, { teacher_reference_number: null, teacher_reference_number_validated: true });
    for (const q of [a, b]) {
      const attrs = (await single(p.token, q.participant_id)).attributes;
      expect(attrs.teacher_reference_number).toBeNull();
      expect(attrs.teacher_reference_number_validated).toBeNull();
    }
  });

  test("when there is a TRN, then teacher_reference_number_validated is true or false, never null", async () => {
    const validated = await t.newParticipant(p.id, { teacher_reference_number: "1111111" });
    const different = await t.newParticipant(p.id, { teacher_reference_number: "2222222", teacher_reference_number_validated: false });
    expect((await single(p.token, validated.participant_id)).attributes).toMatchObject({
      teacher_reference_number: "1111111",
      teacher_reference_number_validated: true,
    });
    expect((await single(p.token, different.participant_id)).attributes).toMatchObject({
      teacher_reference_number: "2222222",
      teacher_reference_number_validated: false,
    });
  });

  test("when uplifts are set or not, then pupil_premium_uplift and sparsity_uplift are booleans", async () => {
    const both = await t.newParticipant(p.id, { pupil_premium_uplift: true, sparsity_uplift: true });
    const none = await t.newParticipant(p.id, {});
    expect((await single(p.token, both.participant_id)).attributes).toMatchObject({ pupil_premium_uplift: true, sparsity_uplift: true });
    expect((await single(p.token, none.participant_id)).attributes).toMatchObject({ pupil_premium_uplift: false, sparsity_uplift: false });
  });

  test("when the school withdraws the induction, then status is withdrawn, training_status stays active and nothing is nulled", async () => {
    const q = await t.newParticipant(p.id, { email: "leaver@example.com", full_name: "Lee Leaver", teacher_reference_number: "3333333", school_urn: "320001" });
    const r = await t.admin("PUT", `/admin/participants/${q.participant_id}/induction-status`, { course_identifier: "ecf-induction", status: "withdrawn" });
    expect(r.status).toBe(200);
    const attrs = (await single(p.token, q.participant_id)).attributes;
    expect(attrs).toMatchObject({
      email: "leaver@example.com",
      full_name: "Lee Leaver",
      school_urn: "320001",
      participant_type: "ect",
      cohort: "2024",
      status: "withdrawn",
      teacher_reference_number: "3333333",
      teacher_reference_number_validated: true,
      training_status: "active",
      training_record_id: q.training_record_id,
      schedule_identifier: "ecf-standard-september",
    });
    expect(Object.keys(attrs)).toEqual(ATTRIBUTE_ORDER);
  });

  test("when the provider withdraws the participant, then training_status is withdrawn, status stays active and nothing is nulled", async () => {
    const q = await t.newParticipant(p.id, { email: "quitter@example.com", full_name: "Quinn Quitter", teacher_reference_number: "4444444" });
    const r = await act(p.token, q.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: "moved-school" });
    expect(r.status).toBe(200);
    const attrs = (await single(p.token, q.participant_id)).attributes;
    expect(attrs).toMatchObject({
      email: "quitter@example.com",
      full_name: "Quinn Quitter",
      status: "active",
      training_status: "withdrawn",
      teacher_reference_number: "4444444",
    });
    for (const key of ["email", "full_name", "school_urn", "participant_type", "cohort", "training_record_id", "schedule_identifier", "updated_at"]) {
      expect(attrs[key]).not.toBeNull();
    }
  });

  test("when the provider defers the participant, then training_status is deferred", async () => {
    const q = await t.newParticipant(p.id);
    expect((await act(p.token, q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "career-break" })).status).toBe(200);
    expect((await single(p.token, q.participant_id)).attributes).toMatchObject({ status: "active", training_status: "deferred" });
  });

  test("when participants are in different cohorts, then cohort is the start year as a string", async () => {
    for (const cohort of [2021, 2022, 2025]) {
      const q = await t.newParticipant(p.id, { cohort });
      const attrs = (await single(p.token, q.participant_id)).attributes;
      expect(attrs.cohort).toBe(String(cohort));
      expect(typeof attrs.cohort).toBe("string");
    }
  });
});

describe("one row per training record (docs/reference/business-rules.md §4.1)", () => {
  test("when a person is both a mentor and an ECT with the provider, then the list has two rows with the same id and the single GET gives the ECT", async () => {
    const p = await t.newProvider();
    // the mentor registration first, so "first created" would pick the mentor
    const asMentor = await t.newParticipant(p.id, { participant_type: "mentor", cohort: 2023 });
    const asEct = await t.newParticipant(p.id, { participant_type: "ect", cohort: 2024, participant_id: asMentor.participant_id });
    expect(asEct.participant_id).toBe(asMentor.participant_id);
    const rows = await list(p.token);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.id)).toEqual([asMentor.participant_id, asMentor.participant_id]);
    expect(rows.map((r) => r.attributes.training_record_id).sort()).toEqual([asMentor.training_record_id, asEct.training_record_id].sort());
    expect(rows.map((r) => r.attributes.participant_type).sort()).toEqual(["ect", "mentor"]);
    const one = await single(p.token, asMentor.participant_id);
    expect(one.attributes.participant_type).toBe("ect");
    expect(one.attributes.training_record_id).toBe(asEct.training_record_id);
    expect(one.attributes.cohort).toBe("2024");
  });

  test("when a person has two ECT registrations with the provider, then the list has two rows and the single GET gives one of them", async () => {
    const p = await t.newProvider();
    const first = await t.newParticipant(p.id, { participant_type: "ect", cohort: 2022 });
    const second = await t.newParticipant(p.id, { participant_type: "ect", cohort: 2024, participant_id: first.participant_id });
    const rows = await list(p.token);
    expect(rows.map((r) => r.id)).toEqual([first.participant_id, first.participant_id]);
    expect(rows.map((r) => r.attributes.training_record_id).sort()).toEqual([first.training_record_id, second.training_record_id].sort());
    const one = await single(p.token, first.participant_id);
    expect(one.attributes.participant_type).toBe("ect");
    expect([first.training_record_id, second.training_record_id]).toContain(one.attributes.training_record_id);
  });

  test("when the ECT record was created first, then the single GET still gives the ECT", async () => {
    const p = await t.newProvider();
    const asEct = await t.newParticipant(p.id, { participant_type: "ect", cohort: 2023 });
    await t.newParticipant(p.id, { participant_type: "mentor", cohort: 2024, participant_id: asEct.participant_id });
    const one = await single(p.token, asEct.participant_id);
    expect(one.attributes.training_record_id).toBe(asEct.training_record_id);
  });

  test("when the single GET's cohort filter leaves out the ECT, then the mentor record is given", async () => {
    const p = await t.newProvider();
    const asMentor = await t.newParticipant(p.id, { participant_type: "mentor", cohort: 2023 });
    await t.newParticipant(p.id, { participant_type: "ect", cohort: 2024, participant_id: asMentor.participant_id });
    const one = await single(p.token, asMentor.participant_id, "?filter[cohort]=2023");
    expect(one.attributes.participant_type).toBe("mentor");
    expect(one.attributes.training_record_id).toBe(asMentor.training_record_id);
  });

  test("when the single GET's filters exclude the record, then 404", async () => {
    const p = await t.newProvider();
    t.clock.set(new Date("2024-10-01T10:00:00Z"));
    const q = await t.newParticipant(p.id, { cohort: 2024 });
    t.clock.reset();
    for (const query of ["?filter[cohort]=2023", "?filter[cohort]=2030", "?filter[updated_since]=2024-10-01T10:00:01Z"]) {
      const r = await t.call("GET", `${LIST}/${q.participant_id}${query}`, { token: p.token });
      expect(r.status).toBe(404);
      expect(r.body).toEqual(NOT_FOUND);
    }
    await single(p.token, q.participant_id, "?filter[cohort]=2023,2024&filter[updated_since]=2024-10-01T10:00:00Z");
  });

  test("when the single GET has a bad filter, then the same 400 as the list", async () => {
    const p = await t.newProvider();
    const q = await t.newParticipant(p.id);
    const r = await t.call("GET", `${LIST}/${q.participant_id}?filter[updated_since]=2024-10-01`, { token: p.token });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ title: "Bad request", detail: "The filter '#/updated_since' must be a valid RCF3339 date" }] });
  });

  test("when the id is written in upper case, then the single GET finds the participant, as the actions do", async () => {
    const p = await t.newProvider();
    const q = await t.newParticipant(p.id);
    const one = await single(p.token, q.participant_id.toUpperCase());
    expect(one.id).toBe(q.participant_id);
  });
});

describe("aliases without /ecf (config/routes.rb:115-119, docs/live-parity.md §1)", () => {
  test("when the list aliases are used, then they answer exactly as the /ecf routes, and the show and action paths without /ecf are 404", async () => {
    const p = await t.newProvider();
    const q = await t.newParticipant(p.id);
    expect(await list(p.token, "", "/api/v2/participants")).toEqual(await list(p.token));
    const csvAlias = await t.request("GET", "/api/v2/participants.csv", { token: p.token });
    const csv = await t.request("GET", `${LIST}.csv`, { token: p.token });
    expect(csvAlias.status).toBe(200);
    expect(csvAlias.headers.get("content-type")).toBe("text/csv");
    expect(await csvAlias.text()).toBe(await csv.text());
    // no show route without /ecf, and the actions' controller was deleted (cd1f5478e): both 404, nothing changes
    const show = await t.call("GET", `/api/v2/participants/${q.participant_id}`, { token: p.token });
    expect({ status: show.status, body: show.body }).toEqual({ status: 404, body: NOT_FOUND });
    const r = await t.call("PUT", `/api/v2/participants/${q.participant_id}/defer`, {
      token: p.token,
      body: { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } },
    });
    expect({ status: r.status, body: r.body }).toEqual({ status: 404, body: NOT_FOUND });
    expect((await single(p.token, q.participant_id)).attributes.training_status).toBe("active");
  });

  test("when an unknown path or format is asked for, then 404 Resource not Found, or 406 for another format extension", async () => {
    const p = await t.newProvider();
    const xml = await t.request("GET", `${LIST}.xml`, { token: p.token, headers: { accept: "application/json" } });
    expect(xml.status).toBe(406);
    expect(await xml.text()).toBe("");
    const unknown = await t.call("GET", "/api/v2/participants/ecf/nope/more", { token: p.token, headers: { accept: "application/json" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(NOT_FOUND);
  });

  test("when the list is asked for with a .json extension, then it is the JSON list", async () => {
    const p = await t.newProvider();
    await t.newParticipant(p.id);
    expect(await list(p.token, "", "/api/v2/participants/ecf.json")).toEqual(await list(p.token));
    expect(await list(p.token, "", "/api/v2/participants.json")).toEqual(await list(p.token));
  });
});

describe("scoping (docs/reference/business-rules.md §2.1, §2.3)", () => {
  let a: Provider;
  let b: Provider;
  let ofA: { participant_id: string; training_record_id: string };
  let ofB: { participant_id: string; training_record_id: string };

  beforeAll(async () => {
    a = await t.newProvider();
    b = await t.newProvider();
    ofA = await t.newParticipant(a.id);
    ofB = await t.newParticipant(b.id);
  });

  test("when a provider lists, then it sees only its own participants", async () => {
    expect((await list(a.token)).map((r) => r.id)).toEqual([ofA.participant_id]);
    expect((await list(b.token)).map((r) => r.id)).toEqual([ofB.participant_id]);
    expect(await (await t.request("GET", `${LIST}.csv`, { token: a.token })).text()).not.toContain(ofB.participant_id);
  });

  const invisible = () => [
    ["another provider's id", ofB.participant_id],
    ["an unknown id", "00000000-0000-4000-8000-000000000000"],
    ["a training_record_id", ofA.training_record_id],
    ["a string that is not a UUID", "not-a-uuid"],
  ];

  test("when the single GET names an id the caller cannot see, then 404 Resource not Found", async () => {
    for (const [, id] of invisible()) {
      const r = await t.call("GET", `${LIST}/${id}`, { token: a.token });
      expect(r.status).toBe(404);
      expect(r.body).toEqual(NOT_FOUND);
      expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
      const alias = await t.call("GET", `/api/v2/participants/${id}`, { token: a.token });
      expect(alias.status).toBe(404);
      expect(alias.body).toEqual(NOT_FOUND);
    }
  });

  const validBodies: Record<string, Record<string, unknown>> = {
    defer: { course_identifier: "ecf-induction", reason: "other" },
    resume: { course_identifier: "ecf-induction" },
    withdraw: { course_identifier: "ecf-induction", reason: "other" },
    "change-schedule": { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january" },
  };

  test("when an action names an id the caller cannot act on, then 422 participant_id with the live detail, and nothing changes", async () => {
    const before = await t.database.db.selectFrom("training_records").selectAll().where("id", "=", ofB.training_record_id).executeTakeFirstOrThrow();
    for (const [, id] of invisible()) {
      for (const [action, attributes] of Object.entries(validBodies)) {
        const r = await act(a.token, id!, action, attributes);
        expect(r.status).toBe(422);
        expect(r.body).toEqual({ errors: [{ title: "participant_id", detail: NOT_RECOGNISED }] });
      }
    }
    const after = await t.database.db.selectFrom("training_records").selectAll().where("id", "=", ofB.training_record_id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const history = await t.database.db.selectFrom("training_status_history").selectAll().where("training_record_id", "in", [ofA.training_record_id, ofB.training_record_id]).execute();
    expect(history).toEqual([]);
  });

  test("when a participant moves to another provider, then the former provider keeps seeing its last view, and the new one's action leaves it as it was", async () => {
    const from = await t.newProvider();
    const to = await t.newProvider();
    t.clock.set(new Date("2024-10-01T10:00:00Z"));
    const q = await t.newParticipant(from.id, { school_urn: "330001" });
    expect((await act(from.token, q.participant_id, "defer", { course_identifier: "ecf-induction", reason: "other" }, "2024-10-02T10:00:00Z")).status).toBe(200);
    t.clock.set(new Date("2024-10-03T10:00:00Z"));
    const moved = await t.admin("POST", `/admin/participants/${q.participant_id}/transfer`, {
      course_identifier: "ecf-induction",
      to_lead_provider_id: to.id,
      school_urn: "330002",
    });
    t.clock.reset();
    expect(moved.status).toBe(200);

    const former = await single(from.token, q.participant_id);
    expect(former.attributes).toMatchObject({ school_urn: "330001", training_status: "deferred", training_record_id: q.training_record_id });
    expect((await list(from.token)).map((r) => r.id)).toEqual([q.participant_id]);
    expect(await (await t.request("GET", `${LIST}.csv`, { token: from.token })).text()).toContain(q.participant_id);

    const current = await single(to.token, q.participant_id);
    expect(current.attributes).toMatchObject({ school_urn: "330002", training_status: "active", training_record_id: q.training_record_id });

    // (the former provider acting on its own view: test/participants/api-former-provider.test.ts)
    const accepted = await act(to.token, q.participant_id, "withdraw", { course_identifier: "ecf-induction", reason: "moved-school" }, "2024-10-04T10:00:00Z");
    expect(accepted.status).toBe(200);
    // the former provider's view keeps its own training status; the touch chain moves updated_at
    const after = await single(from.token, q.participant_id);
    expect(after.attributes.training_status).toBe("deferred");
    expect(after.attributes.updated_at).toBe("2024-10-04T10:00:00Z");
  });

  test("when the admin token is used on the participant endpoints, then 403 with an empty body", async () => {
    for (const path of [LIST, `${LIST}.csv`, `${LIST}/${ofA.participant_id}`]) {
      const r = await t.request("GET", path, { token: ADMIN_TOKEN });
      expect(r.status).toBe(403);
      expect(await r.text()).toBe("");
    }
  });
});
