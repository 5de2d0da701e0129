/**
 * Files under src/ with SQL where the layout does not allow it (the README's
 * "Layout", "Where SQL lives").
 *
 * What counts as SQL (comments are not read):
 * - a query: Kysely's builders (`.selectFrom(`, `.insertInto(`, `.updateTable(`,
 *   `.deleteFrom(`, `.replaceInto(`, `.mergeInto(`, `.selectNoFrom(`,
 *   `.executeQuery(`, `.schema.createTable(` and the like, `.introspection`) and the project's
 *   (`preparedQuery(`, `insertInChunks(`);
 * - a fragment: Kysely's `sql` tag (sql`…`, sql<T>`…`) and its helpers
 *   (`sql.ref(`, `sql.lit(`, `sql.join(`, `sql.raw(`, …), and raw SQL in a
 *   string literal (`select … from`, `insert into`, `update … set`,
 *   `delete from`, `create`/`drop table|view|trigger|index`, `case when`,
 *   `json_object(`, `group_concat(`).
 * Not SQL: `db.transaction().execute(…)` (the unit of work a service opens
 * around its feature's queries) and the types of db/schema.ts.
 *
 * Where it may be:
 * - anything, in a feature's `queries.ts` or `read-model.ts`;
 * - fragments only, in a `resource.ts`: a resource definition's attribute
 *   expressions (the SQL an attribute is derived by is the definition), and
 *   the two builders that compose them (src/http/resource.ts,
 *   src/modules/v3/http/resource.ts). A query in a resource.ts is refused.
 *
 *   bun test/scripts/sql-outside-queries.ts     prints each `file:line: what`, then the count; exit 1 when there is one
 */
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { sources } from "./import-graph";

const ROOT = resolve(import.meta.dir, "../..");

const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom|executeQuery)\(|\.schema\.(create|alter|drop)\w*\(|\.introspection\b|\bpreparedQuery\(|\binsertInChunks\(/;
const SQL_TAG = /\bsql(<[^>`]*>)?`|\bsql\.(ref|lit|join|raw|val|id|table)\(/;
const RAW_SQL = /["'`][^"'`]*\b(select\s[^"'`]*\sfrom\s|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b|(create|drop)\s+(temp\s+)?(table|view|trigger|index)\b|case\s+when\b|json_object\(|group_concat\()/i;

/** The text with its comments blanked (line numbers kept); a `//` after a `:` (a URL) is not a comment. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, " ")).replace(/(^|[^:\\])\/\/.*$/gm, "$1");
}

export type SqlKind = "query" | "sql tag" | "raw SQL string";

/** Each line of a file with SQL on it, and what. */
export function sqlLines(text: string): { line: number; kind: SqlKind }[] {
  return withoutComments(text)
    .split("\n")
    .flatMap((line, i) => {
      const kind: SqlKind | null = QUERY.test(line) ? "query" : SQL_TAG.test(line) ? "sql tag" : RAW_SQL.test(line) ? "raw SQL string" : null;
      return kind ? [{ line: i + 1, kind }] : [];
    });
}

/** `file:line: what` for the first SQL of each file under src/ that may not hold it (see the header). */
export function sqlOutsideQueries(): string[] {
  const out: string[] = [];
  for (const path of sources(join(ROOT, "src")).sort()) {
    const file = relative(ROOT, path);
    if (/\/(queries|read-model)\.ts$/.test(file)) continue;
    const found = sqlLines(readFileSync(path, "utf8")).filter((s) => !(file.endsWith("/resource.ts") && s.kind !== "query"));
    if (found.length > 0) out.push(`${file}:${found[0]!.line}: ${found[0]!.kind}${found.length > 1 ? ` (+${found.length - 1} more lines)` : ""}`);
  }
  return out;
}

if (import.meta.main) {
  const found = sqlOutsideQueries();
  for (const line of found) console.log(line);
  console.log(`${found.length} file(s) under src/ with SQL outside queries.ts/read-model.ts (resource.ts: fragments only)`);
  process.exit(found.length > 0 ? 1 : 0);
}
