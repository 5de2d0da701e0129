import { sql } from "kysely";
import type { DbOrTrx } from "../../../../db/schema";
import { toTimestamp } from "../../../lib/time";
import type { Page } from "../http/params";
import { statementResource } from "./resource";

export interface StatementFilters {
  cohorts: number[] | null;
  updatedSince: Date | null;
}

/** The caller's output statements (app/services/api/statements/query.rb:11,51-75). */
function callerStatements(db: DbOrTrx, leadProviderId: number) {
  return db
    .selectFrom("rect_statements as s")
    .innerJoin("rect_active_lead_providers as alp", "alp.id", "s.active_lead_provider_id")
    .select(statementResource.documentSql().as("document"))
    .where("alp.lead_provider_id", "=", leadProviderId)
    .where("s.fee_type", "=", "output");
}

/** One page of documents, `payment_date` ascending (no tie-breaker in RECT; ours is the row's age). */
export async function statementDocuments(db: DbOrTrx, leadProviderId: number, filters: StatementFilters, page: Page): Promise<string[]> {
  let query = callerStatements(db, leadProviderId);
  if (filters.cohorts !== null) query = filters.cohorts.length ? query.where("alp.contract_period_year", "in", filters.cohorts) : query.where(sql<boolean>`0`);
  if (filters.updatedSince !== null) query = query.where("s.api_updated_at", ">=", toTimestamp(filters.updatedSince));
  const rows = await query.orderBy("s.payment_date").orderBy("s.id").limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.document);
}

export async function statementDocument(db: DbOrTrx, leadProviderId: number, apiId: string): Promise<string | undefined> {
  return (await callerStatements(db, leadProviderId).where("s.api_id", "=", apiId).executeTakeFirst())?.document;
}
