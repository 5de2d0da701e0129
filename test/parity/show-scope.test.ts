/**
 * What each single-record endpoint searches (docs/live-parity.md §5).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../support/app";
import { appWithProvider, declareStarted, startedDeclaration } from "../support/suite";

const NOW = "2024-10-01T12:00:00Z";
const headers = { "x-with-server-date": NOW };
const NOT_FOUND = { error: "Resource not Found" };
const UPDATED_SINCE_ERROR = { errors: [{ title: "Bad request", detail: "The filter '#/updated_since' must be a valid RCF3339 date" }] };

let t: TestApp;
let p: { id: string; token: string };

beforeAll(async () => ({ t, p } = await appWithProvider()));
afterAll(() => t.close());

describe("the participant show is the list narrowed to one person (participants_query.rb:38-44)", () => {
  test("when the show's filter[cohort] or filter[updated_since] leaves the person out, then 404; inside them, the person", async () => {
    const q = await t.newParticipant(p.id, { cohort: 2023 });
    const path = `/api/v2/participants/ecf/${q.participant_id}`;
    const get = (query: string) => t.call("GET", `${path}${query}`, { token: p.token });
    expect((await get("?filter[cohort]=2023")).status).toBe(200);
    expect((await get("?filter[cohort]=2022,2023")).status).toBe(200);
    expect(await get("?filter[cohort]=2024")).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await get("?filter[updated_since]=2000-01-01T00:00:00Z")).status).toBe(200);
    expect(await get("?filter[updated_since]=2999-01-01T00:00:00Z")).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await get("?filter[updated_since]=yesterday")).toMatchObject({ status: 400, body: UPDATED_SINCE_ERROR });
  });

  test("when the person has an ECT and a mentor record, then the show gives the ECT one unless the filter leaves only the mentor", async () => {
    const ect = await t.newParticipant(p.id, { cohort: 2024 });
    await t.newParticipant(p.id, { cohort: 2023, participant_type: "mentor", participant_id: ect.participant_id });
    const path = `/api/v2/participants/ecf/${ect.participant_id}`;
    expect((await t.call("GET", path, { token: p.token })).body.data.attributes.participant_type).toBe("ect");
    expect((await t.call("GET", `${path}?filter[cohort]=2023`, { token: p.token })).body.data.attributes.participant_type).toBe("mentor");
  });
});

describe("the declaration show applies the list filters (participant_declarations_controller.rb:35-37,49-55,69-71)", () => {
  test("when the show's filter[updated_since] or filter[participant_id] leaves the declaration out, then 404; a bad value is the list's 400", async () => {
    const q = await t.newParticipant(p.id);
    const other = await t.newParticipant(p.id);
    const declared = await declareStarted(t, p.token, q.participant_id, NOW);
    const path = `/api/v2/participant-declarations/${declared.body.data.id}`;
    const get = (query: string) => t.call("GET", `${path}${query}`, { token: p.token });
    expect((await get("")).status).toBe(200);
    // updated_since as on the list (index.rb:23): the declaration's own second still counts as later
    expect((await get(`?filter[updated_since]=${encodeURIComponent(NOW)}`)).status).toBe(200);
    expect(await get("?filter[updated_since]=2024-10-01T12:00:01Z")).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await get(`?filter[participant_id]=${q.participant_id}`)).status).toBe(200);
    expect(await get(`?filter[participant_id]=${other.participant_id}`)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await get("?filter[updated_since]=soon")).toMatchObject({ status: 400, body: UPDATED_SINCE_ERROR });
    const bad = await get("?filter[participant_id]=nope");
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ title: "Bad request", detail: 'invalid input syntax for type uuid: "nope"' }] } });
    // page is not read by show
    expect((await get("?page[per_page]=0")).status).toBe(200);
  });

  test("when void is given filters, then they are not applied (it finds among the caller's own declarations, participant_declarations_controller.rb:73-75)", async () => {
    const q = await t.newParticipant(p.id);
    const declared = await declareStarted(t, p.token, q.participant_id, NOW);
    const r = await t.call("PUT", `/api/v2/participant-declarations/${declared.body.data.id}/void?filter[updated_since]=2999-01-01T00:00:00Z`, { token: p.token, headers });
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.state).toBe("voided");
  });
});

describe("which record a course resolves (participant_profile_resolver.rb:9-19)", () => {
  test("when a person has two ECT records, then POST and the actions act on the one with the smallest id (`.first` orders by primary key)", async () => {
    const a = await t.newProvider();
    const b = await t.newProvider();
    const first = await t.newParticipant(a.id, { cohort: 2024 });
    const second = await t.newParticipant(b.id, { cohort: 2024, participant_id: first.participant_id });
    const [owner, other] =
      first.training_record_id < second.training_record_id ? [{ lp: a, record: first.training_record_id }, { lp: b }] : [{ lp: b, record: second.training_record_id }, { lp: a }];
    const body = { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } };
    const refused = await t.call("PUT", `/api/v2/participants/ecf/${first.participant_id}/defer`, { token: other.lp.token, headers, body });
    expect({ status: refused.status, title: refused.body.errors?.[0]?.title }).toEqual({ status: 422, title: "participant_id" });
    const deferred = await t.call("PUT", `/api/v2/participants/ecf/${first.participant_id}/defer`, { token: owner.lp.token, headers, body });
    expect({ status: deferred.status, record: deferred.body.data?.attributes?.training_record_id }).toEqual({ status: 200, record: owner.record });
    const declaration = startedDeclaration(first.participant_id);
    const notRecognised = await t.call("POST", "/api/v2/participant-declarations", { token: other.lp.token, headers, body: { data: { attributes: declaration } } });
    expect({ status: notRecognised.status, title: notRecognised.body.errors?.[0]?.title }).toEqual({ status: 422, title: "participant_id" });
    const declared = await t.call("POST", "/api/v2/participant-declarations", { token: owner.lp.token, headers, body: { data: { attributes: declaration } } });
    expect(declared.status).toBe(200);
  });
});

describe("filter[cohort] and the latest induction record (participants_query.rb:29,50-56; fetch_latest_induction_records.rb:8-34)", () => {
  test("when a record's schedule moved across cohorts, then the old cohort's filter shows the closed induction record, withdrawn, and the unfiltered list only the new one", async () => {
    const lp = await t.newProvider();
    const q = await t.newParticipant(lp.id, { cohort: 2023, school_urn: "123456" });
    // a 2024 registration at the same school gives the provider its 2024 partnership there
    await t.newParticipant(lp.id, { cohort: 2024, school_urn: "123456" });
    const changed = await t.call("PUT", `/api/v2/participants/ecf/${q.participant_id}/change-schedule`, {
      token: lp.token,
      headers: { "x-with-server-date": "2024-10-01T12:00:00Z" },
      body: { data: { attributes: { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-september", cohort: 2024 } } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.attributes).toMatchObject({ cohort: "2024", status: "active" });
    const rows = async (query: string) =>
      (await t.call("GET", `/api/v2/participants/ecf${query}`, { token: lp.token })).body.data
        .filter((d: any) => d.attributes.training_record_id === q.training_record_id)
        .map((d: any) => `${d.attributes.cohort} ${d.attributes.status} ${d.attributes.schedule_identifier}`);
    expect(await rows("")).toEqual(["2024 active ecf-standard-september"]);
    expect(await rows("?filter[cohort]=2024")).toEqual(["2024 active ecf-standard-september"]);
    expect(await rows("?filter[cohort]=2023")).toEqual(["2023 withdrawn ecf-standard-september"]);
    expect(await rows("?filter[cohort]=2023,2024")).toEqual(["2024 active ecf-standard-september"]);
    const csv = await (await t.request("GET", "/api/v2/participants/ecf.csv?filter[cohort]=2023", { token: lp.token })).text();
    expect(csv.split("\n").filter((l) => l.includes(q.training_record_id)).map((l) => l.split(",")[6] + " " + l.split(",")[7])).toEqual(["2023 withdrawn"]);
    const one = await t.call("GET", `/api/v2/participants/ecf/${q.participant_id}?filter[cohort]=2023`, { token: lp.token });
    expect(one.body.data.attributes).toMatchObject({ cohort: "2023", status: "withdrawn" });
    // and back: the 2024 record closes in its turn
    const back = await t.call("PUT", `/api/v2/participants/ecf/${q.participant_id}/change-schedule`, {
      token: lp.token,
      headers: { "x-with-server-date": "2024-10-02T12:00:00Z" },
      body: { data: { attributes: { course_identifier: "ecf-induction", schedule_identifier: "ecf-standard-january", cohort: 2023 } } },
    });
    expect(back.status).toBe(200);
    expect(await rows("?filter[cohort]=2023")).toEqual(["2023 active ecf-standard-january"]);
    expect(await rows("?filter[cohort]=2024")).toEqual(["2024 withdrawn ecf-standard-september"]);
    expect(await rows("")).toEqual(["2023 active ecf-standard-january"]);
  });
});
