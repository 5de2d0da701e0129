/**
 * What every v3 route shares in its declaration (docs/reference/rect/rules.md §3.3): the error
 * answers with RECT's bodies, in `application/json; charset=utf-8`, and the
 * list query keys (flat bracketed names: Elysia does not nest them; the
 * routes read the nested params through `v3Params`).
 */
import { t } from "elysia";
import { ErrorBody, ErrorsBody, TextBody, operation } from "../../../http/openapi";
import { V3_JSON } from "./envelope";
import { PAGINATION_DETAIL, UPDATED_SINCE_DETAIL } from "./params";

interface Answer {
  schema: any;
  description: string;
  type?: string | null;
  example?: unknown;
}

const v3 = (answer: Answer): Answer => ({ type: V3_JSON, ...answer });

export const v3Unauthorized = v3({
  schema: ErrorBody,
  description: "Missing, malformed or unknown token (a v2 token or the admin token too); no `WWW-Authenticate`",
  example: { error: "HTTP Token: Access denied" },
});
export const v3NotFound = v3({
  schema: ErrorsBody,
  description: "Unknown id, or one the caller may not see",
  example: { errors: [{ title: "Resource not found", detail: "Nothing could be found for the provided details" }] },
});
export const v3TooManyRequests: Answer = {
  schema: TextBody,
  description: "Over 1000 requests in the fixed 5-minute window of this Authorization value, or 1500 from this address (RATE_LIMIT=off turns both off)",
  type: "text/plain",
  example: "Retry later\n",
};
export const v3BadRequestAnswer = (description: string, example: { title: string; detail: string }) =>
  v3({ schema: ErrorsBody, description, example: { errors: [example] } });

/** The 400 every v3 route can answer (validate_filters runs on every action). */
export const v3FilterBadRequest = v3BadRequestAnswer(
  "`filter` that is not a hash (`Filter must be a hash`); an unparseable `X-With-Server-Date` (RECT: 500); a query string Rack cannot nest",
  { title: "Bad parameter", detail: "Filter must be a hash" },
);
/** The 400 of every v3 list. */
export const v3ListBadRequest = v3BadRequestAnswer(
  `As every route, and: a bad \`filter[updated_since]\` (\`${UPDATED_SINCE_DETAIL}\`), or pagination below 1 (\`${PAGINATION_DETAIL}\`)`,
  { title: "Bad request", detail: PAGINATION_DETAIL },
);

export const v3Ok = (schema: any, description: string, example: unknown) => v3({ schema, description, example });

/** `response` and `detail` of a v3 route (src/http/openapi.ts `operation`, with the v3 answers every route gives). */
export function v3Operation(op: { operationId: string; tags: string[]; summary: string; description?: string; answers: Record<number, Answer> }) {
  return operation({ ...op, answers: { 401: v3Unauthorized, 429: v3TooManyRequests, ...op.answers } });
}

export const v3PageQuery = {
  "page[page]": t.Optional(t.String({ description: "The page number, from 1 (read like Ruby `to_i`; below 1 is a 400)", example: "1" })),
  "page[per_page]": t.Optional(
    t.String({ description: "Items per page: default 100, at most 3000 (a larger value becomes 3000; below 1 is a 400)", example: "100" }),
  ),
};

export const v3CohortListQuery = t.Optional(
  t.String({
    description: "Only these cohorts: years, comma-separated (or `filter[cohort][]=` repeated). Non-numeric items are dropped; none left matches nothing; blank means every cohort",
    example: "2024,2025",
  }),
);

export const v3UpdatedSinceQuery = (what: string) =>
  t.Optional(
    t.String({
      description: `${what} (inclusive): \`YYYY-MM-DDThh:mm:ss\` with optional fraction and \`Z\` or \`-hh:mm\`. The value is URL-decoded once more, so a \`+\` offset must be sent as \`%252B\``,
      example: "2025-01-10T10:42:00Z",
    }),
  );

export const v3SortQuery = (defaultOrder: string) =>
  t.Optional(
    t.String({
      description: `Comma-separated attributes, each optionally \`-\` (descending) or \`%2B\` (ascending); \`updated_at\` and \`created_at\` as documented, and (as RECT) any column of the model. Unknown names are dropped. Default: ${defaultOrder}`,
      example: "-updated_at",
    }),
  );

export const v3IdParams = (what: string, example: string) =>
  t.Object({ id: t.String({ description: `The ${what}'s id`, example }) });
