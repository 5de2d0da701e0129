import { describe, expect, test } from "bun:test";
import { findSchedule, schedules, statements } from "../../db/reference-data";

const IDENTIFIERS = ["standard", "reduced", "extended", "replacement"].flatMap((kind) =>
  ["september", "january", "april"].map((month) => `ecf-${kind}-${month}`),
);

describe("schedule and milestone data (docs/reference/business-rules.md §7)", () => {
  test("when loaded, then there are 12 identifiers × 5 cohorts", () => {
    expect(schedules).toHaveLength(60);
    for (const cohort of [2021, 2022, 2023, 2024, 2025]) {
      for (const id of IDENTIFIERS) expect(findSchedule(id, cohort)).toBeDefined();
    }
  });

  test("when 2021 ecf-standard-january is read, then it has no completed milestone", () => {
    const types = findSchedule("ecf-standard-january", 2021)!.milestones.map((m) => m.declarationType);
    expect(types).toEqual(["started", "retained-1", "retained-2", "retained-3", "retained-4"]);
  });

  test("when non-standard schedules are read, then every milestone has the cohort's start date and no milestone date", () => {
    const starts: Record<number, Record<string, string>> = {
      2021: { september: "2021-09-01", january: "2022-01-01", april: "2022-04-01" },
      2022: { september: "2022-09-01", january: "2023-01-01", april: "2023-04-01" },
      2025: { september: "2025-09-01", january: "2026-01-01", april: "2026-04-01" },
    };
    for (const [cohort, byMonth] of Object.entries(starts)) {
      for (const kind of ["reduced", "extended", "replacement"]) {
        for (const [month, start] of Object.entries(byMonth)) {
          const s = findSchedule(`ecf-${kind}-${month}`, Number(cohort))!;
          expect(s.milestones.every((m) => m.milestoneDate === null && m.startDate === start)).toBe(true);
          expect(s.milestones).toHaveLength(kind === "extended" ? 9 : 6);
        }
      }
    }
  });

  test("when standard schedules are spot-checked, then they match the §7.1 tables", () => {
    const window = (id: string, cohort: number, type: string) => {
      const m = findSchedule(id, cohort)!.milestones.find((x) => x.declarationType === type)!;
      return `${m.startDate} → ${m.milestoneDate}`;
    };
    expect(window("ecf-standard-september", 2021, "started")).toBe("2021-09-01 → 2021-11-30");
    expect(window("ecf-standard-april", 2021, "completed")).toBe("2024-01-01 → 2024-03-31");
    expect(window("ecf-standard-september", 2022, "started")).toBe("2022-06-01 → 2022-12-31");
    expect(window("ecf-standard-january", 2023, "retained-2")).toBe("2024-08-01 → 2024-12-31");
    expect(window("ecf-standard-april", 2024, "retained-4")).toBe("2026-08-01 → 2026-12-31");
    expect(window("ecf-standard-september", 2025, "completed")).toBe("2027-04-01 → 2027-07-31");
  });

  test("when output-fee statements are read, then the last deadlines per cohort are as §5.1 step 8", () => {
    const last: Record<number, string> = {};
    for (const s of statements) if (s.outputFee && (!last[s.cohort] || s.deadlineDate > last[s.cohort]!)) last[s.cohort] = s.deadlineDate;
    expect(last).toEqual({ 2021: "2024-07-31", 2022: "2025-07-31", 2023: "2026-12-31", 2024: "2027-12-31", 2025: "2028-12-31" });
  });
});

import { openDatabase as openForMilestones } from "../../db/connection";
import { prepareDatabase as prepareForMilestones } from "../../src/bootstrap";
import { scheduleMilestones } from "../../src/modules/declarations/queries";

describe("milestones in memory and in the database", () => {
  test("when every schedule's milestones are read from memory, then they equal the milestones table", async () => {
    const { db, close } = openForMilestones(":memory:");
    await prepareForMilestones(db, { seed: "none", adminToken: "milestone-admin" });
    const rows = await db.selectFrom("milestones").select(["schedule_id", "declaration_type", "start_date", "milestone_date"]).execute();
    for (const s of schedules) {
      const fromDb = rows
        .filter((r) => r.schedule_id === s.id)
        .map((r) => ({ declarationType: r.declaration_type, startDate: r.start_date, milestoneDate: r.milestone_date }))
        .sort((a, b) => a.declarationType.localeCompare(b.declarationType));
      const fromMemory = [...(await scheduleMilestones(db, s.id))].sort((a, b) => a.declarationType.localeCompare(b.declarationType));
      expect(fromMemory).toEqual(fromDb);
    }
    await close();
  });
});
