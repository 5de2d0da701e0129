import { describe, expect, test } from "bun:test";
import { readCitations, readIndex } from "../scripts/spec-coverage";

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
});
