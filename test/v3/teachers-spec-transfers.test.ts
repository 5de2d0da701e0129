/**
 * Transfers example by example (docs/reference/rect/rules.md §8), through GET /api/v3/participants/transfers
 * and /participants/{id}/transfers: RECT's query spec (its world of db/seeds/support/school_transfer_helpers.rb),
 * History and Transfer specs, each world built with the scenario document with fresh providers.
 * Lines are at 0fe31d1aa.
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
const day = (n: number) => addDays(TODAY, n);
const ids = (body: any) => body.data.map((r: any) => r.id);
let urn = 520000;

/** A world: the providers `lps` (all 2025), schools s1 and s2 partnered with every one, and `teachers`. */
async function world(lps: string[], teachers: Record<string, unknown>[]): Promise<Refs> {
  const schools = ["s1", "s2"].map((ref) => ({ ref, urn: String(++urn), name: `School ${urn}` }));
  return v3Scenario(t, {
    lead_providers: lps.map((ref) => lp(ref, [2025])),
    delivery_partners: [{ ref: "dp", name: `DP ${urn}`, partnered_with: lps.map((lead_provider) => ({ lead_provider, cohorts: [2025] })) }],
    schools,
    partnerships: schools.flatMap((s) => lps.map((l) => ({ ref: `${s.ref}${l}`, school: s.ref, lead_provider: l, delivery_partner: "dp", cohort: 2025 }))),
    teachers,
  });
}
/** a provider-led training period with `lead` at `school` */
const pl = (school: string, lead: string, started_on: string, finished_on?: string, extra: Record<string, unknown> = {}) => ({ partnership: `${school}${lead}`, started_on, ...(finished_on ? { finished_on } : {}), ...extra });
const sl = (started_on: string, finished_on?: string) => ({ programme: "school_led", started_on, ...(finished_on ? { finished_on } : {}) });

const get = (r: Refs, path: string, lead: string, headers: Record<string, string> = {}) => v3Get(t, path, r[lead]!.api_token, headers);
const list = async (r: Refs, lead: string, query = "") => {
  const res = await get(r, `/api/v3/participants/transfers${query}`, lead);
  expect(res.status).toBe(200);
  return ids(res.body);
};
const show = (r: Refs, teacher: string, lead: string) => get(r, `/api/v3/participants/${r[teacher]!.id}/transfers`, lead);

/**
 * spec/services/api/teachers/school_transfers/query_spec.rb:56-66: teacher1 and teacher5 a new-school
 * transfer with provider a (build_new_school_transfer), teacher2 an ignored one (school-led, then a),
 * teacher3 a mentor new-provider transfer from a to o, teacher4 an unknown transfer for o at a finished
 * school period. `dates` sets the transfer timestamps of each school period's earliest (`j`) and latest
 * (`l`) training period as query_spec.rb:108-120 does.
 */
