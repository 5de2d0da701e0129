/**
 * The fault rules in the request pipeline: an Elysia plugin that wraps the
 * app's fetch, so that it sees every request before any hook (an unhandled
 * fault touches nothing: no gate, no database) and every answer after the
 * last one (a `delay` or a `reset` after the write acts on the final answer,
 * errors included). With no rule and no `X-Sandbox-Fault` header a request
 * costs one header look-up.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import type { ApiError } from "../../errors";
import { tooManyRequests } from "../../http/rate-limit";
import { leadProviderOf } from "../auth/plugin";
import { FAULT_HEADER, type Fault, type FaultMark, FRONT_DOOR_ANSWERS, TIMEOUT_CLOSE_MS, parseFaultHeader, statusAnswer } from "./rules";

/** What Bun needs to know of its server: a per-request idle timeout (seconds; Bun's longest is 255) */
interface IdleTimeouts {
  timeout(request: Request, seconds: number): void;
}

/**
 * An answer whose body fails before its first byte: Bun then drops the
 * connection (a TCP reset) without sending a status line. `error()` without
 * a reason, so that nothing is printed.
 */
function connectionReset(): Response {
  return new Response(
    new ReadableStream({
      pull(controller) {
        controller.error();
      },
    }),
  );
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : end < 0 ? url.slice(start) : url.slice(start, end);
}

export function faultInjection(ctx: AppContext) {
  const table = ctx.faults;
  let server: IdleTimeouts | null = null;

  /** A request answered (or dropped) here never reaches the log's hooks: recorded now. */
  const record = async (request: Request, mark: FaultMark | null, status: number, providerId: string | null, responseBody: string | null, error: ApiError | null) => {
    const log = ctx.requestLog;
    if (!log) return;
    const id = log.arrived();
    const body = await request.text().catch(() => null);
    log.record({
      id,
      time: Date.now(),
      providerId,
      method: request.method,
      url: request.url,
      status,
      durationMs: 0,
      requestBody: log.keep(body),
      responseBody: log.keep(responseBody),
      error,
      fault: mark,
    });
  };

  /** Bun closes a connection idle for 10 s; a slow answer on purpose must outlast that */
  const keepOpen = (request: Request, ms: number) => server?.timeout(request, Math.min(255, Math.ceil(ms / 1000) + 10));

  const apply = async (handle: (r: Request) => Promise<Response>, request: Request, fault: Fault, mark: FaultMark, providerId: string | null): Promise<Response> => {
    switch (fault.kind) {
      case "status": {
        await record(request, mark, fault.status, providerId, FRONT_DOOR_ANSWERS[fault.status].body, null);
        return statusAnswer(fault.status);
      }
      case "rate_limit": {
        await record(request, mark, 429, providerId, "Retry later\n", null);
        return tooManyRequests();
      }
      case "timeout": {
        // logged when it happens; status 0: no answer (as HAR writes it)
        await record(request, mark, 0, providerId, null, null);
        keepOpen(request, TIMEOUT_CLOSE_MS);
        return new Promise<Response>((resolve) => {
          const close = () => {
            clearTimeout(timer);
            resolve(connectionReset());
          };
          const timer = setTimeout(close, TIMEOUT_CLOSE_MS);
          request.signal?.addEventListener("abort", close, { once: true });
        });
      }
      case "reset": {
        if (fault.when === "before") {
          await record(request, mark, 0, providerId, null, null);
          return connectionReset();
        }
        // handled and committed (a write's answer is built after its commit), then the answer is dropped
        table.mark(request, mark);
        const answer = await handle(request);
        await answer.body?.cancel().catch(() => undefined);
        return connectionReset();
      }
      case "delay": {
        table.mark(request, mark);
        keepOpen(request, fault.ms);
        const answer = await handle(request);
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return answer;
      }
    }
  };

  const faulted = async (handle: (r: Request) => Promise<Response>, request: Request, header: string | null): Promise<Response> => {
    if (header !== null) {
      let fault: Fault;
      try {
        fault = parseFaultHeader(header);
      } catch (error) {
        const refusal = error as ApiError;
        // not a fault: the request is refused, as a bad X-With-Server-Date is
        await record(request, null, 400, await leadProviderOf(ctx, request), null, refusal);
        return refusal.toResponse();
      }
      return apply(handle, request, fault, { rule_id: null, kind: fault.kind }, await leadProviderOf(ctx, request));
    }
    const path = pathOf(request.url);
    const providerId = table.needsProvider(request.method, path) ? await leadProviderOf(ctx, request) : null;
    const chosen = table.choose(request.method, path, providerId);
    if (!chosen) return handle(request);
    return apply(handle, request, chosen.fault, chosen.mark, providerId ?? (await leadProviderOf(ctx, request)));
  };

  return new Elysia({ name: "faults" })
    .onStart((app) => {
      server = (app.server as IdleTimeouts | null) ?? null;
    })
    .wrap((fn) => (request: Request) => {
      // the one cost of an empty table: a header look-up
      const header = request.headers.get(FAULT_HEADER);
      if (header === null && table.empty) return fn(request);
      // only /api/ (never /admin, /healthz or the docs); a request routed again without its format suffix was judged already
      if (!pathOf(request.url).startsWith("/api/") || ctx.formats.has(request)) return fn(request);
      return faulted((r) => Promise.resolve(fn(r) as unknown as Response | Promise<Response>), request, header);
    });
}
