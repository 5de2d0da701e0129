/**
 * The event calls' readings of their bodies (control-plane.md §4): the
 * scenario document's date, instant and value rules (../scenarios/rules.ts),
 * failing as the admin API's 422 naming the field.
 */
import { ApiError } from "../../../errors";
import { ScenarioError } from "../scenarios/rules";

export {
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalUuid,
  resolveDate,
  resolveInstant,
  resolveOptionalDate,
  resolveOptionalInstant,
  DECLARATION_TYPES,
} from "../scenarios/rules";

/** Runs `read`; a ScenarioError becomes the 422 titled with the field (no leading slash). */
export function field<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ScenarioError) throw ApiError.errors(422, [{ title: error.pointer.replace(/^\//, "") || "body", detail: error.detail }]);
    throw error;
  }
}

export function unprocessable(title: string, detail: string): ApiError {
  return ApiError.errors(422, [{ title, detail }]);
}

/** Statement moves DfE makes (docs/reference/rect/rules.md §5.11): open → payable (MarkAsPayable), payable → paid (AuthorisePayment). */
export function statementMove(from: string, to: unknown): "payable" | "paid" {
  if (to !== "payable" && to !== "paid") throw unprocessable("status", "must be payable or paid");
  if (to === "payable" && from !== "open") throw unprocessable("status", `only an open statement becomes payable (this one is ${from})`);
  if (to === "paid" && from !== "payable") throw unprocessable("status", `only a payable statement becomes paid (this one is ${from})`);
  return to;
}

/** Only what changed, so that touches follow RECT's `when_changing` (declarative_updates.rb). */
export function changed<T extends Record<string, unknown>>(before: T, after: Partial<T>): (keyof T)[] {
  return (Object.keys(after) as (keyof T)[]).filter((k) => after[k] !== undefined && after[k] !== before[k]);
}
