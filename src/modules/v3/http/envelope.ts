/**
 * The v3 (RECT) envelope, docs/reference/rect/rules.md §0 and §3.3: every answer is
 * `application/json; charset=utf-8`; errors are `{"errors":[{title, detail}]}`
 * with one item per message, except the 401 and the unknown-route 404, which
 * are `{"error": …}`. Every v3 error is made here.
 */
import type { AppContext } from "../../../context";
import { ApiError, type ErrorItem } from "../../../errors";
import { JsonText, cachedJsonApi } from "../../../http/json-api";

export const V3_JSON = "application/json; charset=utf-8";

export function v3Error(status: number, items: ErrorItem[]): ApiError {
  return new ApiError(status, { errors: items }, V3_JSON);
}

/** `bad_request_response` (error_rescuable.rb:19-21): title `Bad request`. */
export function v3BadRequest(detail: string): ApiError {
  return v3Error(400, [{ title: "Bad request", detail }]);
}

/** `validate_filters` (filter_validatable.rb:25-29): title `Bad parameter`, one item per message. */
export function v3BadParameter(details: string[]): ApiError {
  return v3Error(400, details.map((detail) => ({ title: "Bad parameter", detail })));
}

/** A 422 from a service (`API::Errors::Response.from`, docs/reference/rect/rules.md §3.2): one item per message. */
export function v3Unprocessable(items: ErrorItem[]): ApiError {
  return v3Error(422, items);
}

/** Shared values: a flood of bad requests costs the request log a reference each. */
export const V3_UNAUTHORIZED = new ApiError(401, { error: "HTTP Token: Access denied" }, V3_JSON);
/** Unknown id, or one the caller may not see (error_rescuable.rb:23-25). */
export const V3_NOT_FOUND = new ApiError(
  404,
  { errors: [{ title: "Resource not found", detail: "Nothing could be found for the provided details" }] },
  V3_JSON,
);
/** Unknown route or wrong verb (errors_controller.rb:4-9, JSON format). */
export const V3_ROUTE_NOT_FOUND = new ApiError(404, { error: "Resource not found" }, V3_JSON);
/** error_rescuable.rb:27-30 (`params.require(:data)` and friends). */
export const V3_BAD_BODY = v3BadRequest("Correct json data structure required. See API docs for reference.");

export const isV3Path = (path: string) => path === "/api/v3" || path.startsWith("/api/v3/");

/** A 200 v3 document. */
export function v3Json(body: unknown, status = 200): Response {
  return new Response(typeof body === "string" || body instanceof Uint8Array || body instanceof Blob ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": V3_JSON },
  });
}

/**
 * A v3 read, answered from the response cache while the database has not
 * changed (per caller and URL); `compute` returns the JSON text (built by
 * SQLite).
 */
export function cachedV3Json(ctx: AppContext, request: Request, callerKey: string, compute: () => Promise<string>): Promise<Response> {
  return cachedJsonApi(ctx.cache, request, ctx.requests.of(request), `v3:${callerKey}`, async () => new JsonText(await compute()), { contentType: V3_JSON, gzip: false });
}

