/**
 * Faults on demand (docs/reference/sandbox-contract.md, "Faults on demand"): the answers the
 * live service and its front door send, the path patterns, the
 * `X-Sandbox-Fault` header and the seeded draw, as plain functions.
 */
import { ApiError } from "../../errors";

export const FAULT_KINDS = ["status", "delay", "timeout", "reset", "rate_limit"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const FAULT_STATUSES = [500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];
export const FAULT_METHODS = ["GET", "POST", "PUT"] as const;
export const DELAY_MS = { min: 1, max: 60_000 } as const;
/** a `timeout` fault's connection is closed by the sandbox after this long */
export const TIMEOUT_CLOSE_MS = 120_000;

export type Fault =
  | { kind: "status"; status: FaultStatus }
  | { kind: "delay"; ms: number }
  | { kind: "timeout" }
  | { kind: "reset"; when: "before" | "after" }
  | { kind: "rate_limit" };

/** what a request log record says of its fault */
export type { FaultMark } from "../../http/request-info";

const CRLF = "\r\n";
/** nginx's built-in error page (ingress-nginx, in front of the live app; see the README) */
const nginxPage = (line: string) =>
  ["<html>", `<head><title>${line}</title></head>`, "<body>", `<center><h1>${line}</h1></center>`, "<hr><center>nginx</center>", "</body>", "</html>", ""].join(CRLF);

/**
 * The body of each `status` fault, as live sends it:
 * - 500: the Rails app's exceptions app (`config/application.rb:46` routes errors to `/500`, `config/routes.rb:688`),
 *   `ErrorsController#internal_server_error` for JSON (`app/controllers/errors_controller.rb:14-19`, text `config/locales/en.yml:35`);
 * - 502, 503, 504: nginx's own pages from the ingress-nginx controller the app is served through
 *   (`ingressClassName: nginx`, `maintenance_page/manifests/production/ingress_maintenance.yml:6`), behind Azure Front Door
 *   (`terraform/custom_domains/environment_domains/main.tf:1-14`).
 */
export const FRONT_DOOR_ANSWERS: Record<FaultStatus, { type: string; body: string }> = {
  500: { type: "application/json; charset=utf-8", body: JSON.stringify({ error: "Internal server error" }) },
  502: { type: "text/html", body: nginxPage("502 Bad Gateway") },
  503: { type: "text/html", body: nginxPage("503 Service Temporarily Unavailable") },
  504: { type: "text/html", body: nginxPage("504 Gateway Time-out") },
};

export function statusAnswer(status: FaultStatus): Response {
  const answer = FRONT_DOOR_ANSWERS[status];
  return new Response(answer.body, { status, headers: { "content-type": answer.type } });
}

export { pathPattern } from "../../lib/path-pattern";

export const FAULT_HEADER = "x-sandbox-fault";
const HEADER_HINT =
  "The header 'X-Sandbox-Fault' must be one of status=500, status=502, status=503, status=504, delay=MS (1 to 60000), timeout, reset, reset-after or rate-limit";

/** The fault one request asks for itself; a bad value is the 400 naming the header. */
export function parseFaultHeader(value: string): Fault {
  const v = value.trim().toLowerCase();
  if (v === "timeout") return { kind: "timeout" };
  if (v === "reset") return { kind: "reset", when: "before" };
  if (v === "reset-after") return { kind: "reset", when: "after" };
  if (v === "rate-limit") return { kind: "rate_limit" };
  const status = /^status=(\d{3})$/.exec(v);
  if (status && (FAULT_STATUSES as readonly number[]).includes(Number(status[1]))) return { kind: "status", status: Number(status[1]) as FaultStatus };
  const delay = /^delay=(\d{1,5})$/.exec(v);
  if (delay && Number(delay[1]) >= DELAY_MS.min && Number(delay[1]) <= DELAY_MS.max) return { kind: "delay", ms: Number(delay[1]) };
  throw ApiError.badRequest(HEADER_HINT);
}

/** The fault of a rule's body (already of the right JSON types); a bad one is a 422 naming the field. */
export function checkFault(fault: { kind: string; status?: number; ms?: number; when?: string }): Fault {
  switch (fault.kind) {
    case "status":
      if (fault.status === undefined) throw ApiError.unprocessable("fault.status", "is required for a status fault (500, 502, 503 or 504)");
      if (!(FAULT_STATUSES as readonly number[]).includes(fault.status)) throw ApiError.unprocessable("fault.status", "must be 500, 502, 503 or 504");
      return { kind: "status", status: fault.status as FaultStatus };
    case "delay":
      if (fault.ms === undefined) throw ApiError.unprocessable("fault.ms", `is required for a delay fault (${DELAY_MS.min} to ${DELAY_MS.max})`);
      if (!Number.isInteger(fault.ms) || fault.ms < DELAY_MS.min || fault.ms > DELAY_MS.max) {
        throw ApiError.unprocessable("fault.ms", `must be a whole number of milliseconds from ${DELAY_MS.min} to ${DELAY_MS.max}`);
      }
      return { kind: "delay", ms: fault.ms };
    case "timeout":
      return { kind: "timeout" };
    case "reset":
      if (fault.when !== undefined && fault.when !== "before" && fault.when !== "after") throw ApiError.unprocessable("fault.when", 'must be "before" or "after"');
      return { kind: "reset", when: fault.when === "after" ? "after" : "before" };
    case "rate_limit":
      return { kind: "rate_limit" };
    default:
      throw ApiError.unprocessable("fault.kind", `must be one of ${FAULT_KINDS.map((k) => JSON.stringify(k)).join(", ")}`);
  }
}

/** `path` must be a path (it starts with `/` or `*`); `probability` 0 < p <= 1 */
export function checkRuleSettings(input: { path?: string; probability?: number }): void {
  if (input.path !== undefined && !/^[/*]/.test(input.path)) throw ApiError.unprocessable("match.path", "must be a path pattern starting with / (or *), e.g. /api/v2/participant-declarations*");
  if (input.probability !== undefined && !(input.probability > 0 && input.probability <= 1)) {
    throw ApiError.unprocessable("probability", "must be a number greater than 0 and at most 1");
  }
}

/**
 * A small seeded generator (mulberry32): the same seed gives the same draws
 * on every run. The state is a 32-bit integer, kept by the rule.
 */
export function nextDraw(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}
