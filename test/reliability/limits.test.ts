import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app";

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await t.newProvider()).token;
});
afterAll(() => t.close());

describe("request limits", () => {
  test("when a body is over 1 MiB, then 413 in the errors shape and nothing is written", async () => {
    const big = JSON.stringify({ data: { attributes: { participant_id: "x".repeat(1024 * 1024 + 10) } } });
    for (const [method, path, auth] of [
      ["POST", "/api/v2/participant-declarations", token],
      ["PUT", "/api/v2/participants/ecf/00000000-0000-4000-8000-000000000000/defer", token],
      ["POST", "/admin/participants", "test-admin-token"],
    ] as const) {
      const r = await t.call(method, path, { token: auth, body: big });
      expect(r.status).toBe(413);
      expect(r.body.errors[0].title).toBe("Payload too large");
    }
  });

  test("when a body is just under 1 MiB, then it is read and judged as usual", async () => {
    const r = await t.call("POST", "/api/v2/participant-declarations", { token, body: { data: { attributes: { evidence_held: "x".repeat(1000 * 1000) } } } });
    expect(r.status).toBe(422);
  });
});
