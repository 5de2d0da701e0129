import { prepareDatabase } from "../bootstrap";
import { DEMO_PROVIDERS, demoProviderLines, leadProviderCount, listDemoProviders, seedDemoData, wipeToReferenceData } from "../modules/seed/demo";
import { SUPPORTED_COHORTS } from "../../db/reference-data";
import { CliError, PROGRAM, configOrExit, parseCommand, wholeNumber, withDatabase } from "./common";
import { progress } from "./progress";

export const MAX_PARTICIPANTS = 10_000;

export const SEED_HELP = `Usage: ${PROGRAM} seed [--participants N] [--force]

Fills the database at DATABASE_PATH with demo data: ${DEMO_PROVIDERS.length} lead providers with
their schools, partnerships and participants in every cohort (${SUPPORTED_COHORTS[0]}-${SUPPORTED_COHORTS.at(-1)}).
Creates and migrates the database if needed, and prints the demo tokens
(the same on every seed: they are derived from the providers' names).

A database that already has lead providers is refused (exit code 1), so that
no provider's data is lost by accident.

Options:
  --participants N  participants per provider per cohort (default 50, up to ${MAX_PARTICIPANTS})
  --force           wipe the database first: every lead provider, token,
                    participant and declaration goes; reference data and
                    admin tokens are kept
  -h, --help        this text
  -v, --version     the version`;

export async function seed(args: string[]): Promise<void> {
  const { values, answered } = parseCommand("seed", args, { participants: { type: "string" }, force: { type: "boolean" } }, SEED_HELP);
  if (answered) return;
  const perCohort = wholeNumber("seed", "participants", values.participants as string | undefined, 50, 0, MAX_PARTICIPANTS);
  const config = configOrExit();
  await withDatabase("seed", config, async ({ db }) => {
    const prepared = await prepareDatabase(db, { seed: "none", adminToken: config.adminToken });
    const providers = await leadProviderCount(db);
    if (providers > 0) {
      if (!values.force) {
        throw new CliError(
          `seed: ${config.databasePath} already has ${providers} lead provider(s); use 'seed --force' to wipe it first (admin tokens are kept), or 'reset'`,
        );
      }
      await wipeToReferenceData(db);
      console.error(`Wiped ${config.databasePath} (reference data and admin tokens kept)`);
    }
    const bar = progress("Seeding demo data");
    const started = performance.now();
    await seedDemoData(db, { participantsPerCohort: perCohort, onProgress: (done, total) => bar.update(done, total) });
    bar.finish();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Seeded ${config.databasePath}: ${DEMO_PROVIDERS.length} lead providers x ${SUPPORTED_COHORTS.length} cohorts x ${perCohort} participants in ${seconds} s`,
    );
    if (prepared.generatedAdminToken) console.log(`Admin token (shown once, stored hashed): ${prepared.generatedAdminToken}`);
    printDemoProviders(await listDemoProviders(db));
  });
}

export function printDemoProviders(providers: { name: string; token: string }[]): void {
  for (const line of demoProviderLines(providers)) console.log(line);
}
