//! The program as mdBook runs it: `supports RENDERER`, then `[context, book]` as JSON
//! on stdin and the changed book on stdout (or a message on stderr and exit status 1).

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use mdbook_preprocessor::PreprocessorContext;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const PROGRAM: &str = env!("CARGO_BIN_EXE_mdbook-looplab");

/// Runs the program with one chapter `content` at `path`, as mdBook would.
fn preprocess(content: &str, path: &str) -> Output {
    let ctx = PreprocessorContext::new(std::env::temp_dir(), Config::default(), "html".into());
    let book = Book::new_with_items(vec![BookItem::Chapter(Chapter::new("Lessons", content.into(), path, Vec::new()))]);
    let input = serde_json::to_vec(&(ctx, book)).unwrap();
    let mut child = Command::new(PROGRAM).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn supports_only_the_html_renderer() {
    let status = |renderer: &str| Command::new(PROGRAM).args(["supports", renderer]).status().unwrap();
    assert!(status("html").success());
    assert!(!status("epub").success());
}

#[test]
fn answers_the_changed_book_as_json() {
    let output = preprocess("# Lessons\n\n```looplab lesson=errors fail-ms=200 compact\n```\n", "a/b/lessons.md");
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let book: Book = serde_json::from_slice(&output.stdout).unwrap();
    let content = &book.chapters().next().unwrap().content;
    assert!(content.contains("<loop-lab lesson=\"errors\" fail-ms=\"200\" compact>\n</loop-lab>"), "{content}");
    assert!(content.ends_with("<script type=\"module\" src=\"../../www/embed.js\"></script>\n"), "{content}");
}

#[test]
fn a_mistake_is_exit_status_1_and_a_message_naming_the_chapter() {
    let output = preprocess("```looplab lesson=nope\n```\n", "lessons.md");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("chapter \"Lessons\" (src/lessons.md): line 1: `nope` is not a lesson"), "{message}");
}
