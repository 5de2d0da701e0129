/**
 * How the admin API reads and refuses input. Elysia validates every route's
 * declared TypeBox schemas; the admin contract's answer to bad input is
 * `422 {"errors":[{"title": FIELD, "detail": MESSAGE}]}`, one item per field,
 * not the v2 API's bodies. The app's one `onError` renders any `ApiError`
 * and runs before a module's own error hooks, so the admin module turns a
 * validation failure into its `ApiError` where Elysia asks for the message:
 * the schema's `error` option (`adminInput` puts it on every part of a schema).
 *
 * Authentication still comes first: `adminJsonBody` never throws while
 * parsing (parsing runs before the guard); a body it cannot read is kept as
 * a `BodyProblem`, which `rejectBodyProblems` throws after the guard.
 */
import { Kind, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { Elysia } from "elysia";
import { ApiError, type ErrorItem } from "../../errors";
import { readJsonObject } from "../../http/json-api";

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

/** `/declarations/0/declaration_date` → `declarations[0].declaration_date` (a place in a nested document) */
export function placeOf(path: string, fallback = "body"): string {
  const place = path
    .split("/")
    .filter((part) => part !== "")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out === "" ? part : `${out}.${part}`), "");
  return place === "" ? fallback : place;
}

export interface InputOptions {
  /** one error, the first, titled with its place in the document (`fault.kind`, `declarations[0].declaration_date`) */
  nested?: boolean;
}

/** The 422 for a value that fails `schema`: the first problem of each field (additional fields are ignored, as on the v2 API). */
export function fieldErrors(schema: TSchema, value: unknown, options: InputOptions = {}): ApiError {
  if (options.nested) {
    const first = Value.Errors(schema, value).First();
    return ApiError.errors(422, [first ? { title: placeOf(first.path), detail: describe(first) } : { title: "body", detail: "is not valid" }]);
  }
  const errors: ErrorItem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const field = fieldName(error.path);
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ title: field, detail: describe(error) });
  }
  return ApiError.errors(422, errors.length ? errors : [{ title: "body", detail: "is not valid" }]);
}

/**
 * A copy of `schema` whose failures are the admin API's 422: Elysia calls a
 * schema's `error` option for the part that failed, so every part gets it.
 */
export function adminInput<S extends TSchema>(schema: S, options: InputOptions = {}): S {
  const fail = (detail: { value?: unknown; found?: unknown }) => {
    // `found` when NODE_ENV=production (Elysia hides the rest), `value` otherwise
    throw fieldErrors(schema, "value" in detail ? detail.value : detail.found, options);
  };
  const withError = (part: TSchema): TSchema => {
    if (!part || typeof part !== "object" || !(Kind in part)) return part;
    const copy: Record<string, unknown> = { ...part, error: fail };
    if (part.properties) copy.properties = Object.fromEntries(Object.entries<TSchema>(part.properties).map(([k, v]) => [k, withError(v)]));
    if (Array.isArray(part.anyOf)) copy.anyOf = part.anyOf.map(withError);
    if (part.items && !Array.isArray(part.items)) copy.items = withError(part.items);
    return copy as unknown as TSchema;
  };
  return withError(schema) as S;
}

/** A body that could not be read (413, not JSON, not an object), refused after authentication. */
export class BodyProblem {
  constructor(readonly error: ApiError) {}
}

/** The `parse` of the admin routes that take a body: plain JSON, whatever the content type; an empty body is `{}`. */
export async function adminJsonBody({ request }: { request: Request }): Promise<unknown> {
  try {
    return await readJsonObject(request);
  } catch (error) {
    if (error instanceof ApiError) return new BodyProblem(error);
    throw error;
  }
}

/** Throws the problem of a body `adminJsonBody` could not read; use it after the admin guard. */
export function rejectBodyProblems() {
  // not named: a named plugin is applied once per app, and each admin module needs it
  return new Elysia().onTransform({ as: "scoped" }, ({ body }) => {
    if (body instanceof BodyProblem) throw body.error;
  });
}
