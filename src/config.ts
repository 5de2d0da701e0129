import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface Config {
  port: number;
  host: string;
  /** a file path, or `:memory:` */
  databasePath: string;
  /** null = generate one on first start */
  adminToken: string | null;
  seed: "demo" | "none";
  rateLimit: boolean;
  /** one JSON line per request on stdout */
  logRequests: boolean;
  /** repeated GETs answered from memory until the next write (RESPONSE_CACHE=off to disable) */
  responseCache: boolean;
  /** how many /api/ requests the request log keeps (REQUEST_LOG_SIZE); 0 = off */
  requestLogSize: number;
  /** RECT_SCENARIO: a scenario file loaded into an empty RECT world at start */
  rectScenario?: { path: string; document: unknown } | null;
  /** SCENARIO: a v2 scenario document (sandbox-contract.md, "Scenarios") applied once to a new database at start, instead of the demo data */
  scenario?: { path: string; document: unknown } | null;
  /** RECT_STATEMENTS (seed|none): new v3 lead providers get the seeded statement calendar */
  rectStatements?: boolean;
}

/** A bad setting: start-up stops with this one line and exit code 2. */
export class ConfigError extends Error {}

export const DEFAULT_DATABASE_PATH = "data/sandbox.sqlite";

type Env = Record<string, string | undefined>;

function readPort(env: Env): number {
  const raw = env.PORT;
  if (raw === undefined || raw === "") return 3000;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function readDatabasePath(env: Env): string {
  const raw = env.DATABASE_PATH;
  if (raw === ":memory:") return raw;
  if (raw === undefined || raw === "") {
    // the default lives under the working directory (the repo, for `make run`); create its folder
    mkdirSync(dirname(resolve(DEFAULT_DATABASE_PATH)), { recursive: true });
    return DEFAULT_DATABASE_PATH;
  }
  const folder = dirname(resolve(raw));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ConfigError(`DATABASE_PATH: the folder ${folder} does not exist`);
  }
  try {
    accessSync(folder, constants.W_OK);
    if (existsSync(raw)) accessSync(raw, constants.R_OK | constants.W_OK);
  } catch {
    throw new ConfigError(`DATABASE_PATH: ${existsSync(raw) ? resolve(raw) : folder} is not writable`);
  }
  return raw;
}

export const DEFAULT_REQUEST_LOG_SIZE = 10_000;
const MAX_REQUEST_LOG_SIZE = 1_000_000;

function readRequestLogSize(env: Env): number {
  const raw = env.REQUEST_LOG_SIZE;
  if (raw === undefined || raw === "") return DEFAULT_REQUEST_LOG_SIZE;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_REQUEST_LOG_SIZE) {
    throw new ConfigError(`REQUEST_LOG_SIZE must be a whole number from 0 (off) to ${MAX_REQUEST_LOG_SIZE}, got "${raw}"`);
  }
  return Number(raw);
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = raw.toLowerCase() as T;
  if (!choices.includes(value)) {
    throw new ConfigError(`${name} must be one of ${choices.join(", ")}, got "${raw}"`);
  }
  return value;
}

/** RECT_SCENARIO: a readable JSON file (its checks against the world come at start). */
function readRectScenario(env: Env): { path: string; document: unknown } | null {
  return readScenarioFile(env, "RECT_SCENARIO");
}

/** SCENARIO or RECT_SCENARIO: a readable JSON file; the document's own checks come when it is applied. */
function readScenarioFile(env: Env, name: "SCENARIO" | "RECT_SCENARIO"): { path: string; document: unknown } | null {
  const raw = env[name];
  if (raw === undefined || raw === "") return null;
  let text: string;
  try {
    text = readFileSync(raw, "utf8");
  } catch {
    throw new ConfigError(`${name}: cannot read ${resolve(raw)}`);
  }
  try {
    return { path: raw, document: JSON.parse(text) };
  } catch (error) {
    throw new ConfigError(`${name}: ${resolve(raw)} is not JSON (${(error as Error).message})`);
  }
}

export function loadConfig(env: Env = process.env): Config {
  const adminToken = env.ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken !== "" && !/^[\x21-\x7e]{8,}$/.test(adminToken)) {
    throw new ConfigError("ADMIN_TOKEN must be at least 8 printable characters without spaces");
  }
  return {
    port: readPort(env),
    host: env.HOST && env.HOST !== "" ? env.HOST : "0.0.0.0",
    databasePath: readDatabasePath(env),
    adminToken: adminToken ? adminToken : null,
    seed: readChoice(env, "SEED", ["demo", "none"] as const, "demo"),
    rateLimit: readChoice(env, "RATE_LIMIT", ["on", "off"] as const, "on") === "on",
    logRequests: readChoice(env, "LOG_REQUESTS", ["on", "off"] as const, "on") === "on",
    responseCache: readChoice(env, "RESPONSE_CACHE", ["on", "off"] as const, "on") === "on",
    requestLogSize: readRequestLogSize(env),
    rectScenario: readRectScenario(env),
    scenario: readScenarioFile(env, "SCENARIO"),
    rectStatements: readChoice(env, "RECT_STATEMENTS", ["seed", "none"] as const, "seed") === "seed",
  };
}
