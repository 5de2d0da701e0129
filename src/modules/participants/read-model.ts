/**
 * The participant reads served from the read model: each visible record
 * view's JSON:API resource and CSV line are stored as text in
 * participant_documents (the table of migration 0003), kept current by
 * triggers, so a page is one walk of a list index and SQLite's
 * concatenation of the stored fragments. Nothing is joined, shaped or
 * serialised per request. Every query is Kysely's, built and compiled once
 * (preparedQuery).
 *
 * What a row says is ParticipantResource (resource.ts), rendered by the view
 * and triggers at the end of this file, which are derived objects: rebuilt
 * from the definition at start when it changed (db/derived.ts), never frozen
 * in a migration. This file is the one renderer and the one visibility rule
 * of the participant; test/support/participant-oracle.ts is the
 * straightforward rendering test/reliability/read-model.test.ts holds it to,
 * byte for byte.
 */
import { type SelectQueryBuilder, sql } from "kysely";
import type { Db } from "../../../db/connection";
import type { Database } from "../../../db/schema";
import { preparedQuery } from "../../../db/prepared";
import { type CsvStreamOptions, csvBytesStream, csvRow } from "../../http/csv";
import type { ParticipantFilter } from "./queries";
import type { DerivedObjects } from "../../../db/derived";
import { ParticipantResource } from "./resource";

type Documents = SelectQueryBuilder<Database, "participant_documents", {}>;

/**
 * The caller's documents, filtered by cohort and, for the `updated` order, by
 * update time. `cohortsJson`: a JSON array of years (a parameter of the
 * prepared query); `undefined` for no cohort filter at all (the common page:
 * no clause to check per row). `nullable`: the parameter may be null, meaning
 * no filter (for the queries that are not worth a variant each).
 */
function visible(db: Db, providerId: string, cohortsJson: string | null | undefined, updatedSince: string | null, nullable = false): Documents {
  let q = db.selectFrom("participant_documents").where("lead_provider_id", "=", providerId) as Documents;
  const cohortSchedules = sql`(select schedules.id from schedules where schedules.cohort in (select value from json_each(${cohortsJson})))`;
  if (cohortsJson !== undefined) {
    const inCohorts = sql<boolean>`participant_documents.schedule_id in ${cohortSchedules}`;
    q = q.where(nullable ? sql<boolean>`(${cohortsJson} is null or ${inCohorts})` : inCohorts);
  }
  // A provider's former view of a record it trains again (the closed induction
  // record a change of schedule across cohorts leaves, queries.ts
  // `notSuperseded`) is shown only when the record itself is not in the
  // filtered cohorts (live's latest-record window runs inside the cohort
  // filter, docs/live-parity.md §5). Checked for former views only.
  const currentInCohorts =
    cohortsJson === undefined ? sql`` : nullable ? sql`and (${cohortsJson} is null or tr2.schedule_id in ${cohortSchedules})` : sql`and tr2.schedule_id in ${cohortSchedules}`;
  q = q.where(
    sql<boolean>`(participant_documents.former = 0 or not exists (select 1 from former_provider_views fv join training_records tr2 on tr2.id = fv.training_record_id
      where fv.rowid = participant_documents.source_rowid and tr2.lead_provider_id = fv.lead_provider_id ${currentInCohorts}))`,
  );
  if (updatedSince !== null) q = q.where("participant_updated_at", ">=", updatedSince);
  return q;
}

/** The live order (§4.4): the person's creation (or, when filtered by it, update) time, then the person, schedule and view. */
function ordered(q: Documents, byUpdate: boolean): Documents {
  return q
    .orderBy(byUpdate ? "participant_updated_at" : "participant_created_at")
    .orderBy("participant_seq")
    .orderBy("schedule_id")
    .orderBy("source_rowid")
    .orderBy("former");
}

/**
 * One page's resources joined by commas, in order; SQLite concatenates them.
 * The page's row ids come off the list index alone (it covers filter, order
 * and id), so rows skipped by OFFSET are never read; then the page's rows
 * are read by id, in that order.
 */
