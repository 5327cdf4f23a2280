//! `ensure`: check every tool a command needs, installing what is missing.
//!
//! A fresh CI machine has only `cargo`/`rustup` and (for browser work) root
//! access to apt. Everything else comes from a package registry through its
//! own client — crates.io via `cargo install`, Debian via `apt-get`, npm via
//! `npm ci` — never a prebuilt binary or browser downloaded from elsewhere
//! (so no `playwright install`, and `wasm-pack --mode no-install`).
//!
//! Each check prints one `[xtask]` line saying what it looked at and found.

use crate::cmd::{self, output, step, which};
use crate::{repo_root, Result};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

/// How much tooling a command needs.
#[derive(Clone, Copy, PartialEq)]
pub enum Need {
    /// `build`, `serve`, `dist`: the wasm target and the wasm-bindgen CLI
    /// (wasm-opt is used when present). `dist` also needs [`ensure_minifier`].
    Build,
    /// `test`, `bench`: also wasm-pack, Chromium + chromedriver, node + npm,
    /// the e2e npm packages, and a recent enough wasm-opt ([`wasm_opt`]).
    Browser,
}

/// Where Chromium is expected (Debian's `chromium` package).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Checks (and installs) everything `need` requires.
pub fn ensure(need: Need) -> Result<()> {
    put_cargo_bin_on_path();
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    if need == Need::Build {
        // Pyodide (the lessons' "Run the Python too", served at /pyodide/ by `serve`)
        // and binaryen's wasm-opt come from e2e/'s npm packages: installed when npm is
        // there; without it the page says which file is missing, and builds skip wasm-opt.
        match which("npm").map(|_| ensure_e2e_packages()) {
            Some(Ok(())) => {}
            Some(Err(why)) => step("e2e npm packages (optional)", &format!("not installed: {why}")),
            None => step("e2e npm packages (optional)", "npm is not on PATH: no Pyodide for `serve`, no wasm-opt"),
        }
        match wasm_opt() {
            Ok((path, version)) => step("wasm-opt (optional)", &format!("binaryen {version} at {}", path.display())),
            Err(why) => step("wasm-opt (optional)", &format!("builds will skip it: {why}")),
        }
        return Ok(());
    }
    ensure_wasm_pack()?;
    ensure_apt_tool("Chromium", &[CHROMIUM], &["chromium"])?;
    ensure_apt_tool("chromedriver", &["chromedriver"], &["chromium-driver"])?;
    ensure_apt_tool("node + npm", &["node", "npm"], &["nodejs", "npm"])?;
    ensure_e2e_packages()?;
    let (path, version) = wasm_opt()?;
    step("wasm-opt", &format!("binaryen {version} at {}", path.display()));
    Ok(())
}

/// node, npm and the e2e npm packages, for `cargo xtask dist`'s minifying
/// (terser and clean-css are pinned in `e2e/package.json`; see [`crate::minify`]).
pub fn ensure_minifier() -> Result<()> {
    ensure_apt_tool("node + npm", &["node", "npm"], &["nodejs", "npm"])?;
    ensure_e2e_packages()
}

/// rustfmt and clippy, for the lint stage of `cargo xtask test`: rustup components
/// of the toolchain in use, added with `rustup component add` when missing (a
/// minimal rustup profile has neither).
pub fn ensure_lint_tools() -> Result<()> {
    for (component, subcommand) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        let what = format!("{component} (`cargo {subcommand}`)");
        if let Some(v) = output("cargo", &[subcommand, "--version"]) {
            step(&what, &format!("found `{v}`"));
            continue;
        }
        step(&what, &format!("missing; running `rustup component add {component}`"));
        cmd::run(Command::new("rustup").args(["component", "add", component]))?;
    }
    Ok(())
}

/// Where Firefox is expected (Debian's `firefox-esr` package).
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// Firefox ESR and geckodriver, for the browser tests' run in a second engine
/// (`cargo xtask test` only). geckodriver is built from crates.io: a few minutes
/// on a fresh machine, then found on `PATH`.
pub fn ensure_firefox() -> Result<()> {
    ensure_apt_tool("Firefox ESR", &[FIREFOX], &["firefox-esr"])?;
    match output("geckodriver", &["--version"]) {
        Some(v) => {
            step("geckodriver", &format!("found `{}`", v.lines().next().unwrap_or("")));
            Ok(())
        }
        None => {
            step("geckodriver", "missing; installing from crates.io (builds for a few minutes)");
            cargo_install(&["geckodriver"])
        }
    }
}

