import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { type StatementFilters, statementDocument, statementDocuments } from "./queries";

export async function listStatements(db: DbOrTrx, leadProviderId: number, filters: StatementFilters, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await statementDocuments(db, leadProviderId, filters, page));
}

/** By id: another provider's, a service fee statement or a non-UUID id → 404 (`find_by!`). */
export async function showStatement(db: DbOrTrx, leadProviderId: number, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await statementDocument(db, leadProviderId, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}
