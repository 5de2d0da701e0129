import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { type PartnershipFilters, partnershipDocument, partnershipDocuments } from "./queries";

export async function listPartnerships(db: DbOrTrx, leadProviderId: number, today: string, filters: PartnershipFilters, sort: SortPart[] | null, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await partnershipDocuments(db, leadProviderId, today, filters, sort, page));
}

/** By id, among the caller's partnerships only: another provider's, or a non-UUID id → 404 (`find_by!`, query.rb:31-35). */
export async function showPartnership(db: DbOrTrx, leadProviderId: number, today: string, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await partnershipDocument(db, leadProviderId, today, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}
