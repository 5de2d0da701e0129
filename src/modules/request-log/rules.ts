/**
 * The request log's plain rules: what a record says of how its request
 * authenticated and of its "now", and the plain-words hint /inspector shows
 * for an answer whose body gives no reason (issue 18 items 10-11).
 */

/** What the Authorization header held (never the token): set by authentication; `not_checked` when the request was answered before it. */
export type TokenKind = "none" | "unknown" | "lead_provider" | "admin" | "v3_lead_provider" | "not_checked";
/** Where a request's "now" came from: its X-With-Server-Date header, the admin clock (moved), or real time. */
export type NowSource = "header" | "clock" | "real";

/**
 * A plain-words reason for an answer whose body has none (the admin token on
 * /api/v2 gets an empty 403), for a 401 that says only "Access denied", or
 * for a date refusal judged as of the request's X-With-Server-Date.
 */
export function hint(r: { status: number; path: string; tokenKind: TokenKind; nowSource: NowSource; errors: string[] }): string | null {
  const v2 = r.path.startsWith("/api/v2/");
  if (r.status === 403 && r.tokenKind === "admin") {
    return `The admin token was used on ${v2 ? "/api/v2" : r.path.split("/").slice(0, 3).join("/")}: use a lead provider's token (GET /admin/lead-providers lists them); the admin token works only on /admin.`;
  }
  if (r.status === 403 && r.tokenKind === "lead_provider" && /^\/api\/v2\/(ecf-)?users(\.|\/|$)/.test(r.path)) {
    return "The users endpoints are for DfE's private API: no lead provider token may use them (live answers 403 too).";
  }
  if (r.status === 401 && r.tokenKind === "none") return "No Authorization header: send a lead provider's token, as Authorization: Bearer $TOKEN.";
  if (r.status === 401 && r.tokenKind === "unknown") {
    return v2
      ? "The token is not known: a typo, a revoked token, or a v3 (RECT) token on /api/v2."
      : "The token is not known here: a typo, a revoked token, or a v2 token or the admin token on /api/v3.";
  }
  if (r.nowSource === "header" && r.errors.length > 0 && r.errors.some((e) => /future|date|milestone|before|after/i.test(e))) {
    return "This request's \"now\" was its X-With-Server-Date header, not the service's clock: the date rules judged it as of that instant.";
  }
  return null;
}
