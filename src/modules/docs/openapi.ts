/**
 * Finishing touches on the document the swagger plugin writes from the
 * routes' schemas, so that it is valid OpenAPI 3.1 (TypeBox writes JSON
 * Schema 2020-12: `const`, `type: "null"`, which 3.0 does not allow) and says
 * what the service really sends:
 * - every response has a `description` (required; the plugin leaves it out
 *   when the schema has none), by default the status's reason phrase;
 * - one media type per response and request body instead of the plugin's
 *   three (JSON, form data, plain text): `text/csv` for the CSV exports'
 *   successes, else `application/json`;
 * - a response keeps only OpenAPI's fields (the plugin copies the schema's
 *   keywords into it); a schema's `examples` list shows as the response's or
 *   the request body's example;
 * - a parameter's `examples` list (JSON Schema's) becomes OpenAPI's `example`;
 * - /admin/ routes use the `adminToken` scheme, so Swagger UI sends the admin
 *   token there and a provider's token on /api/v2.
 */

import { filterPaths, registerSchemaPath } from "@elysiajs/swagger/utils";

type Json = Record<string, any>;

const JSONAPI = "application/vnd.api+json";

/** What the document reads of a route (Elysia's InternalRoute). */
export interface RouteLike {
  method: string;
  path: string;
  hooks: Json;
}

const ROUTE_METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "TRACE"];

/**
 * The whole document: every route not hidden, as the swagger plugin writes it
 * (its `registerSchemaPath`), then finished (`finishDocument`) and with its
 * named schemas hoisted (`hoistNamedSchemas`). Plain JSON: nothing in it is
 * shared with the routes' schemas.
 */
export function buildDocument(routes: RouteLike[], documentation: Json): Json {
  const paths: Json = {};
  for (const route of routes) {
    if (route.hooks?.detail?.hide === true) continue;
    const methods = route.method === "ALL" ? ROUTE_METHODS : ROUTE_METHODS.includes(route.method) ? [route.method] : [];
    for (const method of methods) registerSchemaPath({ schema: paths, hook: route.hooks, method, path: route.path, models: {} } as any);
  }
  const raw = {
    ...documentation,
    paths: filterPaths(paths, { excludeStaticFile: false, exclude: [] }),
    components: { ...documentation.components, schemas: { ...documentation.components?.schemas } },
  };
  return hoistNamedSchemas(finishDocument(raw));
}

/** `X-With-Server-Date` on v3 (src/modules/v3/http/server-date.ts; docs/reference/rect/rules.md §2.4). */
const V3_SERVER_DATE_HEADER = {
  name: "X-With-Server-Date",
  in: "header",
  required: false,
  description:
    "Run this request as if now were this date-time (e.g. `2025-01-10T10:00:00Z`; without an offset, London time): the clock of the request, whose London date is RECT's \"today\". Unparseable, or a day that does not exist: 400 in the errors shape naming the header (RECT answers 500; README, RECT v3)",
  schema: { type: "string", format: "date-time" },
};

/**
 * The v3 document's finishing touch: every /api/v3 operation takes `X-With-Server-Date`, so
 * Swagger UI and generated clients can send it. Only in the v3 document (the document of every
 * route stays as it was).
 */
export function withV3ServerDate(doc: Json): Json {
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    if (!path.startsWith("/api/v3/")) continue;
    for (const method of METHODS) {
      const operation: Json | undefined = item[method];
      if (operation) operation.parameters = [...(operation.parameters ?? []), V3_SERVER_DATE_HEADER];
    }
  }
  return doc;
}

/**
 * Every schema carrying `$id` (see `named()` in src/http/openapi.ts) goes to
 * `components.schemas` under that name and is replaced by a `$ref` where it
 * was, inner ones first. One name is one schema: two different schemas under
 * one name stop the document being written (a test builds it).
 */
export function hoistNamedSchemas(doc: Json): Json {
  const components: Json = (doc.components ??= {});
  const schemas: Json = (components.schemas ??= {});
  const seen = new Map<string, string>();
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== "object") return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    if (typeof out.$id !== "string") return out;
    const { $id: name, ...schema } = out;
    const text = JSON.stringify(schema);
    const before = seen.get(name);
    if (before !== undefined && before !== text) throw new Error(`two different schemas are named ${name}`);
    seen.set(name, text);
    schemas[name] = schema;
    return { $ref: `#/components/schemas/${name}` };
  };
  doc.paths = visit(doc.paths);
  for (const [name, schema] of Object.entries<Json>({ ...schemas })) schemas[name] = visit(schema);
  components.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return doc;
}

