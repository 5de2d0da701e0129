import { type Db, migrateToLatest } from "../db/connection";
import { type DerivedObjects, rebuildDerived } from "../db/derived";
import { PARTICIPANT_DOCUMENTS } from "./modules/participants/service";
import { RECT_PARTICIPANT_DOCUMENTS } from "./modules/v3/participants/service";

/** Every set of derived objects (views, triggers, read-model rows), rebuilt from the code when it changed (db/derived.ts). */
export const DERIVED_OBJECTS: readonly DerivedObjects[] = [PARTICIPANT_DOCUMENTS, RECT_PARTICIPANT_DOCUMENTS];

/** The migrations (schema and data), then the derived objects the code defines; safe on every start. */
export async function migrateAndDerive(db: Db): Promise<string[]> {
  const applied = await migrateToLatest(db);
  await rebuildDerived(db, DERIVED_OBJECTS);
  return applied;
}
