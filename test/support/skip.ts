import { appendFileSync } from "node:fs";

/**
 * Where a suite cannot run here (no chromium, no tmpfs, not root), it is
 * skipped, and says why: `make test` (test/run.ts) names every skipped suite
 * with its reason above its last line, so that a skip is never silent
 * (issue 18 item 14). Use as `describe.skipIf(skipUnless(...))`.
 *
 * test/run.ts passes TEST_SKIP_LOG, a file that gets one JSON line per skip;
 * a plain `bun test` prints the reason instead.
 */
export function skipUnless(available: boolean, suite: string, reason: string): boolean {
  if (available) return false;
  const log = process.env.TEST_SKIP_LOG;
  if (log) appendFileSync(log, JSON.stringify({ suite, reason }) + "\n");
  else console.warn(`skipped: ${suite}: ${reason}`);
  return true;
}