function queryWorld(dates: Record<string, { j: string; l: string }> = {}, interim = false) {
  const at = (teacher: string, which: "j" | "l") => (dates[teacher] ? { updated_at: dates[teacher]![which] } : {});
  const single = (teacher: string) => (dates[teacher] ? { updated_at: dates[teacher]!.l } : {});
  const newSchool = (ref: string, created_at: string) => ({
    ref,
    created_at,
    ect_periods: [
      { school: "s1", started_on: "today-365d", finished_on: "today-180d", training: [pl("s1", "a", "today-365d", "today-180d", single(ref))] },
      {
        school: "s2",
        started_on: "today-179d",
        training: [
          pl("s2", "a", "today-178d", "today-90d", at(ref, "j")),
          ...(interim && ref === "teacher1" ? [pl("s2", "a", "today-89d", "today-60d", { updated_at: "now-10d" })] : []),
          pl("s2", "l", interim && ref === "teacher1" ? "today-59d" : "today-89d", undefined, at(ref, "l")),
        ],
      },
    ],
  });
  return world(
    ["a", "o", "l", "x", "n"],
    [
      newSchool("teacher1", "2025-01-01T00:00:00Z"),
      {
        ref: "teacher2",
        created_at: "2025-01-02T00:00:00Z",
        ect_periods: [
          { school: "s1", started_on: "today-365d", finished_on: "today-180d", training: [sl("today-365d", "today-180d")] },
          { school: "s2", started_on: "today-179d", training: [sl("today-178d", "today-7d"), pl("s2", "a", "today-6d")] },
        ],
      },
      {
        ref: "teacher3",
        created_at: "2025-01-03T00:00:00Z",
        mentor_periods: [
          { school: "s1", started_on: "today-365d", finished_on: "today-182d", training: [pl("s1", "a", "today-365d", "today-182d", single("teacher3"))] },
          { school: "s2", started_on: "today-181d", training: [pl("s2", "o", "today-180d", "today-90d", at("teacher3", "j")), pl("s2", "l", "today-89d", undefined, at("teacher3", "l"))] },
        ],
      },
      {
        ref: "teacher4",
        created_at: "2025-01-04T00:00:00Z",
        ect_periods: [{ school: "s1", started_on: "today-365d", finished_on: "today-7d", training: [pl("s1", "x", "today-365d", "today-270d"), pl("s1", "x", "today-268d", "today-90d"), pl("s1", "o", "today-88d", "today-7d")] }],
      },
      newSchool("teacher5", "2025-01-05T00:00:00Z"),
    ],
  );
}

describe("API::Teachers::SchoolTransfers::Query (spec/services/api/teachers/school_transfers/query_spec.rb)", () => {
  let r: Refs;
  const id = (ref: string) => r[ref]!.id;
  beforeAll(async () => {
    r = await queryWorld();
  });
  test("L75 the provider's participants with transfers (new school, and leaving a mentor's new provider); the ignored school-led one and another provider's unknown one are not", async () => {
    expect(await list(r, "a")).toEqual([id("teacher1"), id("teacher3"), id("teacher5")]);
  });
  test("L81 the other provider: the mentor joining it, and its own unknown transfer", async () => {
    expect(await list(r, "o")).toEqual([id("teacher3"), id("teacher4")]);
  });
  test('L87 a provider with no participants with transfers: exactly {"data":[]}', async () => {
    const res = await get(r, "/api/v3/participants/transfers", "n");
    expect(res.text).toBe('{"data":[]}');
  });
  test("L202 a blank updated_since is not applied", async () => {
    expect(await list(r, "a", "?filter[updated_since]=")).toEqual([id("teacher1"), id("teacher3"), id("teacher5")]);
  });
  test("L213 default order: teachers.created_at ascending; L221 sort=-created_at: descending", async () => {
    expect(await list(r, "a")).toEqual([id("teacher1"), id("teacher3"), id("teacher5")]);
    expect(await list(r, "a", "?sort=-created_at")).toEqual([id("teacher5"), id("teacher3"), id("teacher1")]);
  });
  test("L243 #school_transfers_by_api_id: in the query → the participant's transfers; L249 a teacher not in it (the ignored one) → 404; L258 an unknown id → 404", async () => {
    const ok = await show(r, "teacher1", "a");
    expect(ok.status).toBe(200);
    expect(ok.body.data.id).toBe(id("teacher1"));
    expect((await show(r, "teacher2", "a")).status).toBe(404);
    expect((await show(r, "teacher4", "a")).status).toBe(404);
    expect((await get(r, "/api/v3/participants/NONEXISTENT/transfers", "a")).status).toBe(404);
    expect((await get(r, `/api/v3/participants/${crypto.randomUUID()}/transfers`, "a")).status).toBe(404);
  });

  const since = (n: number) => encodeURIComponent(new Date(Date.now() - n * 86_400_000).toISOString());
  const Y = "now-365d";
  test("L132 updated_since: the joining ECT training period updated after it", async () => {
    const w = await queryWorld({ teacher1: { j: "now-10d", l: Y }, teacher3: { j: Y, l: Y }, teacher5: { j: Y, l: Y } });
    expect(await list(w, "a", `?filter[updated_since]=${since(11)}`)).toEqual([w.teacher1!.id]);
  });
  test("L145 updated_since: the leaving ECT training periods updated after it", async () => {
    const w = await queryWorld({ teacher1: { j: Y, l: "now-11d" }, teacher3: { j: Y, l: Y }, teacher5: { j: Y, l: "now-12d" } });
    expect(await list(w, "a", `?filter[updated_since]=${since(13)}`)).toEqual([w.teacher1!.id, w.teacher5!.id]);
  });
  test("L158 updated_since: only the other provider's (joining) mentor training period updated after it: nothing for a", async () => {
    const w = await queryWorld({ teacher1: { j: Y, l: Y }, teacher3: { j: "now-1d", l: Y }, teacher5: { j: Y, l: Y } });
    expect(await list(w, "a", `?filter[updated_since]=${since(2)}`)).toEqual([]);
  });
  test("L171 updated_since: the leaving mentor training period updated after it", async () => {
    const w = await queryWorld({ teacher1: { j: Y, l: Y }, teacher3: { j: Y, l: "now-21d" }, teacher5: { j: Y, l: Y } });
    expect(await list(w, "a", `?filter[updated_since]=${since(22)}`)).toEqual([w.teacher3!.id]);
  });
  test("L196 an interim training period (neither the first nor the last of its school period) updated after it does not count", async () => {
    const w = await queryWorld({ teacher1: { j: Y, l: Y } }, true);
    const found = await list(w, "a", `?filter[updated_since]=${since(11)}`);
    expect(found).not.toContain(w.teacher1!.id);
    expect(found).toEqual([w.teacher3!.id, w.teacher5!.id]);
  });
});

