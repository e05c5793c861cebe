// The front door when Baton runs on workerd alone (scripts/serve), with no Cloudflare
// account: it sends /api/* to the Worker and serves www/ as Cloudflare's assets binding
// does under wrangler: the content types browsers insist on (module scripts, wasm), the
// headers of www/_headers, gzip, ETags with 304s, and nothing of the files that
// configure it. As there, whatever is no file goes to the Worker, whose answer is the
// JSON error body.
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
// Worth compressing; images are compressed already.
const TEXTUAL = /^(text\/|application\/(json|wasm)|image\/svg)/;

/** The Worker answers: the API, and whatever no file is (a JSON `404`). */
function worker(request, env) {
  // Only Cloudflare sets CF-Connecting-IP; here a client could, and dodge the sign-in
  // lockout's count per address. Without it the Worker counts by X-Forwarded-For, which
  // the owner's proxy sets.
  const headers = new Headers(request.headers);
  headers.delete("cf-connecting-ip");
  return env.API.fetch(new Request(request, { headers }));
}

/**
 * www/_headers as rules `{pattern, headers}`, in Cloudflare's format: a path (where `*`
 * matches anything) on a line of its own, then its headers indented, `Name: value`.
 */
function parseHeaders(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const source = line.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
    } else {
      const at = line.indexOf(":");
      if (at < 0 || !rules.length) throw new Error(`www/_headers: not a header: ${line.trim()}`);
      rules.at(-1).headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

// Read once per isolate: www/ changes only with a new build, which restarts serving.
let rules;
async function headerRules(env) {
  if (!rules) {
    const file = await env.WWW.fetch("http://www/_headers");
    rules = file.ok ? parseHeaders(await file.text()) : [];
  }
  return rules;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    // A path with an empty segment names no file: `//evil.example/inbox` must never
    // become a redirect to another host.
    if (url.pathname.startsWith("/api/") || url.pathname.includes("//")
      || (request.method !== "GET" && request.method !== "HEAD")) {
      return worker(request, env);
    }
    const path = url.pathname.endsWith("/") ? `${url.pathname}index.html` : url.pathname;
    const name = path.split("/").pop();
    // As Cloudflare's assets: the files that configure serving are not served.
    if (name.startsWith(".") || name === "_headers") return worker(request, env);
    // A folder asked for without its slash, as /inbox: where its index is, on this host
    // (a path, not a URL). The disk service would answer with a listing.
    if (!name.includes(".")) {
      const index = await env.WWW.fetch(new URL(`${path}/index.html`, url), { method: "HEAD" });
      return index.ok
        ? new Response(null, { status: 301, headers: { location: `${url.pathname}/${url.search}` } })
        : worker(request, env);
    }
    const file = await env.WWW.fetch(new URL(path, url), { method: request.method });
    if (!file.ok) return worker(request, env);
    const type = TYPES[name.split(".").pop()] ?? "application/octet-stream";
    const headers = new Headers({
      "content-type": type,
      // Cloudflare's default for a file no rule names: ask again every time (a 304).
      "cache-control": "public, max-age=0, must-revalidate",
    });
    const length = file.headers.get("content-length");
    if (length) headers.set("content-length", length);
    for (const rule of await headerRules(env)) {
      if (rule.pattern.test(url.pathname)) for (const [k, v] of rule.headers) headers.set(k, v);
    }
    // The disk service gives the size and the time of the file, which change with it.
    const modified = file.headers.get("last-modified");
    if (modified) {
      // Weak: the bytes sent may be gzip's.
      const etag = `W/"${length}-${Date.parse(modified).toString(36)}"`;
      headers.set("etag", etag);
      headers.set("last-modified", modified);
      const tags = request.headers.get("if-none-match");
      const bare = (tag) => tag.trim().replace(/^W\//, "");
      if (tags && tags.split(",").some((t) => bare(t) === bare(etag))) {
        await file.body?.cancel();
        headers.delete("content-length");
        return new Response(null, { status: 304, headers });
      }
    }
    if (TEXTUAL.test(type)) {
      headers.set("vary", "accept-encoding");
      // workerd compresses the body itself when the response says gzip.
      if (/\bgzip\b/.test(request.headers.get("accept-encoding") ?? "")) {
        headers.set("content-encoding", "gzip");
        headers.delete("content-length");
      }
    }
    return new Response(file.body, { status: 200, headers });
  },
};
