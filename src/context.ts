import type { Db } from "../db/connection";
import type { GroupCommit } from "../db/group-commit";
import type { Clock } from "./clock";
import type { LoopShare } from "./http/csv";
import type { ResponseCache } from "./http/response-cache";
import type { LastUsedRecorder } from "./modules/auth/tokens";

/** What every feature module needs; built once by `createApp`. */
export interface AppContext {
  db: Db;
  clock: Clock;
  lastUsed: LastUsedRecorder;
  /** per-request facts the logger reads (request id, provider id), keyed by the Request */
  requestInfo: WeakMap<Request, { id?: string; providerId?: string }>;
  /** CSV exports take turns on the event loop with everything else */
  loopShare: LoopShare;
  /** one JSON line on stderr: a failure, with the request it happened in (never a token, never a stack to the client) */
  logError(request: Request, fields: Record<string, unknown>): void;
  /** declaration POSTs arriving together share one commit */
  groupCommit: GroupCommit;
  /** repeated GET answers until the next write; null when off */
  cache: ResponseCache | null;
}
