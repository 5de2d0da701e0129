/**
 * RECT's throttles on /api/v3 (docs/reference/rect/rules.md §2.3; config/initializers/rack_attack.rb:53-57,67;
 * the "a rate limited endpoint" shared example, spec/support/shared_examples/rate_limiting_support.rb:29-38):
 * 1000 requests per 5-minute fixed window per raw `Authorization` value, and the backstop of 1500
 * per remote IP (`X-Real-IP` first) over every request. Throttled: 429 `Retry later\n`, text/plain,
 * before the token is looked at. A run that straddles a window boundary is run again (the counts
 * restart there), so the test does not depend on when it starts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";
import { type Refs, lp, v3Scenario } from "../support/v3";

let t: TestApp;
let refs: Refs;
beforeAll(async () => {
  t = await createTestApp({ rateLimit: true, rectStatements: false });
  refs = await v3Scenario(t, { lead_providers: [lp("a", [2025])] });
});
afterAll(() => t.close());

const windowOf = () => Math.floor(Date.now() / 300_000);
let ips = 0;
const freshIp = () => `10.20.${Math.floor(++ips / 250)}.${ips % 250}`;
const get = (token: string | null, ip: string) => t.request("GET", "/api/v3/statements?page[per_page]=1", { token, headers: { "x-real-ip": ip } });

/** `run` inside one rate-limit window (again, once, if a boundary fell inside it) */
async function inOneWindow<T>(run: () => Promise<T>): Promise<T> {
  for (;;) {
    const start = windowOf();
    const result = await run();
    if (windowOf() === start) return result;
  }
}

describe('"a rate limited endpoint" on /api/v3 (spec/requests/rate_limiting_spec.rb)', () => {
  // spec/requests/rate_limiting_spec.rb:50 ("API requests by auth token", on api_v3_statements_path)
  test("when 1001 requests come with one token in a window, then the 1001st is 429 `Retry later\\n` text/plain; another token from the same address goes on", async () => {
    const made = await t.admin("POST", `/admin/v3/lead-providers/${refs.a!.id}/api-tokens`);
    expect(made.status).toBe(201);
    const answers = await inOneWindow(async () => {
      // a fresh token each run: the first run's count may be in this window too
      const mine = (await t.admin("POST", `/admin/v3/lead-providers/${refs.a!.id}/api-tokens`)).body.api_token as string;
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 1000; i++) statuses.push((await get(mine, ip)).status);
      const last = await get(mine, ip);
      return { statuses, last, lastText: await last.text(), other: (await get(made.body.api_token as string, ip)).status };
    });
    expect(answers.statuses.filter((s) => s !== 200)).toEqual([]);
    expect(answers.last.status).toBe(429);
    expect(answers.last.headers.get("content-type")).toBe("text/plain");
    expect(answers.last.headers.get("retry-after")).toBeNull();
    expect(answers.lastText).toBe("Retry later\n");
    expect(answers.other).toBe(200);
  });

  // spec/requests/rate_limiting_spec.rb:83 ("All other requests by ip"); spec/requests/errors_spec.rb:44 ("when a rate limit is breached", that throttle: 429 "Retry later")
  test("when 1500 requests come from one address in a window (each with its own unknown token), then the 1501st is 429 even with a valid token; another address goes on", async () => {
    const token = refs.a!.api_token as string;
    const answers = await inOneWindow(async () => {
      const ip = `10.99.${windowOf() % 250}.${Math.floor(Math.random() * 250)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 1500; i++) statuses.push((await get(`unknown-${i}-${crypto.randomUUID()}`, ip)).status);
      const limitedResponse = await get(token, ip);
      return { statuses, limited: limitedResponse.status, limitedText: await limitedResponse.text(), noToken: (await get(null, ip)).status, elsewhere: (await get(token, freshIp())).status };
    });
    // unknown tokens are counted (each under its own value), and answered 401 until the address is over its limit
    expect(answers.statuses.filter((s) => s !== 401)).toEqual([]);
    expect(answers.limited).toBe(429);
    expect(answers.limitedText).toBe("Retry later\n");
    expect(answers.noToken).toBe(429);
    expect(answers.elsewhere).toBe(200);
  });
});
