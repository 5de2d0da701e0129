/** The schools endpoints' readings of their filters (docs/reference/rect/rules.md §14.1). */
import { rubyToI } from "../../../http/ruby-compat";

/**
 * `School.where(urn: value)` on the integer column: the leading digits
 * (`"123456,invalid"` is 123456); text that does not start with a number
 * matches nothing (NaN); blank: not applied (null).
 */
export function urnFilter(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  if (!/^\s*[+-]?\d/.test(value)) return Number.NaN;
  const urn = rubyToI(value);
  return Number.isSafeInteger(urn) ? urn : Number.NaN;
}

/** The model a sort applies to: Metadata::SchoolContractPeriod when the text names `updated_at` anywhere (schools_controller.rb:45-47). */
export function sortsByMetadata(sort: unknown): boolean {
  return typeof sort === "string" && sort.includes("updated_at");
}
