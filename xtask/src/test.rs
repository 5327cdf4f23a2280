//! `cargo xtask test`: every test the project has, in six stages, stopping at
//! the first failure.
//!
//! 1. **lint** — `cargo fmt --all --check`, then clippy with `-D warnings` three times:
//!    `--workspace --all-targets` natively (xtask, the trace logic's unit tests), and
//!    the crate again for `wasm32-unknown-unknown` with `--all-targets --all-features`,
//!    because most of the crate and every `tests/*.rs` file is compiled for wasm
//!    only: a native clippy never reads them; and a third time for the inspector's
//!    own module (`LOOPLAB_LESSON=@reader`, src/reader.rs). First, because it is the quickest
//!    stage to fail and says exactly where.
//! 2. **native** — `cargo test --workspace`: the trace logic's unit tests and
//!    xtask's own (API contract, dev server).
//! 3. **browser** — `wasm-pack test --headless --chrome`: `tests/*.rs` compiled to
//!    wasm and run in Chromium via chromedriver (flags in `webdriver.json`).
//!    Tests that fetch need the demo API, so a dev server runs in this process
//!    on a free port and its origin is passed as `LOOPLAB_API` — read by the
//!    tests at *compile* time with `option_env!("LOOPLAB_API")`. The test page
//!    is served by wasm-pack from another origin, hence the API's CORS headers.
//!    `--include-ignored` runs the tests of the dev server's misbehaving routes,
//!    which a bare `wasm-pack test` skips (tests/common/mod.rs).
//! 4. **browser, Firefox** — the same tests again in headless Firefox ESR via
//!    geckodriver: a second engine catches what one browser happens to allow.
//! 5. **browser, bare** — `wasm-pack test --headless --chrome` exactly as a Rust
//!    developer runs it in a fresh clone: no `LOOPLAB_API`, so the tests that fetch
//!    reach the Service Worker's demo API (`www/sw.js`) through its bridge frame,
//!    and the dev-server-only ones are listed as ignored, with their reason.
//! 6. **end-to-end** — `cargo xtask build`, then `node --test` over
//!    `e2e/*.test.mjs` (each file starts its own server and Chromium;
//!    `book.test.mjs` first builds the example mdBook with `cargo xtask book`,
//!    hence mdBook among the tools).
//!
//! `cargo xtask test --quick` is the inner loop: every stage but the Firefox one,
//! so neither Firefox nor geckodriver is needed (or installed).

use crate::cmd::{self, step, which};
use crate::tools::{self, Need};
use crate::{build, repo_root, server, Result};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The environment variable that carries the demo API's origin to browser tests.
pub const API_ENV: &str = "LOOPLAB_API";

/// One stage: what it runs, whether `--quick` keeps it, and the code.
struct Stage {
    name: &'static str,
    quick: bool,
    run: fn() -> Result<()>,
}

const STAGES: [Stage; 6] = [
    Stage { name: "lint: cargo fmt --check, cargo clippy -D warnings (native and wasm32)", quick: true, run: lint },
    Stage { name: "native tests: cargo test --workspace", quick: true, run: native },
    Stage { name: "browser tests: wasm-pack test --headless --chrome", quick: true, run: || browser(Engine::Chrome) },
    Stage { name: "browser tests: wasm-pack test --headless --firefox", quick: false, run: || browser(Engine::Firefox) },
    Stage { name: "browser tests as a fresh clone runs them: bare wasm-pack test --headless --chrome", quick: true, run: bare },
    Stage { name: "end-to-end tests: cargo xtask build, node --test e2e/", quick: true, run: end_to_end },
];

/// The browsers the wasm tests run in, each through its WebDriver.
#[derive(Clone, Copy)]
enum Engine {
    Chrome,
    Firefox,
}

/// Runs the stages in order: all of them, or with `quick` those marked for the inner loop.
pub fn run(quick: bool) -> Result<()> {
    tools::ensure(Need::Browser)?;
    tools::ensure_lint_tools()?;
    tools::ensure_mdbook()?;
    if !quick {
        tools::ensure_firefox()?;
    }
    let stages: Vec<&Stage> = STAGES.iter().filter(|s| s.quick || !quick).collect();
    for (i, stage) in stages.iter().enumerate() {
        let label = format!("stage {}/{}", i + 1, stages.len());
        step(&label, stage.name);
        (stage.run)().map_err(|e| format!("{label} failed ({}): {e}", stage.name))?;
    }
    let skipped = if quick { " (--quick: Firefox skipped)" } else { "" };
    println!("xtask test: {} stages passed{skipped}", stages.len());
    Ok(())
}

