import { type ElysiaSwaggerConfig, swagger } from "@elysiajs/swagger";
import { Elysia } from "elysia";
import referenceCss from "./assets/reference.css" with { type: "text" };
import referenceJs from "./assets/reference.js" with { type: "text" };

export const DOCS_PATH = "/api-docs";
export const SPEC_PATH = `${DOCS_PATH}/json`;
export const ASSETS_PATH = `${DOCS_PATH}/assets`;

/**
 * The interactive docs at /api-docs and the OpenAPI document at /api-docs/json,
 * working offline. The swagger plugin writes the OpenAPI document and the page;
 * by default that page loads Scalar from a CDN, so `scalarCDN` points it at our
 * own small renderer instead (assets/reference.js, carried in the binary as
 * text), and `customCss` replaces the Elysia theme (whose fonts come from the
 * web). The page then references only URLs on this service.
 */
export function apiDocs(options: { documentation: ElysiaSwaggerConfig["documentation"] }) {
  const asset = (body: string, type: string) => () =>
    new Response(body, { headers: { "content-type": `${type}; charset=utf-8`, "cache-control": "no-cache" } });
  return new Elysia({ name: "api-docs" })
    .use(
      swagger({
        path: DOCS_PATH,
        specPath: SPEC_PATH,
        scalarCDN: `${ASSETS_PATH}/reference.js`,
        // shown until the script has rendered; the full styles are in reference.css
        scalarConfig: { customCss: "body { font-family: system-ui, sans-serif; }" },
        documentation: options.documentation,
      }),
    )
    .get(`${ASSETS_PATH}/reference.js`, asset(referenceJs as unknown as string, "text/javascript"), { detail: { hide: true } })
    .get(`${ASSETS_PATH}/reference.css`, asset(referenceCss, "text/css"), { detail: { hide: true } });
}
