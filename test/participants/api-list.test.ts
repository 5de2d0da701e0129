import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { findSchedule } from "../../db/reference-data";
import { assertMatchesContract, checkParticipantContract } from "../contract/validate";
import { type TestApp, createTestApp } from "../support/app";

/**
 * GET /api/v2/participants/ecf and /ecf.csv: filters (docs/reference/business-rules.md §4.3),
 * order and pages (§4.4), the CSV (§4.5) and the query-string errors (§3.3).
 */

const LIST = "/api/v2/participants/ecf";
const CSV = "/api/v2/participants/ecf.csv";
const CSV_HEADER =
  "id,email,full_name,mentor_id,school_urn,participant_type,cohort,status,teacher_reference_number,teacher_reference_number_validated,eligible_for_funding,pupil_premium_uplift,sparsity_uplift,training_status,training_record_id,schedule_identifier,updated_at";
const BAD_UPDATED_SINCE = { errors: [{ title: "Bad request", detail: "The filter '#/updated_since' must be a valid RCF3339 date" }] };
const BAD_PAGE = {
  errors: [
    {
      title: "Bad request",
      detail: "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid number (equal and more than 1)",
    },
  ],
};
const FILTER_NOT_HASH = { errors: [{ title: "Bad parameter", detail: "Filter must be a hash" }] };

type Provider = { id: string; token: string };
type Created = { participant_id: string; training_record_id: string };
let t: TestApp;


beforeAll(async () => {
  t = checkParticipantContract(await createTestApp());
});
afterAll(() => t.close());

/** The whole 200 body of a JSON list, checked against the contract. */
async function listBody(token: string, query = "") {
  const r = await t.call("GET", `${LIST}${query}`, { token });
  if (r.status !== 200) throw new Error(`${query}: ${r.status} ${JSON.stringify(r.body)}`);
  expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
  assertMatchesContract("MultipleECFParticipantsResponse", r.body);
  return r.body;
}

/** Training record ids of a JSON list, in order. */
async function records(token: string, query = "") {
  return ((await listBody(token, query)).data as any[]).map((r) => r.attributes.training_record_id as string);
}

async function csvText(token: string, query = "") {
  const r = await t.request("GET", `${CSV}${query}`, { token });
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/csv");
  return r.text();
}

/** Training record ids of a CSV answer, in order (column 15). */
async function csvRecords(token: string, query = "") {
  const text = await csvText(token, query);
  if (text === "") return [];
  const lines = text.split("\n");
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.at(-1)).toBe(""); // every row ends with \n
  return lines.slice(1, -1).map((line) => line.split(",")[14]!);
}

async function expect400(token: string, path: string, body: unknown) {
  const r = await t.call("GET", path, { token });
  expect(r.status).toBe(400);
  expect(r.body).toEqual(body);
  expect(r.response.headers.get("content-type")).toBe("application/vnd.api+json");
}

async function createAt(providerId: string, at: string, fields: Record<string, unknown> = {}): Promise<Created> {
  t.clock.set(new Date(at));
  try {
    return await t.newParticipant(providerId, fields);
  } finally {
    t.clock.reset();
  }
}

/**
 * `count` more ECTs for a provider straight into the tables (one transaction),
 * created one second apart from `from`; the school must already exist.
 */
async function bulkInsert(providerId: string, schoolUrn: string, count: number, from: string) {
  const schedule = findSchedule("ecf-standard-september", 2024)!;
  const base = new Date(from).getTime();
  await t.database.db.transaction().execute(async (trx) => {
    for (let offset = 0; offset < count; offset += 500) {
      const people = [];
      const regs = [];
      for (let i = offset; i < Math.min(count, offset + 500); i++) {
        const id = crypto.randomUUID();
        const stamp = new Date(base + i * 1000).toISOString().slice(0, 19) + "Z";
        people.push({ id, full_name: `Bulk ${i}`, email: `bulk.${i}.${id.slice(0, 8)}@example.com`, teacher_reference_number: null, teacher_reference_number_validated: 0 as const, created_at: stamp, updated_at: stamp });
        regs.push({
          id: crypto.randomUUID(),
          participant_id: id,
          participant_type: "ect" as const,
          lead_provider_id: providerId,
          school_urn: schoolUrn,
          cohort: 2024,
          schedule_id: schedule.id,
          induction_status: "active" as const,
          training_status: "active" as const,
          eligible_for_funding: 1 as const,
          pupil_premium_uplift: 0 as const,
          sparsity_uplift: 0 as const,
          mentor_id: null,
          created_at: stamp,
          updated_at: stamp,
        });
      }
      await trx.insertInto("participants").values(people).execute();
      await trx.insertInto("training_records").values(regs).execute();
    }
  });
}

