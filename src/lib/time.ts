/** RFC 3339 with whole seconds and `Z`, as the live service writes every timestamp. */
export function toTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19) + "Z";
}

/** `2022-1-25` or `2021/05/10` → `2022-01-25`. The reference CSVs do not zero-pad. */
export function normaliseCsvDate(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(trimmed);
  if (!match) throw new Error(`not a date: ${value}`);
  return `${match[1]}-${match[2]!.padStart(2, "0")}-${match[3]!.padStart(2, "0")}`;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function toDateOnly(date: Date): string {
  return date.toISOString().slice(0, 10);
}
