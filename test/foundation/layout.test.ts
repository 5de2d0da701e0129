/** The module layout the README promises, checked over the import graph of src/ and db/ (type-only imports included). */
import { describe, expect, test } from "bun:test";
import { circles, crossFeatureQueryImports, importGraph } from "../scripts/import-graph";

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
});
