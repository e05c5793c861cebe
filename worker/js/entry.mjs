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

// workerd constructs these with (state, env) and calls fetch / webSocketMessage / ...
export { ConversationObject, WorkspaceObject } from "../build/index_bg.js";
