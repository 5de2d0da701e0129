/**
 * The v3 participants' read model: per lead provider and teacher it trains,
 * the participant document of participantResource (resource.ts) stored as
 * text in rect_participant_documents (migration 0007), kept current by
 * triggers in the writer's transaction, whoever writes. A page is one walk of
 * an index over stored rows; nothing is joined or shaped per request.
 *
 * Two attributes depend on today: `participant_status` and the ECT's
 * `mentor_id`. So each row holds the document as of the day it was written
 * (`current_document`) with the span of days it holds for (`current_from`,
 * `current_until`: until a period starts or finishes, or the mentorship giving
 * the mentor ends), and the stored form (`document`, those two null) with the
 * parts they are decided from. A day inside the span reads the written text;
 * another (time travel, or days later) sets today's values into the stored
 * form with json_set. The nightly job and each start write expired rows again.
 *
 * The view and the triggers are derived objects (db/derived.ts), generated
 * here from the definition and the live query's own pieces (queries.ts
 * `latestOf`, `documentJoins`), rebuilt at start when they changed. The live
 * rendering (queries.ts liveParticipantDocuments) is what
 * test/reliability/v3-read-model.test.ts holds this to, byte for byte.
 */
import { type CompiledQuery, DummyDriver, Kysely, type RawBuilder, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from "kysely";
import type { DerivedObjects } from "../../../../db/derived";
import { type Argument, preparedQuery } from "../../../../db/prepared";
import type { Database, DbOrTrx } from "../../../../db/schema";
import type { Page, SortPart } from "../http/params";
import { type FilterColumns, type SqlFilters, TEACHER_SORT_COLUMNS, documentJoins, filterConditions, latestOf } from "./queries";
import { type Role, type StatusParts, londonDateSql, mentorIdSql, participantResource, participantStatusFrom, statusParts } from "./resource";

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

const storedParts = (p: "e" | "m"): StatusParts => ({
  stopped: sql`${sql.ref(`d.${p}_stopped`)} = 1`,
  completed: sql`${sql.ref(`d.${p}_completed`)} = 1`,
  started: sql.ref(`d.${p}_started_on`),
  finished: sql.ref(`d.${p}_finished_on`),
});
const ENROLMENT = (i: number, name: string) => sql.lit(`$.attributes.ecf_enrolments[${i}].${name}`);

/** `today` lies in the span the row's written document holds for (the usual case: written today or since, with no participant starting, finishing or changing mentor in between). */
const holds = (today: string) => sql<boolean>`(d.current_from <= ${today} AND (d.current_until IS NULL OR ${today} <= d.current_until))`;

/** The document written with the row when it holds today, else null. */
const writtenDocument = (today: string) => sql<string | null>`CASE WHEN ${holds(today)} THEN d.current_document END`;

/**
 * The document as of `today`: the written one when it holds, else the stored
 * form with today's `participant_status` of each enrolment and the ECT's
 * `mentor_id` set into it. (CASE evaluates only the branch it takes, but the
 * subqueries of the other branches still cost SQLite ~0.3 µs a row: a page
 * first asks for writtenDocument alone.)
 */
const documentFor = (today: string) => {
  const ectStatus = participantStatusFrom(storedParts("e"), today);
  const mentorStatus = participantStatusFrom(storedParts("m"), today);
  const mentorId = mentorIdSql(sql.ref("d.e_as_id"), today);
  return sql<string>`CASE
    WHEN ${holds(today)} THEN d.current_document
    WHEN d.e_tp_id IS NOT NULL AND d.m_tp_id IS NOT NULL
      THEN json_set(d.document, ${ENROLMENT(0, "mentor_id")}, ${mentorId}, ${ENROLMENT(0, "participant_status")}, ${ectStatus}, ${ENROLMENT(1, "participant_status")}, ${mentorStatus})
    WHEN d.e_tp_id IS NOT NULL THEN json_set(d.document, ${ENROLMENT(0, "mentor_id")}, ${mentorId}, ${ENROLMENT(0, "participant_status")}, ${ectStatus})
    ELSE json_set(d.document, ${ENROLMENT(0, "participant_status")}, ${mentorStatus}) END`;
};

/** The stored columns the filters read (queries.ts filterConditions: query.rb:69-125). */
const STORED_COLUMNS: FilterColumns = {
  present: (p) => sql`${sql.ref(`d.${p}_tp_id`)} IS NOT NULL`,
  cohort: (p) => sql.ref(`d.${p}_cohort`),
  withdrawn: (p) => sql`${sql.ref(`d.${p}_withdrawn`)} = 1`,
  deferred: (p) => sql`${sql.ref(`d.${p}_deferred`)} = 1`,
  teacherId: sql.ref("d.teacher_id"),
  updatedAt: sql.ref("d.api_updated_at"),
};

/** The default order walks the index (lead provider, the teacher's created_at, id); another sort reads the teacher's columns. */
function storedOrdered(q: any, sort: SortPart[] | null) {
  if (sort === null) return q.orderBy("d.teacher_created_at").orderBy("d.teacher_id");
  q = q.innerJoin("rect_teachers as te", "te.id", "d.teacher_id");
  for (const part of sort) q = q.orderBy(TEACHER_SORT_COLUMNS[part.attribute]!, part.direction);
  return q.orderBy("d.teacher_id");
}

/** A page's query; `values` are the request's, or preparedQuery's markers (every one of them is a parameter). */
function pageQuery(db: DbOrTrx, leadProviderId: number, today: string, filters: SqlFilters, sort: SortPart[] | null, page: { limit: number; offset: number }, written: boolean) {
  let q: any = db.selectFrom("rect_participant_documents as d").where("d.lead_provider_id", "=", leadProviderId);
  for (const condition of filterConditions(filters, STORED_COLUMNS)) q = q.where(condition);
  return storedOrdered(q, sort)
    .select((written ? writtenDocument(today) : documentFor(today)).as("document"))
    .limit(page.limit)
    .offset(page.offset) as { execute(): Promise<{ document: string | null }[]> };
}

/**
 * The default order's page query, built and compiled once per shape (which
 * filters apply, which training status; at most 2 × 5 × 2 × 2 × 2 of them)
 * and then run with each request's values (db/prepared.ts). Another sort, as
 * rare as it is varied, is built per request.
 */
type Shape = { cohorts: boolean; trainingStatus: SqlFilters["trainingStatus"]; fromParticipantId: boolean; updatedSince: boolean; written: boolean };
const pageQueries = new Map<string, (db: DbOrTrx, ...args: Argument[]) => Promise<{ document: string | null }[]>>();
function preparedPage(shape: Shape) {
  const key = JSON.stringify(shape);
  let query = pageQueries.get(key);
  if (!query) {
    query = preparedQuery((db: DbOrTrx, ...args: Argument[]) => {
      const [leadProviderId, today, limit, offset, ...rest] = args as [number, string, number, number, ...string[]];
      const next = (on: boolean) => (on ? (rest.shift() as string) : null);
      const filters: SqlFilters = { cohortsJson: next(shape.cohorts), trainingStatus: shape.trainingStatus, fromParticipantId: next(shape.fromParticipantId), updatedSince: next(shape.updatedSince) };
      return pageQuery(db, leadProviderId, today, filters, null, { limit, offset }, shape.written) as any;
    });
    pageQueries.set(key, query);
  }
  return query;
}

/** A page of the caller's participants, as of `today`. */
export async function storedParticipantDocuments(db: DbOrTrx, leadProviderId: number, today: string, filters: SqlFilters, sort: SortPart[] | null, page: Page): Promise<string[]> {
  const run = (written: boolean) => {
    if (sort !== null) return pageQuery(db, leadProviderId, today, filters, sort, page, written).execute();
    const shape: Shape = { cohorts: filters.cohortsJson !== null, trainingStatus: filters.trainingStatus, fromParticipantId: filters.fromParticipantId !== null, updatedSince: filters.updatedSince !== null, written };
    const values = [filters.cohortsJson, filters.fromParticipantId, filters.updatedSince].filter((v): v is string => v !== null);
    return preparedPage(shape)(db, leadProviderId, today, page.limit, page.offset, ...values);
  };
  const written = (await run(true)).map((r) => r.document);
  if (!written.includes(null)) return written as string[];
  // a row's written document does not hold today: the page again, each row as of today (one statement, so one state)
  return (await run(false)).map((r) => r.document as string);
}

const oneQuery = preparedQuery((db: DbOrTrx, leadProviderId: number, today: string, apiId: string) =>
  db
    .selectFrom("rect_participant_documents as d")
    .where("d.lead_provider_id", "=", leadProviderId)
    .where("d.teacher_id", "=", (eb) => eb.selectFrom("rect_teachers").select("id").where("api_id", "=", apiId))
    .select(documentFor(today).as("document")),
);

/** The caller's participant with that api_id, as of `today`; undefined when the caller does not train that teacher. */
export async function storedParticipantDocument(db: DbOrTrx, leadProviderId: number, today: string, apiId: string): Promise<string | undefined> {
  const [row] = await oneQuery(db, leadProviderId, today, apiId);
  return row?.document;
}

// ---------------------------------------------------------------------------
// The stored rows: derived objects, rebuilt from participantResource
// ---------------------------------------------------------------------------

/** Kysely without a database: compiles the derived objects' SQL. */
const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** A compiled query's text with its parameters written in (a view or trigger takes none); `?` inside quotes is left alone. */
function inlined(compiled: CompiledQuery<unknown>): string {
  const literal = (v: unknown) => {
    if (v === null || v === undefined) return "NULL";
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    if (typeof v === "boolean") return v ? "1" : "0";
    if (typeof v === "string") return `'${v.replaceAll("'", "''")}'`;
    throw new Error(`inlined: cannot write ${typeof v} into SQL`);
  };
  let out = "";
  let quote: string | null = null;
  let n = 0;
  for (const ch of compiled.sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      if (n >= compiled.parameters.length) throw new Error("inlined: more placeholders than parameters");
      out += literal(compiled.parameters[n++]);
    } else out += ch;
  }
  if (n !== compiled.parameters.length) throw new Error("inlined: fewer placeholders than parameters");
  return out;
}