const REASONS: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "204": "No content",
  "400": "Bad request",
  "401": "Unauthorized: the token is missing or unknown",
  "403": "Forbidden",
  "404": "Not found",
  "406": "Not acceptable",
  "413": "Payload too large",
  "422": "Unprocessable entity",
  "429": "Too many requests",
};

const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

function oneMediaType(content: Json | undefined, mediaType: string): Json | undefined {
  if (!content || typeof content !== "object") return content;
  if (Object.keys(content).length === 1) return content;
  const first = content[mediaType] ?? content["application/json"] ?? Object.values(content)[0];
  return first === undefined ? undefined : { [mediaType]: first };
}

const UNAUTHORIZED_SCHEMA = { type: "object", required: ["error"], properties: { error: { type: "string", const: "HTTP Token: Access denied" } } };

/** `X-With-Server-Date` (docs/reference/business-rules.md §3.2): every /api/v2 operation reads it. */
const SERVER_DATE_HEADER = {
  name: "X-With-Server-Date",
  in: "header",
  required: false,
  description:
    "Run this request as if now were this date-time (RFC 3339, e.g. `2025-01-10T10:00:00Z`): the clock that judges declaration dates and writes `updated_at`. Unparseable, or a day that does not exist: 400 naming the header",
  schema: { type: "string", format: "date-time" },
};

/**
 * The flat bracketed query keys (`filter[cohort]`, `page[per_page]`: what the
 * routes validate, as Elysia parses them) documented as the contract does:
 * one `deepObject` parameter per prefix, whose schema is an object of the
 * members, named by their `x-deep-object` (src/http/openapi.ts `deepObjectMember`).
 * A member's `x-openapi-schema`, when it has one, is what the document shows.
 */
function deepObjects(parameters: Json[]): Json[] {
  const out: Json[] = [];
  const groups = new Map<string, Json>();
  for (const parameter of parameters) {
    const match = parameter.in === "query" ? /^([^[\]]+)\[([^[\]]+)\]$/.exec(parameter.name) : null;
    const component: unknown = parameter.schema?.["x-deep-object"];
    if (!match || typeof component !== "string") {
      out.push(parameter);
      continue;
    }
    const [, name, key] = match as unknown as [string, string, string];
    let group = groups.get(name);
    if (!group) {
      group = {
        name,
        in: "query",
        style: "deepObject",
        explode: true,
        required: false,
        schema: { $id: component, type: "object", properties: {} as Json },
      };
      groups.set(name, group);
      out.push(group);
    }
    const { "x-deep-object": _, "x-openapi-schema": shown, ...schema } = parameter.schema;
    group.schema.properties[key] = shown ?? { ...(parameter.description === undefined ? {} : { description: parameter.description }), ...schema };
    if (parameter.required) (group.schema.required ??= []).push(key);
  }
  for (const group of groups.values()) {
    // Swagger UI fills an object parameter with a sample made from its schema ("string" for a filter, which
    // would filter the list): the parameter's example is its members' examples, `{}` for the filters (none)
    group.example = Object.fromEntries(
      Object.entries<Json>(group.schema.properties)
        .filter(([, property]) => property.example !== undefined)
        .map(([key, property]) => [key, property.example]),
    );
    const described = parameters.find((p) => p.in === "query" && p.name.startsWith(`${group.name}[`) && p.schema?.["x-deep-object-description"]);
    if (described) group.description = described.schema["x-deep-object-description"];
    for (const property of Object.values<Json>(group.schema.properties)) delete property["x-deep-object-description"];
  }
  return out;
}

const COERCED_FORMATS = new Set(["integer", "numeric", "number", "boolean"]);

/**
 * A schema's `x-openapi-schema` replaces it (a request value the route
 * takes loosely, as live does, documented as what a client sends). And
 * Elysia turns a `t.Integer` or `t.Number` of a body or an answer into
 * `anyOf [string (format integer, default 0), integer]` (it coerces query
 * strings); the document shows the value's own type (no `string | number`
 * for generated clients, no `"0"` examples).
 */
