import { prepareDatabase } from "../bootstrap";
import { DEMO_PROVIDERS, wipeToReferenceData } from "../modules/seed/demo";
import { PROGRAM, configOrExit, parseCommand, wholeNumber, withDatabase } from "./common";
import { progress } from "./progress";
import { MAX_PARTICIPANTS, printDemoProviders } from "./seed";

export const RESET_HELP = `Usage: ${PROGRAM} reset [--participants N]

Puts the database at DATABASE_PATH back to how a first start leaves it:
every lead provider, token, school, participant and declaration is deleted,
reference data is reloaded, and the demo data is seeded again unless SEED=none
(the demo tokens stay the same). Admin tokens are kept, and ADMIN_TOKEN, when
set, replaces them as on a start. Safe while a server runs on the same file.

Options:
  --participants N  demo participants per provider per cohort (default 50, up to ${MAX_PARTICIPANTS})
  -h, --help        this text
  -v, --version     the version`;

export async function reset(args: string[]): Promise<void> {
  const { values, answered } = parseCommand("reset", args, { participants: { type: "string" } }, RESET_HELP);
  if (answered) return;
  const perCohort = wholeNumber("reset", "participants", values.participants as string | undefined, 50, 0, MAX_PARTICIPANTS);
  const config = configOrExit();
  await withDatabase("reset", config, async ({ db }) => {
    await wipeToReferenceData(db);
    const bar = progress("Seeding demo data");
    const prepared = await prepareDatabase(db, {
      seed: config.seed,
      adminToken: config.adminToken,
      participantsPerCohort: perCohort,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.finish();
    console.log(
      `Reset ${config.databasePath}: reference data loaded, ` +
        (prepared.seededNow ? `demo data seeded (${DEMO_PROVIDERS.length} lead providers, ${perCohort} participants per provider per cohort)` : "no demo data (SEED=none)"),
    );
    if (prepared.generatedAdminToken) console.log(`Admin token (shown once, stored hashed): ${prepared.generatedAdminToken}`);
    printDemoProviders(prepared.demoProviders);
  });
}
