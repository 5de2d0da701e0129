/**
 * The live service is Rails on PostgreSQL; where its answers depend on how
 * Ruby, Rack, Rails or PostgreSQL read a value, that reading is imitated
 * here, and only here. Pure functions, no HTTP.
 */

/** Ruby's `\s`: ASCII whitespace only. */
const RUBY_SPACE = "[ \\t\\r\\n\\f\\v]";

/** Ruby's `blank?` for a scalar: nil, false, or text that is empty or whitespace only. */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return true;
  return typeof value === "string" && value.trim() === "";
}

/**
 * Ruby `String#to_i`: optional leading whitespace, optional sign, then digits
 * (single underscores allowed between digits); anything else gives 0.
 * `2abc` → 2, `1.9` → 1, `abc` → 0, `""` → 0, `-1` → -1.
 */
export function rubyToI(raw: string): number {
  const m = new RegExp(`^${RUBY_SPACE}*([+-]?)(\\d+(?:_\\d+)*)`).exec(raw);
  if (!m) return 0;
  const n = Number(m[2]!.replace(/_/g, ""));
  return m[1] === "-" ? -n : n;
}

/**
 * A comma-separated list of years as ActiveRecord casts each entry for an
 * integer column (`filter[cohort]`, §4.3). Blank → `null` (no filter). An
 * entry that does not start with (optional spaces and sign and) a digit
 * matches nothing and is dropped; one that does is read like `to_i`
 * (`" 2022"` → 2022, `"2022abc"` → 2022). So `abc` gives `[]` (no rows, no
 * error), and `2021,` gives `[2021]`. Duplicates are removed.
 */
export function parseCohortFilter(raw: string): number[] | null {
  if (raw.trim() === "") return null;
  const years: number[] = [];
  for (const entry of raw.split(",")) {
    if (!new RegExp(`^${RUBY_SPACE}*[+-]?\\d`).test(entry)) continue;
    const year = rubyToI(entry);
    // Out of the integer column's range: live's predicate matches nothing.
    if (!Number.isSafeInteger(year)) continue;
    if (!years.includes(year)) years.push(year);
  }
  return years;
}

// ---------------------------------------------------------------------------
// Ruby's Time.iso8601 (time.rb `xmlschema`)
// ---------------------------------------------------------------------------

// Ruby: /\A\s*(-?\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d(?::?\d\d)?)?\s*\z/i
// The year is narrowed to four digits (YYYY).
const ISO8601_RE = new RegExp(
  `^${RUBY_SPACE}*(\\d{4})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d+))?(Z|[+-]\\d\\d(?::?\\d\\d)?)?${RUBY_SPACE}*$`,
  "i",
);

/** Ruby's `Time.iso8601(raw)`, or null where it raises. */
export function rubyTimeIso8601(raw: string): Date | null {
  const m = ISO8601_RE.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Ruby's Time.utc range checks. Days 29–31 of a short month roll into the
  // next month (`2021-02-30` → 2 March), and second 60 into the next minute.
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24) return null;
  if (minute > (hour === 24 ? 0 : 59) || second > (hour === 24 ? 0 : 60)) return null;
  // Sub-millisecond digits are truncated (JS dates hold milliseconds).
  const millis = m[7] ? Number((m[7] + "00").slice(0, 3)) : 0;
  let offsetSeconds = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    offsetSeconds = (zone[0] === "-" ? -1 : 1) * (Number(digits.slice(0, 2)) * 3600 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0) * 60);
    // Ruby: "utc_offset out of range" unless -86400 < offset < 86400.
    if (Math.abs(offsetSeconds) >= 86400) return null;
  }
  // No zone: Ruby uses server-local time, which is UTC on the live service.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 19xx
  date.setUTCHours(hour, minute, second, millis);
  const time = date.getTime() - offsetSeconds * 1000;
  return Number.isFinite(time) ? new Date(time) : null;
}

/**
 * `filter[updated_since]` as live parses it (§4.3): `Time.iso8601`, and on
 * failure once more after Ruby's `URI.decode_www_form_component` (`+` →
 * space, `%XX` → byte, a stray `%` fails), so a double-encoded value works
 * and a `+` that arrived as a space fails. `null`: not a date-time. Blank
 * values are the caller's business (live skips the filter before parsing).
 */
