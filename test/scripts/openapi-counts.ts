/** Counts operations, parameters, bodies, responses, schemas and examples in the vendored contract and in the served /api-docs/json (issue 10). Run: node_modules/.bin/bun test/scripts/openapi-counts.ts */
import { createTestApp } from "../support/app";
const t = await createTestApp();
const served: any = await (await t.request("GET", "/api-docs/json", { token: null })).json();
const contract: any = await Bun.file(new URL("../contract/lead-provider-api-v2.openapi.json", import.meta.url).pathname).json();
function count(doc: any, filter: (p: string) => boolean) {
  let ops = 0, params = 0, bodies = 0, responses = 0, respSchemas = 0, examples = 0;
  for (const [p, item] of Object.entries<any>(doc.paths)) {
    if (!filter(p)) continue;
    for (const [m, op] of Object.entries<any>(item)) {
      if (!["get","put","post","delete","patch"].includes(m)) continue;
      ops++; params += (op.parameters ?? []).length; if (op.requestBody) bodies++;
      for (const r of Object.values<any>(op.responses ?? {})) { responses++; for (const mt of Object.values<any>(r.content ?? {})) { if (mt.schema) respSchemas++; if (mt.example !== undefined || mt.examples) examples++; } }
      for (const mt of Object.values<any>(op.requestBody?.content ?? {})) if (mt.example !== undefined || mt.examples) examples++;
    }
  }
  return { ops, params, bodies, responses, respSchemas, examples, components: Object.keys(doc.components?.schemas ?? {}).length };
}
console.log("contract", JSON.stringify(count(contract, () => true)));
console.log("served v2", JSON.stringify(count(served, (p) => p.startsWith("/api/v2"))));
console.log("served all", JSON.stringify(count(served, () => true)));
console.log("openapi", served.openapi);
await t.close();
