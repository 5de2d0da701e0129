import { Elysia } from "elysia";
import { type FixedWindowRateLimiter, tooManyRequests } from "../http/rate-limit";
import type { Requests } from "../http/request-info";
import { isV3Path } from "../modules/v3/http/envelope";

/** The live throttle on /api/ (src/http/rate-limit.ts): over the limit, `429 Retry later` before anything else is read. */
export function rateLimitPlugin(requests: Requests, limiter: FixedWindowRateLimiter | null, v3IpLimiter: FixedWindowRateLimiter | null = null) {
  const plugin = new Elysia();
  if (!limiter) return plugin;
  return plugin.onRequest(function rateLimit({ request, server }) {
    const info = requests.get(request)!;
    if (!info.api || requests.isCopy(request, info)) return;
    const authorization = request.headers.get("authorization");
    const byToken = authorization === null || limiter.allow(authorization);
    // RECT's "All other requests by ip" backstop, X-Real-IP first (config/initializers/rack_attack.rb:67), on /api/v3 only
    const byIp = v3IpLimiter === null || !isV3Path(info.path) || v3IpLimiter.allow(request.headers.get("x-real-ip") ?? server?.requestIP(request)?.address ?? "local");
    if (byToken && byIp) return;
    info.responseText = "Retry later\n";
    // answered here, so no after-response hook runs: the logs are told now
    const response = tooManyRequests();
    const logged = requests.answered(request, info, 429);
    return logged ? logged.then(() => response) : response;
  });
}
