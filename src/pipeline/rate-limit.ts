import { Elysia } from "elysia";
import { type FixedWindowRateLimiter, tooManyRequests } from "../http/rate-limit";
import type { Requests } from "../http/request-info";

/** The live throttle on /api/ (src/http/rate-limit.ts): over the limit, `429 Retry later` before anything else is read. */
export function rateLimitPlugin(requests: Requests, limiter: FixedWindowRateLimiter | null) {
  const plugin = new Elysia();
  if (!limiter) return plugin;
  return plugin.onRequest(function rateLimit({ request }) {
    const info = requests.get(request)!;
    if (!info.api || requests.isCopy(request, info)) return;
    const authorization = request.headers.get("authorization");
    if (authorization === null || limiter.allow(authorization)) return;
    info.responseText = "Retry later\n";
    // answered here, so no after-response hook runs: the logs are told now
    const response = tooManyRequests();
    const logged = requests.answered(request, info, 429);
    return logged ? logged.then(() => response) : response;
  });
}
