/** The delivery partners routes' schemas (docs/reference/rect/rules.md §12). */
import { t } from "elysia";
import { v3CohortListQuery, v3FilterBadRequest, v3IdParams, v3ListBadRequest, v3NotFound, v3Ok, v3Operation, v3PageQuery, v3SortQuery } from "../http/openapi";
import { deliveryPartnerResource } from "./resource";

const TAGS = ["v3 delivery partners"];

export const DeliveryPartnerListQuery = t.Object(
  { "filter[cohort]": v3CohortListQuery, sort: v3SortQuery("`created_at` ascending"), ...v3PageQuery },
  { additionalProperties: true, description: "`filter[updated_since]` is not read here (RECT ignores it, without checking it)" },
);
export const DeliveryPartnerShowQuery = t.Object({}, { additionalProperties: true });
export const DeliveryPartnerParams = v3IdParams("delivery partner", deliveryPartnerResource.example.id);

export const listOperation = v3Operation({
  operationId: "v3_delivery_partners_index",
  tags: TAGS,
  summary: "The delivery partners the caller works with",
  answers: {
    200: v3Ok(deliveryPartnerResource.listSchema, "A page of delivery partners", { data: [deliveryPartnerResource.example] }),
    400: v3ListBadRequest,
  },
});

export const showOperation = v3Operation({
  operationId: "v3_delivery_partners_show",
  tags: TAGS,
  summary: "One delivery partner the caller works with",
  answers: {
    200: v3Ok(deliveryPartnerResource.singleSchema, "The delivery partner", { data: deliveryPartnerResource.example }),
    400: v3FilterBadRequest,
    404: v3NotFound,
  },
});