function uncoerce(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(uncoerce);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = uncoerce(value);
  // what the document shows of a value whose check is looser than what a client should send (`documented()`, src/http/openapi.ts)
  if (out["x-openapi-schema"] && out["x-deep-object"] === undefined) return out["x-openapi-schema"];
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const text = anyOf.find((branch: Json) => branch?.type === "string" && COERCED_FORMATS.has(branch.format));
    const value = anyOf.find((branch: Json) => branch !== text && ["integer", "number", "boolean"].includes(branch?.type));
    if (text && value) {
      const { anyOf: _, ...outer } = out;
      return { ...outer, ...value };
    }
  }
  return out;
}

export function finishDocument(raw: Json): Json {
  // a copy: the plugin keeps and reuses its objects (functions and symbols of the schemas drop out here)
  const doc: Json = uncoerce(JSON.parse(JSON.stringify(raw))) as Json;
  doc.openapi = "3.1.0";
  // the sandbox that serves the document (the contract lists DfE's hosts, which these requests must not reach)
  doc.servers ??= [{ url: "/", description: "This sandbox" }];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation: Json | undefined = item[method];
      if (!operation) continue;
      const responses: Json = operation.responses && Object.keys(operation.responses).length ? operation.responses : { "200": {} };
      for (const [status, plugin] of Object.entries<Json>(responses)) {
        const mediaType = plugin["x-media-type"] ?? (path.endsWith(".csv") && status.startsWith("2") ? "text/csv" : "application/json");
        const response: Json = {
          description: plugin.description ?? REASONS[status] ?? `HTTP ${status}`,
          ...(plugin.headers ? { headers: plugin.headers } : {}),
        };
        // a CSV export's success is text, whether or not the route says so
        const content = oneMediaType(plugin.content, mediaType) ?? (mediaType === "text/csv" ? { [mediaType]: { schema: { type: "string" } } } : undefined);
        if (content) {
          const media = content[mediaType];
          if (Array.isArray(plugin.examples) && media && media.example === undefined && media.examples === undefined) media.example = plugin.examples[0];
          // the sandbox sends JSON:API's type, as live; clients written from the contract read `application/json`
          if (content[JSONAPI] && !content["application/json"]) content["application/json"] = content[JSONAPI];
          response.content = content;
        }
        responses[status] = response;
      }
      operation.responses = responses;
      // the admin API takes the admin token, whichever module declares the route
      if (path.startsWith("/admin/") && operation.security === undefined && doc.components?.securitySchemes?.adminToken) {
        operation.security = [{ adminToken: [] }];
      }
      // an operation that takes a token answers 401 without one
      const security = operation.security ?? doc.security ?? [];
      if (security.length > 0 && !responses["401"]) {
        const mediaType = path.startsWith("/admin/") ? "application/json" : JSONAPI;
        responses["401"] = {
          description: "No token, or not the right kind (a lead provider's token on the admin API is refused too)",
          content: { [mediaType]: { schema: UNAUTHORIZED_SCHEMA, example: { error: "HTTP Token: Access denied" } } },
        };
        operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
      }
      if (operation.requestBody?.content) {
        operation.requestBody.content = oneMediaType(operation.requestBody.content, "application/json");
        // Swagger UI fills its request editor from the media type's example
        const media = operation.requestBody.content["application/json"];
        if (media && media.example === undefined && Array.isArray(media.schema?.examples)) media.example = media.schema.examples[0];
        // (and the schema may go to components.schemas, its example with it)
        if (media && media.example === undefined && media.schema?.example !== undefined) media.example = media.schema.example;
      }
      if (operation.parameters) operation.parameters = deepObjects(operation.parameters);
      // the clock a v2 request runs at (README, "A short session"): Swagger UI can send it
      if (path.startsWith("/api/v2/")) operation.parameters = [...(operation.parameters ?? []), SERVER_DATE_HEADER];
      // generated clients name methods after the ids: no hyphens (the plugin's `postAdminLead-providers`)
      if (typeof operation.operationId === "string") operation.operationId = operation.operationId.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
      for (const parameter of operation.parameters ?? []) {
        // a path parameter's example is the parameter's (converters and Swagger UI read it there)
        if (parameter.in === "path" && parameter.example === undefined && parameter.schema?.example !== undefined) {
          parameter.example = parameter.schema.example;
          delete parameter.schema.example;
        }
        if (Array.isArray(parameter.examples)) {
          parameter.example ??= parameter.examples[0];
          delete parameter.examples;
        }
        if (parameter.description === undefined) delete parameter.description;
      }
    }
  }
  return doc;
}
