import { Elysia } from "elysia";
import type { AppContext } from "../../context";
import { adminApi } from "../auth/plugin";
import { Deleted, ErrorsBody, Restored, SnapshotInfo, SnapshotList, SnapshotParams } from "./model";
import { deleteSnapshot, listSnapshots, restoreInApp, saveSnapshot } from "./service";

const detail = (summary: string, description?: string) => ({ tags: ["Admin (sandbox control)"], summary, description });

/** Snapshots of the whole state (docs/reference/sandbox-contract.md, "Snapshots"); admin token only. */
export function snapshotRoutes(ctx: AppContext) {
  const store = ctx.snapshots;
  return new Elysia({ prefix: "/admin" })
    .use(adminApi(ctx))
    .put(
      "/snapshots/:name",
      async ({ params, set }) => {
        const { info, replaced } = await saveSnapshot(ctx.db, store, params.name, ctx.snapshotBase);
        set.status = replaced ? 200 : 201;
        return info;
      },
      {
        parse: "none",
        params: SnapshotParams,
        response: { 200: SnapshotInfo, 201: SnapshotInfo, 422: ErrorsBody },
        detail: detail(
          "Save the whole state under a name",
          "Everything the v2 API and the admin API can read, except the admin tokens and the admin clock. 201, or 200 when it replaced a snapshot of that name. Files beside the database (`<DATABASE_PATH>.snapshots/NAME.sqlite`), in memory for `:memory:`.",
        ),
      },
    )
    .get("/snapshots", () => listSnapshots(store), { response: { 200: SnapshotList }, detail: detail("List snapshots, newest first") })
    .post("/snapshots/:name/restore", ({ params, request }) => restoreInApp(ctx, store, request, params.name), {
      parse: "none",
      params: SnapshotParams,
      response: { 200: Restored, 404: ErrorsBody, 422: ErrorsBody },
      detail: detail(
        "Put a saved state back",
        "Atomic for callers: requests in flight finish on the old state, later ones see the new one; nothing cached from before is served after. Admin tokens and the admin clock stay as they are. A snapshot of a newer sandbox version is refused (422).",
      ),
    })
    .delete("/snapshots/:name", ({ params }) => deleteSnapshot(store, params.name), {
      params: SnapshotParams,
      response: { 200: Deleted, 404: ErrorsBody, 422: ErrorsBody },
      detail: detail("Delete a snapshot"),
    });
}
