/**
 * How many of RECT's spec examples listed in docs/reference/rect/spec-index.md have a test here
 * that names them (issue 20: "every RECT request and service spec example listed there that
 * concerns the API should have a test here that names it").
 *
 *   bun test/scripts/spec-coverage.ts [--missing] [--json]
 *
 * Which examples count (the index's sections):
 * - counted: §2 request specs (spec/requests/api/v3), §3 docs (rswag) specs, §4 API service specs,
 *   §5 serializer specs, §6 validators, middlewares, routing, rate limits, errors, §7 the domain
 *   services behind the API writes;
 * - not counted: §1 (the shared examples are counted where a request spec line includes them),
 *   §8 RECT's own sandbox seed data (what RECT's seeds contain, not how the API behaves; the
 *   sandbox has its own demo world and scenarios), §9 (not expanded into examples).
 * - Within the counted sections, NOT_API below lists the spec files that are not API behaviour
 *   (analytics, release notes…), each with its reason; they are reported apart.
 *
 * The citation convention: a test (a comment or a test name in a file under test/v3/, where the v3
 * tests live; ECF's specs, cited by the v2 tests, have the same file names) names an example
 * by its spec file and line at 0fe31d1aa, as in the index: `spec/requests/api/v3/schools_spec.rb:42`
 * (a range `:40-58` names every example in it, a list `:42,47,51` each), or, under a describe that
 * names the spec file, by `L42` alone (see readCitations). A line counts only if the index lists an
 * example at that line of that file.
 *
 * Deliberately not reproduced: a markdown file under test/v3/not-reproduced/ lists examples the
 * sandbox does not reproduce, one entry per line, `- spec/…_spec.rb:12-40 — the reason` (see
 * readNotReproduced). Those files never count as tests; an example both named by a test and listed
 * there counts as covered. The reason is required (an entry without one is reported as an error).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dir, "../..");
const INDEX = join(ROOT, "docs/reference/rect/spec-index.md");
const COUNTED_SECTIONS = new Set([2, 3, 4, 5, 6, 7]);
/** spec files in counted sections that do not describe the API's behaviour, with the reason */
export const NOT_API: Record<string, string> = {
  "spec/services/api/analytics_user_spec.rb": "RECT's analytics database user, not an API behaviour",
  "spec/services/api/release_note_spec.rb": "the release notes pages, not part of the replica (docs/reference/rect/rules.md §1)",
};

export interface Example {
  section: number;
  file: string;
  line: number;
  text: string;
}

export function readIndex(text: string): Example[] {
  const examples: Example[] = [];
  let section = 0;
  let file = "";
  for (const line of text.split("\n")) {
    const s = /^## (\d+)\./.exec(line);
    if (s) {
      section = Number(s[1]);
      file = "";
      continue;
    }
    const f = /^### `([^`]+)`/.exec(line);
    if (f) {
      file = f[1]!;
      continue;
    }
    const e = /^- L(\d+): (.*)$/.exec(line);
    if (e && file) examples.push({ section, file, line: Number(e[1]), text: e[2]! });
  }
  return examples;
}

function* testFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === NOT_REPRODUCED_DIR) continue;
    if (statSync(path).isDirectory()) yield* testFiles(path);
    else if (/\.(ts|tsx|md|json|yaml)$/.test(name) && !path.includes("spec-coverage")) yield path;
  }
}

const NOT_REPRODUCED_DIR = join(ROOT, "test/v3/not-reproduced");
function* notReproducedFiles(): Generator<string> {
  let names: string[] = [];
  try {
    names = readdirSync(NOT_REPRODUCED_DIR);
  } catch {
    return;
  }
  for (const name of names) if (name.endsWith(".md")) yield join(NOT_REPRODUCED_DIR, name);
}

/** Which index file a mention names: the path itself, or the one index path ending with it; when
 * several end with it, the one whose folder is named in the test file's name (partnerships.test.ts →
 * school_partnerships/query_spec.rb), else none. */
