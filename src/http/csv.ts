/**
 * CSV as the live service writes it (business-rules §4.5), for both exports:
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

export const CSV_BATCH_ROWS = 2000;

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
  batchSize = CSV_BATCH_ROWS,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      const rows = await nextBatch(batchSize);
      if (rows.length > 0) {
        let text = started ? "" : csvRow(header);
        started = true;
        for (const row of rows) text += line(row);
        controller.enqueue(encoder.encode(text));
      }
      if (rows.length < batchSize) {
        done = true;
        controller.close();
      }
    },
  });
}

export function csvResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { status: 200, headers: { "content-type": "text/csv" } });
}
