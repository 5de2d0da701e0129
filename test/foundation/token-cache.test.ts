import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../db/connection";
import { hashToken } from "../../src/modules/auth/tokens";
import { createTestApp } from "../support/app";

// Tokens' owners are remembered per database version with or without the response cache (src/modules/auth/owner-cache.ts).
const dir = mkdtempSync(join(tmpdir(), "token-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("token owners remembered with RESPONSE_CACHE=off", () => {
  test("when a token is revoked through the admin API, then it gets 401 from the next request on", async () => {
    const t = await createTestApp({ responseCache: false });
    try {
      const p = await t.newProvider();
      const minted = await t.admin("POST", `/admin/lead-providers/${p.id}/api-tokens`);
      for (let i = 0; i < 2; i++) expect((await t.call("GET", "/api/v2/participants/ecf", { token: minted.body.api_token })).status).toBe(200);
      expect((await t.admin("DELETE", `/admin/api-tokens/${hashToken(minted.body.api_token).slice(0, 12)}`)).status).toBe(200);
      expect((await t.call("GET", "/api/v2/participants/ecf", { token: minted.body.api_token })).status).toBe(401);
      expect((await t.call("GET", "/api/v2/participants/ecf", { token: p.token })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  test("when another process deletes a token, then it gets 401 from the next request on", async () => {
    const path = join(dir, "sandbox.sqlite");
    const t = await createTestApp({ responseCache: false, path });
    const other = openDatabase(path);
    try {
      const p = await t.newProvider();
      for (let i = 0; i < 2; i++) expect((await t.call("GET", "/api/v2/participants/ecf", { token: p.token })).status).toBe(200);
      await other.db.deleteFrom("api_tokens").where("token_hash", "=", hashToken(p.token)).execute();
      expect((await t.call("GET", "/api/v2/participants/ecf", { token: p.token })).status).toBe(401);
    } finally {
      await other.close();
      await t.close();
    }
  });

  test("when an unknown token is refused, then a token made for it afterwards works on the next request", async () => {
    const t = await createTestApp({ responseCache: false });
    try {
      const p = await t.newProvider();
      const token = "later-token-0123456789";
      expect((await t.call("GET", "/api/v2/participants/ecf", { token })).status).toBe(401);
      await t.database.db.insertInto("api_tokens").values({ id: crypto.randomUUID(), kind: "lead_provider", lead_provider_id: p.id, token_hash: hashToken(token), created_at: "2024-01-01T00:00:00Z" }).execute();
      expect((await t.call("GET", "/api/v2/participants/ecf", { token })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
