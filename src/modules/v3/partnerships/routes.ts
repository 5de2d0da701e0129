import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { londonDate } from "../../../lib/london";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { cohortList, filterValue, pagination, sortParts, updatedSince } from "../http/params";
import { PartnershipListQuery, PartnershipParams, PartnershipShowQuery, listOperation, showOperation } from "./model";
import { PARTNERSHIP_SORT_COLUMNS } from "./queries";
import { deliveryPartnerFilter } from "./rules";
import { listPartnerships, showPartnership } from "./service";

const SORTABLE = Object.keys(PARTNERSHIP_SORT_COLUMNS);

/**
 * `GET /api/v3/partnerships`, `GET /api/v3/partnerships/{id}` (app/controllers/api/v3/partnerships_controller.rb).
 * `participants_currently_training` depends on today, so the cached answer is kept per London day too.
 */
export function partnershipsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/partnerships",
      ({ request, caller, rack, now }) => {
        const filters = { cohorts: cohortList(rack), updatedSince: updatedSince(rack), deliveryPartnerIds: deliveryPartnerFilter(filterValue(rack, "delivery_partner_id")) };
        const sort = sortParts(rack, SORTABLE);
        const page = pagination(rack);
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => listPartnerships(ctx.db, caller.leadProviderId, today, filters, sort, page));
      },
      { query: PartnershipListQuery, ...listOperation },
    )
    .get(
      "/partnerships/:id",
      ({ request, caller, now, params: { id } }) => {
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => showPartnership(ctx.db, caller.leadProviderId, today, id));
      },
      { params: PartnershipParams, query: PartnershipShowQuery, ...showOperation },
    );
}