describe("filters (docs/reference/business-rules.md §4.3)", () => {
  let p: Provider;
  let a: Created, b: Created, c: Created, d: Created;

  beforeAll(async () => {
    p = await t.newProvider();
    a = await createAt(p.id, "2024-10-01T10:00:00Z", { cohort: 2022 });
    b = await createAt(p.id, "2024-10-01T11:00:00Z", { cohort: 2023 });
    c = await createAt(p.id, "2024-10-01T12:00:00Z", { cohort: 2024 });
    d = await createAt(p.id, "2024-10-01T13:00:00Z", { cohort: 2024 });
  });

  test("when filter[cohort] is a comma list, then only those cohorts are listed, in the JSON and the CSV", async () => {
    expect(await records(p.token)).toEqual([a, b, c, d].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[cohort]=2022")).toEqual([a.training_record_id]);
    expect(await records(p.token, "?filter[cohort]=2023,2024")).toEqual([b, c, d].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[cohort]=2024,2022")).toEqual([a, c, d].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[cohort]=2023%2C2024")).toEqual([b, c, d].map((x) => x.training_record_id));
    expect(await csvRecords(p.token, "?filter[cohort]=2023,2024")).toEqual([b, c, d].map((x) => x.training_record_id));
  });

  test("when filter[cohort] names no known cohort or is not numeric, then an empty list, not an error", async () => {
    for (const value of ["2030", "2020", "abc", "-1", "2021x"]) {
      expect(await listBody(p.token, `?filter[cohort]=${value}`)).toEqual({ data: [] });
      expect(await csvText(p.token, `?filter[cohort]=${value}`)).toBe("");
    }
  });

  test("when filter[cohort] is blank or other filter keys are sent, then they are ignored", async () => {
    const all = await records(p.token);
    expect(await records(p.token, "?filter[cohort]=")).toEqual(all);
    expect(await records(p.token, "?filter[foo]=bar&filter[participant_id]=nope")).toEqual(all);
    expect(await records(p.token, "?filter[updated_since]=")).toEqual(all);
    expect(await records(p.token, "?unknown=1")).toEqual(all);
  });

  test("when filter[updated_since] equals a row's update time, then that row is included (inclusive)", async () => {
    expect(await records(p.token, "?filter[updated_since]=2024-10-01T11:00:00Z")).toEqual([b, c, d].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[updated_since]=2024-10-01T11:00:01Z")).toEqual([c, d].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[updated_since]=2024-10-01T13:00:00Z")).toEqual([d.training_record_id]);
    expect(await listBody(p.token, "?filter[updated_since]=2024-10-01T13:00:01Z")).toEqual({ data: [] });
    expect(await csvRecords(p.token, "?filter[updated_since]=2024-10-01T11:00:00Z")).toEqual([b, c, d].map((x) => x.training_record_id));
  });

  test("when filter[updated_since] carries an encoded offset, then it is honoured: %2B, fully encoded, double encoded, no zone", async () => {
    const expected = [b, c, d].map((x) => x.training_record_id);
    for (const value of [
      "2024-10-01T12:00:00%2B01:00",
      "2024-10-01T12%3A00%3A00%2B01%3A00",
      "2024-10-01T12%253A00%253A00%252B01%253A00",
      "2024-10-01T12:00:00%2B0100",
      "2024-10-01T12:00:00%2B01",
      "2024-10-01T07:00:00-04:00",
      "2024-10-01T11:00:00",
      "2024-10-01t11:00:00z",
      "2024-10-01T11:00:00.000Z",
    ]) {
      expect(await records(p.token, `?filter[updated_since]=${value}`)).toEqual(expected);
    }
  });

  test("when filter[updated_since] is a date alone, has a literal + or is not a date, then 400 with the live body", async () => {
    for (const value of ["2024-10-01", "2024-10-01T12:00:00+01:00", "2024-10-01 11:00:00Z", "yesterday", "2024-13-01T00:00:00Z", "%"]) {
      await expect400(p.token, `${LIST}?filter[updated_since]=${value}`, BAD_UPDATED_SINCE);
      await expect400(p.token, `${CSV}?filter[updated_since]=${value}`, BAD_UPDATED_SINCE);
    }
  });

  test("when filter is not a hash, then 400 Bad parameter / Filter must be a hash, on the JSON and the CSV", async () => {
    for (const path of [`${LIST}?filter=2021`, `${CSV}?filter=2021`, `${LIST}?filter[]=2021`]) {
      await expect400(p.token, path, FILTER_NOT_HASH);
    }
  });
});

