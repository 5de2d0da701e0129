import type { Migration, MigrationProvider } from "kysely/migration";
import * as initial from "./0001_initial";

/** Registered by static import so that a compiled binary carries every migration. */
export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
};

export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
