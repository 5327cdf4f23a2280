//! Unit tests for the lesson list and the blocks written from it, and the check that
//! the repository's files agree with the list.

use super::*;
use crate::repo_root;

fn entry(id: &str, title: &str, playground: bool) -> Entry {
    Entry { id: id.into(), title: title.into(), blurb: format!("What {id} | shows."), playground }
}

fn sample() -> Vec<Entry> {
    vec![entry("a-b", "A & B", false), entry("c", "C", false), entry("playground", "Yours", true)]
}

#[test]
fn blocks_are_filled_at_their_markers_indent_and_links_get_titles() {
    let page = "<nav>\n    <!-- lessons:toc -->\n    <li>stale</li>\n    <!-- /lessons:toc -->\n</nav>\n\
                <p>See <a href=\"#lesson-c\">old words</a>.</p>\n\
                <!-- lessons:elements -->\n<!-- /lessons:elements -->\n";
    let want = "<nav>\n    <!-- lessons:toc -->\n    \
                <li><a href=\"#lesson-a-b\">A &amp; B</a></li>\n    \
                <li><a href=\"#lesson-c\">C</a></li>\n    <!-- /lessons:toc -->\n</nav>\n\
                <p>See <a href=\"#lesson-c\">C</a>.</p>\n<!-- lessons:elements -->\n\
                <loop-lab lesson=\"a-b\" id=\"lesson-a-b\" python></loop-lab>\n\
                <loop-lab lesson=\"c\" id=\"lesson-c\" python></loop-lab>\n<!-- /lessons:elements -->\n";
    let filled = fill(page, &sample()).unwrap();
    assert_eq!(filled, want);
    assert_eq!(fill(&filled, &sample()).unwrap(), filled, "filling twice changes nothing");
}

#[test]
fn the_readme_table_lists_the_playground_too() {
    let filled = fill("# Intro\n<!-- lessons -->\n| old |\n<!-- /lessons -->\nMore.\n", &sample()).unwrap();
    let want = "# Intro\n<!-- lessons -->\n\n| Lesson | id | What it shows |\n|---|---|---|\n\
                | A & B | `a-b` | What a-b \\| shows. |\n| C | `c` | What c \\| shows. |\n\
                | Yours | `playground` | What playground \\| shows. |\n\n<!-- /lessons -->\nMore.\n";
    assert_eq!(filled, want);
    assert_eq!(fill("No markers, no links.\n", &sample()).unwrap(), "No markers, no links.\n");
}

#[test]
fn broken_markers_and_unknown_links_are_errors() {
    for bad in [
        "<!-- lessons -->\nno end\n",
        "<!-- /lessons -->\n",
        "<!-- lessons -->\n<!-- /lessons -->\n<!-- lessons -->\n<!-- /lessons -->\n",
        "x <!-- lessons -->\n<!-- /lessons -->\n",
        "<!-- lessons --><!-- /lessons -->\n",
        "<a href=\"#lesson-nope\">?</a>",
        "<a href=\"#lesson-c\">never closed",
    ] {
        assert!(fill(bad, &sample()).is_err(), "accepted: {bad:?}");
    }
}

#[test]
fn a_list_must_keep_its_promises() {
    let ok = r#"[{"id": "a", "title": "A", "blurb": "Shows a."}, {"id": "p", "kind": "playground", "title": "P", "blurb": "Yours."}]"#;
    assert_eq!(parse(ok).unwrap().len(), 2);
    let long = "x".repeat(100);
    for bad in [
        ok.replace("\"title\": \"A\"", "\"titel\": \"A\""),
        ok.replace("\"id\": \"a\"", "\"id\": \"p\""),
        ok.replace("\"id\": \"a\"", "\"id\": \"A_b\""),
        ok.replace("Shows a.", "Shows a. Twice."),
        ok.replace("Shows a.", &format!("{long}.")),
        ok.replace("\"kind\": \"playground\"", "\"kind\": \"game\""),
        ok.replace("\"kind\": \"playground\", ", ""),
        r#"[{"id": "p", "kind": "playground", "title": "P", "blurb": "Yours."}, {"id": "a", "title": "A", "blurb": "A."}]"#.into(),
    ] {
        assert!(parse(&bad).is_err(), "accepted: {bad}");
    }
}

#[test]
fn the_repository_list_has_every_lesson_then_the_playground() {
    let ids = ids(&repo_root()).unwrap();
    assert_eq!(ids.len(), 14, "{ids:?}");
    assert_eq!(ids.first().map(String::as_str), Some("mental-model"));
    assert_eq!(ids.last().map(String::as_str), Some("playground"));
}

/// `index.html` always has its blocks; `README.md` is checked once it has the table's.
#[test]
fn index_html_and_readme_are_up_to_date_with_the_list() {
    let root = repo_root();
    let page = std::fs::read_to_string(root.join("index.html")).unwrap();
    for marker in ["<!-- lessons:toc -->", "<!-- lessons:elements -->"] {
        assert!(page.contains(marker), "index.html has no {marker}");
    }
    refresh(&root, true).unwrap();
}

/// The npm package's types name the ids in `mount`'s documentation: the same, in order.
#[test]
fn the_npm_types_name_every_lesson() {
    let types = std::fs::read_to_string(repo_root().join("npm/index.d.ts")).unwrap();
    let from = types.find("Lesson ids:").expect("index.d.ts names the lesson ids");
    let sentence = &types[from..from + types[from..].find("*/").unwrap()];
    let named: Vec<&str> = sentence.split('`').skip(1).step_by(2).collect();
    assert_eq!(named, ids(&repo_root()).unwrap());
}
