//! The program mdBook runs for `[preprocessor.looplab]`: mdBook's preprocessor
//! protocol around [`mdbook_looplab::LoopLab`].
//!
//! - `mdbook-looplab supports RENDERER` exits 0 if the renderer is supported (`html`), else 1.
//! - `mdbook-looplab` reads `[context, book]` as JSON on stdin and writes the changed
//!   book as JSON on stdout. A problem goes to stderr and the exit status is 1, which
//!   fails the build; mdBook shows stderr as it is.

use mdbook_looplab::LoopLab;
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{parse_input, Preprocessor, MDBOOK_VERSION};
use std::process::ExitCode;

const USAGE: &str = "usage: mdbook-looplab [supports RENDERER]\n\
    An mdBook preprocessor: ```looplab blocks become live Loop Lab lessons. mdBook runs it;\n\
    add `[preprocessor.looplab]` to book.toml.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.as_slice() {
        [supports, renderer] if supports == "supports" => return supported(renderer),
        [] => preprocess(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

fn supported(renderer: &str) -> ExitCode {
    match LoopLab.supports_renderer(renderer) {
        Ok(true) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

/// The book from stdin, changed, to stdout.
fn preprocess() -> Result<()> {
    let (ctx, book) = parse_input(std::io::stdin().lock())?;
    if major_minor(&ctx.mdbook_version) != major_minor(MDBOOK_VERSION) {
        eprintln!(
            "mdbook-looplab: warning: built for mdBook {MDBOOK_VERSION}, called by mdBook {}; \
             if the build fails, install a matching mdBook",
            ctx.mdbook_version
        );
    }
    let book = LoopLab.run(&ctx, book)?;
    serde_json::to_writer(std::io::stdout().lock(), &book)?;
    Ok(())
}

/// `0.5.4` → `0.5`: releases within one minor version share the protocol.
fn major_minor(version: &str) -> &str {
    let mut dots = version.match_indices('.');
    let second = dots.nth(1).map_or(version.len(), |(i, _)| i);
    &version[..second]
}
