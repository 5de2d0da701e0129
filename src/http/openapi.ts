/**
 * What every v2 route shares in its declaration: the error bodies of the
 * live service (docs/reference/business-rules.md §3.3) and one way to write a route's answers,
 * so that the OpenAPI document says exactly what the route answers.
 *
 * The answers go both into the route's `response` (Elysia's type for the
 * handler, and the document) and, with their media types and examples, into
 * `detail.responses` (the swagger plugin otherwise lists every answer under
 * the request's parser types). The handlers return `Response` objects, which
 * Elysia does not check against `response`: declaring them costs nothing at
 * run time.
 */
import { type TSchema, t } from "elysia";
import { JSONAPI } from "../errors";

/**
 * A schema with a name: the document lists it once, under this name, in
 * `components.schemas`, and refers to it (`$ref`) wherever it is used (a
 * generated client's `components["schemas"]["ECFParticipant"]`). The names
 * are the published contract's. A shallow copy carrying `$id`: the same
 * schema may be named twice (the contract's per-operation names).
 */
export function named<S extends TSchema>(name: string, schema: S): S {
  return { ...schema, $id: name };
}

/**
 * A request value the route takes more loosely than a client should send it
 * (live's strong parameters keep a number or a boolean as sent, and the rules
 * answer it): validated by `schema`, documented as `shown`.
 */
export function documented<S extends TSchema>(schema: S, shown: Record<string, unknown>): S {
  return { ...schema, "x-openapi-schema": shown };
}

/** A value that may be null (OpenAPI 3.1 writes JSON Schema: `anyOf` with `type: "null"`). */
export function nullable<S extends TSchema>(schema: S) {
  const { description, ...rest } = schema;
  return t.Union([rest as S, t.Null()], { description });
}

export const ErrorItem = named("Error", t.Object({
  title: t.String({ description: "The attribute name (422), or `Bad request` / `Bad parameter` / `Invalid action`", example: "participant_id" }),
  detail: t.String({ description: "The message; several messages for one attribute are joined with `, `" }),
}));

/** 400 and 422 (appendix A 1, 2: the key is `errors`, plural). */
export const ErrorsBody = named("ErrorResponse", t.Object({ errors: t.Array(ErrorItem) }, { description: "One item per attribute, in the order each first failed" }));
/** The 400s: the errors shape (the contract's BadRequestResponse has a `bad_request` string no answer has) */
export const BadRequestBody = named("BadRequestResponse", t.Object({ errors: t.Array(ErrorItem) }, { description: "One item per problem" }));
export const ErrorBody = t.Object({ error: t.String() });
export const UnauthorisedBody = named("UnauthorisedResponse", t.Object({ error: t.String() }, { description: "The token is missing or unknown" }));
export const NotFoundBody = named("NotFoundResponse", t.Object({ error: t.String() }, { description: "Resource not Found" }));

/** An empty body (403, 406): no content. */
export const NoBody = t.Void();

export const TextBody = t.String();

interface Answer {
  schema: TSchema;
  description: string;
  /** media type; `null` for an empty body. Default: the JSON:API type every v2 answer carries */
  type?: string | null;
  example?: unknown;
}

export const unauthorized: Answer = {
  schema: UnauthorisedBody,
  description: "Missing, malformed or unknown token (also the admin token, with `WWW-Authenticate`)",
  example: { error: "HTTP Token: Access denied" },
};
export const forbidden: Answer = { schema: NoBody, description: "A known token of another kind (empty body)", type: null };
export const notFound: Answer = {
  schema: NotFoundBody,
  description: "Unknown id, or one the provider may not see (capital F, as live)",
  example: { error: "Resource not Found" },
};
export const notAcceptable: Answer = {
  schema: NoBody,
  description: "A list asked for in any format but JSON or CSV (`.xml`, `.foo`): empty body",
  type: null,
};
export const payloadTooLarge: Answer = {
  schema: ErrorsBody,
  description: "A body over 1 MiB (live accepts it)",
  example: { errors: [{ title: "Payload too large", detail: "The request body must be at most 1048576 bytes" }] },
};
export const tooManyRequests: Answer = {
  schema: TextBody,
  description: "Over 1000 requests in the fixed 5-minute window of this Authorization value (RATE_LIMIT=off turns it off)",
  type: "text/plain",
  example: "Retry later\n",
};
// 406 only on the JSON lists: everything else renders JSON whatever the format (docs/live-parity.md §1)
/** The answers every v2 route gives (its own 200, 400, 404, 406, 413 and 422 beside them). */
export const everyRouteAnswers = { 401: unauthorized, 403: forbidden, 429: tooManyRequests };

/** An answer in the errors shape, with one example item (400 and 422 alike). */
const errorsAnswer =
  (schema: TSchema) =>
  (description: string, example: { title: string; detail: string }): Answer => ({ schema, description, example: { errors: [example] } });
export const badRequest = errorsAnswer(BadRequestBody);
export const unprocessable = errorsAnswer(ErrorsBody);

