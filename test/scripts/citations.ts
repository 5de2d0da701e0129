/**
 * Citations of documents (`*.md`) in the repository's code, tests and docs
 * that do not resolve to a file in the repository (a bare name resolves when
 * exactly one tracked file has it; a path of the live source resolves at its
 * pinned commit), and sections of a document named without its path
 * (`business-rules` followed by a section sign).
 *
 *   bun test/scripts/citations.ts     prints each, then the count; exit 1 when there is one
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
/** the live sources at the pinned commits (ECF 9123fbfcd, RECT 0fe31d1aa): a cited live file resolves there */
const LIVE = [
  ["/work/.mirror/DFE-Digital+early-careers-framework/repo", "9123fbfcd"],
  ["/work/.mirror/DFE-Digital+register-early-career-teachers-public/repo", "0fe31d1aa"],
] as const;
/**
 * Whether a cited path is a file of the live sources. Where a mirror is not on this machine
 * (a CI machine without the fetch tool's mirrors), its paths cannot be checked and are accepted:
 * the repository's own files are still checked everywhere.
 */
function inLiveSource(path: string): boolean {
  if (LIVE.some(([dir]) => !existsSync(dir))) return true;
  return LIVE.some(([dir, commit]) => {
    try {
      execFileSync("git", ["-C", dir, "cat-file", "-e", `${commit}:${path}`], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  });
}
const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
const tracked = new Set(files);
const byName = new Map<string, number>();
for (const f of files) byName.set(basename(f), (byName.get(basename(f)) ?? 0) + 1);

export function unresolvedCitations(): string[] {
  const out: string[] = [];
  for (const file of files) {
    if (!/\.(ts|js|md)$/.test(file) || file.startsWith("docs/reference/") || file.startsWith("node_modules/")) continue;
    const lines = readFileSync(resolve(ROOT, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/(?<![\w.-])((?:\.\.?\/|\/)?[\w./-]*[\w-]+\.md)\b/g)) {
        const cited = m[1]!.replace(/^\.\//, "");
        if (tracked.has(cited) || tracked.has(resolve(ROOT, file, "..", cited).slice(ROOT.length + 1))) continue;
        if (!cited.includes("/") && byName.get(cited) === 1) continue;
        if (cited.includes("/") && inLiveSource(cited)) continue;
        out.push(`${file}:${i + 1}: ${cited}`);
      }
      // a document named without its file (`business-rules` + " §5.1", RECT's `rules` + " §2.1")
      for (const m of line.matchAll(/(?<![\w/.-])(business-rules|sandbox-contract|control-plane|reference-data|rules) §/g)) out.push(`${file}:${i + 1}: ${m[1]} §`);
    });
  }
  return out;
}

if (import.meta.main) {
  const found = unresolvedCitations();
  for (const line of found) console.log(line);
  console.log(`${found.length} citation(s) of documents not in the repository`);
  process.exit(found.length > 0 ? 1 : 0);
}
