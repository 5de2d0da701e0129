import type { ElysiaSwaggerConfig } from "@elysiajs/swagger";
import { Elysia } from "elysia";
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };
import swaggerUiCss from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
import favicon from "swagger-ui-dist/favicon-32x32.png" with { type: "file" };
import swaggerUiPackage from "swagger-ui-dist/package.json";
import docsCss from "./assets/docs.css" with { type: "text" };
import { type RouteLike, buildDocument, withV3ServerDate } from "./openapi";

export const DOCS_PATH = "/api-docs";
export const SPEC_PATH = `${DOCS_PATH}/json`;
/** RECT's v3 alone (with its control plane): the document a v3 integration generates its client from */
export const V3_DOCS_PATH = `${DOCS_PATH}/v3`;
export const V3_SPEC_PATH = `${V3_DOCS_PATH}/json`;
/** versioned, so the browser may keep Swagger UI's files for good */
export const ASSETS_PATH = `${DOCS_PATH}/assets/${swaggerUiPackage.version}`;

/**
 * Only this service's own origin. Swagger UI needs no eval and no inline
 * script (its start-up is init.js below); it does set `style` attributes
 * (React), which `style-src` without 'unsafe-inline' allows when set through
 * the DOM, and its icons are data: URLs in its stylesheet.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Swagger UI's start-up: no validator badge (it would call validator.swagger.io), the document of this service. */
const initJs = (specPath: string) => `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(specPath)},
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
  filter: true,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  showExtensions: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
});
`;

function page(title: string, specPath: string, initPath: string, other: { href: string; text: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
<link rel="stylesheet" href="${ASSETS_PATH}/docs.css">
</head>
<body>
<noscript><p class="noscript">This page needs JavaScript. The OpenAPI document is at <a href="${specPath}">${specPath}</a>.</p></noscript>
<p class="other-document"><a href="${other.href}">${other.text}</a></p>
<div id="swagger-ui"></div>
<script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${ASSETS_PATH}/${initPath}"></script>
</body>
</html>
`;
}

/** The routes of the v3 document: the v3 API and the RECT world's control plane. */
export const isV3Path = (path: string) => path.startsWith("/api/v3/") || path === "/api/v3" || path.startsWith("/admin/v3/") || path === "/admin/v3";

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The OpenAPI document at /api-docs/json, written from every route's TypeBox
 * schemas (`buildDocument`), and Swagger UI at /api-docs, served from
 * swagger-ui-dist's files carried in the binary: the page loads nothing from
 * anywhere but this service.
 *
 * The document is written once, by `freeze()` when the app is complete and
 * before it answers anything: Elysia compiles a route's schemas on its first
 * request and adds keywords to them (`additionalProperties: false` on 48
 * answers), so a document written later would depend on the traffic so far.
 * Its text is kept by this plugin instance (one per app).
 */
export function apiDocs(options: { documentation: NonNullable<ElysiaSwaggerConfig["documentation"]>; v3Documentation: NonNullable<ElysiaSwaggerConfig["documentation"]> }) {
  const html = page(escapeHtml(options.documentation.info?.title ?? "API"), SPEC_PATH, "init.js", { href: V3_DOCS_PATH, text: "RECT v3 alone: /api-docs/v3" });
  const v3Html = page(escapeHtml(options.v3Documentation.info?.title ?? "API v3"), V3_SPEC_PATH, "init-v3.js", { href: DOCS_PATH, text: "Every route (v2, v3, admin): /api-docs" });
  const headers = (type: string, cache = "public, max-age=31536000, immutable") => ({
    ...SECURITY_HEADERS,
    "content-type": type,
    "cache-control": cache,
  });
  const file = (path: string, type: string) => () => new Response(Bun.file(path), { headers: headers(type) });
  // ours: small, and they change with the service, so asked for again each time
  const text = (body: string, type: string) => () => new Response(body, { headers: headers(type, "no-cache") });
  const hidden = { detail: { hide: true } };
  let document: string | undefined;
  let v3Document: string | undefined;
  // getGlobalRoutes: every route of the app this plugin is part of (protected in Elysia's types)
  const routes = (): RouteLike[] => (plugin as unknown as { getGlobalRoutes(): RouteLike[] }).getGlobalRoutes();
  const write = (): string => JSON.stringify(buildDocument(routes(), { ...options.documentation, openapi: "3.1.0" }));
  const writeV3 = (): string =>
    JSON.stringify(withV3ServerDate(buildDocument(routes().filter((r) => isV3Path(r.path)), { ...options.v3Documentation, openapi: "3.1.0" })));
  const plugin = new Elysia({ name: "api-docs" })
    .get(DOCS_PATH, () => new Response(html, { headers: headers("text/html; charset=utf-8", "no-cache") }), hidden)
    .get(SPEC_PATH, () => new Response((document ??= write()), { headers: headers("application/json; charset=utf-8", "no-cache") }), hidden)
    .get(V3_DOCS_PATH, () => new Response(v3Html, { headers: headers("text/html; charset=utf-8", "no-cache") }), hidden)
    .get(V3_SPEC_PATH, () => new Response((v3Document ??= writeV3()), { headers: headers("application/json; charset=utf-8", "no-cache") }), hidden)
    .get(`${ASSETS_PATH}/swagger-ui-bundle.js`, file(swaggerUiBundle, "text/javascript; charset=utf-8"), hidden)
    .get(`${ASSETS_PATH}/swagger-ui.css`, file(swaggerUiCss, "text/css; charset=utf-8"), hidden)
    .get(`${ASSETS_PATH}/favicon-32x32.png`, file(favicon, "image/png"), hidden)
    .get(`${ASSETS_PATH}/init.js`, text(initJs(SPEC_PATH), "text/javascript; charset=utf-8"), hidden)
    .get(`${ASSETS_PATH}/init-v3.js`, text(initJs(V3_SPEC_PATH), "text/javascript; charset=utf-8"), hidden)
    .get(`${ASSETS_PATH}/docs.css`, text(docsCss, "text/css; charset=utf-8"), hidden);
  return Object.assign(plugin, {
    /** write the document now, from the routes as declared (call once every route is added, before any request) */
    freeze() {
      document ??= write();
      v3Document ??= writeV3();
    },
  });
}