/// mdBook, which builds the example book (`cargo xtask book`, and `e2e/book.test.mjs`
/// through it): the minor version of the `mdbook-preprocessor` crate in Cargo.lock,
/// whose JSON protocol `mdbook-looplab` speaks (it changes between minor versions).
/// Built from crates.io when missing or of another minor version: a few minutes on
/// a fresh machine, then found on `PATH`.
pub fn ensure_mdbook() -> Result<()> {
    put_cargo_bin_on_path();
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let want = locked_version(&lock, "mdbook-preprocessor").ok_or("Cargo.lock has no mdbook-preprocessor package")?;
    let what = format!("mdBook {}.x (as mdbook-preprocessor {want} in Cargo.lock)", minor(&want));
    let have = output("mdbook", &["--version"]).unwrap_or_default();
    let version = have.strip_prefix("mdbook v").unwrap_or("");
    if !version.is_empty() && minor(version) == minor(&want) {
        step(&what, &format!("found `{have}`"));
        return Ok(());
    }
    let found = if have.is_empty() { "missing".to_string() } else { format!("found `{have}`") };
    step(&what, &format!("{found}; installing from crates.io (`cargo install mdbook`: builds for a few minutes the first time)"));
    cargo_install(&["mdbook", "--version", &format!("~{want}")])
}

/// `0.5.4` → `0.5`.
fn minor(version: &str) -> &str {
    let end = version.match_indices('.').nth(1).map_or(version.len(), |(i, _)| i);
    &version[..end]
}

/// The oldest binaryen whose `wasm-opt` we trust with wasm-bindgen output.
/// Binaryen 108 (Debian 12's package) mis-reads modules with two tables: its
/// output rebinds wasm-bindgen's `externref` table export onto the function
/// table, and the page dies at start-up in `Table.set()`. Versions 110, 112,
/// 116, 120, 121 and 132 were checked to produce working modules.
pub const MIN_BINARYEN: u32 = 110;

/// A trustworthy `wasm-opt` and its version: the one on `PATH` if recent
/// enough, else npm's `binaryen` package from `e2e/node_modules` (installed
/// by `npm ci`, pinned in `e2e/package.json`). The error says why neither fits.
pub fn wasm_opt() -> std::result::Result<(PathBuf, u32), String> {
    let npm = repo_root().join("e2e/node_modules/.bin/wasm-opt");
    let mut rejected = Vec::new();
    for candidate in which("wasm-opt").into_iter().chain(npm.is_file().then_some(npm)) {
        let text = output(&candidate, &["--version"]).unwrap_or_default();
        match binaryen_version(&text) {
            Some(v) if v >= MIN_BINARYEN => return Ok((candidate, v)),
            _ => rejected.push(format!("{} is `{text}`", candidate.display())),
        }
    }
    if rejected.is_empty() {
        rejected.push("none on PATH, and no e2e/node_modules (run `npm ci` in e2e/)".into());
    }
    Err(format!("need binaryen >= {MIN_BINARYEN}; {}", rejected.join("; ")))
}

/// `wasm-opt version 132 (version_132)` → 132.
fn binaryen_version(text: &str) -> Option<u32> {
    let rest = text.strip_prefix("wasm-opt version ")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// `cargo install` puts binaries in `$CARGO_HOME/bin` (default `~/.cargo/bin`),
/// which a fresh shell may not have on `PATH`. Prepend it, for our own lookups
/// and for every child process.
pub fn put_cargo_bin_on_path() {
    let Some(bin) = cargo_bin_dir() else { return };
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|p| p == bin) {
        return;
    }
    let joined = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)));
    if let Ok(joined) = joined {
        std::env::set_var("PATH", joined);
    }
}

fn cargo_bin_dir() -> Option<PathBuf> {
    let home =
        std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    Some(home.join("bin"))
}

fn ensure_wasm_target() -> Result<()> {
    let what = "rust target wasm32-unknown-unknown";
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        step(what, "installed");
        return Ok(());
    }
    step(what, "missing; running `rustup target add wasm32-unknown-unknown`");
    cmd::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The CLI must match the `wasm-bindgen` crate exactly: the generated JS glue
/// and the wasm's custom sections are a private protocol between the two.
fn ensure_wasm_bindgen() -> Result<()> {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let want = locked_version(&lock, "wasm-bindgen").ok_or("Cargo.lock has no wasm-bindgen package")?;
    let what = format!("wasm-bindgen CLI {want} (the version in Cargo.lock)");
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = which("wasm-bindgen-test-runner").is_some();
    if have == format!("wasm-bindgen {want}") && runner {
        step(&what, "installed");
        return Ok(());
    }
    let found = if have.is_empty() { "missing".to_string() } else { format!("found `{have}`") };
    step(&what, &format!("{found}; installing from crates.io"));
    cargo_install(&["wasm-bindgen-cli", "--version", &format!("={want}")])
}

