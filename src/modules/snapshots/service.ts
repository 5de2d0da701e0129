import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, openDatabase } from "../../../db/connection";
import { rebuildDerivedIn } from "../../../db/derived";
import { DERIVED_OBJECTS, migrateAndDerive } from "../../derived-objects";
import { migrations } from "../../../db/migrations";
import type { AppContext } from "../../context";
import { ApiError } from "../../errors";
import { toTimestamp } from "../../lib/time";
import { type RestoreOutcome, copyDatabaseInto, restoreDatabaseFrom } from "./queries";
import type { SnapshotBase, SnapshotInfo, SnapshotStore } from "./store";

export const SNAPSHOT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** A snapshot's name is also its file name: letters, digits, `_`, `.` and `-` only. */
export function checkName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw ApiError.unprocessable("name", "must be 1 to 64 characters, each a letter, a digit, '_', '.' or '-'");
  }
}

export function unknownSnapshot(name: string): ApiError {
  return ApiError.errors(404, [{ title: "Not found", detail: `There is no snapshot named '${name}'` }]);
}

export async function saveSnapshot(db: Db, store: SnapshotStore, name: string, base?: SnapshotBase): Promise<{ info: SnapshotInfo; replaced: boolean }> {
  checkName(name);
  const { info, replaced, written } = await store.save(name, (path) => copyDatabaseInto(db, path));
  base?.set(store.identity(name), written.dataVersion);
  return { info, replaced };
}

export function listSnapshots(store: SnapshotStore): SnapshotInfo[] {
  return store.list();
}

export function deleteSnapshot(store: SnapshotStore, name: string): { name: string; deleted: true } {
  checkName(name);
  if (!store.delete(name)) throw unknownSnapshot(name);
  return { name, deleted: true };
}

/**
 * Puts the snapshot's state into `db`. A snapshot from a newer sandbox
 * (a migration this one does not know) is refused; one from an older sandbox
 * is brought up to date on a copy first.
 */
/** A snapshot saved by another build holds derived rows rendered by its code: rendered again by this one's, in the restore's transaction. */
const rederive = async (trx: Db) => (await rebuildDerivedIn(trx, DERIVED_OBJECTS)).length > 0;

export async function restoreSnapshot(db: Db, store: SnapshotStore, name: string, base?: SnapshotBase): Promise<RestoreOutcome> {
  checkName(name);
  if (!store.has(name)) throw unknownSnapshot(name);
  const known = Object.keys(migrations).sort();
  const identity = store.identity(name);
  return store.withFile(name, async (path) => {
    let outcome = await restoreDatabaseFrom(db, path, known, base?.trackedSince(identity) ?? null, rederive).catch((error: unknown) => {
      // a damaged or foreign file: nothing was changed (the transaction rolled back), and the caller is told why
      throw ApiError.unprocessable("name", `snapshot '${name}' cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (outcome.status === "older") {
      const dir = mkdtempSync(join(tmpdir(), "sandbox-snapshot-"));
      try {
        const copy = join(dir, "snapshot.sqlite");
        copyFileSync(path, copy);
        const old = openDatabase(copy);
        try {
          await migrateAndDerive(old.db);
        } finally {
          await old.close();
        }
        outcome = await restoreDatabaseFrom(db, copy, known, null, rederive);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (outcome.status === "newer") {
      throw ApiError.unprocessable(
        "name",
        `snapshot '${name}' was saved by a newer version of the sandbox (its database has migration ${outcome.unknown.join(", ")}, which this version does not know); restore it with that version or newer`,
      );
    }
    if (outcome.status === "not-a-snapshot") throw ApiError.unprocessable("name", `'${name}' is not a sandbox database`);
    if (outcome.status !== "restored") throw new Error(`restore of '${name}' left the database at an unexpected schema`);
    // derived rows re-rendered: the database no longer equals the file, so the next restore compares every row
    base?.set(outcome.rederived ? null : identity, outcome.dataVersion);
    return outcome;
  });
}

/**
 * The HTTP restore: alone (no request in flight: those finish on the old
 * state, and those that arrive wait and see the new one), then every
 * in-memory view of the data is forgotten. Admin tokens and the clock stay.
 */
export async function restoreInApp(ctx: AppContext, store: SnapshotStore, request: Request, name: string): Promise<{ name: string; restored_at: string }> {
  checkName(name);
  if (!store.has(name)) throw unknownSnapshot(name);
  return ctx.gate.exclusive(ctx.requests.of(request), async () => {
    try {
      await restoreSnapshot(ctx.db, store, name, ctx.snapshotBase);
    } finally {
      forgetDataViews(ctx);
    }
    return { name, restored_at: toTimestamp(ctx.clock.now()) };
  });
}

/** The response cache, the token owners, the last-use marks and the list's remembered page ends. */
export function forgetDataViews(ctx: AppContext): void {
  ctx.cache?.reset();
  ctx.tokenOwners?.reset();
  ctx.lastUsed.reset();
  ctx.v3Callers?.reset();
  ctx.v3LastUsed.reset();
  ctx.pageEnds.clear();
}
