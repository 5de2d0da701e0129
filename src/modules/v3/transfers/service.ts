/** Participant transfers (docs/reference/rect/rules.md §8). */
import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { TEACHER_SORT_COLUMNS } from "../participants/service";
import { transferDocument, transferDocuments } from "./queries";

export const TRANSFER_SORTABLE = Object.keys(TEACHER_SORT_COLUMNS);

export async function listTransfers(db: DbOrTrx, leadProviderId: number, today: string, updatedSince: Date | null, sort: SortPart[] | null, page: Page): Promise<string> {
  if (page.beyond) return listDocumentText([]);
  return listDocumentText(await transferDocuments(db, leadProviderId, { today }, updatedSince, { columns: TEACHER_SORT_COLUMNS, parts: sort }, page));
}

/** A teacher without a transfer for the caller, unknown, or a non-UUID id → 404 (`find_by!`, query.rb:26-30). */
export async function showTransfers(db: DbOrTrx, leadProviderId: number, today: string, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await transferDocument(db, leadProviderId, { today }, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}