const COLUMNS = [
  "lead_provider_id",
  "teacher_id",
  "teacher_created_at",
  "api_updated_at",
  "e_tp_id",
  "m_tp_id",
  "e_cohort",
  "m_cohort",
  "e_withdrawn",
  "e_deferred",
  "m_withdrawn",
  "m_deferred",
  "e_as_id",
  "e_stopped",
  "e_completed",
  "e_started_on",
  "e_finished_on",
  "m_stopped",
  "m_completed",
  "m_started_on",
  "m_finished_on",
  "document",
  "current_document",
  "current_from",
  "current_until",
] as const;

const flag = (condition: RawBuilder<unknown>) => sql`CASE WHEN ${condition} THEN 1 ELSE 0 END`;
const partsColumns = (role: Role, p: "e" | "m") => {
  const x = statusParts(role);
  const tp = (c: string) => sql.ref(`${p}tp.${c}`);
  return sql`${flag(sql`${tp("withdrawn_at")} IS NOT NULL`)} AS ${sql.id(`${p}_withdrawn`)},
    ${flag(sql`${tp("deferred_at")} IS NOT NULL`)} AS ${sql.id(`${p}_deferred`)},
    ${flag(x.stopped)} AS ${sql.id(`${p}_stopped`)}, ${flag(x.completed)} AS ${sql.id(`${p}_completed`)},
    ${x.started} AS ${sql.id(`${p}_started_on`)}, ${x.finished} AS ${sql.id(`${p}_finished_on`)}`;
};