describe("order (docs/reference/business-rules.md §4.4)", () => {
  test("when no updated_since is given, then rows are in the person's creation order, not the insertion order", async () => {
    const p = await t.newProvider();
    const second = await createAt(p.id, "2024-10-01T10:00:00Z");
    const third = await createAt(p.id, "2024-10-01T11:00:00Z");
    const first = await createAt(p.id, "2024-09-01T10:00:00Z");
    const expected = [first, second, third].map((x) => x.training_record_id);
    expect(await records(p.token)).toEqual(expected);
    expect(await csvRecords(p.token)).toEqual(expected);
  });

  test("when an older participant is updated by an action, then it stays in place by creation, and moves last by update with updated_since", async () => {
    const p = await t.newProvider();
    const older = await createAt(p.id, "2024-10-01T10:00:00Z");
    const middle = await createAt(p.id, "2024-10-01T11:00:00Z");
    const r = await t.call("PUT", `${LIST}/${older.participant_id}/defer`, {
      token: p.token,
      body: { data: { attributes: { course_identifier: "ecf-induction", reason: "other" } } },
      headers: { "x-with-server-date": "2024-10-01T13:00:00Z" },
    });
    expect(r.status).toBe(200);
    const newer = await createAt(p.id, "2024-10-01T12:00:00Z");
    expect(await records(p.token)).toEqual([older, middle, newer].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[updated_since]=2024-01-01T00:00:00Z")).toEqual([middle, newer, older].map((x) => x.training_record_id));
    expect(await csvRecords(p.token, "?filter[updated_since]=2024-01-01T00:00:00Z")).toEqual([middle, newer, older].map((x) => x.training_record_id));
    expect(await records(p.token, "?filter[updated_since]=2024-10-01T12:30:00Z")).toEqual([older.training_record_id]);
  });

  test("when a person has two training records, then they sit together at the person's creation time", async () => {
    const p = await t.newProvider();
    const x = await createAt(p.id, "2024-10-01T10:00:00Z", { participant_type: "mentor" });
    const y = await createAt(p.id, "2024-10-01T11:00:00Z");
    const xAgain = await createAt(p.id, "2024-10-01T12:00:00Z", { participant_type: "ect", participant_id: x.participant_id });
    const rows = (await listBody(p.token)).data as any[];
    expect(rows.map((r) => r.id)).toEqual([x.participant_id, x.participant_id, y.participant_id]);
    expect(rows.slice(0, 2).map((r) => r.attributes.training_record_id).sort()).toEqual([x.training_record_id, xAgain.training_record_id].sort());
  });
});

describe("pages (docs/reference/business-rules.md §4.4)", () => {
  let p: Provider;
  let all: string[];

  beforeAll(async () => {
    p = await t.newProvider();
    for (let i = 0; i < 120; i++) {
      await createAt(p.id, new Date(Date.UTC(2024, 9, 1, 10, 0, i)).toISOString());
    }
    all = await records(p.token, "?page[per_page]=3000");
  });

  test("when no page is given, then 100 rows, and the next pages hold the rest, then {\"data\":[]}", async () => {
    expect(all).toHaveLength(120);
    expect(await records(p.token)).toEqual(all.slice(0, 100));
    expect(await records(p.token, "?page[page]=1")).toEqual(all.slice(0, 100));
    expect(await records(p.token, "?page[page]=2")).toEqual(all.slice(100));
    const past = await t.call("GET", `${LIST}?page[page]=3`, { token: p.token });
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ data: [] });
    expect(await listBody(p.token, "?page[page]=999999999999")).toEqual({ data: [] });
  });

  test("when pages of 7 are walked, then together they are the whole list, with no duplicates", async () => {
    const walked: string[] = [];
    for (let page = 1; ; page++) {
      const chunk = await records(p.token, `?page[per_page]=7&page[page]=${page}`);
      walked.push(...chunk);
      if (chunk.length < 7) break;
    }
    expect(walked).toEqual(all);
  });

  test("when a page answers, then the body has data only: no links, meta or included", async () => {
    const body = await listBody(p.token, "?page[per_page]=5&page[page]=2");
    expect(Object.keys(body)).toEqual(["data"]);
    const text = await (await t.request("GET", `${LIST}?page[per_page]=1`, { token: p.token })).text();
    expect(text).not.toContain("links");
    expect(text).not.toContain("meta");
  });

  test("when page values have trailing junk or a fraction, then the leading digits are used", async () => {
    expect(await records(p.token, "?page[per_page]=2abc")).toEqual(all.slice(0, 2));
    expect(await records(p.token, "?page[per_page]=1.9")).toEqual(all.slice(0, 1));
    expect(await records(p.token, "?page[per_page]=5&page[page]=2abc")).toEqual(all.slice(5, 10));
    expect(await records(p.token, "?page[per_page]=%205")).toEqual(all.slice(0, 5));
  });

  test("when a page value is below 1 or not a number, then 400 with the live pagination body", async () => {
    for (const value of ["0", "-1", "abc", "", "-0", "x1"]) {
      await expect400(p.token, `${LIST}?page[per_page]=${value}`, BAD_PAGE);
      await expect400(p.token, `${LIST}?page[page]=${value}`, BAD_PAGE);
    }
  });

  test("when page is a scalar, then a 400 in the errors shape, never a 500", async () => {
    for (const query of ["?page=2", "?page=", "?page[]=1"]) {
      const r = await t.call("GET", `${LIST}${query}`, { token: p.token });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ errors: [{ title: "Bad parameter", detail: "Page must be a hash" }] });
    }
  });

  test("when the CSV is asked for with page parameters, then they are ignored and every row comes back", async () => {
    const csvAll = await csvRecords(p.token);
    expect(csvAll).toEqual(all);
    for (const query of ["?page[per_page]=1", "?page[per_page]=5&page[page]=3", "?page[per_page]=0", "?page[page]=abc", "?page=2"]) {
      expect(await csvRecords(p.token, query)).toEqual(all);
    }
  });
});

