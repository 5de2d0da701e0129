import { type Kysely, type Transaction, sql } from "kysely";
import type { Database } from "./schema";

type Job = (trx: Transaction<Database>) => Promise<unknown>;

interface Pending {
  job: Job;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: write jobs that arrive while a transaction is committing wait
 * and then run together in the next transaction, each inside its own
 * savepoint (a job that throws is rolled back alone and gets its error). The
 * commit, and its fsync under synchronous=FULL, is then paid once per batch
 * instead of once per request; every job's promise settles only after the
 * commit, so nothing is answered before it is on disk. Jobs run one after
 * another, so each sees the writes of the ones before it.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private draining = false;
  /** transactions committed so far (for tests and the bench) */
  commits = 0;

  constructor(
    private readonly db: Kysely<Database>,
    readonly maxBatch = 64,
  ) {}

  run<T>(job: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        // start on the next turn of the event loop (setImmediate, not a timer: a lone
        // write, a provider's suite sending one request at a time, waits for nothing),
        // so that requests read in this turn (SQLite work is synchronous) join the same
        // transaction; jobs queued while a batch runs go into the next one (drain's loop)
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            for (const item of batch) {
              await sql`savepoint group_commit_job`.execute(trx);
              try {
                const value = await item.job(trx);
                await sql`release savepoint group_commit_job`.execute(trx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                try {
                  await sql`rollback to savepoint group_commit_job`.execute(trx);
                  await sql`release savepoint group_commit_job`.execute(trx);
                } catch {
                  // SQLite already rolled the whole transaction back (disk full, I/O error):
                  // the batch fails with the job's error, the real one, not "no such savepoint"
                  throw error;
                }
                outcomes.push({ ok: false, error });
              }
            }
          });
          this.commits++;
        } catch (error) {
          // the commit itself failed: nothing of this batch is written
          for (const item of batch) item.reject(error);
          continue;
        }
        batch.forEach((item, i) => {
          const outcome = outcomes[i]!;
          if (outcome.ok) item.resolve(outcome.value);
          else item.reject(outcome.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }
}
