import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { demoToken } from "../../src/modules/auth/tokens";
import { EXAMPLE_PROVIDER } from "../../src/modules/seed/examples";
import { ADMIN_TOKEN, type TestApp, createTestApp } from "../support/app";

/**
 * Issue 18 item 9: the document's examples are demo data. Each v2 operation's
 * prefilled request (path example, body example), sent in the document's
 * order with the first demo provider's token to a freshly seeded sandbox, is
 * answered 200, as a converted Postman collection would send them.
 */

type Json = Record<string, any>;
let t: TestApp;
let doc: Json;
beforeAll(async () => {
  t = await createTestApp({ seed: "demo" });
  doc = (await t.call("GET", "/api-docs/json")).body;
});
afterAll(() => t.close());

function exampleRequest(path: string, method: string): { url: string; body?: unknown } {
  const op = doc.paths[path][method];
  let url = path;
  for (const parameter of op.parameters ?? []) {
    if (parameter.in === "path") url = url.replace(`{${parameter.name}}`, encodeURIComponent(String(parameter.example)));
  }
  const media = op.requestBody ? Object.values<Json>(op.requestBody.content)[0] : undefined;
  return { url, body: media?.example };
}

describe("the document's examples on the demo data", () => {
  test("when every v2 operation's example request is sent in the document's order, then each is answered 200", async () => {
    const token = demoToken(EXAMPLE_PROVIDER);
    const answers: string[] = [];
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      if (!path.startsWith("/api/v2/")) continue;
      for (const method of ["get", "post", "put", "delete"].filter((m) => item[m])) {
        const { url, body } = exampleRequest(path, method);
        const r = await t.call(method.toUpperCase(), url, { token, body });
        answers.push(`${method.toUpperCase()} ${path} ${r.status}${r.status === 200 ? "" : ` ${JSON.stringify(r.body)}`}`);
      }
    }
    expect(answers.filter((a) => !/ 200$/.test(a))).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(14);
  });

  test("when the admin operations' path examples are used, then they name demo rows (no 404)", async () => {
    // on a fresh sandbox (the test above voided the example declaration)
    await t.close();
    t = await createTestApp({ seed: "demo" });
    const answers: string[] = [];
    for (const [path, method] of [
      ["/admin/lead-providers/{id}/api-tokens", "post"],
      ["/admin/participants/{id}/induction-status", "put"],
      ["/admin/participant-declarations/{id}/state", "put"],
      ["/admin/participants/{id}/transfer", "post"],
    ] as const) {
      const { url, body } = exampleRequest(path, method);
      const r = await t.call(method.toUpperCase(), url, { token: ADMIN_TOKEN, body });
      answers.push(`${method.toUpperCase()} ${path} ${r.status}${r.status < 300 ? "" : ` ${JSON.stringify(r.body)}`}`);
    }
    expect(answers.filter((a) => !/ 20[01]$/.test(a))).toEqual([]);
  });
});
