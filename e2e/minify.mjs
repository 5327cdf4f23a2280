// Minifies, in place, the JavaScript and CSS files named on the command line:
// `cargo xtask dist` (xtask/src/minify.rs) runs it once over every .js and .css
// file it copied into the static site — never over the repository's own files.
//
//   node e2e/minify.mjs target/dist/www/embed.js target/dist/www/lesson.css …
//
// - JavaScript goes through terser. A file that is not a valid classic script (it
//   has `import`/`export`, `import.meta` or a top-level `await`) is an ES module:
//   terser gets `module: true`, so it may rename and drop top-level bindings of
//   its own, but never an exported or imported name. Any other file (sw.js, a
//   classic <script>) keeps its top-level names, which other scripts may share.
// - CSS goes through clean-css at level 1: each rule is rewritten on its own
//   (whitespace, units, colours), never merged with or moved past another rule,
//   so the cascade stays exactly as written.
// - License comments (`/*! … */`, `@license`, `@preserve`) are kept in both.
//
// One line on stdout says how much was saved; a file that fails to parse is
// named on stderr and the exit code is 1, with the files before it minified.
import { readFile, writeFile } from "node:fs/promises";
import { parse } from "acorn";
import CleanCSS from "clean-css";
import { minify } from "terser";

/** True if `source` only parses as a module (acorn's grammar is the standard's). */
function isModule(source) {
  try {
    parse(source, { ecmaVersion: "latest", sourceType: "script" });
    return false;
  } catch {
    return true; // if it is not a module either, terser reports the syntax error
  }
}

async function minifyJs(source) {
  const result = await minify(source, {
    module: isModule(source),
    ecma: 2020, // every browser that runs the wasm and <script type="module"> reads ES2020
    format: { comments: "some" }, // license comments only
  });
  return result.code;
}

const css = new CleanCSS({ level: 1, inline: false, rebase: false });

function minifyCss(source) {
  const result = css.minify(source);
  if (result.errors.length > 0) throw new Error(result.errors.join("; "));
  return result.styles;
}

const files = process.argv.slice(2);
let before = 0;
let after = 0;
for (const file of files) {
  try {
    const source = await readFile(file, "utf8");
    let output;
    if (file.endsWith(".js")) output = await minifyJs(source);
    else if (file.endsWith(".css")) output = minifyCss(source);
    else throw new Error("neither .js nor .css");
    await writeFile(file, output);
    before += Buffer.byteLength(source);
    after += Buffer.byteLength(output);
  } catch (error) {
    console.error(`minify: ${file}: ${error?.message ?? error}`);
    process.exit(1);
  }
}
console.log(`minified ${files.length} files: ${before} → ${after} bytes`);
