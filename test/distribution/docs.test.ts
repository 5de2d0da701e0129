import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestApp, createTestApp } from "../support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** every URL the page loads: src= and href= attributes, and CSS url(...) */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe("docs served offline", () => {
  test("when /api-docs is asked for, then the page references only URLs on this service", async () => {
    const response = await t.request("GET", "/api-docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    const urls = referencedUrls(html);
    expect(urls).toContain("/api-docs/assets/reference.js");
    for (const url of urls) expect(url).not.toMatch(/^(https?:)?\/\//);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  for (const [path, type] of [
    ["/api-docs/assets/reference.js", "text/javascript"],
    ["/api-docs/assets/reference.css", "text/css"],
  ] as const) {
    test(`when ${path} is asked for, then it is served from the service and loads nothing from the web`, async () => {
      const response = await t.request("GET", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toStartWith(type);
      expect(await response.text()).not.toMatch(/https?:\/\//);
    });
  }

  test("when /api-docs/json is asked for, then it lists the v2 API and the admin API, but not the docs' own routes", async () => {
    const { status, body } = await t.call("GET", "/api-docs/json");
    expect(status).toBe(200);
    const paths = Object.keys(body.paths);
    for (const admin of ["/admin/lead-providers", "/admin/participants", "/admin/clock", "/admin/participant-declarations/{id}/state"]) {
      expect(paths).toContain(admin);
    }
    expect(paths.some((p) => p.startsWith("/api/v2/"))).toBe(true);
    expect(paths.some((p) => p.startsWith("/api-docs"))).toBe(false);
  });
});
