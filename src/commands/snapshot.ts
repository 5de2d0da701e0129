import { migrateAndDerive } from "../derived-objects";
import { ApiError } from "../errors";
import { FileSnapshotStore } from "../modules/snapshots/store";
import { deleteSnapshot, listSnapshots, restoreSnapshot, saveSnapshot } from "../modules/snapshots/service";
import { CliError, PROGRAM, configOrExit, parseCommand, usageError, withDatabase } from "./common";

export const SNAPSHOT_HELP = `Usage: ${PROGRAM} snapshot save NAME
       ${PROGRAM} snapshot restore NAME
       ${PROGRAM} snapshot list
       ${PROGRAM} snapshot delete NAME

Saves the whole state of the database at DATABASE_PATH under a name, and puts
it back: lead providers and their tokens, schools, participants, training
records, history, declarations, statements. Admin tokens are not restored (the
ones of now are kept). Snapshots are files beside the database
(DATABASE_PATH.snapshots/NAME.sqlite) and survive restarts; the admin API has
the same calls (PUT /admin/snapshots/NAME, POST /admin/snapshots/NAME/restore).

A restore here is one transaction, safe while a server runs on the same file;
the server's own restore (the admin API) also holds its requests so that none
sees a mix, so prefer it while serving.

NAME: 1 to 64 letters, digits, '_', '.' or '-'.

Options:
  -h, --help     this text
  -v, --version  the version`;

const ACTIONS = ["save", "restore", "list", "delete"];

export async function snapshot(args: string[]): Promise<void> {
  const { positionals, answered } = parseCommand("snapshot", args, {}, SNAPSHOT_HELP, true);
  if (answered) return;
  const [action, name, ...extra] = positionals;
  if (action === undefined || !ACTIONS.includes(action)) {
    throw usageError(action === undefined ? "snapshot: say what to do: save, restore, list or delete (see --help)" : `snapshot: unknown action "${action}" (save, restore, list or delete)`);
  }
  if (action === "list" ? name !== undefined : name === undefined) {
    throw usageError(action === "list" ? `snapshot list: unexpected argument "${name}"` : `snapshot ${action}: give the snapshot's NAME`);
  }
  if (extra.length) throw usageError(`snapshot ${action}: unexpected argument "${extra[0]}"`);

  const config = configOrExit();
  const store = FileSnapshotStore.besideDatabase(config.databasePath);
  await withDatabase("snapshot", config, async ({ db }) => {
    try {
      if (action === "list") {
        const all = listSnapshots(store);
        if (all.length === 0) console.log(`No snapshots in ${store.dir}`);
        for (const s of all) console.log(`${s.name.padEnd(24)} ${s.created_at}  ${formatSize(s.size_bytes)}`);
        return;
      }
      if (action === "delete") {
        deleteSnapshot(store, name!);
        console.log(`Deleted snapshot ${name}`);
        return;
      }
      await migrateAndDerive(db);
      if (action === "save") {
        const t0 = performance.now();
        const { info, replaced } = await saveSnapshot(db, store, name!);
        console.log(`${replaced ? "Replaced" : "Saved"} snapshot ${info.name} (${formatSize(info.size_bytes)}, ${Math.round(performance.now() - t0)} ms) in ${store.dir}`);
        return;
      }
      const t0 = performance.now();
      await restoreSnapshot(db, store, name!);
      console.log(`Restored snapshot ${name} into ${config.databasePath} (${Math.round(performance.now() - t0)} ms); admin tokens kept`);
    } catch (error) {
      // the service's errors carry the message a person needs
      if (error instanceof ApiError) {
        const detail = (error.body as { errors?: { detail: string }[] })?.errors?.[0]?.detail ?? String(error.status);
        throw error.status === 422 && /^must be/.test(detail) ? usageError(`snapshot ${action}: NAME ${detail}`) : new CliError(`snapshot ${action}: ${detail}`);
      }
      throw error;
    }
  });
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
