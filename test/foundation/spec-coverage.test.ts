import { describe, expect, test } from "bun:test";
import { coverage, readCitations, readIndex, readNotReproduced } from "../scripts/spec-coverage";

/** test/scripts/spec-coverage.ts, the count of RECT spec examples named by a v3 test (issue 20). */
const INDEX = `## 2. Request specs
### \`spec/requests/api/v3/schools_spec.rb\`
- L10: #index › one
- L20: #index › two
## 4. API service specs
### \`spec/services/api/schools/query_spec.rb\`
- L5: a
### \`spec/services/api/statements/query_spec.rb\`
- L7: b
`;

describe("spec coverage counting", () => {
  test("when the index is read, then each example line is kept with its section and file", () => {
    expect(readIndex(INDEX)).toEqual([
      { section: 2, file: "spec/requests/api/v3/schools_spec.rb", line: 10, text: "#index › one" },
      { section: 2, file: "spec/requests/api/v3/schools_spec.rb", line: 20, text: "#index › two" },
      { section: 4, file: "spec/services/api/schools/query_spec.rb", line: 5, text: "a" },
      { section: 4, file: "spec/services/api/statements/query_spec.rb", line: 7, text: "b" },
    ]);
  });

  test("when tests cite by path:line, by range, and by L-line under a describe naming the file, then those lines are named; an ambiguous tail names nothing", () => {
    const files = [...new Set(readIndex(INDEX).map((e) => e.file))];
    const cited = readCitations(
      [
        { path: "test/v3/a.test.ts", text: 'describe("schools (spec/requests/api/v3/schools_spec.rb)") test("L20 two") // schools/query_spec.rb:4-6' },
        { path: "test/v3/b.test.ts", text: "query_spec.rb L7" },
      ],
      files,
    );
    expect([...(cited.get("spec/requests/api/v3/schools_spec.rb")?.keys() ?? [])]).toEqual([20]);
    expect([...(cited.get("spec/services/api/schools/query_spec.rb")?.keys() ?? [])]).toEqual([4, 5, 6]);
    expect(cited.has("spec/services/api/statements/query_spec.rb")).toBe(false);
  });

  test("when a not-reproduced list is read, then each entry names its lines and reason; a malformed, reasonless or unknown entry is an error", () => {
    const files = [...new Set(readIndex(INDEX).map((e) => e.file))];
    const { entries, errors } = readNotReproduced(
      [
        {
          path: "the-list",
          text: [
            "# heading",
            "- spec/services/api/schools/query_spec.rb:5 — an internal query object with no HTTP effect",
            "- spec/services/api/statements/query_spec.rb:6-8,10 - counts SQL queries, a RECT performance check",
            "- spec/services/api/statements/query_spec.rb:7 — short",
            "- spec/services/api/unknown_spec.rb:1 — a reason that is long enough",
            "- spec/services/api/schools/query_spec.rb — no lines but a long reason",
          ].join("\n"),
        },
      ],
      files,
    );
    expect(entries.map((e) => [e.file, e.lines, e.source])).toEqual([
      ["spec/services/api/schools/query_spec.rb", [5], "the-list:2"],
      ["spec/services/api/statements/query_spec.rb", [6, 7, 8, 10], "the-list:3"],
    ]);
    expect(errors.map((e) => e.split(":").slice(0, 2).join(":"))).toEqual(["the-list:4", "the-list:5", "the-list:6"]);
  });

  test("when the repository's own lists are read, then every entry is well formed and names an example of the index", () => {
    const { summary, errors } = coverage();
    expect(errors).toEqual([]);
    expect(summary.covered + summary.not_reproduced + summary.remaining).toBe(summary.api_examples);
  });
});
