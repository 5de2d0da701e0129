/** The partnerships endpoints' readings of their parameters (docs/reference/rect/rules.md §13), pure. */
import { type RackValue, castUuid, isBlank } from "../../../http/ruby-compat";

/**
 * `filter[delivery_partner_id]` (partnerships_controller.rb:8,63-65,75-77):
 * read through `params.permit(filter: %i[delivery_partner_id])`, which keeps
 * a scalar only, so a list (`filter[delivery_partner_id][]=`) or a hash is
 * dropped and the filter is not applied (null). A string is split on `,`
 * with no UUID check (condition_extractable.rb:7-27); each item is cast as
 * the uuid column casts it, and one that does not cast matches nothing.
 * Blank: not applied.
 */
export function deliveryPartnerFilter(value: RackValue | undefined): string[] | null {
  if (typeof value !== "string" || isBlank(value)) return null;
  return [...new Set(value.split(",").map(castUuid).filter((id): id is string => id !== null))];
}