/// Formatting, then clippy natively and for the wasm target; any warning fails.
fn lint() -> Result<()> {
    let cargo = |args: &[&str]| cmd::run(Command::new("cargo").current_dir(repo_root()).args(args));
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    // Only the crate itself: xtask is a native tool and does not build for wasm.
    cargo(&[
        "clippy",
        "--package",
        "looplab",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ])?;
    // The inspector's own module (src/reader.rs) compiles only under its cfg.
    let lib = ["clippy", "--package", "looplab", "--target", "wasm32-unknown-unknown", "--lib", "--", "-D", "warnings"];
    cmd::run(Command::new("cargo").current_dir(repo_root()).env("LOOPLAB_LESSON", "@reader").args(lib))
}

fn native() -> Result<()> {
    cmd::run(Command::new("cargo").current_dir(repo_root()).args(["test", "--workspace"]))
}

fn browser(engine: Engine) -> Result<()> {
    let api = server::start("127.0.0.1", 0, &repo_root())?;
    let origin = format!("http://{}", api.addr);
    step("demo API for browser tests", &format!("{API_ENV}={origin}"));
    let mut command = wasm_pack(engine)?;
    cmd::run(command.args(["--", "--", "--include-ignored"]).env(API_ENV, &origin))
    // The server thread ends with the process; nothing else listens on its port.
}

/// `wasm-pack test --headless --chrome` with nothing more: no demo API of ours. It
/// must pass, and its output (passed through as it comes) must list the tests of the
/// dev server's hostile routes as ignored, with their reason.
fn bare() -> Result<()> {
    let mut command = wasm_pack(Engine::Chrome)?;
    command.env_remove(API_ENV).stdout(Stdio::piped());
    let mut child = command.spawn().map_err(|e| format!("cannot start `{}`: {e}", cmd::describe(&command)))?;
    let mut ignored = 0;
    for line in BufReader::new(child.stdout.take().ok_or("no stdout")?).lines() {
        let line = line?;
        ignored += usize::from(line.contains("... ignored, needs the dev server's"));
        println!("{line}");
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(format!("`{}` failed ({status})", cmd::describe(&command)).into());
    }
    if ignored != 3 {
        return Err(format!("a bare run lists the 3 hostile-route tests as ignored, with the reason; it listed {ignored}").into());
    }
    Ok(())
}

/// `wasm-pack test --headless` in `engine`, with its WebDriver found on `PATH`.
fn wasm_pack(engine: Engine) -> Result<Command> {
    let (flag, driver_flag, driver) = match engine {
        Engine::Chrome => ("--chrome", "--chromedriver", "chromedriver"),
        Engine::Firefox => ("--firefox", "--geckodriver", "geckodriver"),
    };
    let path = which(driver).ok_or_else(|| format!("{driver} is not on PATH"))?;
    let mut command = Command::new("wasm-pack");
    command.current_dir(repo_root()).args(["test", "--headless", flag, "--mode", "no-install", driver_flag]).arg(path);
    Ok(command)
}

fn end_to_end() -> Result<()> {
    build::build(false, true)?;
    let root = repo_root();
    let mut files: Vec<_> = std::fs::read_dir(root.join("e2e"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no e2e/*.test.mjs files found".into());
    }
    // One file at a time: two Chromiums on a 2-core machine would skew the timings.
    cmd::run(Command::new("node").current_dir(&root).args(["--test", "--test-concurrency=1"]).args(&files).env("LOOPLAB_ROOT", &root))
}

#[cfg(test)]
mod tests {
    use super::STAGES;

    #[test]
    fn lint_comes_first_and_quick_skips_only_firefox() {
        assert!(STAGES[0].name.starts_with("lint:"), "{}", STAGES[0].name);
        let skipped: Vec<&str> = STAGES.iter().filter(|s| !s.quick).map(|s| s.name).collect();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].contains("--firefox"), "{skipped:?}");
    }
}
