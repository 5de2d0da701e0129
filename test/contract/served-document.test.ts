import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv from "ajv";
import { type TestApp, createTestApp } from "../support/app";
import contract from "./lead-provider-api-v2.openapi.json";

/**
 * The served OpenAPI document (/api-docs/json, generated from the routes'
 * TypeBox schemas) against the published v2.0.0 contract: every contract
 * operation, parameter, request body and response status is served, and the
 * contract's examples validate against the served 200 schemas, but for the
 * deviations below (the live service's, docs/reference/business-rules.md appendix A).
 */

type Json = Record<string, any>;

/**
 * EVERY remaining difference between the served document and the published
 * contract, each with its reason (README, "The served document"). The tests
 * below hold the document to this list: the example patches, the schema
 * renames, the missing and extra names, the operation ids.
 */
export interface Difference {
  kind: "example" | "schema-name" | "missing-name" | "extra-name" | "operation-id" | "answers" | "parameters" | "request" | "media-type" | "servers";
  what: string;
  why: string;
  /** kind "example": the contract operation whose 200 example is patched before it is checked */
  operation?: string;
  patch?: (example: any) => any;
}

const ACTIONS = ["defer", "resume", "withdraw", "change-schedule"];
const PARTICIPANT_OPERATIONS = ["GET /api/v2/participants/ecf", "GET /api/v2/participants/ecf/{id}", ...ACTIONS.map((a) => `PUT /api/v2/participants/ecf/{id}/${a}`)];
const DECLARATION_OPERATIONS = ["POST /api/v2/participant-declarations", "GET /api/v2/participant-declarations", "GET /api/v2/participant-declarations/{id}", "PUT /api/v2/participant-declarations/{id}/void"];

