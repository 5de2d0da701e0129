import { createHash, randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

/** A UUID (version 5 layout) derived from the parts, so seeded and reference rows get the same ids every time. */
export function stableUuid(...parts: Array<string | number>): string {
  const bytes = createHash("sha1").update(parts.join("\u0000")).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id as Rails casts a value for a PostgreSQL `uuid` column in a hash
 * condition or `find` (activerecord 7.1 `OID::Uuid`): either case, optional
 * braces, a hyphen allowed after any group of four digits (a trailing one
 * too), turned into the canonical lower-case 8-4-4-4-12 form. Anything else
 * casts to NULL, which matches nothing: `null` here. (PostgreSQL's own
 * `uuid_in`, used where live writes string SQL, is `normaliseUuid` in
 * src/http/list-params.ts: the same forms but no trailing hyphen, and an error.)
 */
export function castUuid(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const raw = String(value);
  if (!/^(?:\{(?:[0-9a-fA-F]{4}-?){8}\}|(?:[0-9a-fA-F]{4}-?){8})$/.test(raw)) return null;
  if (/^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(raw)) return raw;
  const hex = raw.replace(/[{}-]/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
