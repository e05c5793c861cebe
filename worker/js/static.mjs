// The front door when Baton runs on workerd alone (scripts/serve), with no Cloudflare
// account: it sends /api/* to the Worker and serves www/ as Cloudflare's assets binding
// does under wrangler, with the content types browsers insist on (module scripts, wasm).
const TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  wasm: "application/wasm",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
};

const notFound = () =>
  new Response("not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/api/")) return env.API.fetch(request);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const path = url.pathname.endsWith("/") ? `${url.pathname}index.html` : url.pathname;
    // A folder asked for without its slash, as /inbox: where its index is. (The disk
    // service would answer with a listing.)
    if (!path.split("/").pop().includes(".")) {
      const index = await env.WWW.fetch(new URL(`${path}/index.html`, url), { method: "HEAD" });
      return index.ok ? Response.redirect(new URL(`${url.pathname}/`, url), 301) : notFound();
    }
    const file = await env.WWW.fetch(new URL(path, url), { method: request.method });
    if (!file.ok) return notFound();
    const headers = new Headers(file.headers);
    headers.set("content-type", TYPES[path.split(".").pop()] ?? "application/octet-stream");
    return new Response(file.body, { status: 200, headers });
  },
};
