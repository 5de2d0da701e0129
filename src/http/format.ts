/**
 * Rails' `(.:format)` suffix on the v2 routes (live `config/routes.rb:82`,
 * `namespace :api, defaults: { format: "json" }`). Every route also answers
 * with `.<ext>` on its last segment; the extension becomes the request's
 * format. What each format gives is the route's business (docs/live-parity.md §1):
 * the lists answer `.json` and `.csv` and 406 otherwise (`respond_to` finds no
 * block; an extension Rails does not know gives no format at all, so the same);
 * everything else renders JSON whatever the format.
 */

/** The two list exports, served by their own routes (`/participants/ecf.csv` and friends). */
const CSV_LISTS = new Set(["/api/v2/participants/ecf", "/api/v2/participants", "/api/v2/participant-declarations"]);

export type FormatSplit =
  /** no extension, or one of the explicit CSV routes: route as is */
  | { kind: "as-is" }
  /** route `path` with this format */
  | { kind: "format"; path: string; format: string }
  /** Journey cannot match it: a dot in an earlier segment (an `:id` never holds one) or a malformed extension */
  | { kind: "no-route" };

/**
 * Splits a `/api/v2/...` path as Journey matches `…/:id(.:format)`: the
 * format is what follows the one dot of the last segment; segments before
 * the last may not hold a dot at all.
 */
export function splitFormat(method: string, path: string): FormatSplit {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf("/");
  const last = trimmed.slice(slash + 1);
  if (trimmed.slice(0, slash).includes(".")) return { kind: "no-route" };
  const dot = last.indexOf(".");
  if (dot < 0) return { kind: "as-is" };
  const name = last.slice(0, dot);
  const format = last.slice(dot + 1);
  if (name === "" || format === "" || format.includes(".")) return { kind: "no-route" };
  const base = trimmed.slice(0, slash + 1) + name;
  if (format === "csv" && (method === "GET" || method === "HEAD") && CSV_LISTS.has(base)) return { kind: "as-is" };
  return { kind: "format", path: base, format };
}