function pageQuery(db: Db, providerId: string, cohortsJson: string | undefined, updatedSince: string | null, limit: number, offset: number) {
  const page = ordered(visible(db, providerId, cohortsJson, updatedSince), updatedSince !== null)
    .select("participant_documents.id")
    .limit(limit)
    .offset(offset);
  // as a blob: the bytes go out as they are, with no UTF-8 decoding into a string and encoding back
  return db
    .selectFrom(page.as("page"))
    .innerJoin("participant_documents as d", "d.id", "page.id")
    .select(sql<Uint8Array<ArrayBuffer>>`cast(concat('{"data":[', group_concat(d.resource, ','), ']}') as blob)`.as("json"));
}
const pageByCreation = preparedQuery((db, providerId: string, limit: number, offset: number) =>
  pageQuery(db as Db, providerId, undefined, null, limit, offset),
);
const pageByCreationOfCohorts = preparedQuery((db, providerId: string, cohortsJson: string, limit: number, offset: number) =>
  pageQuery(db as Db, providerId, cohortsJson, null, limit, offset),
);
const pageByUpdate = preparedQuery((db, providerId: string, since: string, limit: number, offset: number) =>
  pageQuery(db as Db, providerId, undefined, since, limit, offset),
);
const pageByUpdateOfCohorts = preparedQuery((db, providerId: string, cohortsJson: string, since: string, limit: number, offset: number) =>
  pageQuery(db as Db, providerId, cohortsJson, since, limit, offset),
);

/**
 * The plain page (no filter) when the app remembers where pages ended: the
 * same page, started at the nearest known end before it (a seek into the
 * index instead of walking every row before the page), with its own last
 * row's sort keys (bare columns beside `max(n)`: the last row) to remember.
 */
function plainPageQuery(db: Db, providerId: string, after: DocumentCursor | null, limit: number, offset: number) {
  let keys = ordered(visible(db, providerId, undefined, null), false);
  if (after) {
    keys = keys.where(
      sql<boolean>`(participant_created_at, participant_seq, schedule_id, source_rowid, former) > (${after.key}, ${after.seq}, ${after.scheduleId}, ${after.rowid}, ${after.former})`,
    );
  }
  const page = keys
    .select(["participant_documents.id", "participant_created_at as sort_key", "participant_seq", "schedule_id", "source_rowid", "former"])
    .limit(limit)
    .offset(offset);
  const numbered = db.selectFrom(page.as("page")).selectAll().select(sql<number>`row_number() over ()`.as("n"));
  return db
    .selectFrom(numbered.as("numbered"))
    .innerJoin("participant_documents as d", "d.id", "numbered.id")
    .select([
      sql<Uint8Array<ArrayBuffer>>`cast(concat('{"data":[', group_concat(d.resource, ','), ']}') as blob)`.as("json"),
      sql<number | null>`max(numbered.n)`.as("count"),
      "numbered.sort_key",
      "numbered.participant_seq",
      "numbered.schedule_id",
      "numbered.source_rowid",
      "numbered.former",
    ]);
}
const plainPageFromStart = preparedQuery((db, providerId: string, limit: number, offset: number) => plainPageQuery(db as Db, providerId, null, limit, offset));
const plainPageAfter = preparedQuery(
  (db, providerId: string, key: string, seq: number, scheduleId: string, rowid: number, former: number, limit: number, offset: number) =>
    plainPageQuery(db as Db, providerId, { key, seq, scheduleId, rowid, former }, limit, offset),
);

/** Where the plain list's pages ended, per provider, for one database version (AppContext.pageEnds); any write changes the version. */
export type PageEnds = Map<string, { version: string; ends: Map<number, DocumentCursor> }>;

async function plainPageRemembered(db: Db, providerId: string, perPage: number, offset: number, version: string, pageEnds: PageEnds) {
  let known = pageEnds.get(providerId);
  if (!known || known.version !== version) {
    known = { version, ends: new Map() };
    if (pageEnds.size > 1000) pageEnds.clear();
    pageEnds.set(providerId, known);
  }
  // the nearest known end at or before this page's start
  let from = 0;
  let cursor: DocumentCursor | undefined;
  for (const [end, key] of known.ends) {
    if (end <= offset && end > from) {
      from = end;
      cursor = key;
    }
  }
  const [row] = cursor
    ? await plainPageAfter(db, providerId, cursor.key, cursor.seq, cursor.scheduleId, cursor.rowid, cursor.former, perPage, offset - from)
    : await plainPageFromStart(db, providerId, perPage, offset);
  if (row?.count && known.ends.size < 5000) {
    known.ends.set(offset + row.count, { key: row.sort_key, seq: row.participant_seq, scheduleId: row.schedule_id, rowid: row.source_rowid, former: row.former });
  }
  return row;
}

