//! Short import and export names for the one-lesson modules.
//!
//! wasm-bindgen names every import after the JS function it binds plus a hash
//! (`__wbg_setAttribute_f75317b2b5cabfb4`), and both the `.wasm` and the glue
//! (`looplab.js`) spell each name out: about 150 names, 5 KB of nearly random
//! text that gzip cannot shrink much, in both files. `wasm-opt
//! --minify-imports-and-exports-and-modules` renames them in the wasm (`a`, `b`, …,
//! and the import module `./looplab_bg.js` to a short name too) and prints the
//! mapping as JSON; [`rename_glue`] makes the same renames in the glue.
//!
//! Only the one-lesson modules (`pkg/one/<id>/`) get this: they are loaded by
//! embed.js alone. The full module in `pkg/` is the npm package, whose `.d.ts`
//! names the wasm's exports (`InitOutput`), so it keeps wasm-bindgen's names.
//!
//! The glue's own exported functions (`mountLesson`, …) keep their names: only the
//! keys of the import object and the `wasm.<export>` accesses change. Any name the
//! glue does not hold exactly where expected is an error, never a silent skip.

use crate::Result;
use std::collections::{HashMap, HashSet};

/// wasm-bindgen's name for the module the wasm imports the glue's functions from.
const GLUE_MODULE: &str = "./looplab_bg.js";

/// The renames `wasm-opt` printed: `(import name, new name)` and `(export name, new name)`.
#[derive(Debug, Default, PartialEq)]
pub struct Renames {
    imports: Vec<(String, String)>,
    exports: Vec<(String, String)>,
}

/// Reads the JSON `wasm-opt --minify-imports-and-exports-and-modules` prints:
/// `{"imports": [[module, name, new], …], "exports": [[name, new], …]}`.
pub fn parse_renames(json: &str) -> Result<Renames> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("wasm-opt's name mapping is not JSON ({e})"))?;
    let strings =
        |entry: &serde_json::Value| -> Option<Vec<String>> { entry.as_array()?.iter().map(|s| s.as_str().map(str::to_owned)).collect() };
    let list = |key: &str, len: usize| -> Result<Vec<Vec<String>>> {
        let entries = value.get(key).and_then(|v| v.as_array()).ok_or(format!("wasm-opt's name mapping has no \"{key}\" list"))?;
        entries
            .iter()
            .map(|entry| {
                strings(entry).filter(|s| s.len() == len).ok_or(format!("unexpected {key} entry {entry} in wasm-opt's name mapping").into())
            })
            .collect()
    };
    let mut renames = Renames::default();
    for entry in list("imports", 3)? {
        if entry[0] != GLUE_MODULE {
            return Err(format!("the wasm imports from \"{}\"; only \"{GLUE_MODULE}\" was expected", entry[0]).into());
        }
        renames.imports.push((entry[1].clone(), entry[2].clone()));
    }
    for entry in list("exports", 2)? {
        renames.exports.push((entry[0].clone(), entry[1].clone()));
    }
    for (_, new) in renames.imports.iter().chain(&renames.exports) {
        if !is_identifier(new) {
            return Err(format!("wasm-opt chose \"{new}\", which is not a JavaScript identifier").into());
        }
    }
    Ok(renames)
}

/// The glue with the wasm's renamed imports and exports: `module` is the import
/// module's new name (read from the renamed wasm).
pub fn rename_glue(glue: &str, renames: &Renames, module: &str) -> Result<String> {
    let imports: HashMap<&str, &str> = renames.imports.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let exports: HashMap<&str, &str> = renames.exports.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut seen = HashSet::new();
    let mut module_keys = 0;
    let mut out = String::with_capacity(glue.len());
    for line in glue.split_inclusive('\n') {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        // An import: a key of the object `__wbg_get_imports` builds, `name: function(…`.
        if let Some((key, rest)) = body.split_once(": ") {
            if let Some(new) = imports.get(key) {
                if !seen.insert(key) {
                    return Err(format!("the glue defines the import {key} twice").into());
                }
                out.push_str(&format!("{indent}\"{new}\": {}", rename_exports(rest, &exports)));
                continue;
            }
            if key == format!("\"{GLUE_MODULE}\"") {
                module_keys += 1;
                out.push_str(&format!("{indent}\"{module}\": {rest}"));
                continue;
            }
        }
        out.push_str(&rename_exports(line, &exports));
    }
    if let Some((missing, _)) = renames.imports.iter().find(|(name, _)| !seen.contains(name.as_str())) {
        return Err(format!("the glue has no import named {missing}").into());
    }
    if module_keys != 1 {
        return Err(format!("the glue names the module \"{GLUE_MODULE}\" {module_keys} times, not once").into());
    }
    Ok(out)
}