/** The London date of the write (SQL's own clock: a trigger of any connection can read it; the app's clock may be elsewhere, and then the stored form serves). */
const WRITTEN_ON = londonDateSql(sql`strftime('%Y-%m-%dT%H:%M:%SZ', 'now')`);
const NEVER = sql.lit("9999-12-31");
/** `day` - 1 when it is after the day of the write (a status changes on it), else never */
const changesOn = (day: RawBuilder<unknown>) => sql`CASE WHEN ${day} > ${WRITTEN_ON} THEN date(${day}, '-1 day') ELSE ${NEVER} END`;
/**
 * The last day the document written today holds for (null: no end): the day
 * before a period starts (joining → active) or finishes (→ left), and the
 * last day of the ECT's mentorship that gives today's `mentor_id` (the
 * mentorships before it in order have ended already, so it stays first until
 * it ends; none or an open one: no end). Later than today, so never before
 * `current_from`.
 */
const currentUntil = sql`NULLIF(min(${changesOn(sql`etp.started_on`)}, ${changesOn(sql`etp.finished_on`)}, ${changesOn(sql`mtp.started_on`)}, ${changesOn(sql`mtp.finished_on`)},
    COALESCE(${mentorIdSql(sql`etp.ect_at_school_period_id`, WRITTEN_ON, "mp.finished_on")}, ${NEVER})), ${NEVER})`;