const cohortsJsonOf = (filter: ParticipantFilter) => (filter.cohorts === null ? null : JSON.stringify(filter.cohorts));


/**
 * The JSON:API document of one list page (§4.4), as UTF-8 bytes. With the
 * database version the request saw (response cache on) and the app's memory
 * of page ends, a plain page starts where an earlier one ended.
 */
export async function participantListJson(
  db: Db,
  providerId: string,
  filter: ParticipantFilter,
  page: number,
  perPage: number,
  seek: { version: string | null; pageEnds: PageEnds } | null = null,
): Promise<Uint8Array<ArrayBuffer>> {
  const offset = (page - 1) * perPage;
  const cohorts = cohortsJsonOf(filter);
  const since = filter.updatedSince;
  const [row] =
    since === null
      ? cohorts === null
        ? seek?.version
          ? [await plainPageRemembered(db, providerId, perPage, offset, seek.version, seek.pageEnds)]
          : await pageByCreation(db, providerId, perPage, offset)
        : await pageByCreationOfCohorts(db, providerId, cohorts, perPage, offset)
      : cohorts === null
        ? await pageByUpdate(db, providerId, since, perPage, offset)
        : await pageByUpdateOfCohorts(db, providerId, cohorts, since, perPage, offset);
  return row!.json;
}

const personDocuments = preparedQuery((db, providerId: string, participantId: string, cohortsJson: string | null, since: string | null) =>
  visible(db as Db, providerId, cohortsJson, null, true)
    .where((eb) => eb.or([eb(sql.val(since), "is", null), eb("participant_updated_at", ">=", sql<string>`${since}`)]))
    .where("participant_id", "=", participantId)
    .select(["resource", "participant_type", "participant_seq", "record_seq", "former", "source_rowid"]),
);

/**
 * The JSON:API document of one participant as the caller sees it, or null.
 * A person with more than one visible record: the ECT one wins, else the
 * first by person, record and view (§4.1), as participantRowsFor orders them.
 */
export async function participantJson(db: Db, providerId: string, participantId: string, filter: ParticipantFilter): Promise<string | null> {
  const rows = await personDocuments(db, providerId, participantId, cohortsJsonOf(filter), filter.updatedSince);
  if (rows.length === 0) return null;
  const viewSeq = (r: (typeof rows)[number]) => (r.former ? r.source_rowid : 0);
  rows.sort((a, b) => a.participant_seq - b.participant_seq || a.record_seq - b.record_seq || viewSeq(a) - viewSeq(b));
  const row = rows.find((r) => r.participant_type === "ect") ?? rows[0]!;
  return `{"data":${row.resource}}`;
}

const recordDocument = preparedQuery((db, providerId: string, participantId: string, recordId: string) =>
  visible(db as Db, providerId, null, null, true)
    .where("participant_id", "=", participantId)
    .where("record_seq", "=", (db as Db).selectFrom("training_records").select(sql<number>`rowid`.as("rowid")).where("id", "=", recordId))
    .select("resource"),
);

/**
 * An action's answer (§6): the JSON:API document of the caller's view of
 * the record the action changed (the same rendering as the reads), or null
 * when the caller no longer sees it.
 */
export async function participantRecordJson(db: Db, providerId: string, participantId: string, recordId: string): Promise<string | null> {
  const [row] = await recordDocument(db, providerId, participantId, recordId);
  return row ? `{"data":${row.resource}}` : null;
}

/** Where a CSV export has got to in the list order. */
interface DocumentCursor {
  key: string;
  seq: number;
  scheduleId: string;
  rowid: number;
  former: number;
}

/**
 * The next `limit` stored CSV lines after `after`, concatenated by SQLite
 * into one blob, with the last line's sort keys for the next cursor (bare
 * columns beside `max(n)` are the row with the highest n, the last one).
 */