export function parseUpdatedSince(raw: string): Date | null {
  const first = rubyTimeIso8601(raw);
  if (first || /%(?![0-9a-fA-F]{2})/.test(raw)) return first;
  try {
    return rubyTimeIso8601(decodeURIComponent(raw.replace(/\+/g, " ")));
  } catch {
    return null; // bytes that are not UTF-8 could never parse as a date anyway
  }
}

// ---------------------------------------------------------------------------
// PostgreSQL's uuid input
// ---------------------------------------------------------------------------

/**
 * PostgreSQL `uuid_in`: optional `{...}`, 32 hex digits in either case, with
 * an optional hyphen after any group of four digits. Returns the canonical
 * lower-case `8-4-4-4-12` form, or `null` where PostgreSQL refuses the value.
 */
export function normaliseUuid(raw: string): string | null {
  const braces = raw[0] === "{";
  let i = braces ? 1 : 0;
  let hex = "";
  for (let byte = 0; byte < 16; byte++) {
    const pair = raw.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return null;
    hex += pair.toLowerCase();
    i += 2;
    if (raw[i] === "-" && byte % 2 === 1 && byte < 15) i += 1;
  }
  if (braces && raw[i++] !== "}") return null;
  if (i !== raw.length) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An id as Rails casts a value for a PostgreSQL `uuid` column in a hash
 * condition or `find` (activerecord 7.1 `OID::Uuid`): either case, optional
 * braces, a hyphen allowed after any group of four digits (a trailing one
 * too), turned into the canonical lower-case 8-4-4-4-12 form. Anything else
 * casts to NULL, which matches nothing: `null` here. (PostgreSQL's own
 * `uuid_in`, used where live writes string SQL, is `normaliseUuid` above:
 * the same forms but no trailing hyphen, and an error.)
 */
export function castUuid(value: unknown): string | null {
  if (typeof value !== "string" && typeof value !== "number") return null;
  const raw = String(value);
  if (!/^(?:\{(?:[0-9a-fA-F]{4}-?){8}\}|(?:[0-9a-fA-F]{4}-?){8})$/.test(raw)) return null;
  if (/^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(raw)) return raw;
  const hex = raw.replace(/[{}-]/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------
// Rack's nested query parameters, judged on flat keys
// ---------------------------------------------------------------------------

/** A query string as flat keys (`filter[cohort]`), the last value of a repeated key winning (as Rack). */
export type FlatQuery = Record<string, string | undefined>;

/**
 * What Rack would make of `name` (`filter`, `page[per_page]`) in a flat
 * query: absent, a single value (`name=x`), a hash (`name[k]=x`) or
 * something else (`name[]=x`). A name sent both ways is judged by the form
 * that is not a hash; live (Rack) refuses some of those query strings whole,
 * or lets the last one win: a 400 either way.
 */
export function rackShape(query: FlatQuery, name: string): "absent" | "value" | "hash" | "other" {
  let hash = false;
  let other = false;
  const prefix = `${name}[`;
  for (const key in query) {
    if (!key.startsWith(prefix)) continue;
    if (key[prefix.length] === "]") other = true;
    else hash = true;
  }
  if (other) return "other";
  if (query[name] !== undefined) return "value";
  return hash ? "hash" : "absent";
}

const RUBY_CLASS = { value: "String", array: "Array", hash: "Rack::QueryParser::Params" } as const;

/**
 * Rack's refusal to nest a query string (rack 2.2 `normalize_params`), from
 * its pairs in order: a name given a value and then brackets (`a=1&a[b]=2`),
 * or used as a list and then as a hash, or the other way round. A later plain
 * value replaces whatever the name held (`a[b]=1&a=2` is fine). Returns
 * Rack's message, or null. What is below a list (`a[][b]`) is not followed.
 */
export function rackConflict(pairs: Iterable<readonly [string, string]>): string | null {
  const kinds = new Map<string, keyof typeof RUBY_CLASS>();
  for (const [key] of pairs) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) continue;
    const names = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    let path = names[0]!;
    for (let i = 1; i <= names.length; i++) {
      const next = names[i];
      const want = next === undefined ? "value" : next === "" ? "array" : "hash";
      if (want === "value") {
        for (const known of kinds.keys()) if (known.startsWith(`${path}[`)) kinds.delete(known);
        kinds.set(path, "value");
        break;
      }
      const have = kinds.get(path);
      if (have !== undefined && have !== want) {
        return `expected ${want === "array" ? "Array" : "Hash"} (got ${RUBY_CLASS[have]}) for param \`${names[i - 1]}'`;
      }
      kinds.set(path, want);
      if (want === "array") break;
      path += `[${next}]`;
    }
  }
  return null;
}

/** Ruby's `(value.to_s)` of a permitted scalar: text as is; numbers and booleans as their text. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * Rails' strong parameters, as the v2 controllers permit `data.attributes`
 * (§3.1): only the listed keys are kept; a null, object or array value is
 * dropped (the attribute counts as missing); a number or boolean is read as
 * its text, except for the keys in `raw`, whose scalars are kept as they came.
 * A non-object `attributes` permits nothing.
 */
export function permitAttributes(attributes: unknown, keys: readonly string[], raw: readonly string[] = []): Record<string, unknown> {
  const permitted: Record<string, unknown> = {};
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) return permitted;
  const source = attributes as Record<string, unknown>;
  for (const key of keys) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    if (raw.includes(key) && (typeof value === "number" || typeof value === "boolean")) permitted[key] = value;
    else if (scalarText(value) !== undefined) permitted[key] = scalarText(value);
  }
  return permitted;
}

