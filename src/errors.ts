/** One error shape for every HTTP answer that is not a success (business-rules §3.3). */
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
    return new ApiError(404, { error: "Resource not Found" });
  }

  static unauthorized(): ApiError {
    return new ApiError(401, { error: "HTTP Token: Access denied" });
  }

  static forbidden(): ApiError {
    return new ApiError(403, null);
  }

  toResponse(): Response {
    if (this.body === null) return new Response(null, { status: this.status });
    const headers: Record<string, string> = { "content-type": this.contentType };
    if (this.status === 401) headers["www-authenticate"] = 'Token realm="Application"';
    const text = typeof this.body === "string" ? this.body : JSON.stringify(this.body);
    return new Response(text, { status: this.status, headers });
  }
}

/** The body every live 400 for a missing or unusable `data` member carries. */
export const MISSING_DATA_ERROR = ApiError.badRequest(
  "correct json data structure required. See API docs for reference",
);
