#!/usr/bin/env bun
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config";
import { startServer } from "./server";
import pkg from "../package.json";

const HELP = `lead-provider-sandbox ${pkg.version}: a local, resettable replica of the DfE Lead Provider API v2.0.0

Usage: lead-provider-sandbox [command] [options]

Commands:
  serve      serve the API (the default)
  --help     this text
  --version  the version

Environment: PORT (3000), HOST (0.0.0.0), DATABASE_PATH (data/sandbox.sqlite),
ADMIN_TOKEN (generated on first start), SEED (demo|none), RATE_LIMIT (on|off),
LOG_REQUESTS (on|off).`;

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

async function serve(args: string[]) {
  try {
    parseArgs({ args, options: { help: { type: "boolean", short: "h" } }, strict: true });
  } catch (e) {
    fail((e as Error).message);
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log("Usage: lead-provider-sandbox serve\n\nServes the API; configured by the environment (see --help).");
    return;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  let server;
  try {
    server = await startServer(config);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === "EADDRINUSE" || /in use/i.test(err.message)) fail(`PORT ${config.port} is already in use on ${config.host}`);
    fail(`could not start: ${err.message}`);
  }
  const shutdown = async (signal: string) => {
    console.log(JSON.stringify({ level: "info", message: `${signal}: finishing in-flight requests, then stopping` }));
    await server.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v") return console.log(pkg.version);
  if (command === "--help" || command === "-h" || command === "help") return console.log(HELP);
  if (command === undefined || command.startsWith("-")) return serve(argv);
  if (command === "serve") return serve(rest);
  fail(`unknown command "${command}" (see --help)`);
}

await main(process.argv.slice(2));
