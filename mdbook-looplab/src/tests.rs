//! The transformation of whole chapters and books.

use super::*;
use mdbook_preprocessor::book::BookItem;
use mdbook_preprocessor::config::Config;

fn lessons() -> Lessons {
    Lessons::built_in().unwrap()
}

#[test]
fn a_block_becomes_the_element_and_the_page_gets_the_script_once() {
    let md = "# Errors\n\nSee:\n```looplab lesson=errors fail-ms=200 compact\n```\nAfter.\n\n```looplab lesson=lazy\n```\n";
    let got = transform(md, "../www/embed.js", &lessons()).unwrap().unwrap();
    let want = "# Errors\n\nSee:\n\
                \n<loop-lab lesson=\"errors\" fail-ms=\"200\" compact>\n</loop-lab>\n\n\
                After.\n\n\
                \n<loop-lab lesson=\"lazy\">\n</loop-lab>\n\n\
                \n<script type=\"module\" src=\"../www/embed.js\"></script>\n";
    assert_eq!(got, want);
}

#[test]
fn a_page_without_blocks_is_left_alone() {
    let md = "# Plain\n\n```rust\nfn main() {}\n```\n\n<loop-lab lesson=\"lazy\"></loop-lab>\n";
    assert_eq!(transform(md, "www/embed.js", &lessons()), Ok(None));
}

#[test]
fn a_block_in_a_list_item_keeps_its_indentation() {
    let md = "1. Run it:\n   ```looplab lesson=lazy\n   ```\n2. Next";
    let got = transform(md, "www/embed.js", &lessons()).unwrap().unwrap();
    assert!(got.starts_with("1. Run it:\n\n   <loop-lab lesson=\"lazy\">\n   </loop-lab>\n\n2. Next\n"), "{got}");
}

#[test]
fn every_bad_block_of_a_page_is_reported_with_its_line() {
    let md = "```looplab lesson=eror\n```\n\n```looplab lesson=errors fail_ms=1\n```\n\n```looplab lesson=lazy\n";
    let problems = transform(md, "www/embed.js", &lessons()).unwrap_err();
    assert_eq!(problems, vec!["line 7: this ```looplab block is never closed"]);

    let problems = transform(&md.replace("lesson=lazy\n", "lesson=lazy\n```\n"), "www/embed.js", &lessons()).unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("line 1: `eror` is not a lesson; the lessons are mental-model, "), "{}", problems[0]);
    assert!(problems[1].starts_with("line 4: `fail_ms` is not an attribute name"), "{}", problems[1]);
}

#[test]
fn the_script_climbs_out_of_the_chapters_folder_or_starts_from_the_site_url() {
    let options =
        |folder: &str, site_url: Option<&str>| Options { dist: None, folder: folder.into(), site_url: site_url.map(String::from) };
    assert_eq!(script_src(0, &options("", None)), "www/embed.js");
    assert_eq!(script_src(2, &options("", None)), "../../www/embed.js");
    assert_eq!(script_src(1, &options("looplab", None)), "../looplab/www/embed.js");
    assert_eq!(script_src(2, &options("", Some("/book/"))), "/book/www/embed.js");
    assert_eq!(script_src(0, &options("looplab", Some("/book"))), "/book/looplab/www/embed.js");
}

fn chapter(name: &str, content: &str, path: &str) -> BookItem {
    BookItem::Chapter(Chapter::new(name, content.into(), path, Vec::new()))
}

fn run(config: Config, items: Vec<BookItem>) -> Result<Book> {
    let ctx = PreprocessorContext::new(std::env::temp_dir(), config, "html".into());
    LoopLab.run(&ctx, Book::new_with_items(items))
}

#[test]
fn the_preprocessor_changes_only_the_chapters_with_blocks_each_at_its_depth() {
    let mut config = Config::default();
    config.set("preprocessor.looplab.folder", "/looplab/").unwrap();
    let block = "```looplab lesson=gather-fetch\n```\n";
    let site = config.clone();
    let book = run(config, vec![chapter("Intro", "# Intro\n", "intro.md"), chapter("Fetch", block, "part/fetch.md")]).unwrap();
    let contents: Vec<&str> = book.chapters().map(|c| c.content.as_str()).collect();
    assert_eq!(contents[0], "# Intro\n");
    assert!(contents[1].contains("<loop-lab lesson=\"gather-fetch\">"), "{}", contents[1]);
    assert!(contents[1].ends_with("<script type=\"module\" src=\"../looplab/www/embed.js\"></script>\n"), "{}", contents[1]);

    let mut config = site;
    config.set("output.html.site-url", "/book/").unwrap();
    let book = run(config, vec![chapter("Fetch", block, "part/fetch.md")]).unwrap();
    let content = &book.chapters().next().unwrap().content;
    assert!(content.ends_with("<script type=\"module\" src=\"/book/looplab/www/embed.js\"></script>\n"), "{content}");
}

#[test]
fn a_mistake_fails_the_build_naming_the_chapter_and_its_file() {
    let items = vec![chapter("Errors", "text\n\n```looplab lesson=errors compact=yes\n```\n", "part/errors.md")];
    let err = run(Config::default(), items).unwrap_err().to_string();
    let want = "looplab: 1 problem(s) in ```looplab blocks:\n  chapter \"Errors\" (src/part/errors.md): line 3: `compact` is a switch";
    assert!(err.starts_with(want), "{err}");
}

#[test]
fn a_dist_that_is_no_loop_lab_site_fails_the_build() {
    let mut config = Config::default();
    config.set("preprocessor.looplab.dist", "no-such-folder-for-looplab").unwrap();
    let err = run(config, Vec::new()).unwrap_err().to_string();
    assert!(err.contains("no Loop Lab site at") && err.contains("cargo xtask dist"), "{err}");
}

#[test]
fn only_the_html_renderer() {
    assert!(LoopLab.supports_renderer("html").unwrap());
    assert!(!LoopLab.supports_renderer("markdown").unwrap());
}
