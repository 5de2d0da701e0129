import {
  type Kysely,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import type { Database } from "./schema";

/**
 * Counts the writes this process sends through Kysely. Anything that is not a
 * plain SELECT counts (inserts, updates, deletes, DDL, raw SQL other than a
 * read), before it runs and again when it returns, so a reader that looked
 * at the counter while a write was under way never sees its own number again.
 * Together with SQLite's `data_version` (writes by other processes, e.g.
 * `reset` on a running server's file) it tells when a cached answer is stale.
 */
export class WriteCounter implements KyselyPlugin {
  private count = 0;

  get value(): number {
    return this.count;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (isWrite(args.node)) this.count++;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    // a write's result: count again (cheap, and safe for reads as well)
    if (args.result.numAffectedRows !== undefined || args.result.insertId !== undefined) this.count++;
    return args.result;
  }
}

function isWrite(node: RootOperationNode): boolean {
  if (node.kind === "SelectQueryNode") return false;
  if (node.kind === "RawNode") {
    const text = (node as unknown as { sqlFragments: readonly string[] }).sqlFragments.join("").trimStart().toLowerCase();
    return !(text.startsWith("select") || text.startsWith("pragma data_version") || text.startsWith("explain"));
  }
  return true;
}

/** SQLite's `data_version` through Kysely (for a database given without its raw handle's `dataVersion`). */
export async function queryDataVersion(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
  return rows[0]?.data_version ?? 0;
}