/**
 * The rows of rect_participant_documents for the teachers whose ids are
 * `teacherIds` (the inside of an `IN (…)`: a list or a SELECT; every teacher
 * when null): one per lead provider with a training period of the teacher in
 * one of its partnerships.
 */
function sourceSql(teacherIds: string | null): RawBuilder<unknown> {
  const only = (column: string) => (teacherIds === null ? sql`` : sql`WHERE ${sql.ref(column)} IN (${sql.raw(teacherIds)})`);
  const pairs = sql`SELECT DISTINCT alp.lead_provider_id AS lead_provider_id, x.teacher_id AS teacher_id FROM (
      SELECT a.teacher_id AS teacher_id, tp.school_partnership_id AS school_partnership_id FROM rect_ect_at_school_periods AS a
        JOIN rect_training_periods AS tp ON tp.ect_at_school_period_id = a.id ${only("a.teacher_id")}
      UNION ALL
      SELECT a.teacher_id, tp.school_partnership_id FROM rect_mentor_at_school_periods AS a
        JOIN rect_training_periods AS tp ON tp.mentor_at_school_period_id = a.id ${only("a.teacher_id")}) AS x
    JOIN rect_school_partnerships AS sp ON sp.id = x.school_partnership_id
    JOIN rect_lead_provider_delivery_partnerships AS lpdp ON lpdp.id = sp.lead_provider_delivery_partnership_id
    JOIN rect_active_lead_providers AS alp ON alp.id = lpdp.active_lead_provider_id`;
  const latest = sql`SELECT p.lead_provider_id, p.teacher_id,
      ${latestOf("ect", sql`p.teacher_id`, sql`p.lead_provider_id`)} AS ect_tp_id,
      ${latestOf("mentor", sql`p.teacher_id`, sql`p.lead_provider_id`)} AS mentor_tp_id
    FROM (${pairs}) AS p`;
  const joins = sql.join(
    documentJoins("l.ect_tp_id", "l.mentor_tp_id").map(([table, alias, column, equals]) => sql`LEFT JOIN ${sql.table(table)} AS ${sql.id(alias)} ON ${sql.ref(column)} = ${sql.ref(equals)}`),
    sql` `,
  );
  return sql`SELECT l.lead_provider_id AS lead_provider_id, te.id AS teacher_id, te.created_at AS teacher_created_at, te.api_updated_at AS api_updated_at,
      l.ect_tp_id AS e_tp_id, l.mentor_tp_id AS m_tp_id, ealp.contract_period_year AS e_cohort, malp.contract_period_year AS m_cohort,
      ${partsColumns("ect", "e")}, ${partsColumns("mentor", "m")}, etp.ect_at_school_period_id AS e_as_id,
      ${participantResource.documentSql({ leadProviderId: 0, today: "", stored: true })} AS document,
      ${participantResource.documentSql({ leadProviderId: 0, today: WRITTEN_ON })} AS current_document,
      ${WRITTEN_ON} AS current_from, ${currentUntil} AS current_until
    FROM (${latest}) AS l
    JOIN rect_teachers AS te ON te.id = l.teacher_id
    ${joins}`;
}

