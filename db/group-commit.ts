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
  /** how many jobs the last batch held: more than one means writes are arriving together */
  private lastBatchSize = 0;

  constructor(
    private readonly db: Kysely<Database>,
    readonly maxBatch = 64,
  ) {}

  run<T>(job: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // A lone write (a provider's suite sends one request at a time) starts on the
        // next turn of the event loop and waits for no timer. Under load (the last
        // batch held more than one job), the batch waits 1 ms for the writes whose
        // requests are being read now: each POST needs a few turns to reach here, and
        // one commit, with its fsync, then serves them all.
        if (this.lastBatchSize > 1) setTimeout(() => void this.drain(), 1);
        else setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.lastBatchSize = batch.length;
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
