import { DatabaseRefusal, damagedDatabase } from "../../db/connection";
import { RectScenarioError } from "../bootstrap";
import { startServer } from "../server";
import { CliError, PROGRAM, configOrExit, parseCommand } from "./common";

export const SERVE_HELP = `Usage: ${PROGRAM} serve

Serves the API (the default command). Prepares the database first: migrations,
reference data, the admin token, and demo data on an empty database unless
SEED=none. Stops gracefully on SIGTERM or SIGINT (exit code 0).

Configured by the environment: PORT (3000), HOST (0.0.0.0),
DATABASE_PATH (data/sandbox.sqlite), ADMIN_TOKEN, SEED (demo|none),
RATE_LIMIT (on|off), RESPONSE_CACHE (on|off: repeated GETs answered from memory
until the next write), LOG_REQUESTS (on|off), REQUEST_LOG_SIZE (10000; 0 = off),
RECT_SCENARIO (a v3 scenario file, loaded into an empty RECT world instead of its
demo), RECT_STATEMENTS (seed|none).`;

export async function serve(args: string[]): Promise<void> {
  if (parseCommand("serve", args, {}, SERVE_HELP).answered) return;
  const config = configOrExit();
  let server;
  try {
    server = await startServer(config);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof DatabaseRefusal) throw new CliError(e.message, 2);
    if (e instanceof RectScenarioError) throw new CliError(e.message, 2);
    const damaged = damagedDatabase(config.databasePath, e);
    if (damaged) throw new CliError(damaged.message, 2);
    if (err.code === "EADDRINUSE" || /in use/i.test(err.message)) {
      throw new CliError(`PORT ${config.port} is already in use on ${config.host}; set PORT to a free port`, 2);
    }
    throw new CliError(`could not start: ${err.message}`);
  }
  const shutdown = async (signal: string) => {
    console.log(JSON.stringify({ level: "info", message: `${signal}: finishing in-flight requests, then stopping` }));
    await server.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}
