/**
 * The request pipeline: named Elysia plugins, mounted by `createApp` before
 * the routes, each testable alone (test/pipeline/). A request meets them in
 * this order:
 *
 *   1. requestInfo    its one RequestInfo (src/http/request-info.ts), `nosniff` on every answer
 *   2. requestLog     marks what the logs will record; writes both logs once the request is answered
 *   3. rateLimit      the live throttle on /api/ (429 before anything is read)
 *   4. faults         fault rules and X-Sandbox-Fault on /api/ (src/modules/faults/plugin.ts): a fault
 *                     that answers tells `ctx.requests.answered(...)` as rateLimit does; `delay` and
 *                     `reset` after the write act on the final answer (a wrap of the app's fetch)
 *   5. formatRouting  `.<ext>` on /api/v2/ and /api/v3/: the request routed again through the app without it
 *   6. snapshotGate   a restore waits for the requests inside and holds new ones
 *   7. errorRendering every error in the live shapes; failures through ctx.logError
 *
 * A plugin that answers in onRequest (no after-response hook runs then) tells
 * `ctx.requests.answered` itself, so that every client request is logged once.
 */
import type { AnyElysia } from "elysia";
import type { AppContext } from "../context";
import { faultsPlugin } from "../modules/faults/plugin";
import { errorRenderingPlugin } from "./error-rendering";
import { formatRoutingPlugin } from "./format-routing";
import { rateLimitPlugin } from "./rate-limit";
import { requestInfoPlugin } from "./request-info";
import { requestLogPlugin } from "./request-log";
import { snapshotGatePlugin } from "./snapshot-gate";

/** Mounted on the app itself (a functional plugin): format routing hands requests back to that app. */
export function requestPipeline(ctx: AppContext) {
  const { requests } = ctx;
  return <A extends AnyElysia>(app: A): A =>
    app
      .use(requestInfoPlugin(requests))
      .use(requestLogPlugin(requests, ctx.requestLog, ctx.log, ctx.clock))
      .use(rateLimitPlugin(requests, ctx.rateLimiter, ctx.v3IpLimiter))
      .use(faultsPlugin(ctx))
      .use(formatRoutingPlugin(requests))
      .use(snapshotGatePlugin(requests, ctx.gate))
      .use(errorRenderingPlugin(requests, ctx.logError)) as unknown as A;
}
