/**
 * `make test`: runs `bun test`, shows its output, and ends with the one line
 * CI reads: "N passed, M failed, K skipped". Above it, each skipped suite is
 * named with its reason (test/support/skip.ts writes them to TEST_SKIP_LOG).
 * Exits non-zero on any failure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const skipDir = mkdtempSync(join(tmpdir(), "test-skips-"));
const skipLog = join(skipDir, "skips.jsonl");
// bun 1.4 ignores bunfig.toml's [test] timeout (a 6 s test fails at 5 s with it set to 30 s),
// so the per-test limit is passed on the command line; `--timeout N` given to make test wins
const args = process.argv.slice(2);
const timeout = args.some((a) => a.startsWith("--timeout")) ? [] : ["--timeout", "30000"];
const proc = Bun.spawn([process.execPath, "test", ...timeout, ...args], {
  stdout: "pipe",
  stderr: "pipe",
  env: { ...process.env, LOG_REQUESTS: "off", TEST_SKIP_LOG: skipLog },
});
let output = "";
const decoder = new TextDecoder();
async function pump(stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) {
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    output += text;
    sink.write(text);
  }
}
await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)]);
const code = await proc.exited;
const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}\\s*$`, "m").exec(output)?.[1] ?? 0);
const passed = count("pass");
let failed = count("fail");
const skipped = count("skip");
if (code !== 0 && failed === 0) failed = 1; // a crash or a load error counts as a failure

const skips = existsSync(skipLog)
  ? readFileSync(skipLog, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { suite: string; reason: string })
  : [];
rmSync(skipDir, { recursive: true, force: true });
for (const { suite, reason } of skips) console.log(`skipped: ${suite}: ${reason}`);
if (skipped > 0 && skips.length === 0) console.log("skipped: tests that gave no reason (use skipUnless from test/support/skip.ts)");
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
