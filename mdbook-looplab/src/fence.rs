//! Finding the ```` ```looplab ```` blocks of a chapter.
//!
//! A CommonMark fenced code block opens with a line of three or more backticks (or
//! tildes) and an *info string*, and closes with a line of the same character, at
//! least as long, and nothing else. The blocks whose info string's first word is
//! `looplab` are ours. Every other fenced block is skipped whole, so a looplab block
//! shown *inside* a longer fence (as a page documenting this syntax does) stays text.
//!
//! The scan is line by line and knows no other Markdown. It accepts any indentation,
//! so a block inside a list item is found; a block inside a block quote
//! (`> ```looplab`) is not, and stays a code block.

use std::ops::Range;

/// The word that marks a fenced block as a Loop Lab lesson.
pub const TAG: &str = "looplab";

/// One ```` ```looplab ```` block.
#[derive(Debug, PartialEq)]
pub struct Block<'a> {
    /// The bytes it spans: from the opening fence's line to the end of the closing one's.
    pub range: Range<usize>,
    /// The opening fence's line, counted from 1, for messages.
    pub line: usize,
    /// The opening fence's indentation, given to the HTML that replaces the block.
    pub indent: &'a str,
    /// The info string after `looplab`, and the body's lines: the attributes.
    pub attributes: Vec<&'a str>,
}

/// A ```` ```looplab ```` block that is never closed (the whole rest of the chapter
/// would be its body): the line it opens on.
#[derive(Debug, PartialEq)]
pub struct Unclosed {
    /// The opening fence's line, counted from 1.
    pub line: usize,
}

/// An opening fence: its character, its length, its indentation and info string.
struct Open<'a> {
    fence: char,
    len: usize,
    indent: &'a str,
    info: &'a str,
}

/// Every looplab block of `markdown`, in order.
pub fn find(markdown: &str) -> Result<Vec<Block<'_>>, Unclosed> {
    let mut blocks = Vec::new();
    // The fence we are inside, where its line starts, and (if ours) its collected lines.
    let mut inside: Option<(Open, usize, usize, Vec<&str>)> = None;
    let mut offset = 0;
    for (index, raw) in markdown.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += raw.len();
        let Some((open, first, line_no, mut lines)) = inside.take() else {
            inside = opening(line).map(|open| (open, start, index + 1, Vec::new()));
            continue;
        };
        if !closes(line, &open) {
            lines.push(line);
            inside = Some((open, first, line_no, lines));
            continue;
        }
        if let Some(rest) = ours(open.info) {
            lines.insert(0, rest);
            blocks.push(Block { range: first..offset, line: line_no, indent: open.indent, attributes: lines });
        }
    }
    match inside {
        Some((open, _, line, _)) if ours(open.info).is_some() => Err(Unclosed { line }),
        _ => Ok(blocks),
    }
}

/// The line as an opening fence, if it is one.
fn opening(line: &str) -> Option<Open<'_>> {
    let text = line.trim_start_matches([' ', '\t']);
    let indent = &line[..line.len() - text.len()];
    let fence = text.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = text.chars().take_while(|c| *c == fence).count();
    let info = &text[len..];
    // A run of backticks followed by another backtick on the line is inline code.
    let fenced = len >= 3 && !(fence == '`' && info.contains('`'));
    fenced.then(|| Open { fence, len, indent, info: info.trim() })
}

/// Whether `line` closes the fence `open`.
fn closes(line: &str, open: &Open) -> bool {
    let text = line.trim_start_matches([' ', '\t']);
    let len = text.chars().take_while(|c| *c == open.fence).count();
    len >= open.len && text[len..].trim().is_empty()
}

/// The rest of an info string whose first word is `looplab`.
fn ours(info: &str) -> Option<&str> {
    let rest = info.strip_prefix(TAG)?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(markdown: &str) -> Vec<Vec<&str>> {
        find(markdown).unwrap().into_iter().map(|b| b.attributes).collect()
    }

    #[test]
    fn finds_a_block_with_its_info_string_and_body() {
        let md = "# Title\n\n```looplab lesson=errors fail-ms=200 compact\n```\n\ntext\n";
        let blocks = find(md).unwrap();
        assert_eq!(blocks.len(), 1);
        let block = &blocks[0];
        assert_eq!(&md[block.range.clone()], "```looplab lesson=errors fail-ms=200 compact\n```\n");
        assert_eq!(block.line, 3);
        assert_eq!(block.indent, "");
        assert_eq!(block.attributes, vec![" lesson=errors fail-ms=200 compact"]);

        let body = "~~~~ looplab\nlesson=limit\nk=2\n~~~~~\n";
        assert_eq!(attributes(body), vec![vec!["", "lesson=limit", "k=2"]]);
    }

    #[test]
    fn other_fences_and_looplab_lookalikes_are_not_ours() {
        let md = "```rust\n```looplab lesson=errors\n```\n\n```looplabs lesson=x\n```\n\n``looplab lesson=x``\n";
        assert_eq!(attributes(md), Vec::<Vec<&str>>::new());
    }

    #[test]
    fn a_looplab_block_shown_inside_a_longer_fence_stays_text() {
        let md = "````markdown\n```looplab lesson=errors\n```\n````\n\n```looplab lesson=lazy\n```\n";
        assert_eq!(attributes(md), vec![vec![" lesson=lazy"]]);
    }

    #[test]
    fn a_shorter_or_different_fence_does_not_close() {
        let md = "````looplab lesson=lazy\n```\n~~~~\n````\n";
        assert_eq!(attributes(md), vec![vec![" lesson=lazy", "```", "~~~~"]]);
    }

    #[test]
    fn keeps_the_indentation_of_a_block_in_a_list_and_crlf_line_ends() {
        let md = "1. Run it:\r\n\r\n   ```looplab lesson=lazy\r\n   ```\r\n";
        let blocks = find(md).unwrap();
        assert_eq!(blocks[0].indent, "   ");
        assert_eq!(blocks[0].attributes, vec![" lesson=lazy"]);
        assert_eq!(&md[blocks[0].range.clone()], "   ```looplab lesson=lazy\r\n   ```\r\n");
    }

    #[test]
    fn an_unclosed_looplab_block_is_an_error_an_unclosed_other_block_is_not() {
        assert_eq!(find("text\n\n```looplab lesson=lazy\nmore\n"), Err(Unclosed { line: 3 }));
        assert_eq!(
            find("```looplab lesson=lazy\n```\n```python\nx\n"),
            Ok(vec![Block { range: 0..27, line: 1, indent: "", attributes: vec![" lesson=lazy"] }])
        );
    }
}