const FILTER_AND_QUERY = "a `filter` that is not a hash, in the query or the body (`Filter must be a hash`); a query string Rack cannot nest (`Invalid query parameters`)";

/** The missing-`data` 400 every write answers (§3.3), and the checks every v2 route makes. */
export const missingData = badRequest(
  `No \`data\` member (also \`data\` null, \`{}\`, a string or an array; a body that is not JSON, or not sent as JSON); ${FILTER_AND_QUERY}`,
  { title: "Bad request", detail: "correct json data structure required. See API docs for reference" },
);

/** The 400s of a route that reads no body attributes: the checks every v2 route makes. */
export const filterBadRequest = badRequest(`Malformed JSON in the body; ${FILTER_AND_QUERY}`, { title: "Bad parameter", detail: "Filter must be a hash" });

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  answers: Record<number, Answer>;
  hide?: boolean;
}

/** `response` and `detail` of a route, from its answers. */
export function operation(op: Operation) {
  const response: Record<number, TSchema> = {};
  const responses: Record<string, { description: string; content?: Record<string, { schema: any; example?: unknown }> }> = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    response[Number(status)] = answer.schema;
    const type = answer.type === undefined ? JSONAPI : answer.type;
    responses[status] = {
      description: answer.description,
      ...(type === null
        ? {}
        : { content: { [type]: { schema: answer.schema, ...(answer.example === undefined ? {} : { example: answer.example }) } } }),
    };
  }
  const { answers: _answers, hide, ...detail } = op;
  return { response, detail: { ...detail, responses, ...(hide ? { hide } : {}) } };
}

/**
 * A key of a v2 list query. The routes validate flat bracketed keys
 * (`'page[per_page]'`, as Elysia parses them); the document shows them as
 * the contract does, one `deepObject` parameter (`page`) whose schema is the
 * named object `component` (src/modules/docs/openapi.ts). `shown`: what the
 * document says of the value when it differs from what is validated (a page
 * number is documented as an integer and read like Ruby's `to_i`).
 */
export function deepObjectMember<S extends TSchema>(component: string, schema: S, options: { shown?: Record<string, unknown>; parameterDescription?: string } = {}) {
  return t.Optional({
    ...schema,
    "x-deep-object": component,
    ...(options.shown ? { "x-openapi-schema": options.shown } : {}),
    ...(options.parameterDescription ? { "x-deep-object-description": options.parameterDescription } : {}),
  } as S);
}

const PAGE_DESCRIPTION = "The page number, from 1 (read like Ruby `to_i`: `2abc` is 2; below 1 is a 400)";
const PER_PAGE_DESCRIPTION = "Items per page: default 100, at most 3000 (a larger value becomes 3000; below 1 is a 400)";

/** The page keys of a v2 list query (`page[page]`, `page[per_page]`), documented as the contract's `Pagination`. */
export const pageQuery = {
  "page[page]": deepObjectMember("Pagination", t.String({ description: PAGE_DESCRIPTION }), {
    shown: { type: "integer", description: PAGE_DESCRIPTION, example: 1 },
    parameterDescription: "Pagination: `page[page]` and `page[per_page]`. No links or meta in the answer: a short or empty page is the end",
  }),
  "page[per_page]": deepObjectMember("Pagination", t.String({ description: PER_PAGE_DESCRIPTION }), {
    shown: { type: "integer", description: PER_PAGE_DESCRIPTION, example: 100 },
  }),
};

/** `filter[updated_since]`, as src/http/list-params.ts reads it; `what` says which rows it keeps. No example: Swagger UI would send it. */
export const updatedSinceQuery = (component: string, what: string, parameterDescription?: string) =>
  deepObjectMember(
    component,
    t.String({
      description: `${what}: \`YYYY-MM-DDThh:mm:ss\`, optional fraction, optional \`Z\`/\`±hh:mm\` (a date alone is refused; send \`+\` as \`%2B\`)`,
    }),
    { parameterDescription },
  );

/** A v2 list answer: `data` only. */
export const listDocument = <R extends TSchema>(name: string, resource: R) =>
  named(name, t.Object({ data: t.Array(resource) }, { description: "No links or meta: a short or empty page is the end" }));

/**
 * A write's JSON:API body: `data.type` is never checked (§3.1); a missing,
 * empty or non-object `data` is the missing-data 400.
 */
export const jsonApiBody = <A extends TSchema>(
  type: string,
  attributes: A,
  example: Record<string, unknown>,
  names: { body: string; data: string },
) =>
  named(
    names.body,
    t.Object(
      {
        data: named(
          names.data,
          t.Object(
            {
              type: t.Optional(
                documented(t.Unknown(), { type: "string", enum: [type], description: "The data type (not checked: any value is taken)", example: type }),
              ),
              // as live (business-rules appendix A 13): attributes other than these are ignored, not refused
              attributes: t.Optional({ ...attributes, additionalProperties: true }),
            },
            { minProperties: 1, additionalProperties: true, "x-live-error": "missing-data" },
          ),
        ),
      },
      { "x-live-error": "missing-data", example: { data: { type, attributes: example } } },
    ),
  );
