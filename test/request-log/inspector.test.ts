import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";
import { BROWSER_MISSING, type BrowserSession, browserAvailable, launchBrowser } from "../support/browser";
import { skipUnless } from "../support/skip";

// page.evaluate callbacks run in the browser (tsconfig has no DOM lib)
declare const document: any;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("/inspector page", () => {
  test("when /inspector and its files are asked for, then they come from the service with nosniff, DENY and a self-only CSP", async () => {
    for (const [path, type] of [
      ["/inspector", "text/html"],
      ["/inspector/inspector.js", "text/javascript"],
      ["/inspector/inspector.css", "text/css"],
    ] as const) {
      const response = await t.request("GET", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toStartWith(type);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:|\*/);
      expect(await response.text()).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    }
  });
});

const SHOTS = process.env.INSPECTOR_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "inspector-shots-"));

describe.skipIf(skipUnless(browserAvailable(), "/inspector in a browser", BROWSER_MISSING))("/inspector in a browser (chromium)", () => {
  let browser: BrowserSession;
  let origin: string;
  let provider: { id: string; token: string; name: string };

  beforeAll(async () => {
    t.app.listen({ port: 0, hostname: "127.0.0.1" });
    origin = `http://127.0.0.1:${t.app.server!.port}`;
    browser = await launchBrowser();
    provider = await t.newProvider("Inspector provider");
  });
  afterAll(async () => {
    await browser?.close();
    await t.app.stop();
  });

  /** a declaration with no date, through the real socket: a 422 with reasons */
  async function failingPost(): Promise<{ status: number; body: any }> {
    const { participant_id } = await t.newParticipant(provider.id);
    const response = await fetch(`${origin}/api/v2/participant-declarations`, {
      method: "POST",
      headers: { authorization: `Bearer ${provider.token}`, "content-type": "application/json" },
      body: JSON.stringify({ data: { type: "participant-declaration", attributes: { participant_id, declaration_type: "started", course_identifier: "ecf-induction" } } }),
    });
    return { status: response.status, body: await response.json() };
  }

  for (const viewport of [
    { width: 1400, height: 900 },
    { width: 390, height: 844 },
  ]) {
    test(`when a refused declaration is looked up at ${viewport.width} px, then the inspector shows it with the 422 reasons first, with no console error and no outside request`, async () => {
      const refused = await failingPost();
      expect(refused.status).toBe(422);
      const { page, consoleErrors, outsideRequests } = await browser.newPage(viewport);
      await page.goto(`${origin}/inspector`);
      await page.fill("#token", ADMIN_TOKEN);
      await page.click("#login button[type=submit]");
      await page.waitForSelector("#rows tr");
      // the token stays in this tab only
      expect(await page.evaluate(() => sessionStorage.getItem("lead-provider-sandbox:admin-token"))).toBe(ADMIN_TOKEN);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);

      await page.fill("#f-status", "422");
      await page.waitForFunction(() => [...document.querySelectorAll("#rows tr")].every((tr) => tr.children[1]!.textContent === "422"));
      const row = page.locator("#rows tr", { hasText: "/api/v2/participant-declarations" }).first();
      await row.click();
      await page.waitForSelector(".reasons li");
      const reasons = await page.locator(".reasons li").allTextContents();
      expect(reasons).toEqual(refused.body.errors.map((e: any) => `${e.title}: ${e.detail}`));
      // the reasons come before the facts and the bodies
      const order = await page.evaluate(() => [...document.querySelectorAll("#detail-body > div > *")].map((e) => e.className || e.tagName.toLowerCase()));
      expect(order[0]).toBe("reasons");
      const detail = await page.locator("#detail").innerText();
      for (const text of ["POST", "/api/v2/participant-declarations", "422", "Inspector provider", "\"declaration_type\": \"started\"", "\"title\": \"declaration_date\""]) expect(detail).toContain(text);
      expect(detail).not.toContain(provider.token);
      await page.screenshot({ path: join(SHOTS, `inspector-${viewport.width}.png`), fullPage: false });

      // a new request shows up by itself
      await failingPost();
      await page.waitForFunction(() => document.querySelectorAll("#rows tr").length >= 2, undefined, { timeout: 10_000 });
      if (viewport.width < 800) {
        await page.click("#close");
        expect(await page.locator("#detail").isHidden()).toBe(true);
        await page.screenshot({ path: join(SHOTS, `inspector-${viewport.width}-list.png`) });
      }
      expect(consoleErrors).toEqual([]);
      expect(outsideRequests(origin)).toEqual([]);
      await page.close();
    }, 30_000);
  }

  test("when a request is opened, then its headers (token as $TOKEN), the effective now and Copy as curl are there; a 403 is explained; a refused filter empties the list", async () => {
    const refused = await failingPost();
    expect(refused.status).toBe(422);
    const forbidden = await fetch(`${origin}/api/v2/participants/ecf?why=admin`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "x-with-server-date": "2025-01-10T10:00:00Z" } });
    expect(forbidden.status).toBe(403);
    const { page, consoleErrors, outsideRequests } = await browser.newPage({ width: 1400, height: 900 });
    await page.goto(`${origin}/inspector`);
    await page.fill("#token", ADMIN_TOKEN);
    await page.click("#login button[type=submit]");
    await page.waitForSelector("#rows tr");
    // the header clock is 24-hour UTC, like the table
    expect(await page.locator("#state").innerText()).toMatch(/updated \d\d:\d\d:\d\d UTC/);

    await page.locator("#rows tr", { hasText: "why=admin" }).first().click();
    await page.waitForSelector(".reasons p");
    const explained = await page.locator("#detail").innerText();
    expect(explained).toContain("the admin token works only on /admin");
    expect(explained).toContain("The admin token was used on /api/v2: use a lead provider's token");
    // the token's kind (never the token) and the effective now with where it came from
    expect(explained).toMatch(/token\s+the admin token/);
    expect(explained).toContain("2025-01-10T10:00:00.000Z · from the request's X-With-Server-Date header");
    expect(explained).toContain("Bearer $TOKEN");
    expect(explained).not.toContain(ADMIN_TOKEN);

    await page.locator("#rows tr", { hasText: "/api/v2/participant-declarations" }).first().click();
    await page.waitForFunction(() => !document.querySelector(".reasons p") && document.querySelector(".reasons li"));
    const refusedDetail = await page.locator("#detail").innerText();
    expect(refusedDetail).toMatch(/token\s+a lead provider's token/);
    expect(refusedDetail).toMatch(/now\s+\d{4}-\d\d-\d\dT[\d:.]+Z · real time/);
    await page.click(".copy-curl");
    await page.waitForFunction(() => document.querySelector(".copied")?.dataset.curl);
    const curl: string = await page.evaluate(() => document.querySelector(".copied").dataset.curl);
    expect(curl).toStartWith("curl -g -sS -X POST -H \"Authorization: Bearer $TOKEN\"");
    expect(curl).toContain("/api/v2/participant-declarations");
    expect(curl).not.toContain(provider.token);

    // a refused status filter: the error, and no stale rows
    await page.fill("#f-status", "abc");
    await page.waitForFunction(() => document.getElementById("filter-error")!.textContent !== "");
    expect(await page.locator("#rows tr").count()).toBe(0);
    expect(await page.locator("#state").innerText()).toContain("nothing shown");
    // the refused filter is a 422 the page expected (Chromium notes every 4xx); nothing else went wrong
    expect(consoleErrors.filter((e) => !e.includes("422"))).toEqual([]);
    expect(outsideRequests(origin)).toEqual([]);
    await page.close();
  }, 30_000);

  test("when the token is wrong, then the page says so and keeps nothing", async () => {
    const { page, consoleErrors } = await browser.newPage();
    await page.goto(`${origin}/inspector`);
    await page.fill("#token", provider.token);
    await page.click("#login button[type=submit]");
    await page.waitForFunction(() => document.getElementById("login-error")!.textContent !== "");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // the refused check is a 401 the page expected; nothing else went wrong
    expect(consoleErrors.filter((e) => !e.includes("401"))).toEqual([]);
    await page.close();
  });
});