export const DOCUMENT_DIFFERENCES: Difference[] = [
  // the contract's examples, where live sends something else
  {
    kind: "example",
    operation: "GET /api/v2/participants/ecf",
    what: "the list example's withdrawn participant has null attributes",
    why: "live fills every attribute of a withdrawn participant (docs/reference/business-rules.md appendix A 9)",
    patch: (e) => ({ data: e.data.filter((p: any) => p.attributes.full_name !== null) }),
  },
  ...PARTICIPANT_OPERATIONS.map((operation) => ({
    kind: "example" as const,
    operation,
    what: "the participant examples leave out mentor_id, training_record_id and schedule_identifier",
    why: "live always sends them (mentor_id null for a mentor) (docs/reference/business-rules.md §4.2)",
    patch: (e: any) => {
      const fill = (p: any) => ({ ...p, attributes: { mentor_id: null, training_record_id: "b339d7a3-97a4-49c2-9ba2-8e0514276f5b", schedule_identifier: "ecf-standard-september", ...p.attributes } });
      return { data: Array.isArray(e.data) ? e.data.map(fill) : fill(e.data) };
    },
  })),
  ...DECLARATION_OPERATIONS.map((operation) => ({
    kind: "example" as const,
    operation,
    what: "the declaration examples' id (cd3a12347-…) is not a UUID",
    why: "every id live sends is a UUID",
    patch: (e: any) => {
      const fix = (d: any) => ({ ...d, id: d.id.replace(/^cd3a12347-/, "cd3a1234-") });
      return { data: Array.isArray(e.data) ? e.data.map(fix) : fix(e.data) };
    },
  })),
  {
    kind: "example",
    operation: "GET /api/v2/participant-declarations",
    what: "the list example leaves out updated_at, state and has_passed",
    why: "every declaration has them (docs/reference/business-rules.md §5.5)",
    patch: (e) => ({ data: e.data.map((d: any) => ({ ...d, attributes: { updated_at: "2021-05-31T02:22:32Z", state: "submitted", has_passed: null, ...d.attributes } })) }),
  },
  {
    kind: "example",
    operation: "POST /api/v2/participant-declarations",
    what: "the POST example lacks eligible_for_payment and voided",
    why: "the POST answer is the v1 shape (docs/reference/business-rules.md appendix A 6)",
    patch: (e) => ({ data: { ...e.data, attributes: { ...e.data.attributes, eligible_for_payment: false, voided: false } } }),
  },
  // names
  {
    kind: "schema-name",
    what: "POST /api/v2/participant-declarations 200: SingleParticipantDeclarationResponse -> CreatedParticipantDeclarationResponse",
    why: "the POST answers the v1 attributes (eligible_for_payment, voided) that the GET answers lack (appendix A 6): one name is one schema",
  },
  ...["CreatedParticipantDeclaration", "CreatedParticipantDeclarationAttributes", "CreatedParticipantDeclarationResponse"].map((name) => ({
    kind: "extra-name" as const,
    what: name,
    why: "the POST's v1-shaped answer (appendix A 6), under names of its own",
  })),
  ...["ECFParticipantDeclarationStartedAttributesRequest", "ECFParticipantDeclarationRetainedAttributesRequest", "ECFParticipantDeclarationCompletedAttributesRequest", "ECFParticipantDeclarationExtendedAttributesRequest"].map((name) => ({
    kind: "missing-name" as const,
    what: name,
    why: "the POST's attributes are one schema (ParticipantDeclarationDataRequest.attributes): which attribute a type needs, and the answer when it is missing, are the rules' 422s (docs/reference/business-rules.md §5.1), not a schema's",
  })),
  ...["ECFParticipantStartedDeclaration", "ECFParticipantStartedDeclarationAttributes", "ECFParticipantRetainedDeclaration", "ECFParticipantRetainedDeclarationAttributes"].map((name) => ({
    kind: "missing-name" as const,
    what: name,
    why: "no operation of the contract uses it (leftover request bodies of v1)",
  })),
  { kind: "missing-name", what: "BadOrMissingParametersResponse", why: "no operation of the contract uses it, and no answer has its shape" },
  { kind: "missing-name", what: "ParticipantListFilter", why: "the contract declares it and uses ListFilter; the served ListFilter has its keys (cohort and updated_since, both read by live)" },
  ...["ECFParticipantCsvRow", "ParticipantDeclarationCsvRow"].map((name) => ({
    kind: "missing-name" as const,
    what: name,
    why: "a CSV answer is documented as text (its MultipleECFParticipantsCsvResponse / MultipleParticipantDeclarationsCsvResponse string schema, with an example); a row object schema describes no JSON any answer has",
  })),
  // operations
  ...ACTIONS.map((action) => ({
    kind: "operation-id" as const,
    what: `PUT /api/v2/participants/ecf/{id}/${action}: participant -> participant_${action.replace("-", "_")}`,
    why: "the contract gives the four actions one operationId, `participant`; ids must be unique (OpenAPI 3.1 §4.8.10) and generated clients name methods after them",
  })),
  {
    kind: "answers",
    what: "every v2 operation also documents 400, 403, 429 (and 404, 406, 413, 422 where the route gives them)",
    why: "what the sandbox (and live) answers: bad filters and pages, a token of another kind, the rate limit, unknown ids, unknown formats, big bodies, refused actions (docs/reference/business-rules.md §3.3)",
  },
  {
    kind: "answers",
    what: "errors are `{\"errors\":[…]}` (ErrorResponse, BadRequestResponse), not the contract's `error` array or `bad_request` string",
    why: "live's shape (docs/reference/business-rules.md appendix A 1, 2)",
  },
  {
    kind: "media-type",
    what: "the JSON answers are documented as application/vnd.api+json and, with the same schema, application/json (the contract: application/json only); the CSVs' 401 is JSON, not text/csv",
    why: "the sandbox sends application/vnd.api+json, as live does, also on the CSV routes' 401 (docs/reference/business-rules.md appendix A 11); application/json is kept so that a client written from the contract finds its `content[\"application/json\"]`",
  },
  {
    kind: "media-type",
    what: "the 429 is documented as text/plain (`Retry later`)",
    why: "what live sends; a generated client's error type is then a union with string, narrowed before use (test/contract/client/provider.ts)",
  },
  {
    kind: "parameters",
    what: "ListFilter (participants) has cohort as well as updated_since; page/per_page are documented as integers and read like Ruby's to_i",
    why: "live reads filter[cohort] (docs/reference/business-rules.md §4.3); `2abc` is page 2 (§4.4)",
  },
  {
    kind: "parameters",
    what: "every /api/v2 operation has an optional X-With-Server-Date header",
    why: "the sandbox runs the request at that time (README, sandbox-contract.md); it is not in the contract",
  },
  {
    kind: "request",
    what: "the request attributes allow other keys (additionalProperties true); data.type is documented but not checked",
    why: "live ignores extra attributes (appendix A 13) and never reads data.type (docs/reference/business-rules.md §3.1)",
  },
  { kind: "servers", what: "one server, `/` (this sandbox); the contract lists DfE's sandbox and production hosts", why: "requests from this document must reach the sandbox that serves it" },
];

