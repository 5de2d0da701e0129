import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GroupCommit } from "../../db/group-commit";
import { openDatabase } from "../../db/connection";
import { prepareDatabase } from "../../src/bootstrap";

describe("group commit", () => {
  test("when 50 jobs arrive together and some fail, then the others are committed in fewer transactions and the failures leave nothing", async () => {
    const database = openDatabase(join(mkdtempSync(join(tmpdir(), "gc-")), "db.sqlite"));
    await prepareDatabase(database.db, { seed: "none", adminToken: "group-commit-admin" });
    const group = new GroupCommit(database.db);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        group.run(async (trx) => {
          await trx.insertInto("schools").values({ urn: String(500000 + i), name: `School ${i}` }).execute();
          if (i % 7 === 3) throw new Error(`job ${i} refused`);
          return i;
        }),
      ),
    );
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toEqual([3, 10, 17, 24, 31, 38, 45]);
    expect((results[3] as PromiseRejectedResult).reason.message).toBe("job 3 refused");
    expect((results[4] as PromiseFulfilledResult<number>).value).toBe(4);
    const rows = await database.db.selectFrom("schools").select("urn").where("urn", ">=", "500000").execute();
    expect(rows.map((r) => Number(r.urn) - 500000).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 !== 3),
    );
    expect(group.commits).toBeGreaterThan(0);
    expect(group.commits).toBeLessThan(50);
    await database.close();
  });

  test("when a job reads what an earlier job of the same batch wrote, then it sees it", async () => {
    const database = openDatabase(":memory:");
    await prepareDatabase(database.db, { seed: "none", adminToken: "group-commit-admin" });
    const group = new GroupCommit(database.db);
    const [, count] = await Promise.all([
      group.run((trx) => trx.insertInto("schools").values({ urn: "600001", name: "First" }).execute()),
      group.run(async (trx) => (await trx.selectFrom("schools").select("urn").where("urn", "=", "600001").execute()).length),
    ]);
    expect(count).toBe(1);
    await database.close();
  });
});
