/**
 * The v3 delivery partner, defined once (docs/reference/rect/rules.md §12; app/serializers/api/delivery_partner_serializer.rb:9-17).
 * Its SQL reads `dp` (rect_delivery_partners); `cohort` needs the caller.
 */
import { t } from "elysia";
import { sql } from "kysely";
import { defineResource, value } from "../http/resource";

export interface DeliveryPartnerSqlParams {
  leadProviderId: number;
}

export const deliveryPartnerResource = defineResource<any, DeliveryPartnerSqlParams>({
  type: "delivery-partner",
  id: sql`dp.api_id`,
  exampleId: "3a1b2c3d-7308-4879-942a-c4a70ced400a",
  description: "A delivery partner the caller works with in at least one cohort",
  attributes: {
    name: { schema: t.String({ description: "The delivery partner's name", example: "Delivery Partner One" }), sql: value.text("dp.name"), example: "Delivery Partner One" },
    created_at: { schema: t.String({ format: "date-time", example: "2025-06-01T09:00:00Z" }), sql: value.text("dp.created_at"), example: "2025-06-01T09:00:00Z" },
    updated_at: {
      schema: t.String({ format: "date-time", description: "Moved by a name change, and when a partnership with a provider is made or ended", example: "2025-06-01T09:00:00Z" }),
      sql: value.text("dp.api_updated_at"),
      example: "2025-06-01T09:00:00Z",
    },
    cohort: {
      schema: t.Array(t.String(), { description: "The cohorts in which the caller works with this delivery partner", example: ["2024", "2025"] }),
      // the caller's active lead providers paired with this partner, in the pairings' order (the serializer's `select`)
      sql: (p: DeliveryPartnerSqlParams) =>
        sql`json((SELECT json_group_array(year) FROM (SELECT CAST(alp.contract_period_year AS TEXT) AS year
          FROM rect_lead_provider_delivery_partnerships AS lpdp
          JOIN rect_active_lead_providers AS alp ON alp.id = lpdp.active_lead_provider_id
          WHERE lpdp.delivery_partner_id = dp.id AND alp.lead_provider_id = ${p.leadProviderId}
          ORDER BY lpdp.id)))`,
      example: ["2024", "2025"],
    },
  },
});