const sqlText = (query: RawBuilder<unknown>) => inlined(query.compile(compiler));
const LIST = COLUMNS.join(", ");
/**
 * Rewrites the rows of one teacher: delete, then insert from the source (a pair
 * that stopped existing leaves no row). Written once, as the INSTEAD OF trigger
 * of an empty view that each source trigger inserts the teachers it changes
 * into: the rendering SQL is ~30 kB, too much to repeat in thirty triggers.
 * (The source view filtered by teacher would do, but SQLite then evaluates the
 * latest-period lookups once per use instead of once: ~8× slower.)
 */
const REFRESH_VIEW = "create view rect_participant_refresh as select cast(null as integer) as teacher_id where 0";
const REFRESH = `instead of insert on rect_participant_refresh begin
    delete from rect_participant_documents where teacher_id = new.teacher_id;
    insert into rect_participant_documents (${LIST}) select ${LIST} from (${sqlText(sourceSql("new.teacher_id"))});
  end`;
const refresh = (teachers: string) => `insert into rect_participant_refresh (teacher_id) select distinct * from (${teachers});`;

const ofPeriod = (period: string) =>
  `select teacher_id from rect_ect_at_school_periods where id = ${period}.ect_at_school_period_id union all select teacher_id from rect_mentor_at_school_periods where id = ${period}.mentor_at_school_period_id`;
/** the teachers with a training period in the partnerships `partnerships` selects */
const inPartnerships = (partnerships: string) =>
  `select a.teacher_id from rect_training_periods tp join rect_ect_at_school_periods a on a.id = tp.ect_at_school_period_id where tp.school_partnership_id in (${partnerships})
    union all select a.teacher_id from rect_training_periods tp join rect_mentor_at_school_periods a on a.id = tp.mentor_at_school_period_id where tp.school_partnership_id in (${partnerships})`;
const pairingPartnerships = (pairings: string) => `select id from rect_school_partnerships where lead_provider_delivery_partnership_id in (${pairings})`;

/** Every write that can change a document, and the teachers it changes (`new`/`old` as SQLite names the row). */
const SOURCES: Record<string, { table: string; events: ("insert" | "update" | "delete")[]; teachers: (row: "new" | "old") => string }> = {
  teacher: { table: "rect_teachers", events: ["update", "delete"], teachers: (r) => `select ${r}.id` },
  ect_period: { table: "rect_ect_at_school_periods", events: ["insert", "update", "delete"], teachers: (r) => `select ${r}.teacher_id` },
  mentor_period: { table: "rect_mentor_at_school_periods", events: ["insert", "update", "delete"], teachers: (r) => `select ${r}.teacher_id` },
  training_period: { table: "rect_training_periods", events: ["insert", "update", "delete"], teachers: (r) => ofPeriod(r) },
  mentorship: {
    table: "rect_mentorship_periods",
    events: ["insert", "update", "delete"],
    teachers: (r) => `select teacher_id from rect_ect_at_school_periods where id = ${r}.ect_at_school_period_id`,
  },
  induction_period: { table: "rect_induction_periods", events: ["insert", "update", "delete"], teachers: (r) => `select ${r}.teacher_id` },
  id_change: { table: "rect_teacher_id_changes", events: ["insert", "update", "delete"], teachers: (r) => `select ${r}.teacher_id` },
  partnership: { table: "rect_school_partnerships", events: ["update"], teachers: (r) => inPartnerships(`${r}.id`) },
  pairing: { table: "rect_lead_provider_delivery_partnerships", events: ["update"], teachers: (r) => inPartnerships(pairingPartnerships(`${r}.id`)) },
  active_provider: {
    table: "rect_active_lead_providers",
    events: ["update"],
    teachers: (r) => inPartnerships(pairingPartnerships(`select id from rect_lead_provider_delivery_partnerships where active_lead_provider_id = ${r}.id`)),
  },
  delivery_partner: {
    table: "rect_delivery_partners",
    events: ["update"],
    teachers: (r) => inPartnerships(pairingPartnerships(`select id from rect_lead_provider_delivery_partnerships where delivery_partner_id = ${r}.id`)),
  },
  school: { table: "rect_schools", events: ["update"], teachers: (r) => inPartnerships(`select id from rect_school_partnerships where school_id = ${r}.id`) },
  school_funding: {
    table: "rect_school_funding",
    events: ["insert", "update", "delete"],
    teachers: (r) => inPartnerships(`select id from rect_school_partnerships where school_id = ${r}.school_id`),
  },
  contract_period: {
    table: "rect_contract_periods",
    events: ["update"],
    teachers: (r) =>
      inPartnerships(
        pairingPartnerships(
          `select lpdp.id from rect_lead_provider_delivery_partnerships lpdp join rect_active_lead_providers alp on alp.id = lpdp.active_lead_provider_id where alp.contract_period_year = ${r}.year`,
        ),
      ),
  },
  schedule: {
    table: "rect_schedules",
    events: ["update"],
    teachers: (r) =>
      `select a.teacher_id from rect_training_periods tp join rect_ect_at_school_periods a on a.id = tp.ect_at_school_period_id where tp.schedule_id = ${r}.id
        union all select a.teacher_id from rect_training_periods tp join rect_mentor_at_school_periods a on a.id = tp.mentor_at_school_period_id where tp.schedule_id = ${r}.id`,
  },
};

