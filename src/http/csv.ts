import { csvRow, type CsvValue } from "../modules/participants/rules";

export const CSV_BATCH_ROWS = 2000;

/**
 * A `text/csv` answer streamed from the database: each pull runs one batch
 * query, so memory stays flat however many rows there are, and no query holds
 * the database while a slow client reads. An empty result is an empty body
 * with no header (business-rules §4.5).
 */
export async function csvResponse<R>(
  header: readonly string[],
  fetchBatch: (offset: number, limit: number) => Promise<R[]>,
  /** the row's cells, or its whole line (ending in "\n") when a faster writer exists */
  toValues: ((row: R) => readonly CsvValue[]) | { line: (row: R) => string },
): Promise<Response> {
  const line = typeof toValues === "function" ? (row: R) => csvRow(toValues(row)) : toValues.line;
  const first = await fetchBatch(0, CSV_BATCH_ROWS);
  const headers = { "content-type": "text/csv" };
  if (first.length === 0) return new Response("", { status: 200, headers });
  let offset = first.length;
  let pending: R[] | null = first;
  let done = first.length < CSV_BATCH_ROWS;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let rows = pending;
      pending = null;
      if (!rows) {
        if (done) {
          controller.close();
          return;
        }
        rows = await fetchBatch(offset, CSV_BATCH_ROWS);
        offset += rows.length;
        if (rows.length < CSV_BATCH_ROWS) done = true;
      }
      let chunk = rows === first ? csvRow(header) : "";
      for (const row of rows) chunk += line(row);
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (done && rows !== first) controller.close();
      else if (done && rows === first) controller.close();
    },
  });
  return new Response(stream, { status: 200, headers });
}
