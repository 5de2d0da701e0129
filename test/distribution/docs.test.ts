import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import { type TestApp, createTestApp } from "../support/app";
import { ASSETS_PATH } from "../../src/modules/docs/plugin";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** every URL the page loads: src= and href= attributes, and CSS url(...) */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function expectDocsHeaders(response: Response) {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toMatch(/https?:|\*/);
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
}

describe("docs served offline", () => {
  test("when /api-docs is asked for, then it is Swagger UI loaded only from this service, with a strict CSP", async () => {
    const response = await t.request("GET", "/api-docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expectDocsHeaders(response);
    const html = await response.text();
    const urls = referencedUrls(html);
    expect(urls).toContain(`${ASSETS_PATH}/swagger-ui-bundle.js`);
    expect(urls).toContain(`${ASSETS_PATH}/swagger-ui.css`);
    for (const url of urls) expect(url).toStartWith("/api-docs/");
    // no inline script: the CSP allows none
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  });

  for (const [file, type] of [
    ["swagger-ui-bundle.js", "text/javascript"],
    ["swagger-ui.css", "text/css"],
    ["init.js", "text/javascript"],
    ["docs.css", "text/css"],
    ["favicon-32x32.png", "image/png"],
  ] as const) {
    test(`when ${file} is asked for, then the service serves it itself`, async () => {
      const response = await t.request("GET", `${ASSETS_PATH}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toStartWith(type);
      expectDocsHeaders(response);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    });
  }

  test("when Swagger UI starts, then it reads this service's document and turns the outside validator off", async () => {
    const init = await (await t.request("GET", `${ASSETS_PATH}/init.js`)).text();
    expect(init).toContain('url: "/api-docs/json"');
    expect(init).toContain("validatorUrl: null");
    expect(init).not.toMatch(/https?:\/\//);
  });
});

describe("the v3 (RECT) docs beside v2", () => {
  test("when /api-docs/v3 is asked for, then it is the same offline Swagger UI reading /api-docs/v3/json, and each page links to the other", async () => {
    const response = await t.request("GET", "/api-docs/v3");
    expect(response.status).toBe(200);
    expectDocsHeaders(response);
    const html = await response.text();
    const urls = referencedUrls(html);
    expect(urls).toContain(`${ASSETS_PATH}/init-v3.js`);
    expect(urls).toContain("/api-docs");
    for (const url of urls) expect(url).toStartWith("/api-docs");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(referencedUrls(await (await t.request("GET", "/api-docs")).text())).toContain("/api-docs/v3");
    const init = await (await t.request("GET", `${ASSETS_PATH}/init-v3.js`)).text();
    expect(init).toContain('url: "/api-docs/v3/json"');
    expect(init).toContain("validatorUrl: null");
  });

  test("when /api-docs/v3/json is checked by swagger-parser, then it is valid OpenAPI 3 with only the v3 API and its control plane, each operation id once", async () => {
    const { status, body, response } = await t.call("GET", "/api-docs/v3/json");
    expect(status).toBe(200);
    expectDocsHeaders(response);
    const validated = await SwaggerParser.validate(structuredClone(body));
    expect(validated.info.title).toBe("Lead provider API - 3.0.0 (RECT)");
    const paths = Object.keys(body.paths);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) expect(path).toMatch(/^\/(api|admin)\/v3\//);
    const ids = Object.values<any>(body.paths).flatMap((item) => Object.values<any>(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    // every /api/v3 operation takes X-With-Server-Date (docs/reference/rect/rules.md §2.4), last; else the same operations as in the document of every route
    const all = (await t.call("GET", "/api-docs/json")).body;
    for (const path of paths) {
      const item = structuredClone(body.paths[path]);
      if (path.startsWith("/api/v3/")) {
        for (const [method, op] of Object.entries<any>(item)) {
          expect({ path, header: op.parameters.at(-1)?.name }).toEqual({ path, header: "X-With-Server-Date" });
          op.parameters.pop();
          if (op.parameters.length === 0 && all.paths[path]?.[method]?.parameters === undefined) delete op.parameters;
        }
      }
      expect(all.paths[path]).toEqual(item);
    }
  });
});

describe("the OpenAPI document", () => {
  test("when /api-docs/json is checked by swagger-parser, then it is valid OpenAPI 3", async () => {
    const { status, body, response } = await t.call("GET", "/api-docs/json");
    expect(status).toBe(200);
    expectDocsHeaders(response);
    expect(body.openapi).toStartWith("3.");
    // validate() dereferences in place: give it a copy
    const validated = await SwaggerParser.validate(structuredClone(body));
    expect(validated.info.title).toBe("Lead provider API - 2.0.0");
  });

  test("when /api-docs/json is asked for, then every response has a description and one media type (or JSON:API's and its application/json twin)", async () => {
    const { body } = await t.call("GET", "/api-docs/json");
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          expect({ path, method, status, description: typeof response.description }).toEqual({ path, method, status, description: "string" });
          // one media type; a JSON:API answer also under application/json, the contract's (the same schema)
          if (response.content) {
            const types = Object.keys(response.content);
            if (types.length === 2) {
              expect(types).toEqual(["application/vnd.api+json", "application/json"]);
              expect(response.content["application/json"]).toEqual(response.content["application/vnd.api+json"]);
            } else expect(types).toHaveLength(1);
          }
        }
      }
    }
  });

  test("when /api-docs/json is asked for, then it lists both CSV exports, the v2 API and the admin API with its bodies, but not the docs' own routes", async () => {
    const { body } = await t.call("GET", "/api-docs/json");
    const paths = Object.keys(body.paths);
    expect(paths).toContain("/api/v2/participants/ecf.csv");
    expect(paths).toContain("/api/v2/participant-declarations.csv");
    expect(Object.keys(body.paths["/api/v2/participants/ecf.csv"].get.responses["200"].content)).toEqual(["text/csv"]);
    for (const admin of ["/admin/lead-providers", "/admin/participants", "/admin/clock", "/admin/participant-declarations/{id}/state"]) {
      expect(paths).toContain(admin);
    }
    for (const [method, path] of [
      ["post", "/admin/lead-providers"],
      ["post", "/admin/participants"],
      ["post", "/admin/participants/{id}/transfer"],
      ["put", "/admin/participants/{id}/induction-status"],
      ["put", "/admin/participant-declarations/{id}/state"],
      ["put", "/admin/clock"],
    ] as const) {
      const operation = body.paths[path][method];
      expect(Object.keys(operation.requestBody.content)).toEqual(["application/json"]);
      expect(operation.requestBody.content["application/json"].schema.type).toBe("object");
      expect(Object.keys(operation.responses)).toContain("422");
      expect(operation.security).toEqual([{ adminToken: [] }]);
    }
    expect(Object.keys(body.components.securitySchemes).sort()).toEqual(["adminToken", "bearerAuth"]);
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const operation of Object.values<any>(item)) {
        if (path.startsWith("/admin/")) expect({ path, security: operation.security }).toEqual({ path, security: [{ adminToken: [] }] });
        else expect({ path, security: operation.security }).not.toEqual({ path, security: [{ adminToken: [] }] });
      }
    }
    expect(paths.some((p) => p.startsWith("/api/v2/"))).toBe(true);
    expect(paths.some((p) => p.startsWith("/api-docs"))).toBe(false);
  });
});
