// The Worker's entry module: instantiates the Rust code (built by scripts/build-worker
// into worker/build) and hands each request and each Durable Object to it.
// wrangler bundles this file; a `.wasm` import arrives as a compiled WebAssembly.Module.
import { WorkerEntrypoint } from "cloudflare:workers";
import * as glue from "../build/index_bg.js";
import wasmModule from "../build/index_bg.wasm";

const instance = new WebAssembly.Instance(wasmModule, { "./index_bg.js": glue });
glue.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();

export default class Baton extends WorkerEntrypoint {
  fetch(request) {
    return glue.fetch(request, this.env, this.ctx);
  }
}

// scripts/serve's own door, before it stops workerd: a named entrypoint, which no public
// address reaches (under wrangler and on Cloudflare only a binding that names it could;
// none does). scripts/serve serves it on a Unix socket in the state folder.
export class Admin extends WorkerEntrypoint {
  async fetch(request) {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/restart") {
      return Response.json({ error: "not_found", message: "POST /restart is the only route here" }, { status: 404 });
    }
    const closed = await glue.close_sockets_for_restart(this.env);
    return Response.json({ closed });
  }
}

// workerd constructs these with (state, env) and calls fetch / webSocketMessage / ...
export { ConversationObject, WorkspaceObject } from "../build/index_bg.js";
