//! `cargo xtask book [--no-build]`: the example mdBook, `examples/book/`, built with
//! the real `mdbook` and this repository's preprocessor into `target/book/`.
//!
//! The book's `book.toml` does the wiring, so a plain `mdbook build examples/book`
//! works too once the two inputs below exist:
//!
//! - `[preprocessor.looplab]` runs `mdbook-looplab` through `cargo run`, which turns
//!   each ```` ```looplab ```` block into a `<loop-lab>` element and adds the script;
//! - its `dist = "../../target/dist"` copies Loop Lab's static site (what
//!   `cargo xtask dist` writes there) into the book's `src/`, so mdBook copies it
//!   into the output's root, where the Service Worker's scope covers every page.
//!   Those copies are ignored by git (`examples/book/.gitignore`).
//!
//! So this command writes the site into `target/dist` (as `cargo xtask dist`
//! does), builds the preprocessor, and runs `mdbook build`. `e2e/book.test.mjs`
//! runs it, then the lessons of the built pages.

use crate::args::Args;
use crate::cmd::{self, step};
use crate::{build, dist, repo_root, tools, Result};
use std::path::Path;
use std::process::Command;

/// The example book, relative to the repository's root.
pub const BOOK: &str = "examples/book";
/// Where its `book.toml` has mdBook write it.
pub const OUT: &str = "target/book";

/// `cargo xtask book [--no-build]`; `--no-build` uses the `pkg/` already built.
pub fn cli(mut args: Args) -> Result<()> {
    let no_build = args.flag("--no-build");
    args.finish()?;
    let root = repo_root();
    tools::ensure_minifier()?;
    tools::ensure_mdbook()?;
    if no_build {
        if !root.join("pkg/looplab_bg.wasm").is_file() {
            return Err("--no-build: pkg/ has not been built; run `cargo xtask build` first".into());
        }
    } else {
        tools::ensure(tools::Need::Build)?;
        build::build(false, true)?;
    }
    write_book(&root)
}

/// The site into `target/dist`, the preprocessor, then `mdbook build`.
pub fn write_book(root: &Path) -> Result<()> {
    dist::write_site(root, &root.join("target/dist"))?;
    step("book", "building the preprocessor: cargo build --package mdbook-looplab");
    cmd::run(Command::new("cargo").current_dir(root).args(["build", "--quiet", "--package", "mdbook-looplab"]))?;
    cmd::run(Command::new("mdbook").current_dir(root).args(["build", BOOK]))?;
    step("book", &format!("{BOOK} written to {}", root.join(OUT).display()));
    Ok(())
}
