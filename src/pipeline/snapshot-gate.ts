import { Elysia } from "elysia";
import type { RequestGate } from "../http/request-gate";
import type { Requests } from "../http/request-info";

/**
 * Last before the routes: a snapshot restore waits for the requests inside
 * and holds new ones until it is done (src/http/request-gate.ts). A request
 * leaves after its answer is sent; a streamed CSV keeps it inside until the
 * last batch is read (a restore must not land between two batches).
 */
export function snapshotGatePlugin(requests: Requests, gate: RequestGate) {
  return (
    new Elysia()
      // Elysia awaits this hook (it returns a call), and a promise of undefined lets the request go on
      .onRequest(function enterGate({ request }) {
        return gate.enter(requests.of(request)) ?? undefined;
      })
      .onAfterHandle({ as: "global" }, function holdStreams({ request, response }) {
        if (!(response instanceof Response)) return;
        // the type first: reading `body` makes a stream of a text answer (~9% of a page's time)
        const type = response.headers.get("content-type");
        if (type === null || !type.startsWith("text/csv") || response.body === null) return;
        return new Response(gate.holdWhileStreaming(requests.of(request), response.body), { status: response.status, headers: response.headers });
      })
      .onAfterResponse({ as: "global" }, function leaveGate({ request }) {
        const info = requests.get(request);
        if (info) gate.leave(info);
      })
  );
}
