import { type ParseArgsConfig, parseArgs } from "node:util";
import { type OpenDatabase, openDatabase } from "../../db/connection";
import { type Config, ConfigError, loadConfig } from "../config";
import pkg from "../../package.json";

export const PROGRAM = "lead-provider-sandbox";
export const VERSION: string = pkg.version;

/**
 * A command's failure, shown as one line on stderr. Exit code 2 for bad usage
 * or configuration (an unknown flag, a bad value, a bad environment variable),
 * 1 for a command that could not do its work.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, 2);

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** --help or --version was given and answered: the command returns at once */
  answered: boolean;
}

/**
 * parseArgs in strict mode, plus --help and --version on every command.
 * Any parse error becomes one line and exit code 2.
 */
export function parseCommand(command: string, args: string[], options: Options, help: string, allowPositionals = false): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
      strict: true,
      allowPositionals,
    });
  } catch (e) {
    throw usageError(`${command}: ${(e as Error).message.split("\n")[0]} (see '${PROGRAM} ${command} --help')`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  let answered = false;
  if (values.help) {
    console.log(help);
    answered = true;
  } else if (values.version) {
    console.log(VERSION);
    answered = true;
  }
  return { values, positionals: parsed.positionals, answered };
}

/** A whole number option within bounds, or exit 2 naming the option. */
export function wholeNumber(command: string, name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw usageError(`${command}: --${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** The environment's configuration; a bad setting is a usage error (exit 2). */
export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw usageError(e.message);
    throw e;
  }
}

/** The database named by DATABASE_PATH, for the commands that change a database file. */
export function openConfiguredDatabase(command: string, config: Config): OpenDatabase {
  if (config.databasePath === ":memory:") {
    throw usageError(`${command}: DATABASE_PATH=:memory: keeps nothing after this command; set DATABASE_PATH to a file`);
  }
  return openDatabase(config.databasePath);
}

/** Runs `work` on the configured database and always closes it. */
export async function withDatabase<T>(command: string, config: Config, work: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = openConfiguredDatabase(command, config);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
