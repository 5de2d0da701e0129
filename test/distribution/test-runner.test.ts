/**
 * `make test`'s last line (test/run.ts), which CI reads: it counts skips, and
 * names each skipped suite with its reason above it (issue 18 item 14).
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "test-runner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("when a suite is skipped for a missing tool, then make test names it with its reason and its last line is 'N passed, M failed, K skipped'", () => {
  const fixture = join(dir, "fixture.test.ts");
  writeFileSync(
    fixture,
    `import { describe, expect, test } from "bun:test";
import { skipUnless } from ${JSON.stringify(join(import.meta.dir, "../support/skip"))};
test("runs", () => expect(1).toBe(1));
describe.skipIf(skipUnless(false, "the fixture's tool suite", "the fixture's tool is not installed"))("needs a tool", () => {
  test("one", () => expect(1).toBe(1));
  test("two", () => expect(1).toBe(1));
});
describe.skipIf(skipUnless(true, "an available suite", "never printed"))("has its tool", () => {
  test("three", () => expect(1).toBe(1));
});
`,
  );
  const run = Bun.spawnSync([process.execPath, join(import.meta.dir, "../run.ts"), fixture], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const lines = run.stdout.toString().trimEnd().split("\n");
  expect(run.exitCode).toBe(0);
  expect(lines.at(-1)).toBe("2 passed, 0 failed, 2 skipped");
  expect(lines.at(-2)).toBe("skipped: the fixture's tool suite: the fixture's tool is not installed");
  expect(run.stdout.toString() + run.stderr.toString()).not.toContain("never printed");
}, 60_000);
