import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { londonDate } from "../../../lib/london";
import { v3Api } from "../auth/plugin";
import { v3WriteAttributes } from "../http/body";
import { cachedV3Json, v3Json } from "../http/envelope";
import { cohortList, filterValue, pagination, sortParts, updatedSince } from "../http/params";
import {
  PartnershipListQuery,
  PartnershipParams,
  PartnershipShowQuery,
  createOperation,
  createRequestBody,
  listOperation,
  showOperation,
  updateOperation,
  updateRequestBody,
} from "./model";
import { PARTNERSHIP_SORT_COLUMNS } from "./queries";
import { deliveryPartnerFilter } from "./rules";
import { createPartnership, findCallerPartnership, listPartnerships, showPartnership, updatePartnership } from "./service";

const SORTABLE = Object.keys(PARTNERSHIP_SORT_COLUMNS);
/** The attributes each write permits (partnerships_controller.rb:44-50). */
const CREATE_KEYS = ["cohort", "school_id", "delivery_partner_id"] as const;
const UPDATE_KEYS = ["delivery_partner_id"] as const;

/**
 * `GET`/`POST /api/v3/partnerships`, `GET`/`PUT`/`PATCH /api/v3/partnerships/{id}`
 * (app/controllers/api/v3/partnerships_controller.rb). `participants_currently_training`
 * depends on today, so a cached answer is kept per London day too. The writes read
 * their body in the handler (`parse: "none"`), after authentication and, for PUT, the lookup.
 */
export function partnershipsRoutes(ctx: AppContext) {
  const clock = (now: Date) => ({ now, dbNow: ctx.clock.now(), today: londonDate(now) });
  const update = async ({ request, caller, rack, now, params: { id } }: { request: Request; caller: { leadProviderId: number }; rack: Parameters<typeof v3WriteAttributes>[2]; now: Date; params: { id: string } }) => {
    const partnership = await findCallerPartnership(ctx.db, caller.leadProviderId, id);
    const attributes = await v3WriteAttributes(ctx, request, rack, UPDATE_KEYS);
    return v3Json(await updatePartnership(ctx.db, partnership.id, attributes, clock(now)));
  };
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
    .post(
      "/partnerships",
      async ({ request, caller, rack, now }) => {
        const attributes = await v3WriteAttributes(ctx, request, rack, CREATE_KEYS);
        return v3Json(await createPartnership(ctx.db, caller.leadProviderId, attributes, clock(now)));
      },
      { parse: "none", query: PartnershipShowQuery, ...createOperation, detail: { ...createOperation.detail, requestBody: createRequestBody } },
    )
    .get(
      "/partnerships/:id",
      ({ request, caller, now, params: { id } }) => {
        const today = londonDate(now);
        return cachedV3Json(ctx, request, `${caller.leadProviderApiId} ${today}`, () => showPartnership(ctx.db, caller.leadProviderId, today, id));
      },
      { params: PartnershipParams, query: PartnershipShowQuery, ...showOperation },
    )
    .put("/partnerships/:id", update, { parse: "none", params: PartnershipParams, query: PartnershipShowQuery, ...updateOperation("put"), detail: { ...updateOperation("put").detail, requestBody: updateRequestBody } })
    .patch("/partnerships/:id", update, {
      parse: "none",
      params: PartnershipParams,
      query: PartnershipShowQuery,
      ...updateOperation("patch"),
      detail: { ...updateOperation("patch").detail, requestBody: updateRequestBody },
    });
}
