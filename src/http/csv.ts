/**
 * CSV as the live service writes it (docs/reference/business-rules.md §4.5), for both exports:
 * the cells, and a stream that reads the rows batch by batch.
 */
import { toTimestamp } from "../lib/time";

export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * One CSV cell as the live CSV writer emits it after `to_s`:
 * null/undefined (and the empty string) → `""` (quoted empty);
 * booleans → `true`/`false`; numbers → their decimal text; a `Date` → RFC 3339
 * with whole seconds and `Z`; other strings quoted only when they contain a
 * comma, a double quote, CR or LF, with quotes doubled.
 */
export function csvCell(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else if (typeof value === "number") text = String(value);
  else if (value instanceof Date) text = toTimestamp(value);
  else text = value;
  if (text === "" || /[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** One CSV line, **including** its terminating `\n`. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",") + "\n";
}

/** A whole CSV body: header then rows; **no rows → the empty string** (no header) (§4.5). */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  if (rows.length === 0) return "";
  return csvRow(header) + rows.map(csvRow).join("");
}

/** Rows per query: a few milliseconds of work, the longest an export holds the event loop at a time. */
export const CSV_BATCH_ROWS = 500;

/**
 * Exports take turns on the event loop: one batch of one export per turn of
 * the loop, with I/O (other requests) polled in between. Without it, ten
 * concurrent 10,000-row exports held the loop until they were all done, and
 * a one-row GET waited ~450 ms. One per app (its context), shared by its exports.
 */
export class LoopShare {
  private waiting: Array<() => void> = [];
  private scheduled = false;

  /** resolves on a later turn of the event loop, in arrival order */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}

export interface CsvStreamOptions {
  batchSize?: number;
  /** awaited before every batch but the first (see LoopShare) */
  turn?: () => Promise<void>;
  /** told when a batch fails half way, to log it */
  failed?: (error: unknown, rowsSent: number) => void;
}

/**
 * The CSV body streamed from the database: each pull asks `nextBatch` for up
 * to `batchSize` rows (the caller keeps its own cursor), so memory stays flat
 * however many rows there are and no query holds the database while a slow
 * client reads. The header goes with the first rows; no rows at all is an
 * empty body with no header (§4.5).
 */
export function csvStream<R>(
  header: readonly string[],
  nextBatch: (limit: number) => Promise<R[]>,
  line: (row: R) => string,
  options: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return csvBytesStream(
    encoder.encode(csvRow(header)),
    async (limit) => {
      const rows = await nextBatch(limit);
      let text = "";
      for (const row of rows) text += line(row);
      return { bytes: encoder.encode(text), count: rows.length };
    },
    options,
  );
}

/**
 * The same stream over batches that come as bytes already (the participants'
 * stored CSV lines): `nextBatch` answers up to `limit` lines and their count.
 * Between batches it waits for its `turn`, so that other requests are
 * answered while exports run. When a batch fails half way, `failed` is told
 * and the stream errors, so the client sees a broken transfer, never a short
 * CSV that looks whole.
 */
export function csvBytesStream(
  header: Uint8Array,
  nextBatch: (limit: number) => Promise<{ bytes: Uint8Array; count: number }>,
  options: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const { batchSize = CSV_BATCH_ROWS, turn = () => Promise.resolve(), failed } = options;
  let started = false;
  let done = false;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      let batch: { bytes: Uint8Array; count: number };
      try {
        if (started) await turn();
        batch = await nextBatch(batchSize);
      } catch (error) {
        done = true;
        failed?.(error, sent);
        // no reason: Bun prints an Error reason to stderr with its source (minified, in the binary); the line above says it all
        controller.error(undefined);
        return;
      }
      // the header goes out in one chunk with the first rows
      if (batch.count > 0) controller.enqueue(started ? batch.bytes : Buffer.concat([header, batch.bytes]));
      started = true;
      sent += batch.count;
      if (batch.count < batchSize) {
        done = true;
        controller.close();
      }
    },
  });
}

/** An export's turns (the app's LoopShare) and its failure log line (`logError`, the app's error log for this request). */
export function exportOptions(share: LoopShare, logError: (fields: Record<string, unknown>) => void): CsvStreamOptions {
  return {
    turn: () => share.turn(),
    failed: (error, rowsSent) =>
      logError({
        status: 200,
        outcome: "failed",
        message: `CSV export failed after ${rowsSent} rows; the client gets a broken transfer`,
        error: describeError(error),
      }),
  };
}

/** An error in one line: SQLite's code when it has one, and the first line of the message (no stack). */
export function describeError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

export function csvResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { status: 200, headers: { "content-type": "text/csv" } });
}
