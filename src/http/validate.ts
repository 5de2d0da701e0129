import type { Static, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ApiError, type ErrorItem } from "../errors";

function fieldName(path: string, fallback = "body"): string {
  const name = path.replace(/^\//, "").split("/")[0];
  return name && name !== "" ? name : fallback;
}

function describe(error: { message: string; schema: TSchema; value: unknown }): string {
  const schema = error.schema as Record<string, unknown>;
  if (error.value === undefined) return "is required";
  const anyOf = schema.anyOf as Record<string, unknown>[] | undefined;
  if (Array.isArray(anyOf) && anyOf.every((s) => "const" in s)) {
    return `must be one of ${anyOf.map((s) => JSON.stringify(s.const)).join(", ")}`;
  }
  if (schema.description) return `must be ${schema.description}`;
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/**
 * Checks a plain JSON body against a TypeBox schema; failures become the
 * admin API's 422 `{"errors":[{"title": FIELD, "detail": MESSAGE}]}`, one item per field.
 */
export function validateBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  if (Value.Check(schema, body)) return body as Static<S>;
  const errors: ErrorItem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, body)) {
    const field = fieldName(error.path);
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ title: field, detail: describe(error) });
  }
  // additional properties are ignored, as on the v2 API
  throw ApiError.errors(422, errors.length ? errors : [{ title: "body", detail: "is not valid" }]);
}
