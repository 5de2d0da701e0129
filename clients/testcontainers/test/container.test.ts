/**
 * The module against a real container engine (podman's Docker-compatible API here):
 *   make testcontainers-test
 * needs the image localhost/lead-provider-sandbox:dev and DOCKER_HOST (see the README,
 * "Testcontainers"). Not part of `make test`: CI has no engine.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LeadProviderSandboxContainer, SandboxAdminError, type StartedLeadProviderSandboxContainer } from "../src/index";

const IMAGE = process.env.SANDBOX_IMAGE ?? "localhost/lead-provider-sandbox:dev";
const NETWORK_MODE = process.env.SANDBOX_NETWORK_MODE ?? "slirp4netns";

function container() {
  const c = new LeadProviderSandboxContainer(IMAGE);
  return NETWORK_MODE === "default" ? c : c.withNetworkMode(NETWORK_MODE);
}

const scenario = {
  clock: "2025-10-01T09:00:00Z",
  lead_providers: [{ ref: "lp", name: "Test provider" }],
  participants: [{ ref: "ect", lead_provider: "lp", participant_type: "ect", cohort: 2025 }],
};

describe("LeadProviderSandboxContainer, demo data", () => {
  let sandbox: StartedLeadProviderSandboxContainer;
  let startMs = 0;
  beforeAll(async () => {
    const t0 = performance.now();
    sandbox = await container().start();
    startMs = performance.now() - t0;
    console.log(`testcontainers: start() to ready in ${Math.round(startMs)} ms`);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  }, 60_000);

  test("when started, then /healthz answers ok on the mapped port", async () => {
    const response = await fetch(`${sandbox.getBaseUrl()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  test("when started without a scenario, then the demo providers' tokens list their participants", async () => {
    const tokens = sandbox.getProviderTokens();
    expect(Object.keys(tokens).length).toBeGreaterThanOrEqual(6);
    const response = await fetch(`${sandbox.getBaseUrl()}/api/v2/participants/ecf?page[per_page]=1`, {
      headers: { authorization: `Bearer ${tokens["Teach First"]}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  test("when the clock is set, then the admin API answers that instant, and reset goes back to real time", async () => {
    expect((await sandbox.setClock("2025-10-01T09:00:00Z")).now).toStartWith("2025-10-01T09:00:00");
    const back = await sandbox.resetClock();
    expect(Math.abs(Date.parse(back.now) - Date.now())).toBeLessThan(60_000);
  });

  test("when a snapshot is saved and restored, then a provider made in between is gone", async () => {
    await sandbox.saveSnapshot("baseline");
    const made = await sandbox.admin<{ id: string }>("POST", "/admin/lead-providers", { name: "Made after baseline" });
    await sandbox.restoreSnapshot("baseline");
    const providers = await sandbox.admin<{ id: string }[]>("GET", "/admin/lead-providers");
    expect(providers.map((p) => p.id)).not.toContain(made.id);
  });

  test("when an admin call is refused, then SandboxAdminError carries the status and body", async () => {
    const error = await sandbox.admin("POST", "/admin/lead-providers", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxAdminError);
    expect((error as SandboxAdminError).status).toBe(422);
  });

  test("when a fault rule is added, then the next matching request gets it, and requests/find sees both", async () => {
    const token = sandbox.getProviderTokens()["Teach First"];
    await sandbox.clearRequests();
    await sandbox.addFault({ match: { method: "GET", path: "/api/v2/participants*" }, fault: { kind: "status", status: 503 } });
    const url = `${sandbox.getBaseUrl()}/api/v2/participants/ecf?page[per_page]=1`;
    const first = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const second = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect([first.status, second.status]).toEqual([503, 200]);
    const found = await sandbox.findRequests({ path: "/api/v2/participants*" });
    expect(found.count).toBe(2);
    await sandbox.clearFaults();
  });
});

describe("LeadProviderSandboxContainer, with a scenario", () => {
  let sandbox: StartedLeadProviderSandboxContainer;
  beforeAll(async () => {
    sandbox = await container().withScenario(scenario).start();
  }, 120_000);
  afterAll(async () => {
    await sandbox?.stop();
  }, 60_000);

  test("when started with a scenario document, then its provider's token sees exactly its participant", async () => {
    const refs = sandbox.getRefs();
    const token = sandbox.getProviderTokens().lp;
    expect(typeof token).toBe("string");
    const response = await fetch(`${sandbox.getBaseUrl()}/api/v2/participants/ecf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { data: { id: string }[] };
    expect(body.data.map((p) => p.id)).toEqual([refs.ect.participant_id]);
  });
});
