/**
 * A v3 resource defined once: its attributes, in RECT's output order
 * (Blueprinter `sort_fields_by :definition`), each with its TypeBox schema,
 * the SQL that renders its JSON value, and an example. From that one list come
 * the resource's schema (for the routes and /api-docs), the `json_object(…)`
 * SQLite renders each document with (so the bytes are the database's), and
 * the examples of the docs.
 *
 * The SQL of an attribute reads the aliases its feature's queries.ts selects
 * from (the feature says which in its `resource.ts`).
 */
import { type TSchema, t } from "elysia";
import { type RawBuilder, sql } from "kysely";

export interface Attribute<P = void> {
  schema: TSchema;
  /** the attribute's JSON value: text, a number, null, or `json(…)` for booleans and arrays; a function of the query's parameters (the caller, the cohort) when it needs them */
  sql: RawBuilder<unknown> | ((params: P) => RawBuilder<unknown>);
  example: unknown;
}

/** Value renderings shared by the v3 resources (docs/reference/rect/rules.md §0). */
export const value = {
  /** text or null, as stored (timestamps are stored as RECT prints them: `2025-09-01T08:30:00Z`; dates `YYYY-MM-DD`) */
  text: (ref: string) => sql`${sql.ref(ref)}`,
  /** an integer written as a string (`"2025"`, a URN `"123456"`) */
  integerText: (ref: string) => sql`CAST(${sql.ref(ref)} AS TEXT)`,
  /** a 0/1 column or a condition as JSON `true`/`false` */
  boolean: (condition: RawBuilder<unknown>) => sql`json(CASE WHEN ${condition} THEN 'true' ELSE 'false' END)`,
  /** any SQL expression, as it is */
  raw: (expression: RawBuilder<unknown>) => expression,
};

export interface ResourceDefinition<A extends Record<string, Attribute<P>>, P = void> {
  type: string;
  /** the SQL of the resource's `id` (its `api_id`) */
  id: RawBuilder<unknown>;
  exampleId: string;
  description: string;
  attributes: A;
}

export interface Resource<A extends Record<string, Attribute<P>>, P = void> {
  type: string;
  /** `{id, type, attributes}` */
  schema: TSchema;
  /** `{"data": resource}` */
  singleSchema: TSchema;
  /** `{"data": [resource]}` */
  listSchema: TSchema;
  example: { id: string; type: string; attributes: { [K in keyof A]: unknown } };
  /** the SQL of one document (`json_object('id', …, 'type', …, 'attributes', json_object(…))`), as text */
  documentSql: (params: P) => RawBuilder<string>;
  attributeNames: (keyof A & string)[];
}

export function defineResource<A extends Record<string, Attribute<P>>, P = void>(definition: ResourceDefinition<A, P>): Resource<A, P> {
  const names = Object.keys(definition.attributes) as (keyof A & string)[];
  const attributesSchema = t.Object(Object.fromEntries(names.map((name) => [name, definition.attributes[name]!.schema])));
  const schema = t.Object(
    {
      id: t.String({ format: "uuid", description: `The ${definition.type}'s id`, example: definition.exampleId }),
      type: t.Literal(definition.type),
      attributes: attributesSchema,
    },
    { description: definition.description },
  );
  const example = {
    id: definition.exampleId,
    type: definition.type,
    attributes: Object.fromEntries(names.map((name) => [name, definition.attributes[name]!.example])) as { [K in keyof A]: unknown },
  };
  const documentSql = (params: P) => {
    const pairs = sql.join(
      names.map((name) => {
        const render = definition.attributes[name]!.sql;
        return sql`${sql.lit(name)}, ${typeof render === "function" ? render(params) : render}`;
      }),
      sql`, `,
    );
    return sql<string>`json_object('id', ${definition.id}, 'type', ${sql.lit(definition.type)}, 'attributes', json_object(${pairs}))`;
  };
  return {
    type: definition.type,
    schema,
    singleSchema: t.Object({ data: schema }, { example: { data: example } }),
    listSchema: t.Object({ data: t.Array(schema) }, { description: "No links or meta (countless pagination): a short or empty page is the end", example: { data: [example] } }),
    example,
    documentSql,
    attributeNames: names,
  };
}

/** `{"data":[…]}` from documents that are JSON text already. */
export function listDocumentText(documents: string[]): string {
  return `{"data":[${documents.join(",")}]}`;
}

/** `{"data":…}` from one document that is JSON text already. */
export function singleDocumentText(document: string): string {
  return `{"data":${document}}`;
}
