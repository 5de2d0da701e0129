import type { Db } from "../db/connection";
import type { GroupCommit } from "../db/group-commit";
import type { Clock } from "./clock";
import type { ResponseCache } from "./http/response-cache";
import type { LastUsedRecorder } from "./modules/auth/tokens";
import type { PageEnds } from "./modules/participants/queries";

/** What every feature module needs; built once by `createApp`. */
export interface AppContext {
  db: Db;
  clock: Clock;
  lastUsed: LastUsedRecorder;
  /** per-request facts the logger reads (provider id), keyed by the Request */
  requestInfo: WeakMap<Request, { providerId?: string }>;
  /** declaration POSTs arriving together share one commit */
  groupCommit: GroupCommit;
  /** repeated GET answers until the next write; null when off */
  cache: ResponseCache | null;
  /** where the participants list's pages ended, per provider and database version */
  pageEnds: PageEnds;
}
