// What an owner's page fetches to show the chat, as any other site gets it: the loader,
// the widget's module and its wasm, under wrangler (Cloudflare's assets, www/_headers)
// and under scripts/serve (worker/js/static.mjs): readable from any origin, the module
// and the wasm under content-hashed names kept for a year, the loader for minutes, and
// the loader served being the minified file the size report measures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startWorker, startServe, ROOT } from "./harness.mjs";

const SITE = "https://shop.example";
const hash10 = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 10);

/** `curl -sI`'s view of a response, for the log. */
const show = (path, res) =>
  `${path}: ${res.status}\n${[...res.headers].map(([k, v]) => `  ${k}: ${v}`).join("\n")}`;

for (const [runtime, start] of [["wrangler dev", startWorker], ["scripts/serve", startServe]]) {
  test(`${runtime}: the loader, module and wasm load from another site and cache as a third-party script should`, async () => {
    const w = await start();
    try {
      const get = (path, headers = {}) => fetch(w.base + path, { headers: { origin: SITE, ...headers } });

      const loader = await get("/widget.js");
      console.log(show("/widget.js", loader));
      assert.equal(loader.status, 200);
      assert.equal(loader.headers.get("access-control-allow-origin"), "*");
      const maxAge = Number(loader.headers.get("cache-control").match(/max-age=(\d+)/)[1]);
      assert.ok(maxAge >= 60 && maxAge <= 600, `the loader is kept for minutes: ${loader.headers.get("cache-control")}`);
      const loaderText = await loader.text();
      assert.equal(loaderText, readFileSync(join(ROOT, "www/widget.js"), "utf8"),
        "the loader served is the built one the size report measures");
      assert.doesNotMatch(loaderText, /^\/\*/, "minified");

      const modulePath = `/${loaderText.match(/widget\/pkg\/baton_widget\.[0-9a-f]{10}\.js/)[0]}`;
      const module = await get(modulePath);
      const moduleText = await module.text();
      const wasmPath = `/widget/pkg/${moduleText.match(/baton_widget_bg\.[0-9a-f]{10}\.wasm/)[0]}`;
      const wasm = await get(wasmPath);
      const wasmBytes = Buffer.from(await wasm.arrayBuffer());
      console.log(show(modulePath, module));
      console.log(show(wasmPath, wasm));
      for (const [path, res, body] of [[modulePath, module, moduleText], [wasmPath, wasm, wasmBytes]]) {
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get("access-control-allow-origin"), "*", path);
        assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable", path);
        assert.equal(path.match(/\.([0-9a-f]{10})\./)[1], hash10(body), `${path} is named for its content`);
      }
      assert.equal(wasm.headers.get("content-type"), "application/wasm");

      // A repeat visit that asks again gets a 304.
      const etag = loader.headers.get("etag");
      assert.ok(etag, "the loader has an ETag");
      assert.equal((await get("/widget.js", { "if-none-match": etag })).status, 304);

      // The files that configure serving are not served; the API keeps its own CORS.
      assert.equal((await get("/_headers")).status, 404);
      const api = await get("/api/ping");
      assert.equal(api.headers.get("access-control-allow-origin"), "*");
    } finally {
      await w.stop();
    }
  });
}
