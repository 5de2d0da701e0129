/**
 * /api-docs in headless Chromium, as a provider's engineer would use it:
 * the server on a real socket with the demo data, Swagger UI served from the
 * service itself. Skipped when chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { type RunningServer, startServer } from "../../src/server";
import { demoToken } from "../../src/modules/auth/tokens";
import { BROWSER_MISSING, type BrowserSession, type WatchedPage, browserAvailable, launchBrowser } from "../support/browser";
import { skipUnless } from "../support/skip";
import contract from "../contract/lead-provider-api-v2.openapi.json";

const available = !skipUnless(browserAvailable(), "/api-docs in a browser", BROWSER_MISSING);
const dir = mkdtempSync(join(tmpdir(), "docs-browser-"));
/** kept after the run, to look at */
const screenshots = mkdtempSync(join(tmpdir(), "docs-screenshots-"));
let server: RunningServer;
let browser: BrowserSession;
let origin: string;

beforeAll(async () => {
  if (!available) return;
  server = await startServer(
    { port: 0, host: "127.0.0.1", databasePath: join(dir, "sandbox.sqlite"), adminToken: "docs-admin-token", seed: "demo", rateLimit: false, logRequests: false, responseCache: true, requestLogSize: 0 },
    () => {},
  );
  origin = new URL(server.url).origin;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openDocs(viewport?: { width: number; height: number }, path = "/api-docs"): Promise<WatchedPage> {
  const watched = await browser.newPage(viewport);
  await watched.page.goto(`${server.url}${path}`);
  await watched.page.locator(".opblock").first().waitFor({ timeout: 20_000 });
  return watched;
}

/** the operation block of one method and path */
function operation(page: Page, method: string, path: string): Locator {
  return page.locator(`.opblock.opblock-${method}`, { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
}

/** Authorize, as a user pastes a token into the lead provider scheme's form */
async function authorize(page: Page, token: string, scheme = "bearerAuth") {
  await page.locator(".auth-wrapper .authorize").click();
  const form = page.locator(".auth-container", { has: page.locator("h4", { hasText: new RegExp(`^${scheme}\\b`) }) });
  await form.locator("input").fill(token);
  await form.locator("button.authorize").click();
  await form.locator(".btn-done").click();
}

async function tryIt(block: Locator, body?: string): Promise<{ status: string; text: string }> {
  await block.locator(".opblock-summary").first().click();
  await block.locator(".try-out__btn").click();
  if (body !== undefined) await block.locator("textarea.body-param__text").fill(body);
  await block.locator("button.execute").click();
  const answer = block.locator(".live-responses-table tr.response").first();
  await answer.waitFor({ timeout: 15_000 });
  return { status: (await answer.locator(".response-col_status").innerText()).trim(), text: await answer.locator(".response-col_description").innerText() };
}

describe.skipIf(!available)("/api-docs in a browser", () => {
  test("when the page is opened, then it renders every contract path with no console error and no request leaving the service", async () => {
    const watched = await openDocs();
    const { page } = watched;
    await expect(page.locator(".info .title").innerText()).resolves.toContain("Lead provider API - 2.0.0");
    for (const [path, item] of Object.entries(contract.paths)) {
      for (const method of Object.keys(item).filter((m) => m !== "parameters")) {
        expect({ method, path, visible: await operation(page, method, path).isVisible() }).toEqual({ method, path, visible: true });
      }
    }
    await page.screenshot({ path: join(screenshots, "docs-1400.png"), fullPage: false });
    console.log(`docs screenshots in ${screenshots}`);
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.outsideRequests(origin)).toEqual([]);
    await watched.page.close();
  }, 60_000);

  test("when /api-docs/v3 is opened and a v3 demo token is authorized, then the RECT document renders and Try it out on the statements list answers 200 (issue 20)", async () => {
    const watched = await openDocs(undefined, "/api-docs/v3");
    const { page } = watched;
    await expect(page.locator(".info .title").innerText()).resolves.toContain("Lead provider API - 3.0.0 (RECT)");
    expect(await operation(page, "get", "/api/v3/delivery-partners").isVisible()).toBe(true);
    expect(await operation(page, "post", "/admin/v3/scenarios").isVisible()).toBe(true);
    expect(await operation(page, "get", "/api/v2/participants/ecf").count()).toBe(0);
    // RECT's development token of the v3 demo world (app/services/api_seed_data/api_tokens.rb:9)
    await authorize(page, "ambition-institute");
    const answer = await tryIt(operation(page, "get", "/api/v3/statements"));
    expect(answer.status).toBe("200");
    expect(answer.text).toContain('"type": "statement"');
    await page.locator(".other-document a").click();
    await page.locator(".info .title", { hasText: "Lead provider API - 2.0.0" }).waitFor({ timeout: 20_000 });
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.outsideRequests(origin)).toEqual([]);
    await watched.page.close();
  }, 60_000);

  test("when a demo provider's token is authorized and the participants list and its CSV are tried, then the page shows 200 and the participants", async () => {
    const watched = await openDocs();
    const { page } = watched;
    await authorize(page, demoToken("Ambition Institute"));
    const answer = await tryIt(operation(page, "get", "/api/v2/participants/ecf"));
    expect(answer.status).toBe("200");
    expect(answer.text).toContain('"type": "participant"');
    const csv = await tryIt(operation(page, "get", "/api/v2/participants/ecf.csv"));
    expect(csv.status).toBe("200");
    expect(csv.text).toContain("id,email,full_name,");
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.outsideRequests(origin)).toEqual([]);
    await watched.page.close();
  }, 60_000);

  test("when Try it out is pressed with what the page prefills, then the lists are not filtered and the examples are demo data that works (issue 18 item 9)", async () => {
    const watched = await openDocs();
    const { page } = watched;
    const sent: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/v2/")) sent.push(`${request.method()} ${decodeURIComponent(request.url().slice(origin.length))}`);
    });
    await authorize(page, demoToken("Ambition Institute"));
    const list = await tryIt(operation(page, "get", "/api/v2/participants/ecf"));
    expect(list.status).toBe("200");
    const declarations = await tryIt(operation(page, "get", "/api/v2/participant-declarations"));
    expect(declarations.status).toBe("200");
    expect(declarations.text).toContain('"type": "participant-declaration"');
    // the prefilled examples, unchanged: a declaration of the demo data, shown and voided; a POST for a demo participant
    const shown = await tryIt(operation(page, "get", "/api/v2/participant-declarations/{id}"));
    expect(shown.status).toBe("200");
    const created = await tryIt(operation(page, "post", "/api/v2/participant-declarations"));
    expect(created.status).toBe("200");
    const participant = await tryIt(operation(page, "get", "/api/v2/participants/ecf/{id}"));
    expect(participant.status).toBe("200");
    const voided = await tryIt(operation(page, "put", "/api/v2/participant-declarations/{id}/void"));
    expect(voided.status).toBe("200");
    expect(voided.text).toContain('"state": "voided"');
    expect(sent.filter((line) => line.includes("filter"))).toEqual([]);
    expect(sent.some((line) => line.startsWith("GET /api/v2/participants/ecf?"))).toBe(true);
    expect(watched.consoleErrors).toEqual([]);
    expect(watched.outsideRequests(origin)).toEqual([]);
    await watched.page.close();
  }, 90_000);

  test("when the admin token is authorized and a bad admin body is tried, then the page shows the 422 naming the field", async () => {
    const watched = await openDocs();
    const { page } = watched;
    await authorize(page, "docs-admin-token", "adminToken");
    const answer = await tryIt(operation(page, "post", "/admin/lead-providers"), JSON.stringify({ name: "" }));
    expect(answer.status).toBe("422");
    expect(answer.text).toContain('"title": "name"');
    // Chromium logs every 4xx answer as a console error; the 422 is the point here
    expect(watched.consoleErrors).toEqual(["Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"]);
    expect(watched.outsideRequests(origin)).toEqual([]);
    await watched.page.close();
  }, 60_000);

  test("when an invalid declaration is posted through Try it out, then the page shows the 422 and its errors", async () => {
    const watched = await openDocs();
    const { page } = watched;
    await authorize(page, demoToken("Ambition Institute"));
    const body = JSON.stringify({
      data: {
        type: "participant-declaration",
        attributes: { participant_id: "00000000-0000-4000-8000-000000000000", declaration_type: "started", declaration_date: "2025-09-15T10:00:00Z", course_identifier: "ecf-induction" },
      },
    });
    const answer = await tryIt(operation(page, "post", "/api/v2/participant-declarations"), body);
    expect(answer.status).toBe("422");
    expect(answer.text).toContain('"errors"');
    expect(answer.text).toContain("participant_id");
    expect(watched.consoleErrors).toEqual(["Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"]);
    expect(watched.outsideRequests(origin)).toEqual([]);
    await watched.page.close();
  }, 60_000);

  test("when the page is opened on a 390 px wide phone, then it fits the screen", async () => {
    const watched = await openDocs({ width: 390, height: 844 });
    const { page } = watched;
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await operation(page, "get", "/api/v2/participants/ecf").isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, "docs-390.png"), fullPage: false });
    expect(watched.consoleErrors).toEqual([]);
    await watched.page.close();
  }, 60_000);
});
