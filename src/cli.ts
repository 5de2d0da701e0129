#!/usr/bin/env bun
import { DatabaseRefusal } from "../db/connection";
import { CliError, PROGRAM, VERSION } from "./commands/common";
import { HEALTHCHECK_HELP, healthcheck } from "./commands/healthcheck";
import { MIGRATE_HELP, migrate } from "./commands/migrate";
import { RESET_HELP, reset } from "./commands/reset";
import { SEED_HELP, seed } from "./commands/seed";
import { SERVE_HELP, serve } from "./commands/serve";
import { TOKEN_HELP, token } from "./commands/token";
import { SNAPSHOT_HELP, snapshot } from "./commands/snapshot";
import { SCENARIO_HELP, scenario } from "./commands/scenario";

const COMMANDS: Record<string, { run: (args: string[]) => Promise<void>; help: string }> = {
  serve: { run: serve, help: SERVE_HELP },
  seed: { run: seed, help: SEED_HELP },
  token: { run: token, help: TOKEN_HELP },
  reset: { run: reset, help: RESET_HELP },
  snapshot: { run: snapshot, help: SNAPSHOT_HELP },
  scenario: { run: scenario, help: SCENARIO_HELP },
  migrate: { run: migrate, help: MIGRATE_HELP },
  healthcheck: { run: healthcheck, help: HEALTHCHECK_HELP },
};

const HELP = `${PROGRAM} ${VERSION}: a local, resettable replica of the DfE Lead Provider API v2.0.0

Usage: ${PROGRAM} [command] [options]

Commands:
  serve                       serve the API (the default)
  seed [--participants N] [--force]
                              fill the database with demo data
  token create --provider NAME | --admin
                              print a new token for a lead provider, or a new admin token
  reset [--participants N]    back to reference data and demo data (admin tokens kept)
  snapshot save|restore|delete NAME, snapshot list
                              save the whole state under a name, put it back (admin tokens kept)
  scenario apply FILE|NAME, scenario list
                              build a world from a scenario document; the shipped scenarios
  migrate                     apply the database migrations
  healthcheck [--url URL]     exit 0 when the server answers GET /healthz
  help [command]              this text, or a command's

Every command takes --help and --version. Exit codes: 0 done, 1 failed,
2 bad usage or configuration (one line on stderr).

Environment: PORT (3000), HOST (0.0.0.0), DATABASE_PATH (data/sandbox.sqlite),
ADMIN_TOKEN (generated on first start), SEED (demo|none), RATE_LIMIT (on|off),
RESPONSE_CACHE (on|off), LOG_REQUESTS (on|off), REQUEST_LOG_SIZE (10000; 0 = off),
SCENARIO (a scenario file applied to a new database at start, instead of the demo data).`;

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-v") return console.log(VERSION);
  if (first === "--help" || first === "-h") return console.log(HELP);
  if (first === "help") {
    if (rest[0] === undefined) return console.log(HELP);
    const command = COMMANDS[rest[0]];
    if (!command) throw new CliError(`unknown command "${rest[0]}" (see --help)`, 2);
    return console.log(command.help);
  }
  // no command, or options only: serve
  if (first === undefined || first.startsWith("-")) return serve(argv);
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) throw new CliError(`unknown command "${first}" (see --help)`, 2);
  return command.run(rest);
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  // one line, no stack: the message says what to change
  const message = e instanceof Error ? e.message : String(e);
  console.error(`error: ${message.split("\n")[0]}`);
  process.exit(e instanceof CliError ? e.exitCode : e instanceof DatabaseRefusal ? 2 : 1);
}