export const EXAMPLE_DEVIATIONS = DOCUMENT_DIFFERENCES.filter((d) => d.kind === "example") as Array<Required<Pick<Difference, "operation" | "patch">> & Difference>;
export const SCHEMA_RENAMES = DOCUMENT_DIFFERENCES.filter((d) => d.kind === "schema-name").map((d) => ({ change: d.what, why: d.why }));

const FORMATS = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};
const METHODS = ["get", "put", "post", "delete", "patch"];
const schemas: Json = (contract as Json).components.schemas;

function deref(node: Json): Json {
  return node?.$ref ? deref(schemas[node.$ref.replace("#/components/schemas/", "")]) : node;
}

/** A schema's example: its own, else one built from its properties' (and items') examples. */
function exampleOf(node: Json): unknown {
  const schema = deref(node);
  if (schema === undefined) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.type === "array" && schema.items) {
    const item = exampleOf(schema.items);
    return item === undefined ? undefined : [item];
  }
  if (schema.properties) {
    const out: Json = {};
    for (const [name, property] of Object.entries<Json>(schema.properties)) {
      const value = exampleOf(property);
      if (value !== undefined) out[name] = value;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return undefined;
}

function operations(doc: Json): Array<{ key: string; path: string; method: string; op: Json }> {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ key: `${method.toUpperCase()} ${path}`, path, method, op: item[method] })),
  );
}

let t: TestApp;
let served: Json;
beforeAll(async () => {
  t = await createTestApp();
  const r = await t.call("GET", "/api-docs/json");
  expect(r.status).toBe(200);
  served = r.body;
});
afterAll(() => t.close());

const contractOperations = operations(contract as Json);