function resolve(mention: string, files: string[], testPath: string): string | undefined {
  if (files.includes(mention)) return mention;
  const candidates = files.filter((f) => f.endsWith(`/${mention.replace(/^\/+/, "")}`));
  if (candidates.length === 1) return candidates[0];
  const stem = testPath.split("/").pop()!.replace(/\.test\.ts$|\.ts$/, "").replaceAll("-", "_");
  const named = candidates.filter((f) => f.split("/").slice(0, -1).some((dir) => dir.includes(stem) || stem.includes(dir.replace(/^school_/, ""))));
  return named.length === 1 ? named[0] : undefined;
}

/**
 * file → the lines the tests name (and where). Read in order through each test file: a spec file
 * mention (`spec/requests/api/v3/schools_spec.rb`, or a unique tail of it such as
 * `school_serializer_spec.rb`) followed by `:42`, `:40-58` or `:42,47` names those lines; an `L42`
 * (or `L40-L58`) names that line of the spec file mentioned last before it (a describe naming the
 * file, then its tests naming their lines).
 */
export function readCitations(texts: { path: string; text: string }[], files: string[]): Map<string, Map<number, string[]>> {
  const cited = new Map<string, Map<number, string[]>>();
  const add = (file: string, a: number, b: number, path: string) => {
    const lines = cited.get(file) ?? new Map<number, string[]>();
    cited.set(file, lines);
    for (let n = a; n <= b && n - a < 2000; n++) lines.set(n, [...(lines.get(n) ?? []), path]);
  };
  const token = /([\w/.-]*_spec\.rb)(?::((?:\d+(?:-\d+)?)(?:,\s?\d+(?:-\d+)?)*))?|\bL(\d+)(?:\s?[-–]\s?L?(\d+))?\b/g;
  for (const { path, text } of texts) {
    let current: string | undefined;
    for (const m of text.matchAll(token)) {
      if (m[1]) {
        const file = resolve(m[1], files, path);
        if (file) current = file;
        if (file && m[2]) {
          for (const part of m[2].split(",")) {
            const [a, b] = part.trim().split("-").map(Number);
            add(file, a!, b ?? a!, path);
          }
        }
      } else if (current) add(current, Number(m[3]), Number(m[4] ?? m[3]), path);
    }
  }
  return cited;
}

export interface NotReproduced {
  file: string;
  lines: number[];
  reason: string;
  source: string;
}

/** The entries of the not-reproduced lists: `- <spec path>:<lines> — <reason>` (also `-` or `:` before the
 * reason). A line that starts `- spec/` but has no lines, no reason or an unknown spec file is an error. */