describe("API::Teachers::SchoolTransfers::History (spec/services/api/teachers/school_transfers/history_spec.rb)", () => {
  test("L16 one ongoing school period: no transfers (404); L30 a teacher with no training periods: none (404)", async () => {
    const w = await world(["h1"], [
      { ref: "t", ect_periods: [{ school: "s1", started_on: "today-700d", training: [pl("s1", "h1", "today-700d")] }] },
      { ref: "bare", ect_periods: [{ school: "s1", started_on: "today-700d", training: [] }] },
    ]);
    expect((await show(w, "t", "h1")).status).toBe(404);
    expect((await show(w, "bare", "h1")).status).toBe(404);
    expect(await list(w, "h1")).toEqual([]);
  });
  test("L52 leaves school-led training (after two provider-led periods) with no next school: no transfers for the first provider", async () => {
    const w = await world(["h1"], [{ ref: "t", ect_periods: [{ school: "s1", started_on: "today-700d", finished_on: "today-7d", training: [pl("s1", "h1", "today-700d", "today-400d"), pl("s1", "h1", "today-399d", "today-200d"), sl("today-199d", "today-7d")] }] }]);
    expect((await show(w, "t", "h1")).status).toBe(404);
  });
  test("L75 leaves provider-led training without completing: none for provider #1; L85 an unknown, complete ECT transfer for provider #2 (its last period)", async () => {
    const w = await world(["h1", "h2"], [{ ref: "t", ect_periods: [{ school: "s1", started_on: "today-700d", finished_on: "today-7d", training: [pl("s1", "h1", "today-700d", "today-400d"), pl("s1", "h1", "today-399d", "today-200d"), pl("s1", "h2", "today-199d", "today-7d")] }] }]);
    expect((await show(w, "t", "h1")).status).toBe(404);
    const r = await show(w, "t", "h2");
    expect(r.status).toBe(200);
    const [x] = r.body.data.attributes.transfers;
    expect(x).toMatchObject({ training_record_id: w.t!.ect_training_record_id, transfer_type: "unknown", status: "complete", joining: null });
    expect(x.leaving).toMatchObject({ school_urn: String(urn - 1), date: day(-7) });
  });
  test("L127 the same, having completed induction: no transfers for provider #2", async () => {
    const w = await world(["h1", "h2"], [
      {
        ref: "t",
        induction_periods: [{ started_on: "today-700d", finished_on: "today-7d", outcome: "pass" }],
        ect_periods: [{ school: "s1", started_on: "today-700d", finished_on: "today-7d", training: [pl("s1", "h1", "today-700d", "today-400d"), pl("s1", "h1", "today-399d", "today-200d"), pl("s1", "h2", "today-199d", "today-7d")] }],
      },
    ]);
    expect((await show(w, "t", "h2")).status).toBe(404);
    expect((await show(w, "t", "h1")).status).toBe(404);
  });
  test("L170 joins another school with the same provider, later changing provider: no transfers for provider #2", async () => {
    const w = await world(["h1", "h2"], [
      {
        ref: "t",
        ect_periods: [
          { school: "s1", started_on: "today-700d", finished_on: "today-365d", training: [pl("s1", "h1", "today-700d", "today-365d")] },
          { school: "s2", started_on: "today-364d", training: [pl("s2", "h1", "today-363d", "today-200d"), pl("s2", "h2", "today-199d")] },
        ],
      },
    ]);
    expect((await show(w, "t", "h1")).body.data.attributes.transfers.map((x: any) => x.transfer_type)).toEqual(["new_school"]);
    expect((await show(w, "t", "h2")).status).toBe(404);
  });
  test("L284 leaves school-led training, joins provider-led at another school: a new_provider, complete transfer for that provider (leaving provider null)", async () => {
    const w = await world(["h1"], [
      {
        ref: "t",
        ect_periods: [
          { school: "s1", started_on: "today-700d", finished_on: "today-365d", training: [sl("today-700d", "today-365d")] },
          { school: "s2", started_on: "today-364d", training: [pl("s2", "h1", "today-364d")] },
        ],
      },
    ]);
    const r = await show(w, "t", "h1");
    expect(r.status).toBe(200);
    const [x] = r.body.data.attributes.transfers;
    expect([x.transfer_type, x.status, x.leaving.provider, x.leaving.date, x.joining.date]).toEqual(["new_provider", "complete", null, day(-365), day(-364)]);
  });
  test("L315 leaves school-led training, joins school-led at another school (then provider-led): no transfers", async () => {
    const w = await world(["h1"], [
      {
        ref: "t",
        ect_periods: [
          { school: "s1", started_on: "today-700d", finished_on: "today-365d", training: [sl("today-700d", "today-365d")] },
          { school: "s2", started_on: "today-364d", training: [sl("today-364d", "today-200d"), pl("s2", "h1", "today-199d")] },
        ],
      },
    ]);
    expect((await show(w, "t", "h1")).status).toBe(404);
    expect(await list(w, "h1")).toEqual([]);
  });
});