function csvBatchQuery(db: Db, providerId: string, cohortsJson: string | null, since: string | null, after: DocumentCursor | null, limit: number) {
  const byUpdate = since !== null;
  const key = byUpdate ? "participant_updated_at" : "participant_created_at";
  let q = ordered(visible(db, providerId, cohortsJson, since, true), byUpdate);
  if (after) {
    q = q.where(
      sql<boolean>`(${sql.ref(key)}, participant_seq, schedule_id, source_rowid, former) > (${after.key}, ${after.seq}, ${after.scheduleId}, ${after.rowid}, ${after.former})`,
    );
  }
  const batch = q.select(["csv", sql<string>`${sql.ref(key)}`.as("sort_key"), "participant_seq", "schedule_id", "source_rowid", "former"]).limit(limit);
  const numbered = db.selectFrom(batch.as("batch")).selectAll().select(sql<number>`row_number() over ()`.as("n"));
  return db
    .selectFrom(numbered.as("numbered"))
    .select([
      sql<Uint8Array<ArrayBuffer> | null>`cast(group_concat(csv, '') as blob)`.as("lines"),
      sql<number | null>`max(n)`.as("count"),
      "sort_key",
      "participant_seq",
      "schedule_id",
      "source_rowid",
      "former",
    ]);
}
const csvFirst = preparedQuery((db, providerId: string, cohortsJson: string | null, limit: number) => csvBatchQuery(db as Db, providerId, cohortsJson, null, null, limit));
const csvFirstSince = preparedQuery((db, providerId: string, cohortsJson: string | null, since: string, limit: number) =>
  csvBatchQuery(db as Db, providerId, cohortsJson, since, null, limit),
);
const csvNext = preparedQuery(
  (db, providerId: string, cohortsJson: string | null, key: string, seq: number, scheduleId: string, rowid: number, former: number, limit: number) =>
    csvBatchQuery(db as Db, providerId, cohortsJson, null, { key, seq, scheduleId, rowid, former }, limit),
);
const csvNextSince = preparedQuery(
  (db, providerId: string, cohortsJson: string | null, since: string, key: string, seq: number, scheduleId: string, rowid: number, former: number, limit: number) =>
    csvBatchQuery(db as Db, providerId, cohortsJson, since, { key, seq, scheduleId, rowid, former }, limit),
);

/**
 * The CSV export's batches: each call the next `limit` lines as UTF-8 bytes
 * and how many there are (one forward walk of the list index, a row-value
 * seek per batch; no row objects, no string building in JavaScript).
 */
export function participantCsvLineBatches(db: Db, providerId: string, filter: ParticipantFilter): (limit: number) => Promise<{ bytes: Uint8Array<ArrayBuffer>; count: number }> {
  const cohorts = cohortsJsonOf(filter);
  const since = filter.updatedSince;
  let after: DocumentCursor | null = null;
  return async (limit) => {
    const [row] = after
      ? since === null
        ? await csvNext(db, providerId, cohorts, after.key, after.seq, after.scheduleId, after.rowid, after.former, limit)
        : await csvNextSince(db, providerId, cohorts, since, after.key, after.seq, after.scheduleId, after.rowid, after.former, limit)
      : since === null
        ? await csvFirst(db, providerId, cohorts, limit)
        : await csvFirstSince(db, providerId, cohorts, since, limit);
    if (!row || !row.lines || !row.count) return { bytes: new Uint8Array(0), count: 0 };
    after = { key: row.sort_key, seq: row.participant_seq, scheduleId: row.schedule_id, rowid: row.source_rowid, former: row.former };
    return { bytes: row.lines, count: row.count };
  };
}

/** Lines per batch: ~450 KB of text, a few ms of the loop's time at a go. */
export const CSV_BATCH_LINES = 2000;

/**
 * The participants CSV (§4.5) streamed from the stored lines: the header
 * with the first batch; no rows at all is an empty body with no header.
 */
export function participantCsvStream(db: Db, providerId: string, filter: ParticipantFilter, options: CsvStreamOptions = {}): ReadableStream<Uint8Array> {
  return csvBytesStream(HEADER, participantCsvLineBatches(db, providerId, filter), { batchSize: CSV_BATCH_LINES, ...options });
}
const HEADER = new TextEncoder().encode(csvRow(ParticipantResource.csvHeader));

// ---------------------------------------------------------------------------
// The stored documents: derived objects, rebuilt from ParticipantResource
// ---------------------------------------------------------------------------

const DOCUMENT_COLUMNS =
  "former, source_rowid, lead_provider_id, participant_id, participant_type, schedule_id, participant_created_at, participant_updated_at, participant_seq, record_seq, resource, csv";

