/**
 * The fault rules in the request pipeline (src/pipeline/index.ts, step 4,
 * after the throttle and before format routing): an Elysia plugin.
 *
 * - Its onRequest hook chooses the request's fault (the X-Sandbox-Fault
 *   header, else the first rule that applies) and answers the faults that
 *   are not handled (`status`, `rate_limit`, `timeout`, `reset` before the
 *   write) at once: nothing is read past the headers, nothing is written, no
 *   snapshot gate is entered; the logs are told there, as the throttle does.
 * - `delay` and `reset` after the write are handled as usual and act on the
 *   final answer, errors included, so the plugin also wraps the app's fetch
 *   (Elysia's `wrap`: the one place that sees the answer every hook made).
 *
 * With no rule and no header a request costs two header look-ups.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import type { ApiError } from "../../errors";
import { readUnreadBody } from "../../http/json-api";
import { tooManyRequests } from "../../http/rate-limit";
import type { RequestInfo } from "../../http/request-info";
import { renderError } from "../../pipeline/error-rendering";
import { leadProviderOf } from "../auth/plugin";
import { FAULT_HEADER, type Fault, type FaultMark, FRONT_DOOR_ANSWERS, TIMEOUT_CLOSE_MS, parseFaultHeader, statusAnswer } from "./rules";

/** What the plugin needs of Bun's server: a per-request idle timeout (seconds; Bun's longest is 255) */
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

/** Bun closes a connection idle for 10 s; an answer held back on purpose must outlast that */
function keepOpen(server: IdleTimeouts | null, request: Request, ms: number): void {
  server?.timeout(request, Math.min(255, Math.ceil(ms / 1000) + 10));
}

export function faultsPlugin(ctx: AppContext) {
  const { requests, faults: table } = ctx;

  /** A request answered (or dropped) here: its body is read for the log, and the logs are told now. */
  const answered = async (request: Request, info: RequestInfo, status: number, response: Response, responseText?: string): Promise<Response> => {
    if (info.logged) {
      await readUnreadBody(request, info);
      if (responseText !== undefined) info.responseText = responseText;
    }
    await requests.answered(request, info, status);
    return response;
  };

  const unhandled = (request: Request, info: RequestInfo, fault: Fault, server: IdleTimeouts | null): Promise<Response> | undefined => {
    switch (fault.kind) {
      case "status":
        return answered(request, info, fault.status, statusAnswer(fault.status), FRONT_DOOR_ANSWERS[fault.status].body);
      case "rate_limit":
        return answered(request, info, 429, tooManyRequests(), "Retry later\n");
      case "reset":
        // status 0: no answer was sent (as HAR writes it)
        if (fault.when === "before") return answered(request, info, 0, connectionReset());
        table.holdAnswer(request, fault);
        return undefined;
      case "timeout": {
        // logged when it happens; the connection is closed after 120 s, or when the client gives up
        keepOpen(server, request, TIMEOUT_CLOSE_MS);
        const never = new Promise<Response>((resolve) => {
          const close = () => {
            clearTimeout(timer);
            resolve(connectionReset());
          };
          const timer = setTimeout(close, TIMEOUT_CLOSE_MS);
          request.signal?.addEventListener("abort", close, { once: true });
        });
        return answered(request, info, 0, new Response()).then(() => never);
      }
      case "delay":
        keepOpen(server, request, fault.ms);
        table.holdAnswer(request, fault);
        return undefined;
    }
  };

  const choose = async (request: Request, info: RequestInfo, header: string | null, server: IdleTimeouts | null): Promise<Response | undefined> => {
    let fault: Fault;
    let mark: FaultMark;
    if (header !== null) {
      try {
        fault = parseFaultHeader(header);
      } catch (error) {
        // not a fault: the request is refused, as a bad X-With-Server-Date is
        info.providerId ??= (await leadProviderOf(ctx, request)) ?? undefined;
        const response = await renderError(request, info, error as ApiError);
        await requests.answered(request, info, 400);
        return response;
      }
      mark = { rule_id: null, kind: fault.kind };
    } else {
      const providerId = table.needsProvider(request.method, info.path) ? await leadProviderOf(ctx, request) : null;
      const chosen = table.choose(request.method, info.path, providerId);
      if (!chosen) return undefined;
      ({ fault, mark } = chosen);
    }
    info.fault = mark;
    // the log names the caller of a request that is never authenticated
    info.providerId ??= (await leadProviderOf(ctx, request)) ?? undefined;
    return unhandled(request, info, fault, server);
  };

  /** After the app answered a request handled under a fault: the answer late, or dropped. */
  const afterAnswer = (request: Request, response: Response): Response | Promise<Response> => {
    const fault = table.heldAnswer(request);
    if (fault?.kind === "delay") return new Promise((resolve) => setTimeout(() => resolve(response), fault.ms));
    if (fault?.kind === "reset" && fault.when === "after") {
      // handled and committed (a write's answer is built after its commit): the answer is dropped
      return (response.body?.cancel() ?? Promise.resolve()).then(connectionReset, connectionReset);
    }
    return response;
  };

  return new Elysia({ name: "faults" })
    .onRequest(function faults({ request, server }) {
      const header = request.headers.get(FAULT_HEADER);
      if (header === null && table.empty) return;
      const info = requests.get(request)!;
      // only /api/ (never /admin, /healthz or the docs); a copy routed again without its `.<ext>` was judged as the client's request
      if (!info.api || requests.isCopy(request, info)) return;
      return choose(request, info, header, server as IdleTimeouts | null);
    })
    .wrap((fn) => (request: Request) => {
      const answer = fn(request) as unknown as Response | Promise<Response>;
      if (table.empty && request.headers.get(FAULT_HEADER) === null) return answer;
      return Promise.resolve(answer).then((response) => afterAnswer(request, response));
    });
}