describe("page size cap (docs/reference/business-rules.md §4.4)", () => {
  test("when per_page is 5000 and the provider has 3005 rows, then 3000 rows, then 5 on page 2; the CSV has all 3005 in the same order", async () => {
    const p = await t.newProvider();
    await createAt(p.id, "2023-01-01T00:00:00Z", { school_urn: "340001" });
    await bulkInsert(p.id, "340001", 3004, "2024-01-01T00:00:00Z");
    const page1 = await records(p.token, "?page[per_page]=5000");
    expect(page1).toHaveLength(3000);
    expect(await records(p.token, "?page[per_page]=3000")).toEqual(page1);
    const page2 = await records(p.token, "?page[per_page]=5000&page[page]=2");
    expect(page2).toHaveLength(5);
    const csv = await csvRecords(p.token);
    expect(csv).toEqual([...page1, ...page2]);
    expect(new Set(csv).size).toBe(3005);
  });

  test("when the CSV has exactly one streaming batch of rows (2000), then each row comes once", async () => {
    const p = await t.newProvider();
    await createAt(p.id, "2023-01-01T00:00:00Z", { school_urn: "340002" });
    await bulkInsert(p.id, "340002", 1999, "2024-01-01T00:00:00Z");
    const csv = await csvRecords(p.token);
    expect(csv).toHaveLength(2000);
    expect(new Set(csv).size).toBe(2000);
    expect(csv).toEqual([...(await records(p.token, "?page[per_page]=3000"))]);
  });

  test("when the demo data is listed with per_page 5000, then every visible row comes back on one page, as in the CSV", async () => {
    const demo = checkParticipantContract(await createTestApp({ seed: "demo" }));
    try {
      const providers = (await demo.admin("GET", "/admin/lead-providers")).body as any[];
      expect(providers).toHaveLength(6);
      for (const provider of providers.slice(0, 2)) {
        const token = provider.api_tokens[0];
        const r = await demo.call("GET", `${LIST}?page[per_page]=5000`, { token });
        expect(r.status).toBe(200);
        assertMatchesContract("MultipleECFParticipantsResponse", r.body);
        const stored = await demo.database.db
          .selectFrom("training_records")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("lead_provider_id", "=", provider.id)
          .executeTakeFirstOrThrow();
        expect(r.body.data.length).toBe(Number(stored.n));
        expect(r.body.data.length).toBeGreaterThan(100);
        const csv = await demo.request("GET", CSV, { token });
        const lines = (await csv.text()).split("\n");
        expect(lines.slice(1, -1).map((l) => l.split(",")[14])).toEqual(r.body.data.map((x: any) => x.attributes.training_record_id));
        const firstPage = await demo.call("GET", LIST, { token });
        expect(firstPage.body.data).toHaveLength(100);
      }
    } finally {
      await demo.close();
    }
  });
});