/// `text` with every `wasm.<name>` of a renamed export using the new name.
fn rename_exports(text: &str, exports: &HashMap<&str, &str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, name) in export_reads(text) {
        if let Some(new) = exports.get(name) {
            out.push_str(&text[copied..start]);
            out.push_str(new);
            copied = start + name.len();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Every `wasm.<name>` in `text` (not part of a longer name such as `x.wasm.y`):
/// where the name starts, and the name.
fn export_reads(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices("wasm.").filter_map(move |(at, _)| {
        let preceded = text[..at].chars().next_back().is_some_and(|c| is_identifier_char(c) || c == '.');
        let start = at + "wasm.".len();
        let rest = &text[start..];
        let name = &rest[..rest.find(|c: char| !is_identifier_char(c)).unwrap_or(rest.len())];
        (!preceded).then_some((start, name))
    })
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| !c.is_ascii_digit()) && name.chars().all(is_identifier_char)
}

/// What a wasm module imports and exports, by name.
#[derive(Debug, Default)]
pub struct Interface {
    /// The modules it imports from.
    pub modules: HashSet<String>,
    /// The names it imports.
    pub imports: HashSet<String>,
    /// The names it exports.
    pub exports: HashSet<String>,
}

impl Interface {
    /// The one module it imports from (wasm-bindgen's glue, renamed).
    pub fn module(&self) -> Result<&str> {
        match self.modules.iter().collect::<Vec<_>>()[..] {
            [module] => Ok(module),
            _ => Err(format!("the renamed wasm imports from {} modules, not one", self.modules.len()).into()),
        }
    }
}

/// The import modules, imports and exports of the wasm `bytes`.
pub fn interface(bytes: &[u8]) -> Result<Interface> {
    let mut found = Interface::default();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| format!("cannot read the wasm: {e}"))? {
            wasmparser::Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| format!("cannot read the wasm's imports: {e}"))?;
                    found.modules.insert(import.module.to_owned());
                    found.imports.insert(import.name.to_owned());
                }
            }
            wasmparser::Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(|e| format!("cannot read the wasm's exports: {e}"))?;
                    found.exports.insert(export.name.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(found)
}

