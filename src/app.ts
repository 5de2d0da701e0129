import { Elysia, t } from "elysia";
import { type AppDeps, createContext } from "./context";
import { json } from "./http/json-api";
import { operation } from "./http/openapi";
import { requestPipeline } from "./pipeline";
import { requestLogRoutes } from "./modules/request-log/routes";
import { inspectorPage } from "./modules/request-log/inspector";
import { snapshotRoutes } from "./modules/snapshots/routes";
import { faultRoutes } from "./modules/faults/routes";
import { scenarioRoutes } from "./modules/scenarios/routes";
import { adminRoutes } from "./modules/admin/routes";
import { declarationsRoutes } from "./modules/declarations/routes";
import { moveDeclarationState } from "./modules/declarations/service";
import { apiDocs } from "./modules/docs/plugin";
import { participantsRoutes } from "./modules/participants/routes";
import { usersRoutes } from "./modules/users/routes";
import { adminV3Routes } from "./modules/v3/admin/routes";
import { v3Routes } from "./modules/v3/routes";

export type { AppDeps } from "./context";
export type App = ReturnType<typeof createApp>;

const HEALTHZ = operation({
  operationId: "healthz",
  tags: ["Operations"],
  summary: "Readiness",
  description:
    "200 once the database is open and migrated; 503 when the database file behind the open handle was deleted, replaced or overwritten, or cannot be written. No token needed.",
  answers: {
    200: { schema: t.Object({ status: t.Literal("ok") }), description: "Ready", type: "application/json", example: { status: "ok" } },
    503: {
      schema: t.Object({ status: t.Literal("database unavailable"), detail: t.String() }),
      description: "Not ready: the database file is gone, replaced or read-only",
      type: "application/json",
      example: { status: "database unavailable", detail: "the database file was deleted" },
    },
  },
});

/** The served document's head (the paths come from the routes' schemas). */
const DOCUMENTATION = {
  info: {
    title: "Lead provider API - 2.0.0",
    version: "2.0.0",
    description: "A local, resettable replica of the DfE Lead Provider API v2.0.0 for integration testing, with the sandbox's admin API.",
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: "http" as const, scheme: "bearer", description: "A lead provider's token (the demo providers' tokens are printed at start-up)" },
      adminToken: { type: "http" as const, scheme: "bearer", description: "The admin token, for the admin API (ADMIN_TOKEN, or printed once at the first start)" },
    },
  },
  security: [{ bearerAuth: [] }],
};

/** The head of /api-docs/v3/json: RECT's v3 and the RECT world's control plane alone. */
const V3_DOCUMENTATION = {
  info: {
    title: "Lead provider API - 3.0.0 (RECT)",
    version: "3.0.0",
    description:
      "A local, resettable replica of the lead provider API v3 of RECT (Register early career teachers, DFE-Digital/register-early-career-teachers-public at 0fe31d1aa), with the control plane of its world (/admin/v3).",
  },
  components: DOCUMENTATION.components,
  security: DOCUMENTATION.security,
};

/** Builds the whole service; the server and the tests both use it. */
export function createApp(deps: AppDeps) {
  const ctx = createContext(deps);
  const docs = apiDocs({ documentation: DOCUMENTATION, v3Documentation: V3_DOCUMENTATION });
  const app = new Elysia()
    .decorate("ctx", ctx)
    .use(requestPipeline(ctx))
    .use(docs)
    .get(
      "/healthz",
      () => {
        const problem = ctx.fileProblem();
        // a file deleted or replaced under the handle would take writes and lose them: not ready
        if (problem) return json({ status: "database unavailable", detail: problem }, 503);
        return json({ status: "ok" });
      },
      { response: HEALTHZ.response, detail: { ...HEALTHZ.detail, security: [] } },
    )
    .use(participantsRoutes(ctx))
    .use(usersRoutes(ctx))
    .use(declarationsRoutes(ctx))
    .use(adminRoutes(ctx, { moveDeclarationState: (id, state, now) => moveDeclarationState(ctx.db, id, state, now) }))
    .use(requestLogRoutes(ctx))
    .use(snapshotRoutes(ctx))
    .use(faultRoutes(ctx))
    .use(scenarioRoutes(ctx))
    .use(inspectorPage())
    .use(v3Routes(ctx))
    .use(adminV3Routes(ctx));
  // written now, before any request compiles (and so changes) a route's schemas
  docs.freeze();
  return app;
}
