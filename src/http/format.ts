/**
 * Rails' `(.:format)` suffix on the v2 routes (live `config/routes.rb:82`,
 * `namespace :api, defaults: { format: "json" }`). Every route also answers
 * with `.<ext>` on its last segment; the extension becomes the request's
 * format. What each format gives is the route's business (docs/live-parity.md §1):
 * the lists answer `.json` and `.csv` and 406 otherwise; everything else
 * renders JSON whatever the (registered) format.
 */

/**
 * The extensions Rails 7.1 knows (actionpack `mime_types.rb`, plus the app's
 * own `config/initializers/mime_types.rb`, which only re-registers json).
 * Lookup is case-sensitive. Live, any other extension makes `request.format`
 * nil and the instrumentation crash (500); we answer 406 (README, differences).
 */
export const RAILS_FORMATS: ReadonlySet<string> = new Set([
  "html", "xhtml", "text", "txt", "js", "css", "ics", "csv", "vcf", "vtt",
  "png", "jpeg", "jpg", "jpe", "pjpeg", "gif", "bmp", "tiff", "tif", "svg", "webp",
  "mpeg", "mpg", "mpe", "mp3", "mp1", "mp2", "ogg", "oga", "spx", "opus", "m4a", "mpg4", "aac",
  "webm", "mp4", "m4v", "otf", "ttf", "woff", "woff2",
  "xml", "rss", "atom", "yaml", "yml", "multipart_form", "url_encoded_form",
  "json", "pdf", "zip", "gzip", "gz",
]);

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
