/**
 * Participants (docs/reference/rect/rules.md §6). `showParticipant` is also the
 * answer of the participant actions (PUT /participants/{id}/…, §7).
 */
import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { type ParticipantFilters, sqlFilters } from "./queries";
import { storedParticipantDocument, storedParticipantDocuments } from "./read-model";

export async function listParticipants(db: DbOrTrx, leadProviderId: number, today: string, filters: ParticipantFilters, sort: SortPart[] | null, page: Page): Promise<string> {
  if (page.beyond) return listDocumentText([]);
  return listDocumentText(await storedParticipantDocuments(db, leadProviderId, today, sqlFilters(filters), sort, page));
}

/**
 * `{"data": participant}` as GET /api/v3/participants/{id} renders it, as of
 * `today` (London `YYYY-MM-DD`): a teacher the caller does not train, an
 * unknown or a non-UUID id throws V3_NOT_FOUND (`find_by!`, query.rb:30-34).
 * No filter applies (participants_controller.rb:19-21).
 */
export async function showParticipant(db: DbOrTrx, leadProviderId: number, apiId: string, today: string): Promise<string> {
  const id = castUuid(apiId);
  const document = id === null ? undefined : await storedParticipantDocument(db, leadProviderId, today, id);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}

/** `sort` on Teacher's columns, shared with the transfers list (transfers_controller.rb:36-42 sorts Teacher too). */
export { TEACHER_SORT_COLUMNS } from "./queries";

/** The read model's derived objects (src/derived-objects.ts rebuilds them). */
export { RECT_PARTICIPANT_DOCUMENTS, rewriteExpiredDocuments } from "./read-model";
