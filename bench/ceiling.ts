/** The ceiling: a bare Bun.serve answering prebuilt bodies (the service's own bytes) per path. */
import { readFileSync } from "node:fs";

const [file, port] = process.argv.slice(2);
const bodies: Record<string, { body: string; type: string }> = JSON.parse(readFileSync(file!, "utf8"));
const prebuilt = new Map(Object.entries(bodies).map(([path, b]) => [path, { bytes: new TextEncoder().encode(b.body), type: b.type }]));
Bun.serve({
  port: Number(port),
  hostname: "127.0.0.1",
  fetch(request) {
    const url = request.url;
    const path = url.slice(url.indexOf("/", 8));
    if (path === "/healthz") return new Response("ok");
    const hit = prebuilt.get(decodeURIComponent(path)) ?? prebuilt.get(path);
    if (!hit) return new Response("not found", { status: 404 });
    return new Response(hit.bytes, { headers: { "content-type": hit.type } });
  },
});
