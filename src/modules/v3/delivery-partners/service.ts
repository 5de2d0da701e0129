import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { deliveryPartnerDocument, deliveryPartnerDocuments } from "./queries";

export async function listDeliveryPartners(db: DbOrTrx, leadProviderId: number, cohorts: number[] | null, sort: SortPart[] | null, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await deliveryPartnerDocuments(db, leadProviderId, cohorts, sort, page));
}

/** A partner not paired with the caller in any cohort → 404 (docs/reference/rect/rules.md §12). */
export async function showDeliveryPartner(db: DbOrTrx, leadProviderId: number, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await deliveryPartnerDocument(db, leadProviderId, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}
