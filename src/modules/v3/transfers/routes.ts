import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { londonDate } from "../../../lib/london";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { pagination, sortParts, updatedSince } from "../http/params";
import { TransferListQuery, TransferParams, TransferShowQuery, listOperation, showOperation } from "./model";
import { TRANSFER_SORTABLE, listTransfers, showTransfers } from "./service";

/**
 * `GET /api/v3/participants/transfers`, `GET /api/v3/participants/{id}/transfers`
 * (app/controllers/api/v3/transfers_controller.rb). `status` depends on today: cached per London day.
 * `/participants/transfers` is a static path, so the router never reads it as `/participants/{id}`.
 */
export function transfersRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/participants/transfers",
      ({ request, caller, rack, now }) => {
        const since = updatedSince(rack);
        const sort = sortParts(rack, TRANSFER_SORTABLE);
        const page = pagination(rack);
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => listTransfers(ctx.db, caller.leadProviderId, today, since, sort, page));
      },
      { query: TransferListQuery, ...listOperation },
    )
    .get(
      "/participants/:id/transfers",
      ({ request, caller, now, params: { id } }) => {
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => showTransfers(ctx.db, caller.leadProviderId, today, id));
      },
      { params: TransferParams, query: TransferShowQuery, ...showOperation },
    );
}
