/** The module layout the README promises, checked over the import graph of src/ and db/ (type-only imports included), and its citations. */
import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { circles, crossFeatureQueryImports, importGraph } from "../scripts/import-graph";
import { sqlLines, sqlOutsideQueries } from "../scripts/sql-outside-queries";
import { skipUnless } from "../support/skip";

const graph = importGraph();

describe("module layout", () => {
  test("when the imports of src/ and db/ are followed, then no file reaches itself again (no import circle)", () => {
    expect(circles(graph).map((c) => c.join(" -> "))).toEqual([]);
  });

  test("when a feature module imports a queries.ts, then only its own (another feature is used through its service)", () => {
    expect(crossFeatureQueryImports(graph)).toEqual([]);
  });

  test("when a src/http/ helper imports, then only src/http/, src/lib/, src/errors.ts and db/ (http/ depends on nothing in the app)", () => {
    const outside = [...graph]
      .filter(([file]) => file.startsWith("src/http/"))
      .flatMap(([file, targets]) => targets.filter((t) => !/^(src\/http\/|src\/lib\/|src\/errors\.ts$|db\/)/.test(t)).map((t) => `${file} -> ${t}`));
    expect(outside).toEqual([]);
  });

  // test/scripts/sql-outside-queries.ts says what counts as SQL; the README's "Layout" says where it may be
  test("when a file under src/ holds SQL, then it is a queries.ts or read-model.ts, or a resource.ts with SQL fragments (attribute expressions) and no query", () => {
    expect(sqlOutsideQueries()).toEqual([]);
  });

  test("when a line holds a query, a sql tag or raw SQL text, then it counts as SQL; a comment, a transaction or a URL does not", () => {
    const kinds = (text: string) => sqlLines(text).map((s) => s.kind);
    expect(kinds(`await db.selectFrom("rect_schools").selectAll().execute();`)).toEqual(["query"]);
    expect(kinds("const x = sql`EXISTS (SELECT 1)`;")).toEqual(["sql tag"]);
    expect(kinds("const y = sql<string>`a`; const z = sql.ref(\"a\");")).toEqual(["sql tag"]);
    expect(kinds(`const s = "select id from training_records";`)).toEqual(["raw SQL string"]);
    expect(kinds(`const s = "case when tr.participant_type = 'ect' then 1 end";`)).toEqual(["raw SQL string"]);
    expect(kinds(`return db.transaction().execute((trx) => q.update(trx));`)).toEqual([]);
    expect(kinds(`// db.selectFrom("x")\n/* sql\`a\` */\nconst u = "http://x/select?from=1";`)).toEqual([]);
  });
});

const ROOT = resolve(import.meta.dir, "../..");
const inGitCheckout = (() => {
  try {
    execFileSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: ROOT, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(skipUnless(inGitCheckout, "citations", "not a git checkout: which files are tracked is unknown"))("citations", () => {
  test("when the code, tests and docs cite a document (`docs/reference/rect/rules.md §2.1`), then it is in the repository, named with its path", async () => {
    const { unresolvedCitations } = await import("../scripts/citations");
    expect(unresolvedCitations()).toEqual([]);
  });
});
