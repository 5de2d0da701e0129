import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { cohortList, pagination, updatedSince } from "../http/params";
import { StatementListQuery, StatementParams, StatementShowQuery, listOperation, showOperation } from "./model";
import { listStatements, showStatement } from "./service";

/** `GET /api/v3/statements`, `GET /api/v3/statements/{id}` (app/controllers/api/v3/statements_controller.rb). */
export function statementsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/statements",
      ({ request, caller, rack }) => {
        const filters = { cohorts: cohortList(rack), updatedSince: updatedSince(rack) };
        const page = pagination(rack);
        return cachedV3Json(ctx, request, caller.leadProviderApiId, () => listStatements(ctx.db, caller.leadProviderId, filters, page));
      },
      { query: StatementListQuery, ...listOperation },
    )
    .get(
      "/statements/:id",
      ({ request, caller, params: { id } }) => cachedV3Json(ctx, request, caller.leadProviderApiId, () => showStatement(ctx.db, caller.leadProviderId, id)),
      { params: StatementParams, query: StatementShowQuery, ...showOperation },
    );
}
