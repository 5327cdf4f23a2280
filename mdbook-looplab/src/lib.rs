//! `mdbook-looplab`: live Loop Lab lessons in an mdBook, from fenced blocks.
//!
//! In a chapter,
//!
//! ````markdown
//! ```looplab lesson=errors fail-ms=200 compact
//! ```
//! ````
//!
//! becomes the element `<loop-lab lesson="errors" fail-ms="200" compact></loop-lab>`,
//! and a page with at least one such block gets `<script type="module"
//! src="…/www/embed.js">` once, its path climbing out of the chapter's folder
//! (`../www/embed.js` for `part/chapter.md`), or starting from the book's address
//! when `book.toml` gives one (`[output.html] site-url = "/book/"`), which keeps it
//! right on the print page too, where every chapter shares the book's root. The attributes are the element's
//! ([`embed`] says how they are written and what is checked); a mistake fails the
//! build with the chapter, the line and what is wrong, never a broken page.
//!
//! In `book.toml`:
//!
//! ```toml
//! [preprocessor.looplab]
//! # Optional: Loop Lab's static site (`cargo xtask dist`), copied into the book's
//! # source folder on every build, so that mdBook copies it into the output.
//! dist = "../looplab-dist"
//! # Optional: where Loop Lab's files are in the book (default: its root, so that the
//! # Service Worker's scope covers every page).
//! folder = ""
//! ```
//!
//! mdBook runs this program twice per renderer: `mdbook-looplab supports html`
//! (answered by exit status: only the HTML renderer runs script), then with the book
//! as JSON on stdin, expecting the changed book on stdout (`src/main.rs`). The types
//! and the protocol are mdBook's own, from the `mdbook-preprocessor` crate.
#![deny(missing_docs)]

pub mod embed;
pub mod fence;
pub mod files;
pub mod lessons;

use lessons::Lessons;
use mdbook_preprocessor::book::{Book, Chapter};
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::path::{Path, PathBuf};

/// The preprocessor, named `looplab` in `book.toml`.
pub struct LoopLab;

/// The keys of `[preprocessor.looplab]`.
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    /// `dist`: Loop Lab's static site, relative to the book's root, to copy into its source folder.
    pub dist: Option<PathBuf>,
    /// `folder`: where Loop Lab's files are in the book, relative to its root; empty for the root.
    pub folder: String,
    /// `[output.html] site-url`, if set: the path the book is served under (`/book/`).
    pub site_url: Option<String>,
}

impl Options {
    /// Reads the options from the book's configuration.
    pub fn read(ctx: &PreprocessorContext) -> Result<Self> {
        let dist = ctx.config.get::<PathBuf>("preprocessor.looplab.dist")?;
        let folder = ctx.config.get::<String>("preprocessor.looplab.folder")?.unwrap_or_default();
        let folder = folder.trim_matches('/').to_string();
        let site_url = ctx.config.get::<String>("output.html.site-url")?;
        Ok(Options { dist, folder, site_url })
    }
}

impl Preprocessor for LoopLab {
    fn name(&self) -> &str {
        "looplab"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let options = Options::read(ctx)?;
        let src = ctx.config.book.src.clone();
        if let Some(dist) = &options.dist {
            let into = ctx.root.join(&src).join(&options.folder);
            files::sync(&ctx.root.join(dist), &into).map_err(|e| Error::msg(format!("looplab: {e}")))?;
        }
        let lessons = Lessons::built_in().map_err(Error::msg)?;
        let mut problems = Vec::new();
        book.for_each_chapter_mut(|chapter| match chapter_content(chapter, &lessons, &options) {
            Ok(Some(content)) => chapter.content = content,
            Ok(None) => {}
            Err(found) => problems.extend(found.into_iter().map(|p| format!("{}: {p}", describe(chapter, &src)))),
        });
        if problems.is_empty() {
            return Ok(book);
        }
        Err(Error::msg(format!("looplab: {} problem(s) in ```looplab blocks:\n  {}", problems.len(), problems.join("\n  "))))
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

/// A chapter for a message: its title and its file (`chapter "Errors" (src/part/errors.md)`).
fn describe(chapter: &Chapter, src: &Path) -> String {
    match &chapter.source_path {
        Some(path) => format!("chapter \"{}\" ({})", chapter.name, src.join(path).display()),
        None => format!("chapter \"{}\"", chapter.name),
    }
}

/// The chapter's new content, `None` if it has no looplab block.
fn chapter_content(chapter: &Chapter, lessons: &Lessons, options: &Options) -> std::result::Result<Option<String>, Vec<String>> {
    let depth = chapter.path.as_deref().map_or(0, |p| p.components().count().saturating_sub(1));
    transform(&chapter.content, &script_src(depth, options), lessons)
}

/// Where `www/embed.js` is seen from a chapter `depth` folders below the book's root:
/// from the book's `site-url` if set, else climbing out of the chapter's folder.
pub fn script_src(depth: usize, options: &Options) -> String {
    let folder = if options.folder.is_empty() { String::new() } else { format!("{}/", options.folder) };
    let base = match &options.site_url {
        Some(url) if url.ends_with('/') => url.clone(),
        Some(url) => format!("{url}/"),
        None => "../".repeat(depth),
    };
    format!("{base}{folder}{}", files::EMBED)
}

/// `markdown` with each looplab block replaced by its element and the script
/// `script_src` added once at the end; `None` if it has no block. Each problem is
/// `line N: what is wrong`.
pub fn transform(markdown: &str, script_src: &str, lessons: &Lessons) -> std::result::Result<Option<String>, Vec<String>> {
    let blocks = fence::find(markdown).map_err(|u| vec![format!("line {}: this ```looplab block is never closed", u.line)])?;
    if blocks.is_empty() {
        return Ok(None);
    }
    let (mut out, mut problems, mut copied) = (String::new(), Vec::new(), 0);
    for block in &blocks {
        out.push_str(&markdown[copied..block.range.start]);
        copied = block.range.end;
        match embed::parse(&block.attributes, lessons) {
            // Blank lines around: an HTML block cannot interrupt a paragraph, and runs to a blank line.
            Ok(attributes) => out.push_str(&format!("\n{0}{1}\n{0}</loop-lab>\n\n", block.indent, embed::element(&attributes))),
            Err(problem) => problems.push(format!("line {}: {problem}", block.line)),
        }
    }
    out.push_str(&markdown[copied..]);
    if !problems.is_empty() {
        return Err(problems);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("\n<script type=\"module\" src=\"{script_src}\"></script>\n"));
    Ok(Some(out))
}

#[cfg(test)]
mod tests;
