// node scripts/minify-glue.mjs MAP.json GLUE.js: renames, in wasm-bindgen's glue, the
// imports and exports that `wasm-opt --minify-imports-and-exports-and-modules` renamed in
// the wasm (MAP.json is what it printed). wasm-bindgen names every import with a 16-hex
// hash (`__wbg_append_0123456789abcdef`): in the wasm and again in the glue those names
// were about 1.5 KB of the widget's brotli, hashes being what compresses worst.
import fs from "node:fs";

const [mapFile, glueFile] = process.argv.slice(2);
const map = JSON.parse(fs.readFileSync(mapFile, "utf8"));
let glue = fs.readFileSync(glueFile, "utf8");
const modules = new Set(map.imports.map(([m]) => m));
if (modules.size != 1) throw new Error(`expected one import module, got ${[...modules]}`);
const swap = (pattern, to, what) => {
  const before = glue;
  glue = glue.replace(pattern, to);
  if (glue == before) throw new Error(`the glue no longer has ${what}`);
};
// The one module the wasm imports from becomes "a" (binaryen's first short name).
swap(`"${[...modules][0]}": import0`, `"a": import0`, "the import object");
for (const [, from, to] of map.imports) swap(new RegExp(`\\b${from}(?=: function)`), to, from);
// Some exports (`__abort_handler`, say) the glue never calls.
for (const [from, to] of map.exports) glue = glue.replace(new RegExp(`\\bwasm\\.${from}\\b`, "g"), `wasm.${to}`);
fs.writeFileSync(glueFile, glue);
