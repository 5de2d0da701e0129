import { Elysia } from "elysia";
import { ApiError, sqliteCode, storageFailure } from "../errors";
import { liveValidationError, readUnreadBody } from "../http/json-api";
import type { RequestInfo, Requests } from "../http/request-info";

/** Every error answer is rendered here; the request log keeps the error object itself (and the body, read now if nobody did). */
export async function renderError(request: Request, info: RequestInfo, error: ApiError): Promise<Response> {
  if (info.logged) {
    info.error = error;
    await readUnreadBody(request, info);
  }
  return error.toResponse();
}

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
    if (code === "NOT_FOUND") return renderError(request, info, ApiError.notFound());
    if (code === "PARSE") return renderError(request, info, ApiError.badRequest("The request body could not be parsed"));
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
    return renderError(request, info, new ApiError(500, { error: "Internal server error" }));
  });
}