const TRIGGERS: Record<string, string> = {};
for (const [name, source] of Object.entries(SOURCES)) {
  for (const event of source.events) {
    const rows: ("new" | "old")[] = event === "insert" ? ["new"] : event === "delete" ? ["old"] : ["old", "new"];
    const teachers = rows.map((r) => source.teachers(r)).join(" union ");
    TRIGGERS[`${name}_${event}`] =
      name === "teacher" && event === "delete"
        ? `after delete on rect_teachers begin delete from rect_participant_documents where teacher_id = old.id; end`
        : `after ${event} on ${source.table} begin ${refresh(teachers)} end`;
  }
}
TRIGGERS.refresh = REFRESH;

/**
 * Rewrites the rows whose document written on its day no longer holds on
 * `today` (the real London date, as the triggers write by SQL's clock, not the
 * sandbox's): a page then reads written text again instead of setting today's
 * values into the stored form. At start and in the nightly job; in the
 * caller's transaction.
 */
export async function rewriteExpiredDocuments(trx: DbOrTrx, today: string): Promise<void> {
  await sql`insert into rect_participant_refresh (teacher_id)
    select teacher_id from rect_participant_documents indexed by rect_participant_documents_by_until where current_until < ${today}
    union select teacher_id from rect_participant_documents indexed by rect_participant_documents_by_from where current_from > ${today}`.execute(trx);
}

/**
 * rect_participant_documents' view, triggers and rows (db/derived.ts):
 * rebuilt at start, and after a snapshot restore, whenever their SQL here
 * (generated from participantResource) is not the SQL the rows were rendered by.
 */
export const RECT_PARTICIPANT_DOCUMENTS: DerivedObjects = {
  name: "rect_participant_documents",
  drop: [
    ...Object.keys(TRIGGERS).map((name) => `drop trigger if exists rect_participant_documents_${name}`),
    "drop view if exists rect_participant_refresh",
    "drop view if exists rect_participant_document_source",
  ],
  create: [
    `create view rect_participant_document_source as ${sqlText(sourceSql(null))}`,
    REFRESH_VIEW,
    ...Object.entries(TRIGGERS).map(([name, body]) => `create trigger rect_participant_documents_${name} ${body}`),
  ],
  render: ["delete from rect_participant_documents", `insert into rect_participant_documents (${LIST}) select ${LIST} from rect_participant_document_source`],
};
