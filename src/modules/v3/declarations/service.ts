/**
 * The v3 declarations feature (docs/reference/rect/rules.md §10): the only caller of its
 * queries and rules.
 */
import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { type DeclarationFilters, declarationDocument, declarationDocuments } from "./queries";

export async function listDeclarations(db: DbOrTrx, leadProviderId: number, filters: DeclarationFilters, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await declarationDocuments(db, leadProviderId, filters, page));
}

/** By id, in the visible set (query.rb:28-29 `find_by!`); outside it, or not a UUID → 404. */
export async function showDeclaration(db: DbOrTrx, leadProviderId: number, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await declarationDocument(db, leadProviderId, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}