/// Checks a renamed glue against the renamed wasm: the import object defines
/// exactly the functions the wasm imports, under the one module it imports from,
/// and every `wasm.<name>` the glue reads is an export of the wasm.
pub fn check_glue(glue: &str, wasm: &Interface) -> Result<()> {
    let module = wasm.module()?;
    let mut defined = HashSet::new();
    let mut module_keys = 0;
    for line in glue.lines().map(str::trim_start) {
        let Some((key, rest)) = line.strip_prefix('"').and_then(|l| l.split_once("\": ")) else { continue };
        if rest.starts_with("function") {
            defined.insert(key.to_owned());
        } else if key == module && rest.starts_with("import0") {
            module_keys += 1;
        }
    }
    if module_keys != 1 {
        return Err(format!("the renamed glue gives the imports under \"{module}\" {module_keys} times, not once").into());
    }
    if let Some(name) = wasm.imports.difference(&defined).next() {
        return Err(format!("the renamed wasm imports {name}, which the renamed glue does not define").into());
    }
    if let Some(name) = defined.difference(&wasm.imports).next() {
        return Err(format!("the renamed glue defines the import {name}, which the renamed wasm does not import").into());
    }
    if let Some((_, name)) = export_reads(glue).find(|(_, name)| !wasm.exports.contains(*name)) {
        return Err(format!("the renamed glue reads wasm.{name}, which the renamed wasm does not export").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: &str = r#"{
 "imports": [
  ["./looplab_bg.js", "__wbg_appendChild_dbf7ad2f48413560", "$a"],
  ["./looplab_bg.js", "__wbindgen_init_externref_table", "b"]
 ],
"exports": [
  ["memory", "c"],
  ["wasm_bindgen__convert__closures_____invoke__h1", "d"],
  ["__wbindgen_malloc", "e"]
 ]
}"#;

    const GLUE: &str = r#"export function run() {
    wasm.__wbindgen_malloc(1, wasm.memory);
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_appendChild_dbf7ad2f48413560: function() { return handleError(function (arg0, arg1) {
            const ret = arg0.appendChild(arg1); return ret; }, arguments); },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
        },
    };
    return {
        __proto__: null,
        "./looplab_bg.js": import0,
    };
}
function wasm_bindgen__convert__closures_____invoke__h1(arg0) {
    wasm.wasm_bindgen__convert__closures_____invoke__h1(arg0);
}
const w = otherwasm.memory;
"#;

    #[test]
    fn the_glue_takes_the_new_names() {
        let renames = parse_renames(MAPPING).unwrap();
        let glue = rename_glue(GLUE, &renames, "a").unwrap();
        assert!(glue.contains("wasm.e(1, wasm.c);"), "{glue}");
        assert!(glue.contains("        \"$a\": function() { return handleError(function (arg0, arg1) {\n"), "{glue}");
        assert!(glue.contains("        \"b\": function() {\n"), "{glue}");
        assert!(glue.contains("        \"a\": import0,\n"), "{glue}");
        // The glue's own function keeps its name; its call into the wasm is renamed.
        assert!(glue.contains("function wasm_bindgen__convert__closures_____invoke__h1(arg0) {\n    wasm.d(arg0);"), "{glue}");
        // Not renamed: exports not in the mapping, and `wasm.` inside a longer name.
        assert!(glue.contains("wasm.__wbindgen_externrefs;") && glue.contains("otherwasm.memory"), "{glue}");
    }

    #[test]
    fn a_name_the_glue_lacks_is_an_error() {
        let renames = parse_renames(MAPPING).unwrap();
        let without = GLUE.replace("__wbindgen_init_externref_table: ", "other: ");
        assert!(rename_glue(&without, &renames, "a").unwrap_err().to_string().contains("__wbindgen_init_externref_table"));
        let two_lines = GLUE.replace(
            "        \"./looplab_bg.js\": import0,\n",
            "        \"./looplab_bg.js\": import0,\n        \"./looplab_bg.js\": import0,\n",
        );
        assert!(rename_glue(&two_lines, &renames, "a").is_err());
    }

    #[test]
    fn the_check_compares_the_glue_with_the_wasm() {
        let glue = rename_glue(GLUE, &parse_renames(MAPPING).unwrap(), "a").unwrap();
        let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<HashSet<_>>();
        let wasm = |modules: &[&str], imports: &[&str], exports: &[&str]| Interface {
            modules: set(modules),
            imports: set(imports),
            exports: set(exports),
        };
        // The fixture reads wasm.__wbindgen_externrefs, which the mapping leaves alone.
        let exports = ["c", "d", "e", "__wbindgen_externrefs"];
        check_glue(&glue, &wasm(&["a"], &["$a", "b"], &exports)).unwrap();
        let err = |w: Interface| check_glue(&glue, &w).unwrap_err().to_string();
        assert!(err(wasm(&["z"], &["$a", "b"], &exports)).contains("\"z\" 0 times"));
        assert!(err(wasm(&["a", "z"], &["$a", "b"], &exports)).contains("2 modules"));
        assert!(err(wasm(&["a"], &["$a", "b", "f"], &exports)).contains("imports f"));
        assert!(err(wasm(&["a"], &["$a"], &exports)).contains("defines the import b"));
        assert!(err(wasm(&["a"], &["$a", "b"], &["c", "d", "e"])).contains("wasm.__wbindgen_externrefs"));
    }

    #[test]
    fn a_bad_mapping_is_an_error() {
        assert!(parse_renames("not json").is_err());
        assert!(parse_renames(r#"{"imports": [["env", "f", "a"]], "exports": []}"#).is_err());
        assert!(parse_renames(r#"{"imports": [], "exports": [["f", "1a"]]}"#).is_err());
        assert!(parse_renames(r#"{"imports": [["./looplab_bg.js", "f"]], "exports": []}"#).is_err());
        assert!(parse_renames(r#"{"imports": []}"#).is_err());
    }
}