fn ensure_wasm_pack() -> Result<()> {
    match output("wasm-pack", &["--version"]) {
        Some(v) => {
            step("wasm-pack", &format!("found `{v}`"));
            Ok(())
        }
        None => {
            step("wasm-pack", "missing; installing from crates.io");
            cargo_install(&["wasm-pack"])
        }
    }
}

/// twiggy, the wasm size profiler: `cargo xtask bench` lists the biggest
/// contributors to the download with it.
pub fn ensure_twiggy() -> Result<()> {
    match output("twiggy", &["--version"]) {
        Some(v) => {
            step("twiggy", &format!("found `{v}`"));
            Ok(())
        }
        None => {
            step("twiggy", "missing; installing from crates.io");
            cargo_install(&["twiggy"])
        }
    }
}

/// `cargo install --locked`, retried without `--locked` if the registry index
/// lacks a version pinned in the crate's own lockfile (a mirror can lag, or a
/// pinned version can be yanked).
fn cargo_install(args: &[&str]) -> Result<()> {
    let locked = cmd::run(Command::new("cargo").arg("install").args(args).arg("--locked"));
    if locked.is_ok() {
        return locked;
    }
    step("cargo install", "`--locked` failed; retrying with fresh dependency resolution");
    cmd::run(Command::new("cargo").arg("install").args(args))
}

/// Checks that every one of `programs` exists (a path, or a name on `PATH`);
/// if not, installs the Debian `packages` when running as root.
fn ensure_apt_tool(what: &str, programs: &[&str], packages: &[&str]) -> Result<()> {
    let exists = |p: &&str| if p.starts_with('/') { PathBuf::from(p).is_file() } else { which(p).is_some() };
    if programs.iter().all(exists) {
        step(what, &format!("found {}", describe_versions(programs)));
        return Ok(());
    }
    if output("id", &["-u"]).as_deref() != Some("0") {
        let list = packages.join(" ");
        return Err(format!(
            "{what} is missing. Install the Debian package(s) `{list}` \
             (e.g. `sudo apt-get install -y {list}`), then run this again."
        )
        .into());
    }
    step(what, &format!("missing; running `apt-get install -y {}`", packages.join(" ")));
    apt_install(packages)
}

fn describe_versions(programs: &[&str]) -> String {
    let versions: Vec<String> = programs
        .iter()
        .map(|p| output(p, &["--version"]).unwrap_or_else(|| p.to_string()))
        .map(|v| v.lines().next().unwrap_or("").to_string())
        .collect();
    versions.join(", ")
}

/// Whether this run already refreshed apt's package lists.
static APT_UPDATED: AtomicBool = AtomicBool::new(false);

fn apt_install(packages: &[&str]) -> Result<()> {
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        cmd::run(Command::new("apt-get").arg("update"))?;
    }
    cmd::run(Command::new("apt-get").env("DEBIAN_FRONTEND", "noninteractive").args(["install", "-y"]).args(packages))
}

/// `npm ci` in `e2e/` when `node_modules` is missing or older than the lockfile
/// (npm records what it installed in `node_modules/.package-lock.json`).
fn ensure_e2e_packages() -> Result<()> {
    let e2e = repo_root().join("e2e");
    let mtime = |p: PathBuf| p.metadata().and_then(|m| m.modified()).ok();
    let wanted = mtime(e2e.join("package-lock.json")).ok_or("e2e/package-lock.json is missing")?;
    let installed = mtime(e2e.join("node_modules/.package-lock.json"));
    if installed.is_some_and(|t| t >= wanted) {
        step("e2e npm packages", "up to date");
        return Ok(());
    }
    step("e2e npm packages", "missing or stale; running `npm ci` in e2e/");
    cmd::run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1").current_dir(&e2e))
}

/// The version of package `name` in a `Cargo.lock` (the first, if several).
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return version.strip_suffix('"').map(str::to_string);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    #[test]
    fn reads_the_exact_package_not_a_prefix() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.80\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "serde"), None);
    }

    #[test]
    fn minor_versions() {
        assert_eq!(super::minor("0.5.4"), "0.5");
        assert_eq!(super::minor("0.5.0-alpha.1"), "0.5");
        assert_eq!(super::minor("1"), "1");
    }

    #[test]
    fn binaryen_versions() {
        assert_eq!(super::binaryen_version("wasm-opt version 108"), Some(108));
        assert_eq!(super::binaryen_version("wasm-opt version 132 (version_132)"), Some(132));
        assert_eq!(super::binaryen_version("something else"), None);
    }

    #[test]
    fn reads_this_repository_lockfile() {
        let lock = std::fs::read_to_string(crate::repo_root().join("Cargo.lock")).unwrap();
        assert!(locked_version(&lock, "wasm-bindgen").is_some());
    }
}
