import type { DbOrTrx } from "../../../../db/schema";
import { castUuid } from "../../../http/ruby-compat";
import { V3_NOT_FOUND } from "../http/envelope";
import type { Page, SortPart } from "../http/params";
import { listDocumentText, singleDocumentText } from "../http/resource";
import { type SchoolFilters, contractPeriodExists, schoolDocument, schoolDocuments, schoolMetadataState, schoolProgrammeChoice } from "./queries";

export async function listSchools(db: DbOrTrx, leadProviderId: number, filters: SchoolFilters, sort: { parts: SortPart[]; metadata: boolean } | null, page: Page): Promise<string> {
  if (filters.year === null || page.beyond || Number.isNaN(filters.urn) || !(await contractPeriodExists(db, filters.year))) return listDocumentText([]);
  return listDocumentText(await schoolDocuments(db, leadProviderId, filters.year, filters, sort, page));
}

/** By id, for the cohort asked for: an unknown cohort, or a school not in its set, is a 404. */
export async function showSchool(db: DbOrTrx, leadProviderId: number, year: number | null, id: string): Promise<string> {
  const apiId = castUuid(id);
  if (apiId === null || year === null || !(await contractPeriodExists(db, year))) throw V3_NOT_FOUND;
  const document = await schoolDocument(db, leadProviderId, year, apiId);
  if (document === undefined) throw V3_NOT_FOUND;
  return singleDocumentText(document);
}

/** The school's cohort metadata a training period change can move (for the §15 touches of the writes that make one). */
export async function schoolMetadata(db: DbOrTrx, schoolId: number): Promise<{ choices: Record<number, string>; pairings: string[] }> {
  return schoolMetadataState(db, schoolId);
}

/** A school's `induction_programme_choice` for a cohort (its cohort metadata, docs/reference/rect/rules.md §14.2), for the partnerships' P13 check; null without a cohort record. */
export async function programmeChoiceOf(db: DbOrTrx, schoolId: number, year: number): Promise<string | null> {
  return (await schoolProgrammeChoice(db, schoolId, year)) ?? null;
}
