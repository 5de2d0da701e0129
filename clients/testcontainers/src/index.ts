/**
 * A Testcontainers module for the lead provider sandbox: one container, waited
 * for on `/healthz`, with helpers over its admin API (docs/reference/sandbox-contract.md).
 *
 *   const sandbox = await new LeadProviderSandboxContainer()
 *     .withScenario("every-state")          // or a scenario document (object)
 *     .start();
 *   sandbox.getBaseUrl();                    // http://127.0.0.1:49153
 *   sandbox.getProviderTokens();             // { "Test provider": "lp_…", … }
 *   await sandbox.saveSnapshot("baseline");  // once
 *   await sandbox.restoreSnapshot("baseline"); // before each test
 *   await sandbox.stop();
 *
 * Supported runtimes: Bun ≥ 1.4, and Node ≥ 22.22 (what testcontainers 12 asks for).
 * On Node 20 run your tests with Bun, or use testcontainers 11 (Node ≥ 20), whose
 * GenericContainer API this module uses in the same way.
 */
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { randomBytes } from "node:crypto";

export const DEFAULT_IMAGE = "localhost/lead-provider-sandbox:dev";
const PORT = 3000;

/** A scenario document as `POST /admin/scenarios` takes it (docs/reference/sandbox-contract.md § Scenarios). */
export type ScenarioDocument = Record<string, unknown>;

/** What `POST /admin/scenarios` answers: each ref mapped to the ids made for it. */
export type ScenarioRefs = Record<string, Record<string, string>>;

export interface FaultRule {
  match?: { method?: "GET" | "POST" | "PUT"; path?: string; lead_provider_id?: string };
  fault:
    | { kind: "status"; status: 500 | 502 | 503 | 504 }
    | { kind: "delay"; ms: number }
    | { kind: "timeout" }
    | { kind: "reset"; when?: "before" | "after" }
    | { kind: "rate_limit" };
  times?: number;
  probability?: number;
  seed?: number;
}

export interface RequestQuery {
  method?: string;
  path?: string;
  status?: number | string;
  lead_provider_id?: string;
  since?: string;
  request_body?: unknown;
  limit?: number;
}

export class LeadProviderSandboxContainer extends GenericContainer {
  private adminToken = `admin_${randomBytes(16).toString("hex")}`;
  private scenario: ScenarioDocument | string | undefined;

  constructor(image: string = DEFAULT_IMAGE) {
    super(image);
    this.withExposedPorts(PORT)
      .withEnvironment({ ADMIN_TOKEN: this.adminToken, DATABASE_PATH: ":memory:", RATE_LIMIT: "off" })
      .withWaitStrategy(Wait.forHttp("/healthz", PORT).forStatusCode(200))
      .withStartupTimeout(60_000);
  }

  /** Choose the admin token (default: a random one, see `getAdminToken()`). */
  withAdminToken(token: string): this {
    this.adminToken = token;
    return this.withEnvironment({ ADMIN_TOKEN: token });
  }

  /** Keep the database in a file inside the container instead of in memory (snapshots then survive a restart). */
  withDatabaseFile(path = "/data/sandbox.sqlite"): this {
    return this.withEnvironment({ DATABASE_PATH: path });
  }

  /** Build the world from a shipped scenario's name or a scenario document once started (instead of the demo data). */
  withScenario(scenario: ScenarioDocument | string): this {
    this.scenario = scenario;
    return this.withEnvironment({ SEED: "none" });
  }

  override async start(): Promise<StartedLeadProviderSandboxContainer> {
    const started = new StartedLeadProviderSandboxContainer(await super.start(), this.adminToken);
    try {
      if (this.scenario !== undefined) await started.applyScenario(this.scenario);
      else await started.loadDemoTokens();
    } catch (error) {
      await started.stop(); // a refused scenario leaves no container behind
      throw error;
    }
    return started;
  }
}

export class SandboxAdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: ${status} ${body}`);
  }
}

export class StartedLeadProviderSandboxContainer extends AbstractStartedContainer {
  private providerTokens: Record<string, string> = {};
  private refs: ScenarioRefs = {};

  constructor(
    started: StartedTestContainer,
    private readonly adminToken: string,
  ) {
    super(started);
  }

  getBaseUrl(): string {
    return `http://${this.getHost()}:${this.getMappedPort(PORT)}`;
  }

  getAdminToken(): string {
    return this.adminToken;
  }

  /** Lead provider tokens by provider name (or by scenario ref after `withScenario`). */
  getProviderTokens(): Record<string, string> {
    return { ...this.providerTokens };
  }

  /** The refs map of the last scenario applied. */
  getRefs(): ScenarioRefs {
    return this.refs;
  }

  /** One admin call; JSON in and out; a non-2xx answer throws SandboxAdminError. */
  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.getBaseUrl() + path, {
      method,
      headers: {
        authorization: `Bearer ${this.adminToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new SandboxAdminError(response.status, text, `${method} ${path}`);
    const type = response.headers.get("content-type") ?? "";
    return (type.includes("json") && text !== "" ? JSON.parse(text) : text) as T;
  }

  async applyScenario(scenario: ScenarioDocument | string): Promise<ScenarioRefs> {
    const answer =
      typeof scenario === "string"
        ? await this.admin<{ refs: ScenarioRefs }>("POST", `/admin/scenarios/${encodeURIComponent(scenario)}`)
        : await this.admin<{ refs: ScenarioRefs }>("POST", "/admin/scenarios", scenario);
    this.refs = answer.refs;
    for (const [ref, ids] of Object.entries(answer.refs)) {
      if (typeof ids.api_token === "string") this.providerTokens[ref] = ids.api_token;
    }
    return this.refs;
  }

  async loadDemoTokens(): Promise<void> {
    const providers = await this.admin<{ name: string; api_tokens: string[] }[]>("GET", "/admin/lead-providers");
    for (const provider of providers) if (provider.api_tokens[0]) this.providerTokens[provider.name] = provider.api_tokens[0];
  }

  // the clock
  setClock(now: string | Date): Promise<{ now: string }> {
    return this.admin("PUT", "/admin/clock", { now: typeof now === "string" ? now : now.toISOString() });
  }
  resetClock(): Promise<{ now: string }> {
    return this.admin("DELETE", "/admin/clock");
  }

  // snapshots: save once, restore before each test
  saveSnapshot(name: string): Promise<{ name: string; created_at: string; size_bytes: number }> {
    return this.admin("PUT", `/admin/snapshots/${encodeURIComponent(name)}`);
  }
  restoreSnapshot(name: string): Promise<{ name: string; restored_at: string }> {
    return this.admin("POST", `/admin/snapshots/${encodeURIComponent(name)}/restore`);
  }

  // faults
  addFault(rule: FaultRule): Promise<{ id: string } & Record<string, unknown>> {
    return this.admin("POST", "/admin/faults", rule);
  }
  clearFaults(): Promise<unknown> {
    return this.admin("DELETE", "/admin/faults");
  }

  // request assertions
  findRequests(query: RequestQuery = {}): Promise<{ count: number; data: Record<string, unknown>[] }> {
    return this.admin("POST", "/admin/requests/find", query);
  }
  clearRequests(): Promise<unknown> {
    return this.admin("DELETE", "/admin/requests");
  }
}
