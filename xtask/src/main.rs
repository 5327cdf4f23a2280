//! `cargo xtask` — Loop Lab's build tool, written in Rust so that the only thing a
//! contributor needs to start is `cargo` (the [xtask pattern]).
//!
//! Every subcommand first *ensures* the tools it needs (installing them from
//! crates.io or apt when missing), printing one line per check, then does its job:
//!
//! | command | what it does |
//! |---|---|
//! | `cargo xtask build [--dev] [--only ID]` | compile the crate to wasm, run wasm-bindgen and wasm-opt into `pkg/` (`--only`: just `pkg/one/ID/`) |
//! | `cargo xtask serve [--port N] [--host H] [--root DIR] [--no-build]` | build, then serve the site and the demo API |
//! | `cargo xtask dist [--out DIR] [--no-build]` | build, then write a self-contained static site (default `target/dist`) |
//! | `cargo xtask book [--no-build]` | build, write the site, then build the example mdBook `examples/book` into `target/book` ([`book`]) |
//! | `cargo xtask test [--quick]` | fmt and clippy, native tests, browser tests (wasm-pack; Chromium, then Firefox), end-to-end tests (node + Chromium); `--quick` skips Firefox |
//! | `cargo xtask bench [--from FILE] [--python] [--save-baseline]` | build, run `bench/index.html` in headless Chromium, write `target/bench/report.json` and `docs/benchmarks.md` (with `--from`: only the page, from a saved report; `--python`: only Pyodide's figures, into the last report; `--save-baseline`: also store the run's tracing ratios in `bench/baseline.json`, [`bench_baseline`]) |
//! | `cargo xtask lessons [--check]` | write the lesson list's blocks of `index.html` and the README ([`lessons`]) |
//!
//! Arguments are parsed by hand ([`args::Args`]): seven commands and a handful of
//! flags do not justify an argument-parsing framework on a 2-core CI machine.
//!
//! [xtask pattern]: https://github.com/matklad/cargo-xtask
#![deny(missing_docs)]

mod api;
mod args;
mod bench;
mod bench_baseline;
mod bench_doc;
mod book;
mod build;
mod cmd;
mod dist;
mod lessons;
mod lessons_js;
mod minify;
mod names;
mod npm;
mod one;
mod server;
mod server_api;
mod test;
mod tools;

use std::path::PathBuf;

/// Every fallible step returns this; the message is printed once, in `main`.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The repository root: the parent of this crate's manifest directory.
pub fn repo_root() -> PathBuf {
    let xtask_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().map(PathBuf::from).unwrap_or(xtask_dir)
}

const USAGE: &str = "usage: cargo xtask <command>

commands:
  build [--dev] [--only ID]           build the wasm package into pkg/ (--only: just the
                                        one-lesson module pkg/one/ID/, to iterate on its size)
  serve [--port N] [--host H]         build, then serve the site and demo API
        [--root DIR] [--no-build]       (default 127.0.0.1:8000; --port 0 picks a free port)
  dist  [--out DIR] [--no-build]      build (unless --no-build), then write a static site
                                        (default target/dist)
  book  [--no-build]                  build (unless --no-build), write the site, then build
                                        the example mdBook examples/book into target/book
  test  [--quick]                     fmt + clippy, native, browser (wasm-pack: Chromium,
                                        then Firefox) and end-to-end tests;
                                        --quick skips Firefox
  bench [--from FILE] [--python] [--save-baseline]
                                      run bench/index.html in headless Chromium, write
                                        target/bench/report.json and docs/benchmarks.md
                                        (--from: only the page, from a saved report;
                                        --python: only Pyodide's figures, into the last
                                        report, on the pkg/ built last;
                                        --save-baseline: store its tracing ratios in
                                        bench/baseline.json)
  lessons [--check]                   write index.html's and README.md's lesson blocks from
                                        src/lessons/lessons.json (--check: only compare)";

fn main() {
    let mut argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.is_empty() || argv[0] == "help" || argv[0] == "--help" || argv[0] == "-h" {
        println!("{USAGE}");
        return;
    }
    let command = argv.remove(0);
    if let Err(err) = dispatch(&command, args::Args::new(argv)) {
        eprintln!("xtask {command}: error: {err}");
        std::process::exit(1);
    }
}

/// Runs one subcommand with its remaining arguments.
fn dispatch(command: &str, mut args: args::Args) -> Result<()> {
    match command {
        "build" => {
            let dev = args.flag("--dev");
            let only = args.value("--only")?;
            args.finish()?;
            tools::ensure(tools::Need::Build)?;
            match only {
                Some(id) => one::build_only(&id),
                None => build::build(dev, !dev).map(|_| ()),
            }
        }
        "serve" => server::cli(args),
        "dist" => dist::cli(args),
        "book" => book::cli(args),
        "test" => {
            let quick = args.flag("--quick");
            args.finish()?;
            test::run(quick)
        }
        "bench" => bench::cli(args),
        "lessons" => {
            let check = args.flag("--check");
            args.finish()?;
            lessons::refresh(&repo_root(), check)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}").into()),
    }
}
