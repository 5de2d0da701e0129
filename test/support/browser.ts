/**
 * Headless Chromium for the page tests (docs viewer, inspector), driven by
 * playwright-core with Debian's `chromium`. Suites call `browserAvailable()`
 * and skip when chromium is absent (`.ci/run` installs it with apt-get).
 *
 * Every request the page makes is recorded, so a test can assert that none
 * left the service (`outsideRequests`), and console errors are collected.
 */
import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function browserAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Why a page suite is skipped (test/support/skip.ts). */
export const BROWSER_MISSING = `chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;

export interface BrowserSession {
  browser: Browser;
  /** a new page at the given viewport; its console errors and requests are recorded */
  newPage(viewport?: { width: number; height: number }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  consoleErrors: string[];
  /** every URL the page requested */
  requests: string[];
  /** the requested URLs whose origin is not `origin` (data: and blob: URLs are local) */
  outsideRequests(origin: string): string[];
}

export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), "chromium-"));
  // the flags keep Chromium from calling home (this machine has no outside network)
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return {
    browser,
    async newPage(viewport = { width: 1400, height: 900 }) {
      const page = await browser.newPage({ viewport });
      const consoleErrors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => consoleErrors.push(String(error)));
      page.on("request", (request) => requests.push(request.url()));
      return {
        page,
        consoleErrors,
        requests,
        outsideRequests: (origin) =>
          requests.filter((url) => !url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin),
      };
    },
    async close() {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
