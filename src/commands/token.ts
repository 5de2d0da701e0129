import { migrateToLatest } from "../../db/connection";
import type { Db } from "../../db/connection";
import { leadProviderNames } from "../modules/admin/service";
import { generateToken, storeToken } from "../modules/auth/tokens";
import { CliError, PROGRAM, configOrExit, parseCommand, usageError, withDatabase } from "./common";

export const TOKEN_HELP = `Usage: ${PROGRAM} token create --provider NAME
       ${PROGRAM} token create --admin

Mints a new API token and prints it alone on stdout (stored hashed, so it is
shown only this once). The provider's or admin's other tokens keep working.

Options:
  --provider NAME  a token for this existing lead provider (its name, in any
                   letter case, or its id)
  --admin          a new admin token, e.g. when the generated one was lost
  -h, --help       this text
  -v, --version    the version`;

export async function token(args: string[]): Promise<void> {
  const { values, positionals, answered } = parseCommand(
    "token",
    args,
    { provider: { type: "string" }, admin: { type: "boolean" } },
    TOKEN_HELP,
    true,
  );
  if (answered) return;
  const [action, ...extra] = positionals;
  if (action !== "create") {
    throw usageError(action === undefined ? "token: say what to do: 'token create --provider NAME' or 'token create --admin'" : `token: unknown action "${action}" (only "create")`);
  }
  if (extra.length) throw usageError(`token create: unexpected argument "${extra[0]}" (quote a provider name with spaces)`);
  const provider = values.provider as string | undefined;
  if ((provider === undefined) === !values.admin) throw usageError("token create: give either --provider NAME or --admin");
  if (provider !== undefined && provider.trim() === "") throw usageError("token create: --provider needs a name");

  const config = configOrExit();
  await withDatabase("token", config, async ({ db }) => {
    await migrateToLatest(db);
    const now = new Date();
    if (values.admin) {
      const value = "admin_" + generateToken();
      await storeToken(db, value, "admin", null, now);
      console.log(value);
      return;
    }
    const leadProvider = await findProvider(db, provider!);
    const value = generateToken();
    await storeToken(db, value, "lead_provider", leadProvider.id, now);
    console.log(value);
  });
}

async function findProvider(db: Db, nameOrId: string): Promise<{ id: string; name: string }> {
  const all = await leadProviderNames(db);
  const wanted = nameOrId.trim();
  const match =
    all.find((p) => p.id === wanted || p.name === wanted) ?? all.filter((p) => p.name.toLowerCase() === wanted.toLowerCase())[0];
  if (match) return match;
  const known = all.length === 0 ? "the database has no lead providers (run 'seed' or start the server)" : `known: ${all.map((p) => p.name).join(", ")}`;
  throw new CliError(`token create: no lead provider "${wanted}"; ${known}`);
}
