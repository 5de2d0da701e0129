/**
 * Statements, RECT spec by spec (at 0fe31d1aa): the API query (spec/services/api/statements/query_spec.rb),
 * the serializer (spec/serializers/api/statement_serializer_spec.rb), and DfE's moves, reached through the
 * control plane (PUT /admin/v3/statements/{id}/status, POST /admin/v3/jobs/nightly): MarkAsPayable
 * (spec/services/statements/mark_as_payable_spec.rb) and AuthorisePayment
 * (spec/services/statements/authorise_payment_spec.rb), seen through /api/v3 and GET /admin/v3/world.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Get, v3Scenario, statement } from "../support/v3";

const ids = (body: any) => body.data.map((r: any) => r.id);
const ect = (ref: string, partnership: string, declarations: Record<string, unknown>[]) => ({
  ref,
  ect_periods: [{ school: "s1", started_on: "2025-07-01", training: [{ partnership, schedule: "ecf-standard-september", started_on: "2025-09-01", declarations }] }],
});
const d = (ref: string, state: string, extra: Record<string, unknown> = {}) => ({ ref, type: "started", date: "2025-10-01T10:00:00Z", evidence_held: "other", state, created_at: "now-30d", updated_at: "now-30d", ...extra });

describe("spec/services/api/statements/query_spec.rb and spec/serializers/api/statement_serializer_spec.rb through GET /api/v3/statements", () => {
  let t: TestApp;
  let refs: Refs;
  const tok = (ref: string) => refs[ref]!.api_token as string;
  const id = (ref: string) => refs[ref]!.id as string;
  const list = async (query = "", lead = "a") => {
    const r = await v3Get(t, `/api/v3/statements${query}`, tok(lead));
    expect(r.status).toBe(200);
    return ids(r.body);
  };

  beforeAll(async () => {
    t = await createTestApp({ rectStatements: false });
    refs = await v3Scenario(t, {
      lead_providers: [lp("a", [2023, 2024, 2025]), lp("b", [2024, 2025]), lp("none", [2025])],
      statements: [
        // statement_serializer_spec.rb:4-20: a 2024 statement for July 2023
        statement("ser", "a", 2024, 7, 2023, { id: "fe1a5280-1b13-4b09-b9c7-e2b01d37e851", deadline_date: "2023-07-01", payment_date: "2023-07-02", created_at: "2023-07-01T12:00:00Z", updated_at: "2023-07-02T12:00:00Z" }),
        statement("a23", "a", 2023, 1, 2026, { updated_at: "now-2d" }),
        statement("a25", "a", 2025, 4, 2026, { updated_at: "now" }),
        statement("a25paid", "a", 2025, 11, 2025, { status: "paid", updated_at: "now-14d" }),
        statement("a25service", "a", 2025, 12, 2025, { fee_type: "service" }),
        statement("b24", "b", 2024, 11, 2025),
        statement("b25", "b", 2025, 11, 2025),
      ],
    });
  });
  afterAll(() => t.close());

  test("spec/services/api/statements/query_spec.rb:40,47 \"returns all statements\", \"orders statements by payment date in ascending order\"; L224-L233 \"default order\" (an earlier year can be paid later)", async () => {
    expect(await list()).toEqual([id("ser"), id("a25paid"), id("a23"), id("a25")]);
  });
  test("spec/services/api/statements/query_spec.rb:69 \"filters by `lead_provider`\": the caller's own statements only, by list and by id; L75 \"returns no statements if no statements are found for the given `lead_provider`\"", async () => {
    expect(await list("", "b")).toEqual([id("b24"), id("b25")]);
    expect((await v3Get(t, `/api/v3/statements/${id("b24")}`, tok("a"))).status).toBe(404);
    expect((await v3Get(t, "/api/v3/statements", tok("none"))).text).toBe('{"data":[]}');
  });
  test("spec/services/api/statements/query_spec.rb:94 \"when `contract_period_years` param is omitted, returns all statements\"; L103 \"filters by `contract_period_years`\"; L111 \"filters by multiple `contract_period_years`\" (numbers in a list)", async () => {
    expect(await list("?filter[cohort]=")).toEqual(await list());
    expect(await list("?filter[cohort]=2023")).toEqual([id("a23")]);
    expect(await list("?filter[cohort]=2023,2024")).toEqual([id("ser"), id("a23")]);
    expect(await list("?filter[cohort][]=2024&filter[cohort][]=2025")).toEqual([id("ser"), id("a25paid"), id("a25")]);
  });
  test("spec/services/api/statements/query_spec.rb:123 \"returns no statements if no `contract_period_years` are found\" (0000); L131 \"returns no statements if `contract_period_years` is an empty array\" (every year dropped as invalid, condition_extractable.rb:22-23); L139 \"does not filter by `contract_period_years` if blank\"", async () => {
    expect(await list("?filter[cohort]=0000")).toEqual([]);
    expect(await list("?filter[cohort]=abc,20x5")).toEqual([]);
    expect(await list("?filter[cohort]=%20")).toEqual(await list());
  });
  test("spec/services/api/statements/query_spec.rb:152 \"filters by `updated_since`\" (api_updated_at, inclusive); L162 omitted → all; L170 \"does not filter by `updated_since` if blank\"", async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 19) + "Z";
    expect(await list(`?filter[updated_since]=${since}`)).toEqual([id("a25")]);
    expect(await list("?filter[updated_since]=%20")).toEqual(await list());
    expect(await list("?filter[updated_since]=")).toHaveLength(4);
  });
  test("spec/services/api/statements/query_spec.rb:184 \"return only statements with `fee_type` 'output' by default\" (L189 \"when `fee_type`: 'output'\", the controller's default, statements_controller.rb:20-25): the service fee statement is not shown", async () => {
    expect(await list()).not.toContain(id("a25service"));
  });
  test("spec/services/api/statements/query_spec.rb:255 \"#statement_by_api_id returns the statement for a Lead Provider\"; L262 unknown → 404; L268 another provider's → 404", async () => {
    expect((await v3Get(t, `/api/v3/statements/${id("a23")}`, tok("a"))).body.data.id).toBe(id("a23"));
    for (const other of ["XXX123", crypto.randomUUID(), id("b25"), id("a25service")]) {
      const r = await v3Get(t, `/api/v3/statements/${other}`, tok("a"));
      expect([r.status, r.text]).toEqual([404, '{"errors":[{"title":"Resource not found","detail":"Nothing could be found for the provided details"}]}']);
    }
  });
  test("spec/serializers/api/statement_serializer_spec.rb:34 core attributes (id, type), L43 nested attributes (cohort of the contract period, month name, year, cut_off_date, payment_date, created_at, updated_at as RFC 3339 UTC), byte for byte", async () => {
    const r = await v3Get(t, "/api/v3/statements/fe1a5280-1b13-4b09-b9c7-e2b01d37e851", tok("a"));
    expect(r.text).toBe(
      '{"data":{"id":"fe1a5280-1b13-4b09-b9c7-e2b01d37e851","type":"statement","attributes":{"month":"July","year":"2023","cohort":"2024","cut_off_date":"2023-07-01","payment_date":"2023-07-02","paid":false,"created_at":"2023-07-01T12:00:00Z","updated_at":"2023-07-02T12:00:00Z"}}}',
    );
  });
  test("spec/serializers/api/statement_serializer_spec.rb:54 \"returns `true` when status is `paid`\"; L60 \"returns `false` when `state` is not `paid`\"", async () => {
    expect((await v3Get(t, `/api/v3/statements/${id("a25paid")}`, tok("a"))).body.data.attributes.paid).toBe(true);
    expect((await v3Get(t, `/api/v3/statements/${id("a25")}`, tok("a"))).body.data.attributes.paid).toBe(false);
  });
});

describe("spec/services/statements/fee_type_for_month_spec.rb through a lead provider's statement calendar", () => {
  let t: TestApp;
  afterAll(() => t.close());
  test("spec/services/statements/fee_type_for_month_spec.rb:2 \"identifies the correct fee type for a given month\": output in January, April, August, November; the calendar's other months are service statements the API never shows", async () => {
    t = await createTestApp({ rectStatements: true });
    const made = await t.admin("POST", "/admin/v3/lead-providers", { name: `Calendar ${crypto.randomUUID()}`, cohorts: [2025] });
    expect(made.status).toBe(201);
    const shown = (await v3Get(t, "/api/v3/statements?page[per_page]=100", made.body.api_token)).body.data.map((s: any) => s.attributes.month);
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(["January", "April", "August", "November"]));
    const world = (await t.admin("GET", "/admin/v3/world")).body.statements.filter((s: any) => s.lead_provider === made.body.id);
    const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    for (const s of world) expect([MONTHS[s.month - 1], s.fee_type]).toEqual([MONTHS[s.month - 1], [1, 4, 8, 11].includes(s.month) ? "output" : "service"]);
  });
});

describe("spec/services/statements/mark_as_payable_spec.rb and spec/services/statements/authorise_payment_spec.rb through PUT /admin/v3/statements/{id}/status", () => {
  let t: TestApp;
  let refs: Refs;
  const tok = () => refs.a!.api_token as string;
  const id = (ref: string) => refs[ref]!.id as string;
  const move = (ref: string, status: string) => t.admin("PUT", `/admin/v3/statements/${id(ref)}/status`, { status });
  const state = async (ref: string) => (await v3Get(t, `/api/v3/participant-declarations/${id(ref)}`, tok())).body.data.attributes.state;
  const shown = async (ref: string) => (await v3Get(t, `/api/v3/statements/${id(ref)}`, tok())).body.data.attributes;

  beforeAll(async () => {
    t = await createTestApp({ rectStatements: false });
    refs = await v3Scenario(t, {
      lead_providers: [lp("a", [2025])],
      delivery_partners: [{ ref: "dp1", name: `Pay DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
      schools: [{ ref: "s1", urn: "470001", name: "Pay School" }],
      partnerships: [{ ref: "p", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 }],
      statements: [
        statement("open", "a", 2025, 11, 2025, { deadline_date: "today-1d", payment_date: "today+20d", updated_at: "now-30d" }),
        statement("future", "a", 2025, 4, 2026, { deadline_date: "today+10d", payment_date: "today+20d" }),
        statement("todayDeadline", "a", 2025, 8, 2026, { deadline_date: "today", payment_date: "today+20d" }),
        statement("payable", "a", 2025, 1, 2026, { status: "payable", deadline_date: "today-5d", payment_date: "today+20d", updated_at: "now-30d" }),
        statement("payableEmpty", "a", 2025, 11, 2026, { status: "payable", deadline_date: "today-5d", payment_date: "today+20d" }),
        statement("payableFuture", "a", 2025, 1, 2027, { status: "payable", deadline_date: "today+5d", payment_date: "today+20d" }),
        statement("paid", "a", 2025, 4, 2027, { status: "paid", deadline_date: "today-40d", payment_date: "today-20d" }),
      ],
      teachers: [
        ect("t1", "p", [d("eligible", "eligible", { statement: "open" })]),
        ect("t2", "p", [d("voided", "voided", { statement: "open" })]),
        ect("t3", "p", [d("submitted", "submitted")]),
        ect("t4", "p", [d("payable1", "payable", { statement: "payable" })]),
        ect("t5", "p", [d("payable2", "payable", { statement: "payable" })]),
        ect("t6", "p", [d("claw1", "awaiting_clawback", { statement: "paid", clawback_statement: "payable" })]),
        ect("t7", "p", [d("futurePayable", "payable", { statement: "payableFuture" })]),
      ],
    });
  });
  afterAll(() => t.close());

  test("spec/services/statements/mark_as_payable_spec.rb:55 \"raises StatementNotOpenError when statement is payable\" / \"… is paid\": a 422 with RECT's message, nothing changes", async () => {
    for (const ref of ["payable", "paid"]) {
      const r = await move(ref, "payable");
      const status = ref;
      expect([r.status, r.body]).toEqual([422, { errors: [{ title: "status", detail: `Cannot mark statement as payable: statement is ${status}` }] }]);
    }
    expect((await shown("paid")).paid).toBe(true);
  });
  test("when the deadline has not passed (today, or later), then marking payable is a 422: the model refuses it (app/models/statement.rb:43,135-139)", async () => {
    for (const ref of ["future", "todayDeadline"]) expect((await move(ref, "payable")).body).toEqual({ errors: [{ title: "deadline_date", detail: "Deadline date must be in the past" }] });
  });
  test("spec/services/statements/mark_as_payable_spec.rb:71 \"transitions the statement from open to payable\"; L77 \"transitions eligible declarations to payable\"; L89 \"does not affect declarations in other payment states\" (voided, and a submitted one without a statement)", async () => {
    const before = await shown("open");
    const stamp = async (ref: string) => (await v3Get(t, `/api/v3/participant-declarations/${id(ref)}`, tok())).body.data.attributes.updated_at;
    const [eligibleBefore, voidedBefore] = [await stamp("eligible"), await stamp("voided")];
    const r = await move("open", "payable");
    expect([r.status, r.body]).toEqual([200, { id: id("open"), status: "payable" }]);
    expect((await t.admin("GET", "/admin/v3/world")).body.statements.find((s: any) => s.id === id("open")).status).toBe("payable");
    const after = await shown("open");
    expect([after.paid, after.updated_at > before.updated_at]).toEqual([false, true]);
    expect([await state("eligible"), await state("voided"), await state("submitted")]).toEqual(["payable", "voided", "submitted"]);
    // a payment_status change touches the declaration (app/models/declaration.rb:101-116); the voided one is left alone
    expect([(await stamp("eligible")) > eligibleBefore, await stamp("voided")]).toEqual([true, voidedBefore]);
  });
  test("spec/services/statements/authorise_payment_spec.rb:14 \"when the statement is not payable, raises NotAuthorisable\": open → 422; and the other refusals of can_authorise_payment? (app/models/statement.rb:92-98): nothing outstanding, deadline not passed, already paid", async () => {
    expect((await move("future", "paid")).body.errors[0].detail).toBe("only a payable statement becomes paid (this one is open)");
    expect((await move("paid", "paid")).status).toBe(422);
    expect((await move("payableEmpty", "paid")).body.errors[0].detail).toBe("the statement cannot be authorised for payment: it has no payable or awaiting_clawback declarations (app/models/statement.rb:92-98)");
    expect((await move("payableFuture", "paid")).body.errors[0].detail).toBe("the statement cannot be authorised for payment: its deadline has not passed (app/models/statement.rb:92-98)");
    expect(await state("futurePayable")).toBe("payable");
  });
  test("spec/services/statements/authorise_payment_spec.rb:30 \"marks all payable declarations as paid\"; L38 \"marks the statement as paid\"; L65 \"marks declarations awaiting clawback as clawed back\"", async () => {
    const before = await shown("payable");
    const r = await move("payable", "paid");
    expect([r.status, r.body]).toEqual([200, { id: id("payable"), status: "paid" }]);
    const after = await shown("payable");
    expect([after.paid, after.updated_at > before.updated_at]).toEqual([true, true]);
    expect([await state("payable1"), await state("payable2"), await state("claw1")]).toEqual(["paid", "paid", "clawed-back"]);
    // paid once: a second authorisation is refused (statement.rb:94-95)
    expect((await move("payable", "paid")).status).toBe(422);
  });
});

describe("spec/services/statements/mark_as_payable_spec.rb .mark_all_eligible! through POST /admin/v3/jobs/nightly {mark_statements_payable: true}", () => {
  let t: TestApp;
  let refs: Refs;
  const id = (ref: string) => refs[ref]!.id as string;
  beforeAll(async () => {
    t = await createTestApp({ rectStatements: false });
    refs = await v3Scenario(t, {
      lead_providers: [lp("a", [2025])],
      delivery_partners: [{ ref: "dp1", name: `Night DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
      schools: [{ ref: "s1", urn: "470002", name: "Night School" }],
      partnerships: [{ ref: "p", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 }],
      statements: [
        statement("past", "a", 2025, 11, 2025, { deadline_date: "today-1d", payment_date: "today+20d" }),
        statement("future", "a", 2025, 4, 2026, { deadline_date: "today+1d", payment_date: "today+20d" }),
        statement("today", "a", 2025, 8, 2026, { deadline_date: "today", payment_date: "today+20d" }),
        statement("payable", "a", 2025, 1, 2026, { status: "payable", deadline_date: "today-5d", payment_date: "today+20d", updated_at: "now-30d" }),
        statement("paid", "a", 2025, 4, 2027, { status: "paid", deadline_date: "today-40d", payment_date: "today-20d", updated_at: "now-30d" }),
        statement("service", "a", 2025, 12, 2025, { fee_type: "service", deadline_date: "today-3d", payment_date: "today+20d" }),
      ],
      teachers: [ect("t1", "p", [d("eligible", "eligible", { statement: "past" })])],
    });
  });
  afterAll(() => t.close());

  test("spec/services/statements/mark_as_payable_spec.rb:3 \"marks open statements past their deadline\" (and their eligible declarations); L17 future deadline, L25 deadline of today, L33 already payable, L39 already paid: unchanged; a service fee statement is not searched (app/services/statements/search.rb:12)", async () => {
    const before = (await t.admin("GET", "/admin/v3/world")).body.statements;
    const r = await t.admin("POST", "/admin/v3/jobs/nightly", { mark_statements_payable: true });
    expect(r.status).toBe(200);
    expect(r.body.statements_marked_payable).toEqual([id("past")]);
    const after = (await t.admin("GET", "/admin/v3/world")).body.statements;
    const status = (ref: string) => after.find((s: any) => s.id === id(ref)).status;
    expect(["past", "future", "today", "payable", "paid", "service"].map(status)).toEqual(["payable", "open", "open", "payable", "paid", "open"]);
    for (const ref of ["payable", "paid"]) expect(after.find((s: any) => s.id === id(ref)).updated_at).toBe(before.find((s: any) => s.id === id(ref)).updated_at);
    const declaration = await v3Get(t, `/api/v3/participant-declarations/${id("eligible")}`, refs.a!.api_token);
    expect(declaration.body.data.attributes.state).toBe("payable");
  });
});

describe("spec/services/statements/search_spec.rb as the declarations use it (api/declarations/create.rb:117-125): the statement a new eligible declaration goes on", () => {
  let t: TestApp;
  let refs: Refs;
  const id = (ref: string) => refs[ref]!.id as string;
  beforeAll(async () => {
    t = await createTestApp({ rectStatements: false });
    refs = await v3Scenario(t, {
      lead_providers: [lp("a", [2024, 2025]), lp("b", [2025])],
      delivery_partners: [{ ref: "dp1", name: `Search DP ${crypto.randomUUID()}`, partnered_with: [{ lead_provider: "a", cohorts: [2025] }] }],
      schools: [{ ref: "s1", urn: "470003", name: "Search School" }],
      partnerships: [{ ref: "p", school: "s1", lead_provider: "a", delivery_partner: "dp1", cohort: 2025 }],
      statements: [
        statement("past", "a", 2025, 1, 2026, { deadline_date: "today-10d", payment_date: "today+1d" }),
        // deadline today, paid late: the one (deadline order, not payment order)
        statement("today", "a", 2025, 4, 2026, { deadline_date: "today", payment_date: "today+90d" }),
        statement("later", "a", 2025, 8, 2026, { deadline_date: "today+30d", payment_date: "today+40d" }),
        statement("payableSoon", "a", 2025, 11, 2026, { status: "payable", deadline_date: "today+1d", payment_date: "today+20d" }),
        statement("service", "a", 2025, 12, 2026, { fee_type: "service", deadline_date: "today+1d", payment_date: "today+20d" }),
        statement("cohort24", "a", 2024, 1, 2027, { deadline_date: "today+1d", payment_date: "today+20d" }),
        statement("other", "b", 2025, 4, 2026, { deadline_date: "today+1d", payment_date: "today+20d" }),
      ],
      teachers: [{ ref: "t1", funding: { ect_eligible_at: "now-300d" }, ect_periods: [{ school: "s1", started_on: "2025-07-01", training: [{ partnership: "p", schedule: "ecf-standard-september", started_on: "2025-09-01" }] }] }],
    });
  });
  afterAll(() => t.close());

  test("spec/services/statements/search_spec.rb:35,69,109,114,196,240,309: the caller's (not b's), in the declaration's cohort (not 2024's), output fee (not the service one), deadline today or later (not the past one), open (not the payable one), the earliest deadline first (not the earliest payment)", async () => {
    const attributes = { participant_id: id("t1"), declaration_type: "started", declaration_date: "2025-10-01T10:00:00Z", course_identifier: "ecf-induction", evidence_held: "training-event-attended" };
    const r = await t.call("POST", "/api/v3/participant-declarations", { token: refs.a!.api_token, body: { data: { type: "participant-declaration", attributes } } });
    expect(r.status).toBe(200);
    expect([r.body.data.attributes.state, r.body.data.attributes.statement_id]).toEqual(["eligible", id("today")]);
  });
});
