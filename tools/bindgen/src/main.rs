//! `baton-bindgen <bundler|web> <input.wasm> <out-dir> <out-name>`: what
//! `wasm-bindgen --target <t> --no-typescript --out-dir <dir> --out-name <name>` does.
//!
//! The `wasm-bindgen-cli` package also builds a test runner with an HTTP server and TLS,
//! and compiling all of it took over an hour on a 2-core machine; this library call is a
//! fraction of that, so a fresh clone builds it as part of the workspace.

use std::process::ExitCode;
use wasm_bindgen_cli_support::Bindgen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, input, out_dir, out_name] = args.as_slice() else {
        eprintln!("usage: baton-bindgen <bundler|web> <input.wasm> <out-dir> <out-name>");
        return ExitCode::from(2);
    };
    match run(target, input, out_dir, out_name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baton-bindgen: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(target: &str, input: &str, out_dir: &str, out_name: &str) -> anyhow::Result<()> {
    let mut bindgen = Bindgen::new();
    match target {
        "bundler" => bindgen.bundler(true)?,
        "web" => bindgen.web(true)?,
        other => anyhow::bail!("unknown target {other:?}: use bundler or web"),
    };
    // The library omits the default wasm URL (`new URL('<name>_bg.wasm', import.meta.url)`)
    // that the CLI writes unless told `--omit-default-module-path`; the widget's loader
    // relies on it, so ask for it as the CLI does.
    bindgen
        .omit_default_module_path(false)
        .input_path(input)
        .out_name(out_name)
        .typescript(false)
        .generate(out_dir)
}
