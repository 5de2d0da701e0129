import { readFileSync } from "node:fs";
import { Clock } from "../clock";
import { ApiError } from "../errors";
import { prepareDatabase } from "../bootstrap";
import { applyScenarioDocument, listShipped, scenarioByNameOrFile } from "../modules/scenarios/service";
import { CliError, PROGRAM, configOrExit, parseCommand, usageError, withDatabase } from "./common";

export const SCENARIO_HELP = `Usage: ${PROGRAM} scenario apply FILE
       ${PROGRAM} scenario apply NAME
       ${PROGRAM} scenario list

apply: builds a world from a scenario document (a JSON FILE, or the NAME of a
shipped scenario, e.g. every-state) in the database at DATABASE_PATH, all or
nothing, and prints the refs map as JSON ({"REF": {ids…}}), as
POST /admin/scenarios answers it. A refused item prints its place and the rule's
words (exit 1), and nothing is written. The document's "clock" is not kept:
the admin clock lives in a running server (PUT /admin/clock, or SCENARIO=FILE
at start).

list: the shipped scenarios, with a description each.

Options:
  -h, --help     this text
  -v, --version  the version`;

export async function scenario(args: string[]): Promise<void> {
  const { positionals, answered } = parseCommand("scenario", args, {}, SCENARIO_HELP, true);
  if (answered) return;
  const [action, arg, ...extra] = positionals;
  if (action !== "apply" && action !== "list") {
    throw usageError(action === undefined ? "scenario: say what to do: apply or list (see --help)" : `scenario: unknown action "${action}" (apply or list)`);
  }
  if (action === "list") {
    if (arg !== undefined) throw usageError(`scenario list: unexpected argument "${arg}"`);
    for (const s of listShipped().data) console.log(`${s.name.padEnd(20)} ${s.description}`);
    return;
  }
  if (arg === undefined) throw usageError("scenario apply: give a FILE or the NAME of a shipped scenario");
  if (extra.length) throw usageError(`scenario apply: unexpected argument "${extra[0]}"`);
  let document: unknown;
  try {
    document = scenarioByNameOrFile(arg, (path) => readFileSync(path, "utf8"));
  } catch (error) {
    throw usageError(`scenario apply: ${arg} is neither a shipped scenario nor a readable JSON file (${(error as Error).message})`);
  }
  const config = configOrExit();
  await withDatabase("scenario", config, async ({ db }) => {
    await prepareDatabase(db, { seed: "none", adminToken: config.adminToken });
    try {
      const { refs } = await applyScenarioDocument(db, new Clock(), document);
      console.log(JSON.stringify(refs, null, 2));
    } catch (error) {
      if (error instanceof ApiError) {
        const first = (error.body as { errors?: { title: string; detail: string }[] } | null)?.errors?.[0];
        throw new CliError(`scenario apply: ${first ? `${first.title}: ${first.detail}` : "refused"}; nothing was written`);
      }
      throw error;
    }
  });
}