// ---------------------------------------------------------------------------
// RECT (v3): Rack's nested params as values, and RECT's readings of them
// ---------------------------------------------------------------------------

/** A Rack parameter value: a string, a list (`a[]=`) or a hash (`a[b]=`). */
export type RackValue = string | RackValue[] | { [key: string]: RackValue };
export type RackParams = { [key: string]: RackValue };

/**
 * Rack's nesting of a query string's pairs (rack 2.2 `normalize_params`) for
 * the shapes RECT reads: `a=x`, `a[b]=x`, `a[b][c]=x`, `a[]=x`. A later plain
 * value replaces what the name held; what is below a list (`a[][b]`) is kept
 * as a hash item. Keys Rack would repair (`[a]=x`, `a[b=x`) are ignored.
 * Callers check `rackConflict` first (the pairs Rack refuses).
 */
export function rackNest(pairs: Iterable<readonly [string, string]>): RackParams {
  const root: RackParams = {};
  for (const [key, value] of pairs) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) continue;
    const names = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    let holder: { [key: string]: RackValue } = root;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const next = names[i + 1];
      if (next === undefined) {
        put(holder, name, value);
        break;
      }
      const current = own(holder, name);
      if (next === "") {
        const list = Array.isArray(current) ? current : put(holder, name, [] as RackValue[]);
        const rest = names.slice(i + 2);
        if (rest.length === 0) list.push(value);
        else list.push(rackNest([[rest[0]! + rest.slice(1).map((r) => `[${r}]`).join(""), value]]));
        break;
      }
      holder = current !== undefined && typeof current === "object" && !Array.isArray(current) ? current : put(holder, name, {});
    }
  }
  return root;
}

/**
 * A key as Ruby's Hash has it: `__proto__`, `constructor` or `toString` are
 * names like any other. Read own properties only, and write with
 * defineProperty: `holder["__proto__"]` is Object.prototype, and a query
 * `filter[__proto__][toString]=1` wrote into it (every object in the process
 * then had a string `toString`: issue 18 item 3's fuzz found it).
 */
function own(holder: { [key: string]: RackValue }, name: string): RackValue | undefined {
  return Object.hasOwn(holder, name) ? holder[name] : undefined;
}

function put<V extends RackValue>(holder: { [key: string]: RackValue }, name: string, value: V): V {
  Object.defineProperty(holder, name, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/**
 * Ruby's `URI.decode_www_form_component`: `+` → space, `%XX` → the byte;
 * a `%` not followed by two hex digits raises (null here), as do bytes that
 * are not UTF-8 (Ruby would carry them; they can never be a date).
 */
export function decodeWwwFormComponent(raw: string): string | null {
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) return null;
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * RECT's `filter[updated_since]` (app/controllers/concerns/api/date_filterable.rb:13-21):
 * always decoded once more (`URI.decode_www_form_component`), then
 * `Time.iso8601`. So a `+` offset fails unless double-encoded (`%252B`),
 * docs/reference/rect/rules.md §4.2. null: RECT's 400.
 */
export function parseRectUpdatedSince(raw: string): Date | null {
  const decoded = decodeWwwFormComponent(raw);
  return decoded === null ? null : rubyTimeIso8601(decoded);
}
