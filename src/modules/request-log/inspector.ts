import { Elysia } from "elysia";
// bun's types call an .html import an HTMLBundle; `with { type: "text" }` makes it a string
import page from "./inspector/inspector.html" with { type: "text" };
import script from "./inspector/inspector.js" with { type: "text" };
import styles from "./inspector/inspector.css" with { type: "text" };

export const INSPECTOR_PATH = "/inspector";

/** Only this service's own files; no framing; the browser must not guess types. */
const HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

/**
 * /inspector: a page over the request log, carried in the binary as text
 * (Bun text imports). The page itself is public; the data needs the admin
 * token, which the page asks for and keeps in sessionStorage.
 */
export function inspectorPage() {
  const asset = (body: string, type: string) => () => new Response(body, { headers: { ...HEADERS, "content-type": `${type}; charset=utf-8` } });
  const hide = { detail: { hide: true } };
  return new Elysia({ name: "inspector" })
    .get(INSPECTOR_PATH, asset(page as unknown as string, "text/html"), hide)
    .get(`${INSPECTOR_PATH}/inspector.js`, asset(script as unknown as string, "text/javascript"), hide)
    .get(`${INSPECTOR_PATH}/inspector.css`, asset(styles, "text/css"), hide);
}
