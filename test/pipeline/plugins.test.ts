/**
 * Each plugin of the request pipeline (src/pipeline/) on its own: a bare
 * Elysia app with only the plugins under test, one `Requests` registry, and
 * real requests through `app.handle`.
 */
import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { ApiError } from "../../src/errors";
import { FixedWindowRateLimiter } from "../../src/http/rate-limit";
import { RequestGate } from "../../src/http/request-gate";
import { type RequestInfo, Requests } from "../../src/http/request-info";
import { RequestLog } from "../../src/modules/request-log/service";
import { errorRenderingPlugin } from "../../src/pipeline/error-rendering";
import { formatRoutingPlugin } from "../../src/pipeline/format-routing";
import { rateLimitPlugin } from "../../src/pipeline/rate-limit";
import { requestInfoPlugin } from "../../src/pipeline/request-info";
import { requestLogPlugin } from "../../src/pipeline/request-log";
import { snapshotGatePlugin } from "../../src/pipeline/snapshot-gate";

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

/** the statuses the registry is told, and a promise for the next one */
function answers(requests: Requests) {
  const told: { url: string; status: number }[] = [];
  let next: (() => void) | null = null;
  requests.onAnswered((_request, info, status) => {
    told.push({ url: info.url, status });
    next?.();
  });
  return { told, next: () => new Promise<void>((resolve) => (next = resolve)) };
}

describe("requestInfo plugin", () => {
  test("when a request arrives, then it has one RequestInfo with its path, and the answer says nosniff", async () => {
    const requests = new Requests();
    let seen: RequestInfo | undefined;
    const app = new Elysia().use(requestInfoPlugin(requests)).get("/api/v2/x", ({ request }) => {
      seen = requests.get(request);
      return "ok";
    });
    const response = await app.handle(get("/api/v2/x?a=1"));
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(seen).toMatchObject({ url: "http://localhost/api/v2/x?a=1", path: "/api/v2/x", api: true, logged: false });
  });
});

describe("rateLimit plugin", () => {
  test("when one Authorization value passes the limit on /api/, then it gets 429 'Retry later' and the logs are told once; other paths are not counted", async () => {
    const requests = new Requests();
    const heard = answers(requests);
    const app = new Elysia()
      .use(requestInfoPlugin(requests))
      .use(rateLimitPlugin(requests, new FixedWindowRateLimiter(2)))
      .get("/api/v2/x", () => "ok")
      .get("/healthz", () => "ok");
    const auth = { authorization: "Bearer a" };
    for (let i = 0; i < 3; i++) expect((await app.handle(get("/healthz", auth))).status).toBe(200);
    expect((await app.handle(get("/api/v2/x", auth))).status).toBe(200);
    expect((await app.handle(get("/api/v2/x", auth))).status).toBe(200);
    const refused = await app.handle(get("/api/v2/x", auth));
    expect([refused.status, await refused.text()]).toEqual([429, "Retry later\n"]);
    expect((await app.handle(get("/api/v2/x", { authorization: "Bearer b" }))).status).toBe(200);
    expect(heard.told).toEqual([{ url: "http://localhost/api/v2/x", status: 429 }]);
  });

  test("when the limiter is off, then the plugin adds no hook", () => {
    expect(rateLimitPlugin(new Requests(), null).event.request ?? []).toHaveLength(0);
  });
});

describe("formatRouting plugin", () => {
  const build = () => {
    const requests = new Requests();
    const heard = answers(requests);
    const app = new Elysia()
      .use(requestInfoPlugin(requests))
      .use(formatRoutingPlugin(requests))
      .get("/api/v2/things/:id", ({ request, params }) => `${params.id} as ${requests.get(request)?.format ?? "json"}`);
    return { app, heard };
  };

  test("when a v2 path ends in .<ext>, then it is routed again without it, with the format in its RequestInfo, and told once as the client sent it", async () => {
    const { app, heard } = build();
    const response = await app.handle(get("/api/v2/things/7.xml?x=1"));
    expect(await response.text()).toBe("7 as xml");
    expect(heard.told).toEqual([{ url: "http://localhost/api/v2/things/7.xml?x=1", status: 200 }]);
  });

  test("when a path has a dot in an earlier segment, then it is the live 404", async () => {
    const { app, heard } = build();
    const response = await app.handle(get("/api/v2/thi.ngs/7"));
    expect([response.status, await response.json()]).toEqual([404, { error: "Resource not Found" }]);
    expect(heard.told).toEqual([{ url: "http://localhost/api/v2/thi.ngs/7", status: 404 }]);
  });

  test("when a path has no suffix, then it is routed as it is", async () => {
    const { app } = build();
    expect(await (await app.handle(get("/api/v2/things/7"))).text()).toBe("7 as json");
  });
});