describe("the served document against the published contract", () => {
  test("when the contract lists an operation, then the served document has it, with a summary and a per-operation example", () => {
    const missing = contractOperations.filter(({ path, method }) => !served.paths[path]?.[method]).map((o) => o.key);
    expect(missing).toEqual([]);
    for (const { path, method } of contractOperations) {
      const op = served.paths[path][method];
      expect(op.summary).toBeString();
      const success = Object.values<Json>(op.responses["200"].content)[0]!;
      expect(success.example).toBeDefined();
    }
  });

  test("when the contract documents a parameter, then the served operation has it, `filter` and `page` as deepObject objects with the contract's keys and types", () => {
    const missing: string[] = [];
    const servedSchemas: Json = served.components.schemas;
    const servedDeref = (node: Json): Json => (node?.$ref ? servedDeref(servedSchemas[node.$ref.replace("#/components/schemas/", "")]) : node);
    for (const { key, path, method, op } of contractOperations) {
      const servedParameters: Json[] = served.paths[path][method].parameters ?? [];
      for (const parameter of op.parameters ?? []) {
        const mine = servedParameters.find((p) => p.in === parameter.in && p.name === parameter.name);
        if (!mine) {
          missing.push(`${key}: ${parameter.in} ${parameter.name}`);
          continue;
        }
        expect({ key, name: mine.name, style: mine.style }).toEqual({ key, name: parameter.name, style: parameter.style });
        if (parameter.style !== "deepObject") continue;
        const theirs = deref(parameter.schema).properties;
        const ours = servedDeref(mine.schema).properties;
        // ListFilter: the contract's participant filter lacks `cohort`, which live reads; every contract key is served with its type
        for (const [name, property] of Object.entries<Json>(theirs)) {
          expect({ key, name, type: ours[name]?.type }).toEqual({ key, name, type: property.type });
        }
      }
    }
    expect(missing).toEqual([]);
  });

  test("when the contract documents a request body, then the served operation has one", () => {
    const missing = contractOperations.filter(({ path, method, op }) => op.requestBody && !served.paths[path][method].requestBody).map((o) => o.key);
    expect(missing).toEqual([]);
    // and the bodies are examples of themselves
    for (const { path, method, op } of contractOperations) {
      if (!op.requestBody) continue;
      const media = Object.values<Json>(served.paths[path][method].requestBody.content)[0]!;
      expect(media.schema.example ?? media.example).toBeDefined();
    }
  });

  test("when the contract documents a response status, then the served operation answers it too", () => {
    const missing: string[] = [];
    for (const { key, path, method, op } of contractOperations) {
      for (const status of Object.keys(op.responses)) if (!served.paths[path][method].responses[status]) missing.push(`${key}: ${status}`);
    }
    expect(missing).toEqual([]);
  });

  test("when the contract's 200 examples are checked against the served 200 schemas, then they match but for the listed deviations", () => {
    const ajv = new Ajv({ allErrors: true, strict: false, formats: FORMATS });
    // the served schemas refer to its named ones (#/components/schemas/…)
    ajv.addSchema({ $id: "served", components: served.components }, "served");
    const failures: string[] = [];
    let checked = 0;
    for (const { key, path, method, op } of contractOperations) {
      const media = Object.values<Json>(op.responses["200"].content)[0]!;
      let example = exampleOf(media.schema);
      if (example === undefined) continue;
      for (const deviation of EXAMPLE_DEVIATIONS.filter((d) => d.operation === key)) example = deviation.patch(example);
      const servedMedia = Object.values<Json>(served.paths[path][method].responses["200"].content)[0]!;
      const validate = ajv.compile(JSON.parse(JSON.stringify(servedMedia.schema).replaceAll('"#/components/', '"served#/components/')));
      checked++;
      if (!validate(example)) failures.push(`${key}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(contractOperations.length);
  });

  test("when the contract names an operation's answer or body schema, then the served operation refers to a schema of that name (but for the listed renames)", () => {
    const refOf = (media: Json | undefined) => media?.schema?.$ref?.replace("#/components/schemas/", "");
    const differences: string[] = [];
    let compared = 0;
    for (const { key, path, method, op } of contractOperations) {
      const servedOp = served.paths[path][method];
      const pairs: Array<[string, Json | undefined, Json | undefined]> = [
        ["200", Object.values<Json>(op.responses["200"].content)[0], Object.values<Json>(servedOp.responses["200"].content)[0]],
      ];
      if (op.requestBody) pairs.push(["body", Object.values<Json>(op.requestBody.content)[0], Object.values<Json>(servedOp.requestBody.content)[0]]);
      for (const [what, mine, theirs] of pairs) {
        const name = refOf(mine);
        if (!name) continue;
        compared++;
        expect(served.components.schemas[refOf(theirs) ?? ""]).toBeDefined();
        if (refOf(theirs) !== name) differences.push(`${key} ${what}: ${name} -> ${refOf(theirs)}`);
      }
    }
    expect(compared).toBe(contractOperations.length + 5);
    expect(differences).toEqual(SCHEMA_RENAMES.map((r) => r.change));
  });

  test("when a name is in one document and not the other, then it is in the list of differences, and nothing listed is stale", () => {
    const contractNames = new Set(Object.keys(schemas));
    const servedNames = new Set(Object.keys(served.components.schemas));
    expect([...contractNames].filter((n) => !servedNames.has(n)).sort()).toEqual(DOCUMENT_DIFFERENCES.filter((d) => d.kind === "missing-name").map((d) => d.what).sort());
    expect([...servedNames].filter((n) => !contractNames.has(n)).sort()).toEqual(DOCUMENT_DIFFERENCES.filter((d) => d.kind === "extra-name").map((d) => d.what).sort());
    // 41 of the contract's 53 names are served (44 in all)
    expect([...contractNames].filter((n) => servedNames.has(n)).length).toBe(contractNames.size - DOCUMENT_DIFFERENCES.filter((d) => d.kind === "missing-name").length);
  });

  test("when an operation id differs from the contract's, then it is in the list of differences", () => {
    const differing = contractOperations
      .filter(({ path, method, op }) => served.paths[path][method].operationId !== op.operationId)
      .map(({ path, method, op }) => `${method.toUpperCase()} ${path}: ${op.operationId} -> ${served.paths[path][method].operationId}`);
    expect(differing).toEqual(DOCUMENT_DIFFERENCES.filter((d) => d.kind === "operation-id").map((d) => d.what));
    for (const item of Object.values<Json>(served.paths)) for (const op of Object.values<Json>(item)) expect(op.operationId).not.toContain("-");
  });

  test("when a deviation is listed, then it names a contract operation (none is stale)", () => {
    const keys = new Set(contractOperations.map((o) => o.key));
    for (const deviation of EXAMPLE_DEVIATIONS) expect(keys.has(deviation.operation)).toBe(true);
  });
});
