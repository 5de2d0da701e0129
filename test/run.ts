/**
 * `make test`: runs `bun test`, shows its output, and ends with the one line
 * CI reads: "N passed, M failed". Exits non-zero on any failure.
 */
const proc = Bun.spawn([process.execPath, "test", ...process.argv.slice(2)], {
  stdout: "pipe",
  stderr: "pipe",
  env: { ...process.env, LOG_REQUESTS: "off" },
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
const passed = Number(/^\s*(\d+) pass\s*$/m.exec(output)?.[1] ?? 0);
let failed = Number(/^\s*(\d+) fail\s*$/m.exec(output)?.[1] ?? 0);
if (code !== 0 && failed === 0) failed = 1; // a crash or a load error counts as a failure
console.log(`${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
