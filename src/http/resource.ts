/**
 * A resource the API serves, defined once: its attributes in the live order,
 * each with the SQL that derives it from the stored data, its TypeBox type,
 * its CSV column and an example. Everything else is generated from that
 * list: the named response schemas, the SQL that renders the JSON:API
 * resource and the CSV line (SQLite builds the text: `json_object`, `||`),
 * the CSV header and the documented examples.
 *
 * ```ts
 * export const Statement = defineResource({
 *   name: "Statement",                        // components.schemas name of the resource
 *   attributesName: "StatementAttributes",     // and of its attributes
 *   type: "statement",                         // the JSON:API `type`
 *   id: { sql: "st.api_id", type: t.String({ format: "uuid" }), example: "…" },
 *   attributes: {
 *     month: { sql: "st.month", type: t.String(), csv: "plain", example: "May" },
 *     paid: { sql: "st.paid", type: t.Boolean(), example: true }, // stored 0/1
 *   },
 * });
 * // Statement.schema, Statement.jsonSql, Statement.csvSql, Statement.csvHeader, Statement.example
 * ```
 *
 * An attribute's `sql` is an expression over the aliases of the source the
 * feature selects from; a boolean attribute's is its stored 0/1 (or null),
 * written as JSON `true`/`false`/`null`. Adding an attribute is one entry.
 */
import type { TObject } from "@sinclair/typebox";
import { type TSchema, t } from "elysia";
import { csvRow } from "./csv";
import { named } from "./openapi";

/**
 * How a CSV cell is written from its SQL value (the live CSV, docs/reference/business-rules.md §4.5):
 * `text`: quoted only when it holds a comma, a quote or a line break, null and "" as `""`;
 * `plain`: as it is (enums, years, ids, timestamps never need quoting), null as `null`;
 * `flag`: `true`/`false` from 0/1, null as `""` (the default of a boolean attribute).
 */
export type CsvKind = "text" | "plain" | "flag";

export interface AttributeDefinition {
  /** the SQL expression the read model renders (booleans: 0/1/null) */
  sql: string;
  /** its schema in the served document */
  type: TSchema;
  /** its CSV cell; default `flag` for a boolean, else `text`; false: not in the CSV */
  csv?: CsvKind | false;
  /** its value in the documented examples */
  example: unknown;
}

export interface ResourceDefinition<A extends Record<string, AttributeDefinition>> {
  name: string;
  attributesName: string;
  type: string;
  id: { sql: string; type: TSchema; example: string };
  attributes: A;
  /** the resource has a CSV export: the id, then each attribute with a CSV cell */
  csv?: boolean;
}

const isBoolean = (schema: TSchema): boolean =>
  schema.type === "boolean" || (Array.isArray(schema.anyOf) && schema.anyOf.some((s: TSchema) => s.type === "boolean"));

/** SQL: a quoted SQL string literal */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const csvCellSql: Record<CsvKind, (x: string) => string> = {
  text: (x) =>
    `case when ${x} is null or ${x} = '' then '""' ` +
    `when instr(${x}, ',') or instr(${x}, '"') or instr(${x}, char(10)) or instr(${x}, char(13)) then '"' || replace(${x}, '"', '""') || '"' ` +
    `else ${x} end`,
  plain: (x) => `coalesce(${x}, 'null')`,
  flag: (x) => `case when ${x} is null then '""' when ${x} = 1 then 'true' else 'false' end`,
};

export function defineResource<A extends Record<string, AttributeDefinition>>(definition: ResourceDefinition<A>) {
  const entries = Object.entries(definition.attributes) as [keyof A & string, AttributeDefinition][];
  const attributeSchemas = Object.fromEntries(entries.map(([name, a]) => [name, a.type])) as { [K in keyof A]: A[K]["type"] };
  const attributes = named(definition.attributesName, t.Object(attributeSchemas));
  /** the resource object around any (named) attributes schema: the contract names it again per action */
  const resourceOf = <S extends TSchema>(attributesSchema: S) =>
    t.Object({ id: definition.id.type, type: t.Literal(definition.type), attributes: attributesSchema });

  const jsonValue = (a: AttributeDefinition) =>
    isBoolean(a.type) ? `case when ${a.sql} is null then null when ${a.sql} = 1 then json('true') else json('false') end` : a.sql;
  const jsonSqlOf = (attributes: Record<string, AttributeDefinition>) =>
    `json_object('id', ${definition.id.sql}, 'type', ${literal(definition.type)}, 'attributes', json_object(\n` +
    Object.entries(attributes)
      .map(([name, a]) => `  ${literal(name)}, ${jsonValue(a)}`)
      .join(",\n") +
    "\n))";
  const jsonSql = jsonSqlOf(definition.attributes);

  const csvKind = (a: AttributeDefinition): CsvKind | false => (a.csv === undefined ? (isBoolean(a.type) ? "flag" : "text") : a.csv);
  const csvColumns = definition.csv ? entries.filter(([, a]) => csvKind(a) !== false) : [];
  const csvHeader = definition.csv ? ["id", ...csvColumns.map(([name]) => name)] : [];
  const csvSql = definition.csv
    ? [definition.id.sql, ...csvColumns.map(([, a]) => csvCellSql[csvKind(a) as CsvKind](a.sql))].join(" || ',' ||\n  ") + " || char(10)"
    : null;

  const exampleAttributes = Object.fromEntries(entries.map(([name, a]) => [name, a.example]));
  const example = { id: definition.id.example, type: definition.type, attributes: exampleAttributes };
  const csvExample = definition.csv
    ? csvRow(csvHeader) + csvRow([definition.id.example, ...csvColumns.map(([name]) => exampleAttributes[name] as string | boolean | null)])
    : null;

  return {
    /** the named attributes schema (`attributesName`) */
    attributes: attributes as TObject<{ [K in keyof A]: A[K]["type"] }>,
    /** the named resource schema (`name`) */
    schema: named(definition.name, resourceOf(attributes)),
    resourceOf,
    /** SQL: the JSON:API resource object as text */
    jsonSql,
    /** SQL: the resource object with other attributes (another serializer of the same resource: the declaration's v1 POST answer) */
    jsonSqlOf,
    /** SQL: the CSV line as text, with its `\n`; null without a CSV */
    csvSql,
    csvHeader,
    example,
    csvExample,
  };
}
