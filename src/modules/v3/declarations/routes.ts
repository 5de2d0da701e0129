import { Elysia } from "elysia";
import type { AppContext } from "../../../context";
import { v3Api } from "../auth/plugin";
import { cachedV3Json, v3Json } from "../http/envelope";
import { cohortList, pagination, updatedSince, uuidList } from "../http/params";
import { readIgnoredBody, readWriteAttributes } from "../http/write-body";
import { CREATE_ATTRIBUTES, DeclarationListQuery, DeclarationParams, DeclarationShowQuery, createOperation, listOperation, showOperation, voidOperation } from "./model";
import { createDeclaration, listDeclarations, showDeclaration, voidDeclaration } from "./service";

/** `/api/v3/participant-declarations` (app/controllers/api/v3/declarations_controller.rb). */
export function declarationsRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/api/v3" })
    .use(v3Api(ctx))
    .get(
      "/participant-declarations",
      ({ request, caller, rack }) => {
        // declarations_controller.rb:7-12, in that order
        const filters = {
          cohorts: cohortList(rack),
          participantIds: uuidList(rack, "participant_id"),
          deliveryPartnerIds: uuidList(rack, "delivery_partner_id"),
          updatedSince: updatedSince(rack),
        };
        const page = pagination(rack);
        return cachedV3Json(ctx, request, caller.leadProviderApiId, () => listDeclarations(ctx.db, caller.leadProviderId, filters, page));
      },
      { query: DeclarationListQuery, ...listOperation },
    )
    .post(
      "/participant-declarations",
      async ({ request, caller, rack, now }) => {
        const attributes = await readWriteAttributes(request, rack, CREATE_ATTRIBUTES, ctx.requests.of(request));
        return v3Json(await createDeclaration(ctx.db, { leadProviderId: caller.leadProviderId, now, attributes }));
      },
      { parse: "none", query: DeclarationShowQuery, ...createOperation },
    )
    .get(
      "/participant-declarations/:id",
      ({ request, caller, params: { id } }) => cachedV3Json(ctx, request, caller.leadProviderApiId, () => showDeclaration(ctx.db, caller.leadProviderId, id)),
      { params: DeclarationParams, query: DeclarationShowQuery, ...showOperation },
    )
    .put(
      "/participant-declarations/:id/void",
      async ({ request, caller, rack, now, params: { id } }) => {
        await readIgnoredBody(request, rack, ctx.requests.of(request));
        return v3Json(await voidDeclaration(ctx.db, caller.leadProviderId, id, now));
      },
      { parse: "none", params: DeclarationParams, query: DeclarationShowQuery, ...voidOperation },
    );
}
