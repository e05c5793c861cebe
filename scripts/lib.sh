# Sourced by the other scripts: paths, pinned versions, and an environment in which
# wrangler and the build tools never reach beyond the package registries.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Node 22 from the npm registry (node_modules/.bin/node) comes first: wrangler needs it.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The build tools, all from the registries (never downloaded from GitHub).
export WASM_OPT_BIN="$ROOT/node_modules/binaryen/bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild"

# No telemetry, no cf.json fetch, no prompts.
export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false DO_NOT_TRACK=1 \
       CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_NO_SKILLS_UPDATE_PROMPTS=true
# Nor wrangler's local observability: it traces every event of the Worker for a dev
# dashboard nobody here opens, and with hibernatable WebSockets every chat message is
# an event. Measured with scripts/bench (K=100, P=50): 1,088-1,154 msg/s with it, 1,644-1,719
# without.
export X_LOCAL_OBSERVABILITY=false

say() { printf '\033[1m==> [%ss] %s\033[0m\n' "$SECONDS" "$*" >&2; }

wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
}

# Both wasm crates in one cargo run: their shared dependencies (web-sys, js-sys, serde)
# then compile once, with the union of features, and a later call is a no-op. Building
# one crate alone would recompile them with other features.
# scripts/build sets WASM_BUILT after building, so the two steps it runs do not each ask
# cargo again (a no-op cargo run took 14 s on a slow CI machine).
build_wasm() {
  [ -n "${WASM_BUILT:-}" ] && return 0
  wasm_target
  # What GET /api/health names as the build: the checkout's `git describe`, if any.
  BATON_BUILD="$(git -C "$ROOT" describe --tags --always --dirty 2>/dev/null || true)" \
    cargo build --release --target wasm32-unknown-unknown -p baton-worker -p baton-widget
}
WASM_OUT="${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release"
WORKER_WASM="$WASM_OUT/baton_worker.wasm"
WIDGET_WASM="$WASM_OUT/baton_widget.wasm"

# Host builds (the unit tests and the glue tool) get their own target folder, so that
# scripts/test can compile them while cargo holds the main one for the wasm build.
HOST_TARGET="$ROOT/target/host"

# wasm-bindgen's glue step (tools/bindgen): bindgen <bundler|web> <in.wasm> <out-dir> <name>
bindgen() {
  CARGO_TARGET_DIR="$HOST_TARGET" cargo run --quiet -p baton-bindgen -- "$@"
}

# Shrinks a wasm file in place (wasm_opt LEVEL FILE [FLAG…]), for the features rustc 1.95 emits;
# strips debug info here rather than in cargo (`strip` there makes wasm-bindgen warn).
# More flags may follow FILE.
wasm_opt() {
  local level=$1 file=$2
  shift 2
  "$WASM_OPT_BIN" "$level" "$@" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-debug --strip-producers "$file" -o "$file"
}

# Moves each built file DIR/NAME to DEST/NAME only when its bytes differ (install_new
# DIR DEST), else drops it: `wrangler dev` reloads the Worker on any change in www/ (its
# assets), and a reload drops every WebSocket with code 1006. scripts/serve builds each
# time it starts, so rewriting unchanged files closed the sockets of every other
# `wrangler dev` serving this checkout (issue 15's idle close).
install_new() {
  local f
  for f in "$1"/*; do
    if cmp -s "$f" "$2/$(basename "$f")"; then rm "$f"; else mv "$f" "$2/"; fi
  done
  rmdir "$1"
}

# The first 10 hex digits of a file's SHA-256: content-hashed file names.
hash10() { sha256sum "$1" | cut -c1-10; }