export function readNotReproduced(texts: { path: string; text: string }[], files: string[]): { entries: NotReproduced[]; errors: string[] } {
  const entries: NotReproduced[] = [];
  const errors: string[] = [];
  for (const { path, text } of texts) {
    text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (!/^[-*]\s+`?spec\//.test(line)) return;
      const m = /^[-*]\s+`?(spec\/[\w/.-]+_spec\.rb):((?:\d+(?:-\d+)?)(?:,\s?\d+(?:-\d+)?)*)`?\s*(?:—|–|-|:)\s*(.+)$/.exec(line);
      const where = `${path}:${i + 1}`;
      if (!m) return void errors.push(`${where}: not "- spec/…_spec.rb:LINES — reason": ${line}`);
      const [, file, spans, reason] = m;
      if (!files.includes(file!)) return void errors.push(`${where}: ${file} is not in the index`);
      if (reason!.trim().split(/\s+/).length < 4) return void errors.push(`${where}: the reason is too short: ${reason}`);
      const lines: number[] = [];
      for (const part of spans!.split(",")) {
        const [a, b] = part.trim().split("-").map(Number);
        for (let n = a!; n <= (b ?? a!) && n - a! < 2000; n++) lines.push(n);
      }
      entries.push({ file: file!, lines, reason: reason!.trim(), source: where });
    });
  }
  return { entries, errors };
}

/** The counts over the repository's own tests and not-reproduced lists. */
export function coverage() {
  const all = readIndex(readFileSync(INDEX, "utf8"));
  const files = [...new Set(all.map((e) => e.file))];
  const examples = all.filter((e) => COUNTED_SECTIONS.has(e.section));
  const texts = [...testFiles(join(ROOT, "test/v3"))].map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
  const cited = readCitations(texts, files);
  const nr = readNotReproduced([...notReproducedFiles()].map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") })), files);
  const excluded = new Map<string, Map<number, string>>();
  for (const e of nr.entries) {
    const m = excluded.get(e.file) ?? new Map<number, string>();
    excluded.set(e.file, m);
    for (const n of e.lines) m.set(n, e.reason);
  }
  const perFile = new Map<string, { section: number; total: number; covered: number; not_reproduced: number; missing: Example[] }>();
  for (const e of examples) {
    const row = perFile.get(e.file) ?? { section: e.section, total: 0, covered: 0, not_reproduced: 0, missing: [] };
    perFile.set(e.file, row);
    row.total++;
    if (cited.get(e.file)?.has(e.line)) row.covered++;
    else if (excluded.get(e.file)?.has(e.line)) row.not_reproduced++;
    else row.missing.push(e);
  }
  const exampleLines = new Set(all.map((e) => `${e.file}:${e.line}`));
  const errors = [...nr.errors, ...nr.entries.filter((e) => !e.lines.some((n) => exampleLines.has(`${e.file}:${n}`))).map((e) => `${e.source}: names no example line of ${e.file}`)];
  const api = [...perFile].filter(([file]) => !NOT_API[file]);
  const notApi = [...perFile].filter(([file]) => NOT_API[file]);
  const sum = (k: "total" | "covered" | "not_reproduced") => api.reduce((n, [, r]) => n + r[k], 0);
  const summary = {
    examples: examples.length,
    api_examples: sum("total"),
    covered: sum("covered"),
    not_reproduced: sum("not_reproduced"),
    remaining: sum("total") - sum("covered") - sum("not_reproduced"),
    not_api: notApi.reduce((n, [, r]) => n + r.total, 0),
    files: api.length,
    files_with_a_covered_example: api.filter(([, r]) => r.covered > 0).length,
  };
  return { summary, api, errors };
}

if (import.meta.main) {
  const args = new Set(process.argv.slice(2));
  if (args.has("--help") || args.has("-h")) {
    console.log("usage: bun test/scripts/spec-coverage.ts [--missing] [--json]\n  --missing  list every example neither named by a test nor listed as not reproduced\n  --json     the counts as JSON\nexits 1 when an entry of test/v3/not-reproduced/*.md is malformed");
    process.exit(0);
  }
  const { summary, api, errors } = coverage();
  for (const e of errors) console.error(`error: ${e}`);
  if (args.has("--json")) {
    console.log(JSON.stringify({ ...summary, per_file: Object.fromEntries(api.map(([f, r]) => [f, { total: r.total, covered: r.covered, not_reproduced: r.not_reproduced }])) }, null, 2));
    process.exit(errors.length ? 1 : 0);
  }
  console.log("| section | spec file | examples | named by a test | not reproduced (reason listed) |\n| --- | --- | --- | --- | --- |");
  for (const [file, r] of api) console.log(`| §${r.section} | ${file} | ${r.total} | ${r.covered} | ${r.not_reproduced} |`);
  console.log(
    `\n${summary.api_examples} API examples in §2–§7 of the index (of ${summary.examples}; ${summary.not_api} more are not API behaviour: ${Object.keys(NOT_API).join(", ")}); ` +
      `${summary.covered} named by a test; ${summary.not_reproduced} deliberately not reproduced (test/v3/not-reproduced/*.md); ${summary.remaining} not yet.`,
  );
  if (args.has("--missing")) for (const [file, r] of api) for (const e of r.missing) console.log(`missing ${file}:${e.line}  ${e.text}`);
  process.exit(errors.length ? 1 : 0);
}
