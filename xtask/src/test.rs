//! `cargo xtask test`: every test the project has, in five stages, stopping at
//! the first failure.
//!
//! 1. **native** — `cargo test --workspace`: the trace logic's unit tests and
//!    xtask's own (API contract, dev server).
//! 2. **browser** — `wasm-pack test --headless --chrome`: `tests/*.rs` compiled to
//!    wasm and run in Chromium via chromedriver (flags in `webdriver.json`).
//!    Tests that fetch need the demo API, so a dev server runs in this process
//!    on a free port and its origin is passed as `LOOPLAB_API` — read by the
//!    tests at *compile* time with `option_env!("LOOPLAB_API")`. The test page
//!    is served by wasm-pack from another origin, hence the API's CORS headers.
//!    `--include-ignored` runs the tests of the dev server's misbehaving routes,
//!    which a bare `wasm-pack test` skips (tests/common/mod.rs).
//! 3. **browser, Firefox** — the same tests again in headless Firefox ESR via
//!    geckodriver: a second engine catches what one browser happens to allow.
//! 4. **browser, bare** — `wasm-pack test --headless --chrome` exactly as a Rust
//!    developer runs it in a fresh clone: no `LOOPLAB_API`, so the tests that fetch
//!    reach the Service Worker's demo API (`www/sw.js`) through its bridge frame,
//!    and the dev-server-only ones are listed as ignored, with their reason.
//! 5. **end-to-end** — `cargo xtask build`, then `node --test` over
//!    `e2e/*.test.mjs` (each file starts its own server and browser).

use crate::cmd::{self, step, which};
use crate::tools::{self, Need};
use crate::{build, repo_root, server, Result};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The environment variable that carries the demo API's origin to browser tests.
pub const API_ENV: &str = "LOOPLAB_API";

type Stage = (&'static str, fn() -> Result<()>);

const STAGES: [Stage; 5] = [
    ("native tests: cargo test --workspace", native),
    ("browser tests: wasm-pack test --headless --chrome", || browser(Engine::Chrome)),
    ("browser tests: wasm-pack test --headless --firefox", || browser(Engine::Firefox)),
    ("browser tests as a fresh clone runs them: bare wasm-pack test --headless --chrome", bare),
    ("end-to-end tests: cargo xtask build, node --test e2e/", end_to_end),
];

/// The browsers the wasm tests run in, each through its WebDriver.
#[derive(Clone, Copy)]
enum Engine {
    Chrome,
    Firefox,
}

/// Runs the stages in order.
pub fn run() -> Result<()> {
    tools::ensure(Need::Browser)?;
    tools::ensure_firefox()?;
    for (i, (name, stage)) in STAGES.iter().enumerate() {
        let label = format!("stage {}/{}", i + 1, STAGES.len());
        step(&label, name);
        stage().map_err(|e| format!("{label} failed ({name}): {e}"))?;
    }
    println!("xtask test: {} stages passed", STAGES.len());
    Ok(())
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
    match ignored {
        3 => Ok(()),
        n => {
            Err(format!("a bare run lists the 3 tests of the dev server's hostile routes as ignored, with the reason; it listed {n}")
                .into())
        }
    }
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
