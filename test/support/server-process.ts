import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

const cli = join(import.meta.dir, "../../src/cli.ts");

export interface ServerProcess {
  url: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** what the server wrote so far (banner, request log, errors) */
  stdout(): string;
  stderr(): string;
  /** VmRSS / VmHWM of the server process, in MiB */
  memory(): { rss: number; hwm: number };
  stop(): Promise<number>;
}

export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface ServerProcessOptions {
  /** put before the command, e.g. setpriv, to run it as another user */
  prefix?: string[];
  /** what to run instead of `bun src/cli.ts` (e.g. a compiled binary); `serve` is added */
  command?: string[];
  /** the server's working folder (default: this one) */
  cwd?: string;
}

/** `serve` from source (or `options.command`) as a child process over a real socket; resolves once /healthz answers. */
export async function startServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const proc = Bun.spawn([...(options.prefix ?? []), ...(options.command ?? [process.execPath, cli]), "serve"], {
    cwd: options.cwd,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SEED: "none", RATE_LIMIT: "off", LOG_REQUESTS: "off", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of proc.stdout) out += decoder.decode(chunk, { stream: true });
  })();
  void (async () => {
    for await (const chunk of proc.stderr) err += decoder.decode(chunk, { stream: true });
  })();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${err}`);
    try {
      if ((await fetch(`${url}/healthz`)).status > 0) break;
    } catch {}
    if (i > 400) throw new Error(`server did not start: ${err}`);
    await Bun.sleep(25);
  }
  return {
    url,
    proc,
    stdout: () => out,
    stderr: () => err,
    memory() {
      const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
      return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
    },
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}