describe("API::Teachers::SchoolTransfers::Transfer (spec/services/api/teachers/school_transfers/transfer_spec.rb; transfer.rb:22-44)", () => {
  let w: Refs;
  beforeAll(async () => {
    w = await world(
      ["p", "q"],
      [
        {
          // leaving updated more recently than joining
          ref: "leavingLater",
          ect_periods: [
            { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [pl("s1", "p", "today-300d", "today-100d", { created_at: "2025-02-01T00:00:00Z", updated_at: "now-1d" })] },
            { school: "s2", started_on: "today-99d", training: [pl("s2", "p", "today-99d", undefined, { updated_at: "now-2d" })] },
          ],
        },
        {
          // joining updated more recently, with another provider
          ref: "joiningLater",
          mentor_periods: [
            { school: "s1", started_on: "today-300d", finished_on: "today-100d", training: [pl("s1", "p", "today-300d", "today-100d", { updated_at: "now-5d" })] },
            { school: "s2", started_on: "today-99d", training: [pl("s2", "q", "today-99d", undefined, { updated_at: "now-2d" })] },
          ],
        },
        { ref: "leavingOnly", ect_periods: [{ school: "s1", started_on: "today-300d", finished_on: "today-1d", training: [pl("s1", "p", "today-300d", "today-1d", { updated_at: "now-3d" })] }] },
        {
          ref: "leavesLater",
          ect_periods: [
            { school: "s1", started_on: "today-300d", finished_on: "today+1d", training: [pl("s1", "p", "today-300d", "today+1d")] },
            { school: "s2", started_on: "today+2d", training: [pl("s2", "p", "today+2d")] },
          ],
        },
        {
          ref: "joinsLater",
          ect_periods: [
            { school: "s1", started_on: "today-300d", finished_on: "today-3d", training: [pl("s1", "p", "today-300d", "today-3d")] },
            { school: "s2", started_on: "today-2d", training: [pl("s2", "p", "today+1d")] },
          ],
        },
        {
          ref: "complete",
          ect_periods: [
            { school: "s1", started_on: "today-300d", finished_on: "today-1d", training: [pl("s1", "p", "today-300d", "today-1d")] },
            { school: "s2", started_on: "today", training: [pl("s2", "p", "today")] },
          ],
        },
      ],
    );
  });
  const one = async (teacher: string, lead = "p") => {
    const r = await show(w, teacher, lead);
    expect(r.status).toBe(200);
    return { updated_at: r.body.data.attributes.updated_at, ...r.body.data.attributes.transfers[0] };
  };
  const stamp = (days: number) => (w: string) => Math.abs(Date.parse(w) - (Date.now() - days * 86_400_000)) < 120_000;

  test("L16 for_ect? and L17 for_mentor? of the leaving training period choose the training record id (school_transfer_serializer.rb:38-44)", async () => {
    expect((await one("leavingLater")).training_record_id).toBe(w.leavingLater!.ect_training_record_id);
    expect((await one("joiningLater")).training_record_id).toBe(w.joiningLater!.mentor_training_record_id);
  });
  test("L22 leaving_training_period, L28 joining_training_period, L34 leaving_school, L40 joining_school: the leaving {school_urn, provider, date: finished_on} and joining {school_urn, provider, date: started_on}; created_at of the leaving period", async () => {
    const names = Object.fromEntries((await t.admin("GET", "/admin/v3/world")).body.lead_providers.map((l: any) => [l.id, l.name]));
    const x = await one("joiningLater");
    expect(x.leaving).toEqual({ school_urn: String(urn - 1), provider: names[w.p!.id], date: day(-100) });
    expect(x.joining).toEqual({ school_urn: String(urn), provider: names[w.q!.id], date: day(-99) });
    expect((await one("leavingLater")).created_at).toBe("2025-02-01T00:00:00Z");
  });
  test("L50 #api_updated_at: the leaving period updated more recently: its stamp; L57 the joining one: its stamp; L64 only a leaving period: its stamp", async () => {
    expect(stamp(1)((await one("leavingLater")).updated_at)).toBe(true);
    expect(stamp(2)((await one("joiningLater")).updated_at)).toBe(true);
    expect(stamp(3)((await one("leavingOnly")).updated_at)).toBe(true);
  });
  test("#type: L74 no joining period: unknown; L82 different providers: new_provider; L87 the same provider: new_school", async () => {
    expect((await one("leavingOnly")).transfer_type).toBe("unknown");
    expect((await one("joiningLater")).transfer_type).toBe("new_provider");
    expect((await one("joiningLater", "q")).transfer_type).toBe("new_provider");
    expect((await one("leavingLater")).transfer_type).toBe("new_school");
  });
  test("#status: L116 the leaving period finishes in the future: incomplete; L127 the joining period starts in the future: incomplete; L139 finished and started: complete", async () => {
    expect((await one("leavesLater")).status).toBe("incomplete");
    expect((await one("joinsLater")).status).toBe("incomplete");
    expect((await one("complete")).status).toBe("complete");
  });
});

