import { Elysia } from "elysia";
import { newId } from "../lib/ids";
import type { RequestInfo, Requests } from "../http/request-info";
import { Clock, SERVER_DATE_HEADER, parseRfc3339 } from "../clock";
import { type RequestLog, keepHeaders } from "../modules/request-log/service";
import type { NowSource, TokenKind } from "../modules/request-log/rules";

/** The request's effective "now": its X-With-Server-Date (null when not a date), else the admin clock, else real time, as of its arrival. */
function effectiveNow(request: Request, info: RequestInfo, clock: Clock): { now: number | null; source: NowSource } {
  const header = request.headers.get(SERVER_DATE_HEADER);
  if (header !== null) return { now: parseRfc3339(header.trim())?.getTime() ?? null, source: "header" };
  const offset = clock.offset;
  return { now: info.time + offset, source: offset === 0 ? "real" : "clock" };
}

/** as authentication found it; a request answered before authentication (throttle, unrouted, fault) was not checked */
function tokenKind(request: Request, info: RequestInfo): TokenKind {
  return info.tokenKind ?? (request.headers.has("authorization") ? "not_checked" : "none");
}

/**
 * The two logs: one JSON line per request (`log`, LOG_REQUESTS) and the
 * in-memory request log of /api/ requests (`requestLog`, REQUEST_LOG_SIZE),
 * both written once per client request, when `requests.answered` is told:
 * by `logBeforeSending` (a wrap of the app's fetch: the final answer, errors
 * included, before Bun sends a byte of it), so that a test that reads the log
 * right after its client got the answer always finds it; by the plugins that
 * answer early, when they do. `logAnswered` (after the response) is the
 * fallback for an answer no wrap saw; `answered` acts once per request.
 */
export function requestLogPlugin(requests: Requests, requestLog: RequestLog | null, log: ((line: string) => void) | undefined, clock: Clock = new Clock()) {
  const plugin = new Elysia();
  if (!requestLog && !log) return plugin;

  const recordAnswer = (request: Request, info: RequestInfo, status: number, durationMs: number, responseText: string | Uint8Array | undefined) => {
    const now = effectiveNow(request, info, clock);
    requestLog!.record({
      id: info.id,
      time: info.time,
      providerId: info.providerId ?? null,
      method: request.method,
      url: info.url,
      status,
      durationMs,
      requestBody: requestLog!.keep(info.bodyText),
      // an error's body is rendered from `error` when read
      responseBody: info.error ? null : requestLog!.keep(responseText),
      error: info.error ?? null,
      fault: info.fault ?? null,
      // the token is never kept: keepHeaders replaces the Authorization value
      headers: keepHeaders(request.headers),
      responseType: info.responseType,
      now: now.now,
      nowSource: now.source,
      tokenKind: tokenKind(request, info),
    });
  };

  requests.onAnswered((request, info, status) => {
    const durationMs = Math.round((performance.now() - info.start) * 100) / 100;
    if (log) {
      log(
        JSON.stringify({
          time: new Date().toISOString(),
          request_id: info.requestId,
          method: request.method,
          path: info.path,
          status,
          duration_ms: durationMs,
          lead_provider_id: info.providerId ?? null,
        }),
      );
    }
    if (!info.logged || !requestLog) return;
    if (info.responseText === undefined && info.responseCopy && !info.error) {
      return info.responseCopy.text().then(
        (text) => recordAnswer(request, info, status, durationMs, text),
        () => recordAnswer(request, info, status, durationMs, undefined),
      );
    }
    recordAnswer(request, info, status, durationMs, info.responseText);
  });

  return (
    plugin
      .onRequest(function markRequest({ request }) {
        const info = requests.get(request)!;
        if (requests.isCopy(request, info)) return;
        if (requestLog && info.api) {
          info.logged = true;
          info.id = requestLog.arrived();
        }
        if (log) info.requestId = request.headers.get("x-request-id") ?? newId();
      })
      // the answer's bytes, for an answer the handler gave no text for (not CSV, not gzipped bytes)
      .onAfterHandle({ as: "global" }, function keepAnswer({ request, response }) {
        if (!(response instanceof Response)) return;
        const info = requests.get(request);
        if (!info?.logged || info.responseText !== undefined) return;
        if (response.headers.has("content-encoding")) return;
        const type = response.headers.get("content-type");
        if (type !== null && type.startsWith("text/csv")) return;
        info.responseCopy = response.clone() as Response;
      })
      // mounted before the faults plugin, so this wrap is inside its own: it logs the app's answer before a delay or a reset
      .wrap((fn) =>
        function logBeforeSending(request: Request) {
          const answer = fn(request) as unknown as Response | Promise<Response>;
          const log = (response: unknown): Response | Promise<Response> => {
            if (!(response instanceof Response)) return response as Response;
            const info = requests.get(request);
            if (!info || info.done || requests.isCopy(request, info)) return response;
            info.responseType = response.headers.get("content-type") ?? undefined;
            const wait = requests.answered(request, info, response.status);
            return wait ? wait.then(() => response) : response;
          };
          return answer instanceof Promise ? answer.then(log) : log(answer);
        },
      )
      .onAfterResponse({ as: "global" }, function logAnswered({ request, set, responseValue }) {
        const info = requests.get(request);
        // a copy routed again is logged once, as the client sent it, by format routing
        if (!info || requests.isCopy(request, info)) return;
        const status = responseValue instanceof Response ? responseValue.status : typeof set.status === "number" ? set.status : 200;
        return requests.answered(request, info, status);
      })
  );
}