/** Each visible view of a record: the record itself for its current provider, and each former provider's last view of it. */
const PARTICIPANT_VIEWS = `create view participant_views as
    select 0 as former, tr.rowid as source_rowid, tr.lead_provider_id, tr.rowid as record_seq, tr.schedule_id,
           tr.mentor_id, tr.school_urn, tr.induction_status, tr.training_status, tr.updated_at as view_updated_at
      from training_records tr
    union all
    select 1, fv.rowid, fv.lead_provider_id, tr.rowid, fv.schedule_id,
           fv.mentor_id, fv.school_urn, fv.induction_status, fv.training_status, fv.updated_at
      from former_provider_views fv join training_records tr on tr.id = fv.training_record_id`;

/** The rows of participant_documents, rendered from the definition over the aliases it reads (`v`, `tr`, `p`, `s`). */
const PARTICIPANT_SOURCE = `create view participant_document_source as
    select v.former, v.source_rowid, v.lead_provider_id, p.id as participant_id, tr.participant_type, v.schedule_id,
           p.created_at as participant_created_at, p.updated_at as participant_updated_at, p.rowid as participant_seq, v.record_seq,
           ${ParticipantResource.jsonSql} as resource,
           ${ParticipantResource.csvSql} as csv
      from participant_views v
      join training_records tr on tr.rowid = v.record_seq
      join participants p on p.id = tr.participant_id
      join schedules s on s.id = v.schedule_id`;

// Triggers rewrite the documents a write changes, in the writer's transaction, whoever writes (the app, the CLI,
// another process). Delete, then insert from the source: a view that stopped existing leaves no row behind.
const refresh = (former: 0 | 1, rowids: string) => `
    delete from participant_documents where former = ${former} and source_rowid in (${rowids});
    insert into participant_documents (${DOCUMENT_COLUMNS}) select ${DOCUMENT_COLUMNS} from participant_document_source where former = ${former} and source_rowid in (${rowids});`;
const formerViewsOf = (recordId: string) => `select rowid from former_provider_views where training_record_id = ${recordId}`;
/**
 * The training_records columns a document is rendered from: every `tr.` the
 * views and the definition's SQL read. An update of any other column leaves
 * the documents as they are, so it fires nothing (the sort-key copies of
 * migration 0002 follow the person, whose own trigger rewrites everything;
 * migration 0004's profile columns; `cohort`, which follows `schedule_id`).
 */
const RECORD_COLUMNS = [...new Set([...`${PARTICIPANT_VIEWS}\n${PARTICIPANT_SOURCE}`.matchAll(/\btr\.(\w+)/g)].map((m) => m[1]!))].filter((c) => c !== "rowid");
const TRIGGERS = {
  record_insert: `after insert on training_records begin ${refresh(0, "new.rowid")} end`,
  record_update: `after update of ${RECORD_COLUMNS.join(", ")} on training_records begin
    ${refresh(0, "new.rowid")}
    ${refresh(1, formerViewsOf("new.id"))}
    ${refresh(1, formerViewsOf("old.id"))}
  end`,
  record_delete: `after delete on training_records begin delete from participant_documents where former = 0 and source_rowid = old.rowid; end`,
  view_insert: `after insert on former_provider_views begin ${refresh(1, "new.rowid")} end`,
  view_update: `after update on former_provider_views begin ${refresh(1, "old.rowid")} ${refresh(1, "new.rowid")} end`,
  view_delete: `after delete on former_provider_views begin delete from participant_documents where former = 1 and source_rowid = old.rowid; end`,
  person_update: `after update on participants begin
    ${refresh(0, "select rowid from training_records where participant_id = new.id")}
    ${refresh(1, "select fv.rowid from former_provider_views fv join training_records tr on tr.id = fv.training_record_id where tr.participant_id = new.id")}
  end`,
};

/**
 * participant_documents' views, triggers and rows (db/derived.ts): rebuilt at
 * start, and after a snapshot restore, whenever their SQL here (generated
 * from ParticipantResource) is not the SQL the database's rows were rendered by.
 */
export const PARTICIPANT_DOCUMENTS: DerivedObjects = {
  name: "participant_documents",
  drop: [
    ...Object.keys(TRIGGERS).map((name) => `drop trigger if exists participant_documents_${name}`),
    "drop view if exists participant_document_source",
    "drop view if exists participant_views",
  ],
  create: [PARTICIPANT_VIEWS, PARTICIPANT_SOURCE, ...Object.entries(TRIGGERS).map(([name, body]) => `create trigger participant_documents_${name} ${body}`)],
  render: ["delete from participant_documents", `insert into participant_documents (${DOCUMENT_COLUMNS}) select ${DOCUMENT_COLUMNS} from participant_document_source`],
};
