//! From a block's attributes to the `<loop-lab>` element.
//!
//! The attributes are written as on the element, without quotes unless a value holds
//! spaces: `lesson=errors fail-ms=200 compact`, `urls="https://a.example/ https://b.example/"`.
//! They may run on in the block's body, any number per line. Each is a name, an `=`
//! and a value, or a switch alone (`compact`, `autoplay`).
//!
//! What is checked here, so that a typo fails the book's build instead of a reader's
//! page: the syntax, the lesson's id (against the project's list), that a switch has
//! no value and everything else has one, that no name is given twice, and that no
//! name is an inline handler or style (`onclick`, `style`), which the element does
//! not take and a strict Content-Security-Policy refuses. A lesson's parameters
//! (`fail-ms`, `alice-ms`, …) are checked by the element itself, which shows a bad
//! value or an unknown name in the lesson.

use crate::lessons::Lessons;

/// The element's attributes that are present or absent, never given a value.
pub const SWITCHES: [&str; 2] = ["compact", "autoplay"];

/// One attribute: its name and, unless a switch, its value (as written, unescaped).
#[derive(Debug, PartialEq)]
pub struct Attribute {
    /// The name, `[a-z][a-z0-9-]*`.
    pub name: String,
    /// The value; `None` for a switch.
    pub value: Option<String>,
}

/// The attributes of one block, in the order written.
pub fn parse(chunks: &[&str], lessons: &Lessons) -> Result<Vec<Attribute>, String> {
    let mut attributes: Vec<Attribute> = Vec::new();
    for chunk in chunks {
        let mut rest = chunk.trim_start();
        while !rest.is_empty() {
            let (attribute, after) = one(rest)?;
            if attributes.iter().any(|a| a.name == attribute.name) {
                return Err(format!("`{}` is given twice", attribute.name));
            }
            attributes.push(attribute);
            rest = after.trim_start();
        }
    }
    check(&attributes, lessons)?;
    Ok(attributes)
}

/// The first attribute of `text` (which starts with its name), and what follows it.
fn one(text: &str) -> Result<(Attribute, &str), String> {
    let end = text.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(text.len());
    let name = &text[..end];
    check_name(name)?;
    let Some(after) = text[end..].strip_prefix('=') else {
        return Ok((Attribute { name: name.into(), value: None }, &text[end..]));
    };
    let (value, rest) = match after.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let close = after[1..].find(quote).ok_or_else(|| format!("the value of `{name}` has no closing {quote}"))?;
            (&after[1..=close], &after[close + 2..])
        }
        _ => after.split_at(after.find(char::is_whitespace).unwrap_or(after.len())),
    };
    if value.is_empty() {
        return Err(format!("`{name}=` has no value"));
    }
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return Err(format!("put a space after the value of `{name}`"));
    }
    Ok((Attribute { name: name.into(), value: Some(value.into()) }, rest))
}

/// A name as the element takes it: lowercase letters, digits and `-`, starting with a letter.
fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let starts = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if !starts || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        let shown = if name.is_empty() { "=" } else { name };
        return Err(format!("`{shown}` is not an attribute name (lowercase letters, digits and `-`, as in `fail-ms=200`)"));
    }
    if name.starts_with("on") || name == "style" {
        return Err(format!("`{name}` is not an attribute of a lesson (no inline script or style)"));
    }
    Ok(())
}

/// The checks across attributes: the lesson, switches and values.
fn check(attributes: &[Attribute], lessons: &Lessons) -> Result<(), String> {
    for Attribute { name, value } in attributes {
        match (SWITCHES.contains(&name.as_str()), value) {
            (true, Some(_)) => return Err(format!("`{name}` is a switch: write `{name}` alone, or leave it out")),
            (false, None) => return Err(format!("`{name}` needs a value, as in `{name}=…`")),
            _ => {}
        }
    }
    let lesson = attributes.iter().find(|a| a.name == "lesson").and_then(|a| a.value.as_deref());
    let lesson = lesson.ok_or_else(|| format!("no `lesson=…`: say which lesson to show ({})", lessons.ids().join(", ")))?;
    if !lessons.contains(lesson) {
        return Err(format!("`{lesson}` is not a lesson; the lessons are {}", lessons.ids().join(", ")));
    }
    Ok(())
}

/// The element, its values escaped: the lesson first, the rest as written.
pub fn element(attributes: &[Attribute]) -> String {
    let mut html = String::from("<loop-lab");
    let lesson_first = attributes.iter().filter(|a| a.name == "lesson").chain(attributes.iter().filter(|a| a.name != "lesson"));
    for Attribute { name, value } in lesson_first {
        html.push(' ');
        html.push_str(name);
        if let Some(value) = value {
            html.push_str("=\"");
            html.push_str(&escape(value));
            html.push('"');
        }
    }
    html.push('>');
    html
}

/// `value` made safe inside a double-quoted HTML attribute.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Lessons {
        Lessons::from_json(r#"[{"id": "errors"}, {"id": "gather-fetch"}]"#).unwrap()
    }

    fn html(chunks: &[&str]) -> Result<String, String> {
        parse(chunks, &lessons()).map(|a| element(&a))
    }

    #[test]
    fn values_switches_and_the_body() {
        assert_eq!(html(&[" lesson=errors fail-ms=200 compact"]).unwrap(), r#"<loop-lab lesson="errors" fail-ms="200" compact>"#);
        assert_eq!(html(&["compact", "  lesson=errors ", "", "autoplay"]).unwrap(), r#"<loop-lab lesson="errors" compact autoplay>"#);
    }

    #[test]
    fn quoted_values_keep_their_spaces_and_are_escaped() {
        let got = html(&[r#"lesson=gather-fetch urls="https://a.example/?x=1&y=2 https://b.example/" api-base='say "hi" <b>'"#]);
        let want = concat!(
            r#"<loop-lab lesson="gather-fetch" urls="https://a.example/?x=1&amp;y=2 https://b.example/" "#,
            r#"api-base="say &quot;hi&quot; &lt;b&gt;">"#
        );
        assert_eq!(got.unwrap(), want);
    }

    #[test]
    fn an_unknown_or_missing_lesson_names_the_known_ones() {
        let unknown = html(&["lesson=eror"]).unwrap_err();
        assert_eq!(unknown, "`eror` is not a lesson; the lessons are errors, gather-fetch");
        assert!(html(&["compact"]).unwrap_err().starts_with("no `lesson=…`"));
    }

    #[test]
    fn malformed_attributes_say_what_is_wrong() {
        let cases = [
            ("lesson=errors fail_ms=200", "`fail_ms` is not an attribute name"),
            ("lesson=errors Compact", "`Compact` is not an attribute name"),
            ("lesson=errors =200", "`=` is not an attribute name"),
            ("lesson=errors fail-ms=", "`fail-ms=` has no value"),
            ("lesson=errors urls=\"https://a.example/", "the value of `urls` has no closing \""),
            ("lesson=errors api-base=\"x\"y", "put a space after the value of `api-base`"),
            ("lesson=errors compact=false", "`compact` is a switch"),
            ("lesson=errors fail-ms", "`fail-ms` needs a value"),
            ("lesson=errors lesson=errors", "`lesson` is given twice"),
            ("lesson=errors onclick=alert(1)", "`onclick` is not an attribute of a lesson"),
            ("lesson=errors style=color:red", "`style` is not an attribute of a lesson"),
        ];
        for (text, want) in cases {
            let got = html(&[text]).unwrap_err();
            assert!(got.starts_with(want), "{text}: got {got:?}, want {want:?}…");
        }
    }
}
