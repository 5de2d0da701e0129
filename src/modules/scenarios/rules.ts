/**
 * Scenario documents (sandbox-contract.md, "Scenarios") as plain functions:
 * the refs (each names one item, each use names an earlier item of the right
 * kind), the way to a declaration's state, and an error's place in the
 * document.
 */
import { ApiError, type ErrorItem } from "../../errors";
import type { DeclarationState } from "../declarations/rules";
import type { ParticipantAction } from "../participants/rules";

export const REF_PATTERN = "^[A-Za-z0-9_.-]{1,64}$";
export const PARTICIPANT_ACTIONS: readonly ParticipantAction[] = ["defer", "resume", "withdraw", "change-schedule"];
export const DECLARATION_TARGET_STATES: readonly DeclarationState[] = [
  "submitted",
  "eligible",
  "payable",
  "paid",
  "voided",
  "ineligible",
  "awaiting_clawback",
  "clawed_back",
];

type RefKind = "lead provider" | "participant" | "declaration";

interface RefUse {
  /** the section and field */
  section: string;
  field: string;
  kind: RefKind;
}

/** Where each section's items may point, in the order the sections are applied */
const USES: RefUse[] = [
  { section: "participants", field: "lead_provider", kind: "lead provider" },
  { section: "participants", field: "mentor", kind: "participant" },
  { section: "participants", field: "participant", kind: "participant" },
  { section: "declarations", field: "participant", kind: "participant" },
  { section: "actions", field: "participant", kind: "participant" },
  { section: "transfers", field: "participant", kind: "participant" },
  { section: "transfers", field: "to_lead_provider", kind: "lead provider" },
  { section: "induction_statuses", field: "participant", kind: "participant" },
];
const DEFINING: Array<[string, RefKind]> = [
  ["lead_providers", "lead provider"],
  ["participants", "participant"],
  ["declarations", "declaration"],
];

type Items = Record<string, unknown>[] | undefined;

const refused = (title: string, detail: string) => ApiError.errors(422, [{ title, detail }]);

/**
 * Every ref is given once, and every use names an item of the right kind
 * given before it (a participant's mentor, or the person of a second
 * training record, comes earlier in `participants`). Throws the 422 of the
 * first problem, titled with its place.
 */
export function checkRefs(doc: Record<string, Items>): void {
  const defined = new Map<string, { kind: RefKind; place: string; section: string; index: number }>();
  for (const [section, kind] of DEFINING) {
    (doc[section] ?? []).forEach((item, index) => {
      const ref = item.ref;
      if (typeof ref !== "string") return;
      const place = `${section}[${index}].ref`;
      const earlier = defined.get(ref);
      if (earlier) throw refused(place, `the ref "${ref}" is used twice (first at ${earlier.place}); each item needs its own`);
      defined.set(ref, { kind, place, section, index });
    });
  }
  for (const use of USES) {
    (doc[use.section] ?? []).forEach((item, index) => {
      const ref = item[use.field];
      if (typeof ref !== "string") return;
      const place = `${use.section}[${index}].${use.field}`;
      const target = defined.get(ref);
      if (!target) throw refused(place, `no item has the ref "${ref}"`);
      if (target.kind !== use.kind) throw refused(place, `the ref "${ref}" names a ${target.kind} (${target.place}), not a ${use.kind}`);
      if (target.section === use.section && target.index >= index) {
        throw refused(place, `the ref "${ref}" names a later participant (${target.place}); put it before this one`);
      }
    });
  }
}

export type StateStep = { move: DeclarationState } | { void: true };

const FORWARD: readonly DeclarationState[] = ["submitted", "eligible", "payable", "paid"];

/**
 * The way from the state a declaration was made in to the state a scenario
 * asks for: DfE's moves forward (submitted → eligible → payable → paid), the
 * provider's void (voided; a paid one's void is awaiting_clawback), and DfE's
 * clawback (awaiting_clawback → clawed_back). Null when there is none.
 */
export function statePath(from: DeclarationState, to: DeclarationState): StateStep[] | null {
  if (from === to) return [];
  const forward = (target: DeclarationState): StateStep[] | null => {
    const i = FORWARD.indexOf(from);
    const j = FORWARD.indexOf(target);
    if (i < 0 || j < i) return null;
    return FORWARD.slice(i + 1, j + 1).map((state) => ({ move: state }));
  };
  switch (to) {
    case "submitted":
    case "eligible":
    case "payable":
    case "paid":
      return forward(to);
    case "voided":
      return from === "paid" ? null : FORWARD.includes(from) || from === "ineligible" ? [{ void: true }] : null;
    case "awaiting_clawback": {
      const toPaid = forward("paid");
      return toPaid && [...toPaid, { void: true }];
    }
    case "clawed_back": {
      const toPaid = forward("paid");
      return toPaid && [...toPaid, { void: true }, { move: "clawed_back" }];
    }
    case "ineligible":
      return null;
  }
}

export function unreachableState(from: DeclarationState, to: DeclarationState): string {
  if (to === "ineligible") return "a declaration is ineligible only when it is made for a duplicate of a participant (the same TRN) whose declaration holds the slot";
  if (FORWARD.includes(to) && FORWARD.indexOf(from) > FORWARD.indexOf(to)) {
    return `the declaration was made ${from} (the participant's funding eligibility decides), and DfE's moves go forward only`;
  }
  return `cannot reach ${to} from ${from}`;
}

/**
 * The one error of a refused item: the first error of the rule's answer,
 * titled with the item's place and the field it names (the ids a document
 * gives as refs are named by their ref fields). A title that names no field
 * (`base`, `Bad request`) leaves the item's place alone.
 */
export function placedError(place: string, error: ApiError, fields: Record<string, string> = {}): ApiError {
  const body = error.body as { errors?: ErrorItem[]; error?: unknown } | null;
  const first: ErrorItem | undefined = Array.isArray(body?.errors) ? body!.errors![0] : undefined;
  const detail = first?.detail ?? (typeof body?.error === "string" ? body.error : "was refused");
  const title = first?.title;
  const field = title === undefined ? undefined : (fields[title] ?? title.replace(/^#\//, ""));
  const named = field !== undefined && /^[a-z][a-z0-9_]*$/.test(field) && field !== "base";
  // an item that is itself the field (`clock`, `lead_providers[0].at`) is not named twice
  const already = place === field || place.endsWith(`.${field}`);
  return refused(named && !already ? `${place}.${field}` : place, detail);
}
