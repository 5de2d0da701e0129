import { Elysia } from "elysia";
import { ApiError, sqliteCode, storageFailure } from "../errors";
import { liveValidationError, readUnreadBody } from "../http/json-api";
import type { RequestInfo, Requests } from "../http/request-info";
import { V3_JSON, isV3Path, v3BadRequest } from "../modules/v3/http/envelope";
import { v3RouteNotFound } from "../modules/v3/http/server-date";

/** Every error answer is rendered here; the request log keeps the error object itself (and the body, read now if nobody did). */
export async function renderError(request: Request, info: RequestInfo, error: ApiError): Promise<Response> {
  if (info.logged) {
    info.error = error;
    await readUnreadBody(request, info);
  }
  // the admin API answers application/json, and every 404 of it in the errors shape (an unknown admin path too)
  if (info.path.startsWith("/admin/")) return (error === ApiError.notFound() ? ADMIN_NOT_FOUND : error).toResponse("application/json");
  return error.toResponse();
}

const ADMIN_NOT_FOUND = ApiError.adminNotFound("Nothing has this id or path");

/**
 * Errors in the live shapes: an ApiError as it is; an unknown route the live
 * 404; a v2 validation failure the live answer its schema names
 * (`x-live-error`; the admin modules answer their own); a full, read-only or
 * failing disk a 503 naming the cause; anything else a 500 without a stack.
 * Failures of the service (not of the request) get one line through `logError`.
 */
export function errorRenderingPlugin(requests: Requests, logError: (request: Request, fields: Record<string, unknown>) => void) {
  return new Elysia().onError({ as: "global" }, function renderErrors({ error, code, request }) {
    const info = requests.of(request);
    if (error instanceof ApiError) return renderError(request, info, error);
    const v3 = isV3Path(info.path);
    if (code === "NOT_FOUND") return renderError(request, info, v3 ? v3RouteNotFound(request) : ApiError.notFound());
    if (code === "PARSE") return renderError(request, info, v3 ? v3BadRequest("The request body could not be parsed") : ApiError.badRequest("The request body could not be parsed"));
    // a v3 route reads its query through v3Params (src/modules/v3/http/params.ts): only a path or a body can fail its schema
    if (code === "VALIDATION" && v3) return renderError(request, info, v3BadRequest(`The request does not match the API's schema: ${validationSummary(error)}`));
    if (code === "VALIDATION") {
      // v2 requests only: the admin module answers its own validation failures
      if (info.api) return renderError(request, info, liveValidationError(error));
      return;
    }
    // the disk, not the request: 503 naming the cause, and one log line with SQLite's code
    const storage = storageFailure(error);
    if (storage) {
      logError(request, { status: 503, code: sqliteCode(error), error: String((error as Error)?.message ?? error).split("\n")[0] });
      return renderError(request, info, storage);
    }
    // Never a stack trace to the client; the log keeps it.
    logError(request, { status: 500, error: String((error as Error)?.stack ?? error) });
    return renderError(request, info, new ApiError(500, { error: "Internal server error" }, v3 ? V3_JSON : undefined));
  });
}

/** The first failing path of a TypeBox validation error, for a v3 400 (never a stack). */
function validationSummary(error: unknown): string {
  const first = (error as { all?: { path?: string; message?: string }[] })?.all?.[0];
  return first ? `${first.path || "/"} ${first.message ?? "is invalid"}` : "invalid";
}
