import { migrateAndDerive } from "../derived-objects";
import { migrations } from "../../db/migrations";
import { PROGRAM, configOrExit, parseCommand, withDatabase } from "./common";

export const MIGRATE_HELP = `Usage: ${PROGRAM} migrate

Creates the database at DATABASE_PATH if needed and applies the migrations it
does not have yet (they are carried in the program; 'serve' applies them too,
on every start). Prints the migrations applied. Does not load or seed data.

Options:
  -h, --help     this text
  -v, --version  the version`;

export async function migrate(args: string[]): Promise<void> {
  if (parseCommand("migrate", args, {}, MIGRATE_HELP).answered) return;
  const config = configOrExit();
  await withDatabase("migrate", config, async ({ db }) => {
    const applied = await migrateAndDerive(db);
    const latest = Object.keys(migrations).sort().at(-1) ?? "none";
    if (applied.length === 0) console.log(`${config.databasePath} is up to date (latest migration: ${latest})`);
    else for (const name of applied) console.log(`applied ${name}`);
  });
}
