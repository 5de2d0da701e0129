/**
 * The import graph of src/ and db/ (type-only imports included): its circles,
 * and which files under src/http/ reach into the rest of the app.
 *
 *   bun test/scripts/import-graph.ts     prints the circles and the cross-feature queries.ts imports; exit 1 when there is a circle
 *   (the files with SQL outside queries.ts: test/scripts/sql-outside-queries.ts)
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");

/** Every .ts file below `dir` (not .d.ts). */
export function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g;

/** file (relative to the repository) -> the files it imports */
export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sources(join(ROOT, "src")), ...sources(join(ROOT, "db"))]) {
    const text = readFileSync(file, "utf8");
    const targets: string[] = [];
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1]!;
      if (!spec.startsWith(".")) continue;
      const base = resolve(dirname(file), spec);
      const target = [base + ".ts", join(base, "index.ts"), base].find((p) => existsSync(p) && statSync(p).isFile());
      if (target && target.endsWith(".ts")) targets.push(relative(ROOT, target));
    }
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** every elementary circle found by a depth-first walk (each reported once, from its smallest file) */
export function circles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        const circle = stack.slice(stack.indexOf(next));
        const start = circle.indexOf([...circle].sort()[0]!);
        const key = [...circle.slice(start), ...circle.slice(0, start)];
        found.set(key.join(" -> "), key);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

/** `src/modules/A/x.ts -> src/modules/B/queries.ts` for A ≠ B (A, B: `participants`, `v3/schools`, …) (a feature uses another only through its service) */
export function crossFeatureQueryImports(graph: Map<string, string[]>): string[] {
  // a v3 feature is src/modules/v3/<feature>/ (its http/ helpers hold no queries.ts)
  const feature = (file: string) => /^src\/modules\/(v3\/[^/]+|[^/]+)\//.exec(file)?.[1];
  return [...graph].flatMap(([file, targets]) =>
    targets.filter((t) => t.endsWith("/queries.ts") && feature(t) !== undefined && feature(t) !== feature(file)).map((t) => `${file} -> ${t}`),
  );
}

if (import.meta.main) {
  const graph = importGraph();
  const found = circles(graph);
  for (const circle of found) console.log([...circle, circle[0]].join(" -> "));
  console.log(`${found.length} import circle(s)`);
  const cross = crossFeatureQueryImports(graph);
  for (const line of cross) console.log(line);
  console.log(`${cross.length} cross-feature queries.ts import(s)`);
  process.exit(found.length > 0 ? 1 : 0);
}
