/**
 * The declaration reads with the JSON built by SQLite from the definition
 * (resource.ts, `v2DeclarationJson`), the one renderer of every declaration
 * answer, and the queries built and compiled once: a page is one
 * index walk and one concatenated blob, with no row objects in between. Who
 * sees what is the rule of `visibleDeclarations` (§2.2): the caller's own
 * declarations, plus the billable ones on records transferred in to it.
 */
import { type Kysely, sql } from "kysely";
import type { Database, DbOrTrx } from "../../../db/schema";
import { preparedQuery } from "../../../db/prepared";
import { CREATED_ATTRIBUTES, DeclarationResource } from "./resource";
import type { DeclarationListFilter } from "./queries";

type Db = Kysely<Database>;

/**
 * The declaration as SQLite renders it from its definition (resource.ts;
 * `json_object` keeps the key order and escapes as JSON.stringify does), over
 * the `declarations` row in scope: every answer's JSON, and the CSV line.
 */
export const v2DeclarationJson = sql<string>`${sql.raw(DeclarationResource.jsonSql)}`;
const createdDeclarationJson = sql<string>`${sql.raw(DeclarationResource.jsonSqlOf(CREATED_ATTRIBUTES))}`;

/** The caller's current records that came from another provider (and are still active or completed), as queries.ts transferredInRecordIds reads them. */
function transferredIn(db: Db, callerId: string) {
  return db
    .selectFrom("training_records as tr")
    .select("tr.id")
    .where("tr.id", "in", db.selectFrom("former_provider_views").select("training_record_id"))
    .where(sql`+tr.lead_provider_id`, "=", callerId)
    .where("tr.induction_status", "in", [sql.lit("active"), sql.lit("completed")] as any);
}

const hasTransferredIn = preparedQuery((db, callerId: string) => transferredIn(db as Db, callerId).limit(1));

/**
 * One page's documents joined by commas. `withTransfers`: the caller also
 * sees records transferred in (an OR that cannot walk the provider index in
 * order, so only when there are some); `byParticipant`: filtered to one person.
 */
function pageQuery(db: Db, callerId: string, participantId: string | null, since: string | null, limit: number, offset: number, withTransfers: boolean) {
  let q = db
    .selectFrom("declarations")
    .where((eb) =>
      withTransfers
        ? eb.or([
            eb("declarations.lead_provider_id", "=", callerId),
            eb.and([eb("declarations.billable", "=", 1), eb("declarations.training_record_id", "in", transferredIn(db, callerId))]),
          ])
        : eb("declarations.lead_provider_id", "=", callerId),
    )
    .where((eb) => eb.or([eb(sql.val(since), "is", null), eb("declarations.updated_at", ">", sql<string>`${since}`)]));
  if (participantId !== null) q = q.where("declarations.participant_id", "=", participantId);
  const page = q.select(v2DeclarationJson.as("json")).orderBy("declarations.created_at").orderBy(sql`declarations.rowid`).limit(limit).offset(offset);
  return db.selectFrom(page.as("page")).select(sql<Uint8Array<ArrayBuffer>>`cast(concat('{"data":[', group_concat(json, ','), ']}') as blob)`.as("json"));
}
const pageOwn = preparedQuery((db, callerId: string, since: string | null, limit: number, offset: number) =>
  pageQuery(db as Db, callerId, null, since, limit, offset, false),
);
const pageOwnOfPerson = preparedQuery((db, callerId: string, participantId: string, since: string | null, limit: number, offset: number) =>
  pageQuery(db as Db, callerId, participantId, since, limit, offset, false),
);
const pageWithTransfers = preparedQuery((db, callerId: string, since: string | null, limit: number, offset: number) =>
  pageQuery(db as Db, callerId, null, since, limit, offset, true),
);
const pageWithTransfersOfPerson = preparedQuery((db, callerId: string, participantId: string, since: string | null, limit: number, offset: number) =>
  pageQuery(db as Db, callerId, participantId, since, limit, offset, true),
);


/** The JSON:API document of one list page (§5.5), as UTF-8 bytes. */
export async function declarationListJson(db: Db, callerId: string, filter: DeclarationListFilter, limit: number, offset: number): Promise<Uint8Array<ArrayBuffer>> {
  const transfers = (await hasTransferredIn(db, callerId)).length > 0;
  const since = filter.updatedAfter;
  const person = filter.participantId;
  const [row] = transfers
    ? person === null
      ? await pageWithTransfers(db, callerId, since, limit, offset)
      : await pageWithTransfersOfPerson(db, callerId, person, since, limit, offset)
    : person === null
      ? await pageOwn(db, callerId, since, limit, offset)
      : await pageOwnOfPerson(db, callerId, person, since, limit, offset);
  return row!.json;
}

const oneVisible = preparedQuery((db, id: string, callerId: string, participantId: string | null, since: string | null) =>
  (db as Db)
    .selectFrom("declarations")
    .where("declarations.id", "=", id)
    // the list's filters apply to the show as well (live)
    .where((eb) => eb.or([eb(sql.val(participantId), "is", null), eb("declarations.participant_id", "=", sql<string>`${participantId}`)]))
    .where((eb) => eb.or([eb(sql.val(since), "is", null), eb("declarations.updated_at", ">", sql<string>`${since}`)]))
    .where((eb) =>
      eb.or([
        eb("declarations.lead_provider_id", "=", callerId),
        eb.and([eb("declarations.billable", "=", 1), eb("declarations.training_record_id", "in", transferredIn(db as Db, callerId))]),
      ]),
    )
    .select(v2DeclarationJson.as("json")),
);

/** The JSON:API document of one declaration the caller sees (under the list's filters), or null. */
export async function declarationJson(
  db: Db,
  callerId: string,
  id: string,
  filter: DeclarationListFilter = { participantId: null, updatedAfter: null },
): Promise<string | null> {
  const [row] = await oneVisible(db, id, callerId, filter.participantId, filter.updatedAfter);
  return row ? `{"data":${row.json}}` : null;
}

const documentById = preparedQuery((db, id: string) => db.selectFrom("declarations").select(v2DeclarationJson.as("json")).where("declarations.id", "=", id));
const createdDocumentById = preparedQuery((db, id: string) =>
  db.selectFrom("declarations").select(createdDeclarationJson.as("json")).where("declarations.id", "=", id),
);

/** `{"data":…}` of a declaration just written (void, an admin move: the v2 serializer), whoever sees it; in the writer's transaction. */
export async function declarationDocumentById(db: DbOrTrx, id: string): Promise<string> {
  const [row] = await documentById(db, id);
  return `{"data":${row!.json}}`;
}

/** `{"data":…}` of a declaration just recorded, as the POST answers it (the v1 serializer, appendix A 6); in the writer's transaction. */
export async function createdDeclarationDocumentById(db: DbOrTrx, id: string): Promise<string> {
  const [row] = await createdDocumentById(db, id);
  return `{"data":${row!.json}}`;
}
