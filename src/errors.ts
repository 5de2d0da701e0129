/** One error shape for every HTTP answer that is not a success (docs/reference/business-rules.md §3.3). */
export interface ErrorItem {
  title: string;
  detail: string;
}

/**
 * Collects validation errors as the live service shapes them (business-rules
 * §3.4): one item per attribute, in the order each attribute first got an
 * error, its messages de-duplicated and joined with ", ".
 */
export class ErrorCollector {
  private readonly byAttribute = new Map<string, string[]>();

  add(attribute: string, message: string): void {
    const messages = this.byAttribute.get(attribute);
    if (!messages) this.byAttribute.set(attribute, [message]);
    else if (!messages.includes(message)) messages.push(message);
  }

  has(attribute: string): boolean {
    return this.byAttribute.has(attribute);
  }

  get empty(): boolean {
    return this.byAttribute.size === 0;
  }

  toItems(): ErrorItem[] {
    return [...this.byAttribute].map(([title, messages]) => ({ title, detail: messages.join(", ") }));
  }
}

export const JSONAPI = "application/vnd.api+json";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** `null` = empty body (the live 403), a string = a plain-text body, an object = JSON */
    readonly body: unknown,
    readonly contentType: string = JSONAPI,
  ) {
    super(typeof body === "object" && body ? JSON.stringify(body) : String(body ?? status));
  }

  /** 400/422 `{"errors":[{title,detail}]}` */
  static errors(status: number, errors: ErrorItem[]): ApiError {
    return new ApiError(status, { errors });
  }

  static badRequest(detail: string, title = "Bad request"): ApiError {
    return ApiError.errors(400, [{ title, detail }]);
  }

  static unprocessable(title: string, detail: string): ApiError {
    return ApiError.errors(422, [{ title, detail }]);
  }

  static notFound(): ApiError {
    return NOT_FOUND;
  }

  /** The admin API's 404: the errors shape, saying what was not found (docs/reference/sandbox-contract.md) */
  static adminNotFound(detail: string): ApiError {
    return ApiError.errors(404, [{ title: "Not found", detail }]);
  }

  /** one shared value: a flood of bad tokens then costs the request log a reference each, not an Error with its stack */
  static unauthorized(): ApiError {
    return UNAUTHORIZED;
  }

  static forbidden(): ApiError {
    return new ApiError(403, null);
  }

  /** `contentType`: the type of the API that answers (the admin API's is `application/json`) */
  toResponse(contentType: string = this.contentType): Response {
    if (this.body === null) return new Response(null, { status: this.status });
    const headers: Record<string, string> = { "content-type": contentType };
    // v2 sends the challenge; RECT (v3) renders its 401 without one (docs/reference/rect/rules.md §2.1)
    if (this.status === 401 && this.contentType === JSONAPI) headers["www-authenticate"] = 'Token realm="Application"';
    // the rest of a body that was cut off is not read: close the connection rather than leave it half-sent
    if (this.status === 413) headers.connection = "close";
    const text = typeof this.body === "string" ? this.body : JSON.stringify(this.body);
    return new Response(text, { status: this.status, headers });
  }
}

const NOT_FOUND = new ApiError(404, { error: "Resource not Found" });
const UNAUTHORIZED = new ApiError(401, { error: "HTTP Token: Access denied" });

/** The body every live 400 for a missing or unusable `data` member carries. */
export const MISSING_DATA_ERROR = ApiError.badRequest(
  "correct json data structure required. See API docs for reference",
);

/**
 * SQLite failures of the storage itself (issue 14), by SQLite's result code
 * (better-sqlite3 puts it in `code`, extended codes included, e.g.
 * `SQLITE_IOERR_WRITE`): what the client is told, in the errors shape, with
 * 503 because they pass once the volume is fixed. null for any other error.
 */
const STORAGE_FAILURES: Array<[prefix: string, detail: string]> = [
  ["SQLITE_FULL", "The database's disk is full: nothing was written. Free space on the volume that holds DATABASE_PATH; writes work again by themselves"],
  ["SQLITE_READONLY", "The database is read-only (its file, its folder or its volume cannot be written): nothing was written"],
  ["SQLITE_IOERR", "The database's disk failed to read or write (an I/O error): nothing was written"],
  ["SQLITE_CORRUPT", "The database file is damaged: check it with PRAGMA integrity_check, and restore a copy or start on a new DATABASE_PATH"],
  ["SQLITE_NOTADB", "The file at DATABASE_PATH is not a database any more: restore a copy or start on a new DATABASE_PATH"],
  ["SQLITE_CANTOPEN", "The database file cannot be opened (it was moved or deleted?): nothing was written"],
  ["SQLITE_BUSY", "The database is locked by another process for longer than 5 seconds: nothing was written; try again"],
];

export function sqliteCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : null;
}

export function storageFailure(error: unknown): ApiError | null {
  const code = sqliteCode(error);
  if (code === null) return null;
  const match = STORAGE_FAILURES.find(([prefix]) => code === prefix || code.startsWith(prefix + "_"));
  return match ? ApiError.errors(503, [{ title: "Service unavailable", detail: match[1] }]) : null;
}
