import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { unfundedMentorDocument, unfundedMentorDocuments } from "./queries";

export async function listUnfundedMentors(db: DbOrTrx, leadProviderId: number, today: string, updatedSince: Date | null, sort: SortPart[] | null, page: Page): Promise<string> {
  return listDocumentText(page.beyond ? [] : await unfundedMentorDocuments(db, leadProviderId, today, updatedSince, sort, page));
}

/** By the teacher's id: a teacher not among the caller's unfunded mentors → 404 (query.rb:23-27, `find_by!`). */
export async function showUnfundedMentor(db: DbOrTrx, leadProviderId: number, today: string, id: string): Promise<string> {
  const apiId = castUuid(id);
  const document = apiId === null ? undefined : await unfundedMentorDocument(db, leadProviderId, today, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}