describe("API::Teachers::SchoolTransferSerializer (spec/serializers/api/teachers/school_transfer_serializer_spec.rb)", () => {
  const names = async () => Object.fromEntries((await t.admin("GET", "/admin/v3/world")).body.lead_providers.map((l: any) => [l.id, l.name]));
  test("L54 a new-provider transfer with both periods (build_new_provider_transfer, leaving a, joining o): updated_at the leaving period's (3 days ago, the joining 5); the whole document", async () => {
    const w = await world(["a", "o", "l"], [
      {
        ref: "t",
        ect_periods: [
          { school: "s1", started_on: "today-365d", finished_on: "today-182d", training: [pl("s1", "a", "today-365d", "today-182d", { ref: "leave", created_at: "2025-03-03T03:03:03Z", updated_at: "2025-06-03T00:00:00Z" })] },
          { school: "s2", started_on: "today-181d", training: [pl("s2", "o", "today-180d", "today-90d", { ref: "join", updated_at: "2025-06-01T00:00:00Z" }), pl("s2", "l", "today-89d")] },
        ],
      },
    ]);
    const n = await names();
    for (const lead of ["a", "o"]) {
      const r = await show(w, "t", lead);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        data: {
          id: w.t!.id,
          type: "participant-transfer",
          attributes: {
            updated_at: "2025-06-03T00:00:00Z",
            transfers: [
              {
                training_record_id: w.t!.ect_training_record_id,
                transfer_type: "new_provider",
                status: "complete",
                created_at: "2025-03-03T03:03:03Z",
                leaving: { school_urn: String(urn - 1), provider: n[w.a!.id], date: day(-182) },
                joining: { school_urn: String(urn), provider: n[w.o!.id], date: day(-180) },
              },
            ],
          },
        },
      });
    }
  });
  test("L124 an ongoing school-led joining period (leaving a only): updated_at the joining period's (2 days ago, the leaving 3), joining provider null, complete", async () => {
    const w = await world(["a"], [
      {
        ref: "t",
        ect_periods: [
          { school: "s1", started_on: "today-365d", finished_on: "today-182d", training: [pl("s1", "a", "today-365d", "today-182d", { updated_at: "2025-06-01T00:00:00Z" })] },
          { school: "s2", started_on: "today-181d", training: [{ programme: "school_led", started_on: "today-180d", updated_at: "2025-06-02T00:00:00Z" }] },
        ],
      },
    ]);
    const n = await names();
    const r = await show(w, "t", "a");
    expect(r.status).toBe(200);
    const a = r.body.data.attributes;
    expect(a.updated_at).toBe("2025-06-02T00:00:00Z");
    expect(a.transfers).toHaveLength(1);
    expect(a.transfers[0]).toMatchObject({
      training_record_id: w.t!.ect_training_record_id,
      transfer_type: "new_provider",
      status: "complete",
      leaving: { school_urn: String(urn - 1), provider: n[w.a!.id], date: day(-182) },
      joining: { school_urn: String(urn), provider: null, date: day(-180) },
    });
  });
});

describe("History#teacher_completed_induction? applies to every role (app/services/api/teachers/school_transfers/history.rb:34,51-53)", () => {
  test("a mentor leaving with no next school: an unknown transfer, unless the teacher completed an induction (as an ECT, earlier)", async () => {
    const w = await world(["a"], [
      { ref: "plain", mentor_periods: [{ school: "s1", started_on: "today-300d", finished_on: "today-10d", training: [pl("s1", "a", "today-300d", "today-10d")] }] },
      {
        ref: "inducted",
        induction_periods: [{ started_on: "today-900d", finished_on: "today-500d", outcome: "pass" }],
        mentor_periods: [{ school: "s1", started_on: "today-300d", finished_on: "today-10d", training: [pl("s1", "a", "today-300d", "today-10d")] }],
      },
    ]);
    const r = await show(w, "plain", "a");
    expect(r.status).toBe(200);
    expect(r.body.data.attributes.transfers.map((x: any) => [x.transfer_type, x.training_record_id])).toEqual([["unknown", w.plain!.mentor_training_record_id]]);
    expect((await show(w, "inducted", "a")).status).toBe(404);
  });
});
