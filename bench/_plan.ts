import { openDatabase } from "../db/connection";
import { participantRowsFor, listParticipantRows } from "../src/modules/participants/queries";
const meta = JSON.parse(await Bun.file(".bench/bench.json").text());
const database = openDatabase(".bench/bench.sqlite");
const sqlite = database.sqlite;
const seen: string[] = [];
const orig = sqlite.prepare.bind(sqlite);
(sqlite as any).prepare = (s: string) => { seen.push(s); return orig(s); };
const prov = (sqlite.prepare("select lead_provider_id from training_records where participant_id = ?").pluck().get(meta.participantIds[50000])) as string;
await participantRowsFor(database.db, prov, meta.participantIds[50000], { cohorts: null, updatedSince: null });
await listParticipantRows(database.db, prov, { cohorts: null, updatedSince: "2000-01-01T00:00:00Z" }, 1, 100);
for (const s of seen) {
  if (!s.trim().startsWith("select")) continue;
  console.log("\n" + s.slice(0, 300));
  try { for (const r of orig("explain query plan " + s).all(...new Array((s.match(/\?/g) ?? []).length).fill("x")) as any[]) console.log("  ", r.detail); } catch (e) { console.log("  (plan)", String(e)); }
}