describe("CSV cells (docs/reference/business-rules.md §4.5)", () => {
  test("when a provider has no rows, then the CSV is a zero-length body with text/csv", async () => {
    const p = await t.newProvider();
    const r = await t.request("GET", CSV, { token: p.token });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv");
    expect(await r.text()).toBe("");
    const json = await t.call("GET", LIST, { token: p.token });
    expect(json.body).toEqual({ data: [] });
  });

  test("when rows are written, then the header is exact, nulls are \"\", booleans are true/false, and cells match the JSON", async () => {
    const p = await t.newProvider();
    const mentor = await createAt(p.id, "2024-10-01T10:00:00Z", {
      participant_type: "mentor",
      cohort: 2021,
      full_name: "Martin Jones",
      email: "martin@example.com",
      teacher_reference_number: null,
      eligible_for_funding: null,
      school_urn: "350001",
    });
    const ect = await createAt(p.id, "2024-10-01T11:00:00Z", {
      participant_type: "ect",
      cohort: 2021,
      full_name: 'Jo "JJ" Smith, Jr',
      email: "jo@example.com",
      teacher_reference_number: "1234567",
      teacher_reference_number_validated: false,
      eligible_for_funding: false,
      pupil_premium_uplift: true,
      school_urn: "350001",
      mentor_id: mentor.participant_id,
    });
    const text = await csvText(p.token);
    expect(text.split("\n")).toEqual([
      CSV_HEADER,
      `${mentor.participant_id},martin@example.com,Martin Jones,"",350001,mentor,2021,active,"","","",false,false,active,${mentor.training_record_id},ecf-standard-september,2024-10-01T10:00:00Z`,
      `${ect.participant_id},jo@example.com,"Jo ""JJ"" Smith, Jr",${mentor.participant_id},350001,ect,2021,active,1234567,false,false,true,false,active,${ect.training_record_id},ecf-standard-september,2024-10-01T11:00:00Z`,
      "",
    ]);
    expect(text).not.toContain("\r");
  });

  test("when the CSV and the JSON list are compared, then each CSV row is the JSON row's id and attributes, as text", async () => {
    const demo = checkParticipantContract(await createTestApp({ seed: "demo" }));
    try {
      const token = ((await demo.admin("GET", "/admin/lead-providers")).body as any[])[2].api_tokens[0];
      const json = (await demo.call("GET", `${LIST}?page[per_page]=3000`, { token })).body.data as any[];
      const lines = (await (await demo.request("GET", CSV, { token })).text()).split("\n").slice(1, -1);
      expect(lines).toHaveLength(json.length);
      const cell = (v: unknown) => (v === null ? '""' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
      lines.forEach((line, i) => {
        const row = json[i];
        expect(line).toBe([row.id, ...Object.values(row.attributes)].map(cell).join(","));
      });
      // the demo data has nulls, false and withdrawn/deferred rows: all appear
      expect(text(lines)).toContain('""');
      expect(text(lines)).toContain(",false,");
      expect(text(lines)).toContain(",withdrawn,");
      expect(text(lines)).toContain(",deferred,");
    } finally {
      await demo.close();
    }
    function text(lines: string[]) {
      return lines.join("\n");
    }
  });
});
