import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface SnapshotInfo {
  name: string;
  created_at: string;
  size_bytes: number;
}

/** Where snapshots live: files beside the database, or memory for DATABASE_PATH=:memory:. */
export interface SnapshotStore {
  /** newest first */
  list(): SnapshotInfo[];
  has(name: string): boolean;
  /** changes whenever the snapshot of that name is written again; null when there is none */
  identity(name: string): string | null;
  /** `write(path)` fills a new file (which must not exist yet); it then replaces any snapshot of that name in one step */
  save<T>(name: string, write: (path: string) => Promise<T>): Promise<{ info: SnapshotInfo; replaced: boolean; written: T }>;
  /** a file holding the snapshot while `use` runs */
  withFile<T>(name: string, use: (path: string) => Promise<T>): Promise<T>;
  delete(name: string): boolean;
}

const SUFFIX = ".sqlite";
const tempName = () => `.tmp-${randomBytes(6).toString("hex")}`;
const newestFirst = (a: SnapshotInfo, b: SnapshotInfo) => b.created_at.localeCompare(a.created_at) || a.name.localeCompare(b.name);

/** `<database>.snapshots/NAME.sqlite`; they survive a restart. */
export class FileSnapshotStore implements SnapshotStore {
  constructor(readonly dir: string) {}

  static besideDatabase(databasePath: string): FileSnapshotStore {
    return new FileSnapshotStore(`${databasePath}.snapshots`);
  }

  private path(name: string) {
    return join(this.dir, name + SUFFIX);
  }

  private info(name: string): SnapshotInfo | null {
    try {
      const stat = statSync(this.path(name));
      return { name, created_at: stat.mtime.toISOString(), size_bytes: stat.size };
    } catch {
      return null;
    }
  }

  list(): SnapshotInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX) && !f.startsWith(".tmp-"))
      .map((f) => this.info(f.slice(0, -SUFFIX.length)))
      .filter((i): i is SnapshotInfo => i !== null)
      .sort(newestFirst);
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  identity(name: string): string | null {
    try {
      const stat = statSync(this.path(name));
      return `${name}@${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return null;
    }
  }

  async save<T>(name: string, write: (path: string) => Promise<T>) {
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, tempName());
    try {
      const written = await write(temp);
      const replaced = this.has(name);
      renameSync(temp, this.path(name)); // atomic: a reader sees the old file or the new one
      return { info: this.info(name)!, replaced, written };
    } finally {
      rmSync(temp, { force: true });
    }
  }

  async withFile<T>(name: string, use: (path: string) => Promise<T>): Promise<T> {
    return use(this.path(name));
  }

  delete(name: string): boolean {
    if (!this.has(name)) return false;
    rmSync(this.path(name));
    return true;
  }
}

/** For DATABASE_PATH=:memory:: the bytes of each snapshot file, gone with the process. */
export class MemorySnapshotStore implements SnapshotStore {
  private snapshots = new Map<string, { bytes: Uint8Array; createdAt: string; serial: number }>();
  private serial = 0;

  list(): SnapshotInfo[] {
    return [...this.snapshots].map(([name, s]) => ({ name, created_at: s.createdAt, size_bytes: s.bytes.byteLength })).sort(newestFirst);
  }

  has(name: string): boolean {
    return this.snapshots.has(name);
  }

  identity(name: string): string | null {
    const snapshot = this.snapshots.get(name);
    return snapshot ? `${name}#${snapshot.serial}` : null;
  }

  async save<T>(name: string, write: (path: string) => Promise<T>) {
    const temp = join(tmpdir(), `sandbox-snapshot${tempName()}${SUFFIX}`);
    try {
      const written = await write(temp);
      const replaced = this.snapshots.has(name);
      const snapshot = { bytes: new Uint8Array(readFileSync(temp)), createdAt: new Date().toISOString(), serial: ++this.serial };
      this.snapshots.set(name, snapshot);
      return { info: { name, created_at: snapshot.createdAt, size_bytes: snapshot.bytes.byteLength }, replaced, written };
    } finally {
      rmSync(temp, { force: true });
    }
  }

  async withFile<T>(name: string, use: (path: string) => Promise<T>): Promise<T> {
    const snapshot = this.snapshots.get(name)!;
    const temp = join(tmpdir(), `sandbox-snapshot${tempName()}${SUFFIX}`);
    writeFileSync(temp, snapshot.bytes);
    try {
      return await use(temp);
    } finally {
      rmSync(temp, { force: true });
    }
  }

  delete(name: string): boolean {
    return this.snapshots.delete(name);
  }
}

/**
 * Which snapshot the database last equalled (after a save or a restore), and
 * SQLite's data_version then: restoring that same snapshot again needs to
 * write back only the rows changed since (see `restoreDatabaseFrom`).
 */
export class SnapshotBase {
  identity: string | null = null;
  dataVersion = 0;

  set(identity: string | null, dataVersion: number): void {
    this.identity = identity;
    this.dataVersion = dataVersion;
  }

  /** the data_version to compare with, when the database last equalled this snapshot */
  trackedSince(identity: string | null): number | null {
    return identity !== null && identity === this.identity ? this.dataVersion : null;
  }
}
