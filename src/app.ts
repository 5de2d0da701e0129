import { Elysia, t } from "elysia";
import type { Db } from "../db/connection";
import type { WriteCounter } from "../db/write-counter";
import { GroupCommit } from "../db/group-commit";
import { ResponseCache } from "./http/response-cache";
import { RequestGate } from "./http/request-gate";
import { Clock } from "./clock";
import type { AppContext, RequestInfo } from "./context";
import { ApiError, sqliteCode, storageFailure } from "./errors";
import { LoopShare } from "./http/csv";
import { operation } from "./http/openapi";
import { splitFormat } from "./http/format";
import { FixedWindowRateLimiter, tooManyRequests } from "./http/rate-limit";
import { bodyTextOf, carryBodyText, json, liveValidationError, readUnreadBody } from "./http/json-api";
import { RequestLog } from "./modules/request-log/service";
import { requestLogRoutes } from "./modules/request-log/routes";
import { inspectorPage } from "./modules/request-log/inspector";
import { MemorySnapshotStore, SnapshotBase, type SnapshotStore } from "./modules/snapshots/store";
import { snapshotRoutes } from "./modules/snapshots/routes";
import { FaultTable } from "./modules/faults/service";
import { faultInjection } from "./modules/faults/plugin";
import { faultRoutes } from "./modules/faults/routes";
import { newId } from "./lib/ids";
import { DEFAULT_REQUEST_LOG_SIZE } from "./config";
import { adminRoutes } from "./modules/admin/routes";
import { declarationsRoutes } from "./modules/declarations/routes";
import { moveDeclarationState } from "./modules/declarations/service";
import { apiDocs } from "./modules/docs/plugin";
import { participantsRoutes } from "./modules/participants/routes";
import { LastUsedRecorder } from "./modules/auth/tokens";
import { TokenOwnerCache } from "./modules/auth/owner-cache";
import { usersRoutes } from "./modules/users/routes";

export interface AppDeps {
  db: Db;
  clock?: Clock;
  /** the live throttle; on unless switched off (RATE_LIMIT=off) */
  rateLimit?: boolean | FixedWindowRateLimiter;
  /** counts writes through `db`; with it (and `dataVersion`), tokens' owners are remembered until the next write, and repeated GETs are answered from a cache unless `responseCache` is false */
  writes?: WriteCounter;
  /** the response cache (RESPONSE_CACHE); on by default when `writes` is given */
  responseCache?: boolean;
  /** SQLite's data_version off the raw handle (see OpenDatabase) */
  dataVersion?: () => number;
  /** where the one-JSON-line-per-request log goes; none when omitted */
  log?: (line: string) => void;
  /** how many /api/ requests the request log keeps (REQUEST_LOG_SIZE); 0 = off; default 10000 */
  requestLogSize?: number;
  /** where snapshots live: files beside the database; in memory when omitted */
  snapshots?: SnapshotStore;
  /** what is wrong with the database file (deleted, replaced, read-only), for /healthz; none = nothing checked */
  fileProblem?: () => string | null;
}

export type App = ReturnType<typeof createApp>;

const HEALTHZ = operation({
  operationId: "healthz",
  tags: ["Operations"],
  summary: "Readiness",
  description:
    "200 once the database is open and migrated; 503 when the database file behind the open handle was deleted, replaced or overwritten, or cannot be written. No token needed.",
  answers: {
    200: { schema: t.Object({ status: t.Literal("ok") }), description: "Ready", type: "application/json", example: { status: "ok" } },
    503: {
      schema: t.Object({ status: t.Literal("database unavailable"), detail: t.String() }),
      description: "Not ready: the database file is gone, replaced or read-only",
      type: "application/json",
      example: { status: "database unavailable", detail: "the database file was deleted" },
    },
  },
});

