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

/**
 * Statement moves DfE makes (docs/reference/rect/rules.md §5.11):
 * - open → payable (Statements::MarkAsPayable#mark!, app/services/statements/mark_as_payable.rb:23-34): only an
 *   open statement (:24), and, as the model refuses a payable or paid statement whose deadline is not in the past
 *   (app/models/statement.rb:43,135-139, so `mark_as_payable!` fails), only once its deadline has passed;
 * - payable → paid (Statements::AuthorisePayment#authorise!, app/services/statements/authorise_payment.rb:12-19):
 *   only when `can_authorise_payment?` (app/models/statement.rb:92-98): an output fee statement, payable, not yet
 *   marked as paid, with a payable or awaiting-clawback declaration on it, its deadline before today.
 */
export function statementMove(
  statement: { status: string; fee_type: string; deadline_date: string; marked_as_paid_at: string | null },
  to: unknown,
  today: string,
  hasOutstandingDeclarations: boolean,
): "payable" | "paid" {
  if (to !== "payable" && to !== "paid") throw unprocessable("status", "must be payable or paid");
  const from = statement.status;
  if (to === "payable") {
    if (from !== "open") throw unprocessable("status", `Cannot mark statement as payable: statement is ${from}`);
    if (!(statement.deadline_date < today)) throw unprocessable("deadline_date", "Deadline date must be in the past");
    return to;
  }
  if (from !== "payable") throw unprocessable("status", `only a payable statement becomes paid (this one is ${from})`);
  const refusal =
    statement.fee_type !== "output"
      ? "it is a service fee statement"
      : statement.marked_as_paid_at !== null
        ? "it is already marked as paid"
        : !hasOutstandingDeclarations
          ? "it has no payable or awaiting_clawback declarations"
          : !(statement.deadline_date < today)
            ? "its deadline has not passed"
            : null;
  if (refusal) throw unprocessable("status", `the statement cannot be authorised for payment: ${refusal} (app/models/statement.rb:92-98)`);
  return to;
}

/** Only what changed, so that touches follow RECT's `when_changing` (declarative_updates.rb). */
export function changed<T extends Record<string, unknown>>(before: T, after: Partial<T>): (keyof T)[] {
  return (Object.keys(after) as (keyof T)[]).filter((k) => after[k] !== undefined && after[k] !== before[k]);
}
