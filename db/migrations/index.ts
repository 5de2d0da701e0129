import type { Migration, MigrationProvider } from "kysely/migration";
import * as initial from "./0001_initial";
import * as listSortKeys from "./0002_list_sort_keys";
import * as participantDocuments from "./0003_participant_documents";
import * as profileScheduleAndFrozenMove from "./0004_profile_schedule_and_frozen_move";
import * as rectWorld from "./0005_rect_world";
import * as derivedObjects from "./0006_derived_objects";
import * as rectParticipantDocuments from "./0007_rect_participant_documents";

/** Registered by static import so that a compiled binary carries every migration. */
export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_list_sort_keys": listSortKeys,
  "0003_participant_documents": participantDocuments,
  "0004_profile_schedule_and_frozen_move": profileScheduleAndFrozenMove,
  "0005_rect_world": rectWorld,
  "0006_derived_objects": derivedObjects,
  "0007_rect_participant_documents": rectParticipantDocuments,
};

export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
