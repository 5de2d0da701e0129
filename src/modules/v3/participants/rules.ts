/** The participants endpoints' readings of their filters (docs/reference/rect/rules.md §6.5), pure. */
import { type RackValue, castUuid, isBlank } from "../../../http/ruby-compat";

/**
 * A filter read through `params.permit(filter: %i[training_status from_participant_id])`
 * (participants_controller.rb:95-97): a scalar only, so a list or a hash is
 * dropped (not applied, null); blank: not applied (`ignore?`, filter_ignorable.rb:5-9).
 */
export function permittedScalar(value: RackValue | undefined): string | null {
  if (typeof value !== "string" || isBlank(value)) return null;
  return value;
}

/** `filter[from_participant_id]` against the uuid column (query.rb:113-119): a value that does not cast matches nothing (""). */
export function fromParticipantFilter(value: RackValue | undefined): string | null {
  const scalar = permittedScalar(value);
  if (scalar === null) return null;
  return castUuid(scalar) ?? "";
}