/** The path of a request URL, without building a URL object on every request. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
}

/** Builds the whole service; the server and the tests both use it. */
export function createApp(deps: AppDeps) {
  const ctx: AppContext = {
    db: deps.db,
    clock: deps.clock ?? new Clock(),
    lastUsed: new LastUsedRecorder(deps.db, undefined, (fields) => console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", ...fields }))),
    requestInfo: new WeakMap(),
    gate: new RequestGate(),
    snapshots: deps.snapshots ?? new MemorySnapshotStore(),
    snapshotBase: new SnapshotBase(),
    requestLog: (deps.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE) > 0 ? new RequestLog(deps.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE) : null,
    formats: new WeakMap(),
    cache: deps.writes && deps.responseCache !== false ? new ResponseCache(deps.db, deps.writes, deps.dataVersion) : null,
    tokenOwners: deps.writes && deps.dataVersion ? new TokenOwnerCache(deps.writes, deps.dataVersion) : null,
    groupCommit: new GroupCommit(deps.db),
    pageEnds: new Map(),
    loopShare: new LoopShare(),
    faults: new FaultTable(),
    logError(request, fields) {
      console.error(
        JSON.stringify({
          time: new Date().toISOString(),
          level: "error",
          request_id: ctx.requestInfo.get(request)?.requestId,
          method: request.method,
          path: pathOf(request.url),
          ...fields,
        }),
      );
    },
  };
  const limiter =
    deps.rateLimit === false ? null : deps.rateLimit instanceof FixedWindowRateLimiter ? deps.rateLimit : new FixedWindowRateLimiter();
  const requestLog = ctx.requestLog;
  // the app's own entry, for a request routed again without its format suffix (set below, once `app` exists)
  let handle: (request: Request) => Promise<Response> = async () => ApiError.notFound().toResponse();

  /** After the answer is sent: the request leaves the gate, and both logs write. */
  const afterResponse = new Elysia().onAfterResponse({ as: "global" }, async ({ request, set, responseValue }) => {
    ctx.gate.leave(request);
    // a request routed again without its format suffix is logged once, as the client sent it (see `logAnswer`)
    if (ctx.formats.has(request)) return;
    const info = ctx.requestInfo.get(request);
    if (!info || info.done) return;
    info.done = true;
    const status = info.error ? info.error.status : responseValue instanceof Response ? responseValue.status : typeof set.status === "number" ? set.status : 200;
    await logAnswer(request, info, status);
  });
  const logAnswer = async (request: Request, info: RequestInfo, status: number) => {
    const durationMs = Math.round((performance.now() - info.start) * 100) / 100;
    if (deps.log) {
      deps.log(
        JSON.stringify({
          time: new Date().toISOString(),
          request_id: info.requestId,
          method: request.method,
          path: pathOf(info.url),
          status,
          duration_ms: durationMs,
          lead_provider_id: info.providerId ?? null,
        }),
      );
    }
    if (info.logged && requestLog) {
      let responseText = info.responseText;
      if (responseText === undefined && info.responseCopy) responseText = await info.responseCopy.text().catch(() => undefined);
      record(request, info, status, durationMs, responseText);
    }
  };
  const record = (request: Request, info: RequestInfo, status: number, durationMs: number, responseText: string | Uint8Array | undefined) =>
    requestLog!.record({
      id: info.id,
      time: info.time,
      providerId: info.providerId ?? null,
      method: request.method,
      url: info.url,
      status,
      durationMs,
      requestBody: requestLog!.keep(bodyTextOf(request)),
      // an error's body is rendered from `error` when read
      responseBody: info.error ? null : requestLog!.keep(responseText),
      error: info.error ?? null,
      fault: ctx.faults.markOf(request),
    });

  /**
   * A streamed CSV keeps its request inside the gate until the last batch is
   * read (a restore must not land between two batches); the request log
   * copies any other answer it has no text for (not CSV, not gzipped bytes).
   */
  const afterHandle = new Elysia().onAfterHandle({ as: "global" }, ({ request, response }) => {
    if (!(response instanceof Response)) return;
    const type = response.headers.get("content-type");
    if (type !== null && type.startsWith("text/csv")) {
      if (response.body === null) return;
      return new Response(ctx.gate.holdWhileStreaming(request, response.body), { status: response.status, headers: response.headers });
    }
    const info = ctx.requestInfo.get(request);
    if (!info?.logged || info.responseText !== undefined) return;
    if (response.headers.has("content-encoding")) return;
    info.responseCopy = response.clone() as Response;
  });

  /** Every error answer is rendered here; the request log keeps the error object itself. */
  const fail = async (request: Request, error: ApiError) => {
    const info = ctx.requestInfo.get(request);
    if (info?.logged) {
      info.error = error;
      await readUnreadBody(request);
    }
    return error.toResponse();
  };

  const app = new Elysia()
    .decorate("ctx", ctx)
    .use(faultInjection(ctx))
    .onRequest(({ request, set }) => {
      // every answer, errors and the docs included: browsers must not guess a type (issue 14)
      set.headers["x-content-type-options"] = "nosniff";
      // the same request routed again without its `.<ext>` (below) was counted and logged already;
      // it enters the snapshot gate itself (the client's request, answered from this hook, never leaves it)
      if (ctx.formats.has(request)) return ctx.gate.enter(request) ?? undefined;
      const api = requestLog !== null || limiter !== null ? pathOf(request.url).startsWith("/api/") : false;
      let info: RequestInfo | undefined;
      if (deps.log || (requestLog && api)) {
        info = { start: performance.now(), time: Date.now(), url: request.url, logged: requestLog !== null && api, id: 0 };
        if (info.logged) info.id = requestLog!.arrived();
        if (deps.log) info.requestId = request.headers.get("x-request-id") ?? newId();
        ctx.requestInfo.set(request, info);
      }
      if (limiter && api) {
        const authorization = request.headers.get("authorization");
        if (authorization !== null && !limiter.allow(authorization)) {
          // answered here, so no after-response hook runs: record it now
          const response = tooManyRequests();
          if (info?.logged) {
            info.done = true;
            record(request, info, 429, 0, "Retry later\n");
          }
          return response;
        }
      }
      const path = pathOf(request.url);
      if (path.startsWith("/api/v2/")) {
        // Rails' `(.:format)`: route the request again without the suffix, its format remembered
        const split = splitFormat(request.method, path);
        if (split.kind === "no-route") {
          // answered here, so no after-response hook runs: record it now
          return fail(request, ApiError.notFound()).then((response) => {
            if (info?.logged && !info.done) {
              info.done = true;
              record(request, info, 404, Math.round((performance.now() - info.start) * 100) / 100, undefined);
            }
            return response;
          });
        }
        if (split.kind === "format") {
          const url = request.url;
          const start = url.indexOf(path, url.indexOf("//") + 2);
          const query = url.indexOf("?", start);
          const inner = new Request(url.slice(0, start) + split.path + (query < 0 ? "" : url.slice(query)), request);
          ctx.formats.set(inner, split.format);
          const info = ctx.requestInfo.get(request);
          if (!info) return handle(inner);
          ctx.requestInfo.set(inner, info);
          // answered here, so no after-response hook runs for the client's request: log it now, with the body the handler read
          return handle(inner).then(async (response) => {
            carryBodyText(inner, request);
            if (!info.done) {
              info.done = true;
              await logAnswer(request, info, info.error ? info.error.status : response.status);
            }
            return response;
          });
        }
      }
      // a snapshot restore waits for the requests inside and holds new ones until it is done;
      // Elysia awaits this hook (it returns a call), and a promise of undefined lets the request go on
      const wait = ctx.gate.enter(request);
      if (wait) return wait;
    })
    .onError(({ error, code, request }) => {
      if (error instanceof ApiError) return fail(request, error);
      if (code === "NOT_FOUND") return fail(request, ApiError.notFound());
      if (code === "PARSE") return fail(request, ApiError.badRequest("The request body could not be parsed"));
      if (code === "VALIDATION") {
        // v2 requests only: the admin module answers its own validation failures
        if (pathOf(request.url).startsWith("/api/")) return fail(request, liveValidationError(error));
        return;
      }
      // the disk, not the request: 503 naming the cause, and one log line with SQLite's code
      const storage = storageFailure(error);
      if (storage) {
        ctx.logError(request, { status: 503, code: sqliteCode(error), error: String((error as Error)?.message ?? error).split("\n")[0] });
        return fail(request, storage);
      }
      // Never a stack trace to the client; the log keeps it.
      console.error(JSON.stringify({ level: "error", path: pathOf(request.url), error: String((error as Error)?.stack ?? error) }));
      return fail(request, new ApiError(500, { error: "Internal server error" }));
    })
    .use(afterResponse)
    .use(afterHandle)
    .use(
      apiDocs({
        documentation: {
          info: {
            title: "Lead provider API - 2.0.0",
            version: "2.0.0",
            description:
              "A local, resettable replica of the DfE Lead Provider API v2.0.0 for integration testing, with the sandbox's admin API.",
          },
          components: {
            securitySchemes: {
              bearerAuth: { type: "http", scheme: "bearer", description: "A lead provider's token (the demo providers' tokens are printed at start-up)" },
              adminToken: { type: "http", scheme: "bearer", description: "The admin token, for the admin API (ADMIN_TOKEN, or printed once at the first start)" },
            },
          },
          security: [{ bearerAuth: [] }],
        },
      }),
    )
    .get(
      "/healthz",
      () => {
        const problem = deps.fileProblem?.() ?? null;
        // a file deleted or replaced under the handle would take writes and lose them: not ready
        if (problem) return json({ status: "database unavailable", detail: problem }, 503);
        return json({ status: "ok" });
      },
      { response: HEALTHZ.response, detail: { ...HEALTHZ.detail, security: [] } },
    )
    .use(participantsRoutes(ctx))
    .use(usersRoutes(ctx))
    .use(declarationsRoutes(ctx))
    .use(adminRoutes(ctx, { moveDeclarationState: (id, state, now) => moveDeclarationState(ctx.db, id, state, now) }))
    .use(requestLogRoutes(ctx))
    .use(snapshotRoutes(ctx))
    .use(faultRoutes(ctx))
    .use(inspectorPage());
  handle = (request) => app.handle(request);

  return app;
}
