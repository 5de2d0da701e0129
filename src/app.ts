import { Elysia } from "elysia";
import type { Db } from "../db/connection";
import type { WriteCounter } from "../db/write-counter";
import { GroupCommit } from "../db/group-commit";
import { ResponseCache } from "./http/response-cache";
import { Clock } from "./clock";
import type { AppContext } from "./context";
import { ApiError } from "./errors";
import { LoopShare } from "./http/csv";
import { FixedWindowRateLimiter, tooManyRequests } from "./http/rate-limit";
import { newId } from "./lib/ids";
import { adminRoutes } from "./modules/admin/routes";
import { declarationsRoutes } from "./modules/declarations/routes";
import { moveDeclarationState } from "./modules/declarations/service";
import { apiDocs } from "./modules/docs/plugin";
import { participantsRoutes } from "./modules/participants/routes";
import { LastUsedRecorder } from "./modules/auth/tokens";

export interface AppDeps {
  db: Db;
  clock?: Clock;
  /** the live throttle; on unless switched off (RATE_LIMIT=off) */
  rateLimit?: boolean | FixedWindowRateLimiter;
  /** counts writes through `db`; with it, repeated GETs are answered from a cache until the next write */
  writes?: WriteCounter;
  /** SQLite's data_version off the raw handle (see OpenDatabase) */
  dataVersion?: () => number;
  /** where the one-JSON-line-per-request log goes; none when omitted */
  log?: (line: string) => void;
}

export type App = ReturnType<typeof createApp>;

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
    lastUsed: new LastUsedRecorder(),
    requestInfo: new WeakMap(),
    cache: deps.writes ? new ResponseCache(deps.db, deps.writes, deps.dataVersion) : null,
    groupCommit: new GroupCommit(deps.db),
    loopShare: new LoopShare(),
    logError(request, fields) {
      console.error(
        JSON.stringify({
          time: new Date().toISOString(),
          level: "error",
          request_id: ctx.requestInfo.get(request)?.id,
          method: request.method,
          path: pathOf(request.url),
          ...fields,
        }),
      );
    },
  };
  const limiter =
    deps.rateLimit === false ? null : deps.rateLimit instanceof FixedWindowRateLimiter ? deps.rateLimit : new FixedWindowRateLimiter();
  const started = new WeakMap<Request, { at: number; id: string }>();

  // only when logging: a hook that does nothing still costs every request
  const requestLog = new Elysia().onAfterResponse({ as: "global" }, ({ request, set, responseValue }) => {
      if (!deps.log) return;
      const start = started.get(request);
      const url = new URL(request.url);
      deps.log(
        JSON.stringify({
          time: new Date().toISOString(),
          request_id: start?.id,
          method: request.method,
          path: url.pathname,
          status: responseValue instanceof Response ? responseValue.status : typeof set.status === "number" ? set.status : 200,
          duration_ms: start ? Math.round((performance.now() - start.at) * 100) / 100 : undefined,
          lead_provider_id: ctx.requestInfo.get(request)?.providerId ?? null,
        }),
      );
    });

  const app = new Elysia()
    .decorate("ctx", ctx)
    .onRequest(({ request, set }) => {
      // every answer, errors and the docs included: browsers must not guess a type (issue 14)
      set.headers["x-content-type-options"] = "nosniff";
      if (deps.log) {
        const id = request.headers.get("x-request-id") ?? newId();
        started.set(request, { at: performance.now(), id });
        ctx.requestInfo.set(request, { id });
      }
      if (limiter) {
        const authorization = request.headers.get("authorization");
        if (authorization !== null && pathOf(request.url).startsWith("/api/")) {
          if (!limiter.allow(authorization)) return tooManyRequests();
        }
      }
    })
    .onError(({ error, code, request }) => {
      if (error instanceof ApiError) return error.toResponse();
      if (code === "NOT_FOUND") return ApiError.notFound().toResponse();
      if (code === "PARSE") return ApiError.badRequest("The request body could not be parsed").toResponse();
      if (code === "VALIDATION") return ApiError.badRequest("The request is not valid").toResponse();
      // Never a stack trace to the client; the log keeps it.
      console.error(JSON.stringify({ level: "error", path: new URL(request.url).pathname, error: String((error as Error)?.stack ?? error) }));
      return new ApiError(500, { error: "Internal server error" }).toResponse();
    })
    .use(deps.log ? requestLog : new Elysia())
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
            securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
          },
          security: [{ bearerAuth: [] }],
        },
      }),
    )
    .get("/healthz", () => ({ status: "ok" }), { detail: { tags: ["Operations"], summary: "Readiness" } })
    .use(participantsRoutes(ctx))
    .use(declarationsRoutes(ctx))
    .use(adminRoutes(ctx, { moveDeclarationState: (id, state, now) => moveDeclarationState(ctx.db, id, state, now) }));

  return app;
}
