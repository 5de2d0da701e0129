/** The partnerships endpoints' readings of their parameters (docs/reference/rect/rules.md §13), pure. */
import type { ErrorItem } from "../../../errors";
import { type RackValue, castUuid, isBlank, rubyToI } from "../../../http/ruby-compat";

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

// ---------------------------------------------------------------------------
// POST and PUT: the services' validations (app/services/api/school_partnerships/{create,update}.rb)
// with the final (mapped) titles and texts of docs/reference/rect/rules.md Appendix B
// ---------------------------------------------------------------------------

/** A permitted scalar of the body (text, number, boolean or null). */
export type Scalar = string | number | boolean | null | undefined;

/**
 * `ContractPeriod.find_by(year: value)` on the integer primary key
 * (ActiveModel::Type::Integer): text is read like `to_i` when it starts with
 * a number (`"2025x"` → 2025), else it is NULL (matches nothing); a float is
 * truncated; `true` is 1. null: no contract period can match.
 */
export function cohortYear(value: Scalar): number | null {
  if (typeof value === "number") return Number.isFinite(value) && Math.abs(value) < 2 ** 31 ? Math.trunc(value) : null;
  if (value === true) return 1;
  if (typeof value !== "string" || !/^\s*[+-]?\d/.test(value)) return null;
  const year = rubyToI(value);
  return Math.abs(year) < 2 ** 31 ? year : null;
}

/** What the create service finds for the attributes sent (create.rb:38-129); null where nothing is found or nothing is looked up. */
export interface CreateFacts {
  /** the contract period of `cohort` */
  contractPeriod: { startedOn: string; enabled: boolean } | null;
  school: { eligible: boolean } | null;
  deliveryPartner: boolean;
  /** the caller's active lead provider for the cohort */
  activeLeadProvider: boolean;
  /** the LP–DP partnership of that active lead provider with the delivery partner */
  pairing: boolean;
  /** the school has a partnership with any of that active lead provider's LP–DP partnerships */
  alreadyPartnered: boolean;
  /** the school's induction programme choice for the cohort (its cohort metadata), when both exist */
  programmeChoice: string | null;
}

/** The messages of one service, grouped by title in the order each title first failed, duplicates dropped (response.rb:15-21, §3.2). */
class Errors {
  private readonly byTitle = new Map<string, string[]>();
  add(title: string, detail: string) {
    const list = this.byTitle.get(title);
    if (!list) this.byTitle.set(title, [detail]);
    else if (!list.includes(detail)) list.push(detail);
  }
  any(title: string) {
    return this.byTitle.has(title);
  }
  items(): ErrorItem[] {
    return [...this.byTitle].flatMap(([title, details]) => details.map((detail) => ({ title, detail })));
  }
}

export const CREATE_MESSAGES = {
  cohortBlank: "Enter a '#/cohort'.",
  schoolBlank: "Enter a '#/school_id'.",
  deliveryPartnerBlank: "Enter a '#/delivery_partner_id'.",
  cohortInvalid: "The '#/cohort' you have entered is invalid. Check cohort details and try again.",
  cohortFuture: "You cannot create a partnership for a future cohort.",
  cohortClosed: "You cannot create this partnership as the cohort is closed.",
  schoolInvalid: "The '#/school_id' you have entered is invalid. Check school details and try again. Contact the DfE for support if you are unable to find the '#/school_id'.",
  schoolIneligible: "The school you have entered is currently ineligible for DfE funding. Contact the school for more information.",
  deliveryPartnerInvalid: "The '#/delivery_partner_id' you have entered is invalid. Check delivery partner details and try again.",
  notWorkingTogether: "The entered delivery partner is not recognised to be working in partnership with you for the given cohort. Contact the DfE for more information.",
  alreadyPartnered: "You are already in a confirmed partnership with this school for the entered cohort.",
  schoolLed: "This school has only registered school-led participants. Contact the school for more information.",
  alreadyWithDeliveryPartner: "We are unable to process this request. You are already confirmed to be in partnership with the entered delivery partner. Contact the DfE for support.",
} as const;

/**
 * `API::SchoolPartnerships::Create#valid?` (create.rb:11-24, each check at
 * its line): presence, then the guarded look-ups, then the unguarded pairing,
 * duplicate and school-led checks (docs/reference/rect/rules.md §13.2 P1–P13). `today`: London.
 */
export function createErrors(attributes: { cohort: Scalar; school_id: Scalar; delivery_partner_id: Scalar }, facts: CreateFacts, today: string): ErrorItem[] {
  const m = CREATE_MESSAGES;
  const errors = new Errors();
  if (isBlank(attributes.cohort)) errors.add("cohort", m.cohortBlank); // :11
  if (isBlank(attributes.school_id)) errors.add("school_id", m.schoolBlank); // :12
  if (isBlank(attributes.delivery_partner_id)) errors.add("delivery_partner_id", m.deliveryPartnerBlank); // :14
  if (!errors.any("cohort") && !facts.contractPeriod) errors.add("cohort", m.cohortInvalid); // :54-58
  if (!errors.any("cohort") && !(facts.contractPeriod && facts.contractPeriod.startedOn <= today)) errors.add("cohort", m.cohortFuture); // :66-70
  if (!errors.any("cohort") && !facts.contractPeriod?.enabled) errors.add("cohort", m.cohortClosed); // :60-64
  if (!errors.any("school_id") && !facts.school) errors.add("school_id", m.schoolInvalid); // :78-82
  if (!errors.any("school_id") && !facts.school?.eligible) errors.add("school_id", m.schoolIneligible); // :84-88
  if (!errors.any("delivery_partner_id") && !facts.deliveryPartner) errors.add("delivery_partner_id", m.deliveryPartnerInvalid); // :101-105
  if (facts.deliveryPartner && !facts.pairing) errors.add("delivery_partner_id", m.notWorkingTogether); // :119-123
  if (facts.school && facts.activeLeadProvider && facts.alreadyPartnered) errors.add("school_id", m.alreadyPartnered); // :90-99
  if (facts.programmeChoice === "school_led") errors.add("school_id", m.schoolLed); // :125-135
  return errors.items();
}

/** What the update service finds (update.rb:27-47). */
export interface UpdateFacts {
  deliveryPartner: boolean;
  /** the partnership's active lead provider's LP–DP partnership with that delivery partner */
  pairing: boolean;
  /** the school has a partnership on that pairing (this one included) */
  duplicate: boolean;
}

/** `API::SchoolPartnerships::Update#valid?` (update.rb:9-14,49-73; docs/reference/rect/rules.md §13.3 U2–U5; U1 cannot fail). */
export function updateErrors(attributes: { delivery_partner_id: Scalar }, facts: UpdateFacts): ErrorItem[] {
  const m = CREATE_MESSAGES;
  const errors = new Errors();
  if (isBlank(attributes.delivery_partner_id)) errors.add("delivery_partner_id", m.deliveryPartnerBlank); // :10
  if (!errors.any("delivery_partner_id") && !facts.deliveryPartner) errors.add("delivery_partner_id", m.deliveryPartnerInvalid); // :49-53
  if (facts.deliveryPartner && !facts.pairing) errors.add("delivery_partner_id", m.notWorkingTogether); // :61-65
  if (facts.pairing && facts.duplicate) errors.add("delivery_partner_id", m.alreadyWithDeliveryPartner); // :67-73
  return errors.items();
}