describe("requestLog plugin", () => {
  test("when an /api/ request is answered, then the request log records it once and the JSON line names it; other paths get the line only", async () => {
    const requests = new Requests();
    const log = new RequestLog(10);
    const lines: string[] = [];
    const app = new Elysia()
      .use(requestInfoPlugin(requests))
      .use(requestLogPlugin(requests, log, (line) => lines.push(line)))
      .get("/api/v2/x", () => new Response('{"a":1}', { headers: { "content-type": "application/json" } }))
      .get("/other", () => "ok");
    const heard = answers(requests);
    let done = heard.next();
    await app.handle(get("/api/v2/x", { "x-request-id": "r1" }));
    await done;
    done = heard.next();
    await app.handle(get("/other"));
    await done;
    const records = log.newestFirst();
    expect(records.map((r) => [r.url, r.status, r.responseBody])).toEqual([["http://localhost/api/v2/x", 200, '{"a":1}']]);
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed.map((l) => [l.path, l.status, l.request_id === "r1"])).toEqual([
      ["/api/v2/x", 200, true],
      ["/other", 200, false],
    ]);
  });

  test("when both logs are off, then the plugin adds no hook", () => {
    expect(requestLogPlugin(new Requests(), null, undefined).event.request ?? []).toHaveLength(0);
  });
});

describe("errorRendering plugin", () => {
  test("when a handler throws an ApiError, an Error, or no route matches, then the live shapes answer, and only the Error is logged, through logError", async () => {
    const requests = new Requests();
    const logged: Record<string, unknown>[] = [];
    const app = new Elysia()
      .use(requestInfoPlugin(requests))
      .use(errorRenderingPlugin(requests, (_request, fields) => logged.push(fields)))
      .get("/api/v2/refused", () => {
        throw ApiError.unprocessable("participant_id", "Your update cannot be made");
      })
      .get("/api/v2/broken", () => {
        throw new Error("boom");
      });
    const refused = await app.handle(get("/api/v2/refused"));
    expect([refused.status, await refused.json()]).toEqual([422, { errors: [{ title: "participant_id", detail: "Your update cannot be made" }] }]);
    const broken = await app.handle(get("/api/v2/broken"));
    expect([broken.status, await broken.json()]).toEqual([500, { error: "Internal server error" }]);
    const missing = await app.handle(get("/nowhere"));
    expect([missing.status, await missing.json()]).toEqual([404, { error: "Resource not Found" }]);
    expect(logged.map((f) => [f.status, String(f.error).split("\n")[0]])).toEqual([[500, "Error: boom"]]);
  });
});

describe("snapshotGate plugin", () => {
  test("when a restore holds the gate, then a request that arrives waits and is answered after the restore", async () => {
    const requests = new Requests();
    const gate = new RequestGate();
    const events: string[] = [];
    const app = new Elysia()
      .use(requestInfoPlugin(requests))
      .use(snapshotGatePlugin(requests, gate))
      .get("/api/v2/x", () => {
        events.push("handled");
        return "ok";
      });
    let release!: () => void;
    let started!: () => void;
    const restoreStarted = new Promise<void>((resolve) => (started = resolve));
    const restore = gate.exclusive({}, async () => {
      events.push("restore started");
      started();
      await new Promise<void>((resolve) => (release = resolve));
      events.push("restore done");
    });
    await restoreStarted;
    const answer = app.handle(get("/api/v2/x"));
    release();
    await restore;
    expect(await (await answer).text()).toBe("ok");
    expect(events).toEqual(["restore started", "restore done", "handled"]);
  });
});
