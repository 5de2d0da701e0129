import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { v3Api } from "../auth/plugin";
import { cachedV3Json } from "../http/envelope";
import { cohortList, pagination, sortParts } from "../http/params";
import { DeliveryPartnerListQuery, DeliveryPartnerParams, DeliveryPartnerShowQuery, listOperation, showOperation } from "./model";
import { DELIVERY_PARTNER_SORT_COLUMNS } from "./queries";
import { listDeliveryPartners, showDeliveryPartner } from "./service";

const SORTABLE = Object.keys(DELIVERY_PARTNER_SORT_COLUMNS);

/** `GET /api/v3/delivery-partners`, `GET /api/v3/delivery-partners/{id}` (app/controllers/api/v3/delivery_partners_controller.rb). */
export function deliveryPartnersRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/delivery-partners",
      ({ request, caller, rack }) => {
        const cohorts = cohortList(rack);
        const sort = sortParts(rack, SORTABLE);
        const page = pagination(rack);
        return cachedV3Json(ctx, request, caller.leadProviderApiId, () => listDeliveryPartners(ctx.db, caller.leadProviderId, cohorts, sort, page));
      },
      { query: DeliveryPartnerListQuery, ...listOperation },
    )
    .get(
      "/delivery-partners/:id",
      ({ request, caller, params: { id } }) =>
        cachedV3Json(ctx, request, caller.leadProviderApiId, () => showDeliveryPartner(ctx.db, caller.leadProviderId, id)),
      { params: DeliveryPartnerParams, query: DeliveryPartnerShowQuery, ...showOperation },
    );
}
