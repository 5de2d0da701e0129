import { CliError, PROGRAM, parseCommand, usageError, wholeNumber } from "./common";

export const HEALTHCHECK_HELP = `Usage: ${PROGRAM} healthcheck [--url URL] [--timeout MS]

Asks a running server for GET /healthz and exits 0 when it answers
200 {"status":"ok"}, else 1 with one line on stderr. For Docker's HEALTHCHECK
(the image has no curl). By default it asks http://127.0.0.1:$PORT/healthz
(or HOST, when HOST names one address).

Options:
  --url URL       the URL to ask instead
  --timeout MS    how long to wait for the answer (default 3000)
  -h, --help      this text
  -v, --version   the version`;

export function defaultHealthUrl(env: Record<string, string | undefined> = process.env): string {
  const port = env.PORT && env.PORT !== "" ? env.PORT : "3000";
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw usageError(`PORT must be a whole number from 1 to 65535, got "${port}"`);
  const host = env.HOST && !["", "0.0.0.0", "::", "[::]"].includes(env.HOST) ? env.HOST : "127.0.0.1";
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}/healthz`;
}

export async function healthcheck(args: string[]): Promise<void> {
  const { values, answered } = parseCommand("healthcheck", args, { url: { type: "string" }, timeout: { type: "string" } }, HEALTHCHECK_HELP);
  if (answered) return;
  const timeout = wholeNumber("healthcheck", "timeout", values.timeout as string | undefined, 3000, 1, 600_000);
  const url = (values.url as string | undefined) ?? defaultHealthUrl();
  if (!URL.canParse(url)) throw usageError(`healthcheck: --url is not a URL: "${url}"`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeout) });
  } catch (e) {
    throw new CliError(`healthcheck: ${url}: ${(e as Error).name === "TimeoutError" ? `no answer within ${timeout} ms` : (e as Error).message}`);
  }
  const body = await response.text();
  let ok = false;
  try {
    ok = response.status === 200 && JSON.parse(body)?.status === "ok";
  } catch {}
  if (!ok) throw new CliError(`healthcheck: ${url} answered ${response.status} ${body.slice(0, 200)}`);
  console.log(`ok: ${url}`);
}
