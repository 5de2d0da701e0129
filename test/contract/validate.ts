import Ajv, { type ValidateFunction } from "ajv";
import spec from "./lead-provider-api-v2.openapi.json";

/**
 * Validates response bodies against the published v2.0.0 contract (vendored
 * beside this file). The spec is OpenAPI 3.0, so it is adapted for ajv first:
 * `required: false` inside properties (not JSON Schema) is stripped, and
 * `nullable: true` becomes a union with null.
 */

/**
 * Where the live service deliberately differs from the contract, we follow
 * the live service (docs/reference/business-rules.md); each entry is a documented deviation
 * applied to the schema before validation.
 */
export const LIVE_DEVIATIONS: Array<{ schema: string; why: string; patch: (s: any) => void }> = [
  {
    schema: "ParticipantDeclarationAttributes",
    why: "live `state` also has awaiting-clawback and clawed-back (docs/reference/business-rules.md §5.5, appendix A 5)",
    patch: (s) => {
      const state = s.properties.state;
      if (state?.enum) state.enum = [...new Set([...state.enum, "awaiting-clawback", "clawed-back"])];
    },
  },
  {
    schema: "ParticipantDeclarationAttributes",
    why: "the POST answer is the v1 shape, with eligible_for_payment and voided (docs/reference/business-rules.md §5.4, appendix A 6)",
    patch: (s) => {
      s.properties.eligible_for_payment = { type: "boolean" };
      s.properties.voided = { type: "boolean" };
    },
  },
];

function adapt(node: any): any {
  if (Array.isArray(node)) return node.map(adapt);
  if (node === null || typeof node !== "object") return node;
  const out: any = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "required" && typeof value === "boolean") continue;
    if (key === "example" || key === "examples" || key === "nullable") continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.replace("#/components/schemas/", "#/definitions/");
      continue;
    }
    out[key] = adapt(value);
  }
  if (node.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

const definitions: Record<string, any> = adapt((spec as any).components.schemas);
for (const deviation of LIVE_DEVIATIONS) deviation.patch(definitions[deviation.schema]);

const ajv = new Ajv({ allErrors: true, strict: false, formats: { uuid: /^[0-9a-f-]{36}$/i, "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, email: /@/, date: /^\d{4}-\d{2}-\d{2}$/ } });
ajv.addSchema({ $id: "contract", definitions });

const cache = new Map<string, ValidateFunction>();

/** Throws with ajv's errors when `body` does not match the named component schema. */
export function assertMatchesContract(schemaName: string, body: unknown): void {
  let validate = cache.get(schemaName);
  if (!validate) {
    if (!definitions[schemaName]) throw new Error(`no schema ${schemaName} in the contract`);
    validate = ajv.compile({ $ref: `contract#/definitions/${schemaName}` });
    cache.set(schemaName, validate);
  }
  if (!validate(body)) {
    throw new Error(`${schemaName}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}

/**
 * Wraps a test app so that every 200 JSON answer of the participant endpoints
 * is checked against the contract (lists and single documents).
 */
export function checkParticipantContract<T extends { call: (method: string, path: string, options?: any) => Promise<{ status: number; body: any; response: Response }> }>(app: T): T {
  const call = app.call;
  app.call = async (method, path, options) => {
    const r = await call(method, path, options);
    if (r.status === 200 && path.startsWith("/api/v2/participants") && r.response.headers.get("content-type") === "application/vnd.api+json") {
      assertMatchesContract(Array.isArray(r.body?.data) ? "MultipleECFParticipantsResponse" : "ECFParticipantResponse", r.body);
    }
    return r;
  };
  return app;
}
