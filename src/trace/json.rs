//! The one JSON writer: every JSON text Loop Lab makes (the Chrome trace, the run
//! summary, the runtime probe) is written through [`Json`], without a serialisation
//! framework in the wasm binary.
//!
//! [`Json`] keeps one flag, whether the next item needs a comma: set after every
//! value, cleared by `{`, `[` and a key's `:`. So callers never count items, and
//! objects and arrays nest freely.

use std::fmt::Write;

/// A JSON text being written, item by item.
#[derive(Debug, Default)]
pub struct Json {
    out: String,
    comma: bool,
}

impl Json {
    /// An empty text with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Json {
        Json { out: String::with_capacity(capacity), comma: false }
    }

    fn item(&mut self) -> &mut String {
        if std::mem::replace(&mut self.comma, true) {
            self.out.push(',');
        }
        &mut self.out
    }

    /// Opens an object (`{`); close it with [`end_obj`](Self::end_obj).
    pub fn obj(&mut self) -> &mut Json {
        self.item().push('{');
        self.comma = false;
        self
    }

    /// Closes the innermost object.
    pub fn end_obj(&mut self) -> &mut Json {
        self.out.push('}');
        self.comma = true;
        self
    }

    /// Opens an array (`[`); close it with [`end_arr`](Self::end_arr).
    pub fn arr(&mut self) -> &mut Json {
        self.item().push('[');
        self.comma = false;
        self
    }

    /// Closes the innermost array.
    pub fn end_arr(&mut self) -> &mut Json {
        self.out.push(']');
        self.comma = true;
        self
    }

    /// Writes `"key":`; the next call writes its value.
    pub fn key(&mut self, key: &str) -> &mut Json {
        string(self.item(), key);
        self.out.push(':');
        self.comma = false;
        self
    }

    /// A string value.
    pub fn str(&mut self, value: &str) -> &mut Json {
        string(self.item(), value);
        self
    }

    /// A string value, or `null`.
    pub fn opt_str(&mut self, value: Option<&str>) -> &mut Json {
        match value {
            Some(v) => self.str(v),
            None => self.raw("null"),
        }
    }

    /// A number value (see [`number`]).
    pub fn num(&mut self, value: f64) -> &mut Json {
        number(self.item(), value);
        self
    }

    /// A whole number value, printed exactly.
    pub fn int(&mut self, value: u64) -> &mut Json {
        let _ = write!(self.item(), "{value}");
        self
    }

    /// A value already in JSON form (`true`, `null`, a literal); not checked.
    pub fn raw(&mut self, json: &str) -> &mut Json {
        self.item().push_str(json);
        self
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Appends `s` to `out` as a JSON string literal, quotes included.
pub fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a finite number; NaN and infinities (not JSON) become `null`.
pub fn number(out: &mut String, n: f64) {
    if n.is_finite() {
        let _ = write!(out, "{}", crate::num::trimmed(n, 3));
    } else {
        out.push_str("null");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_controls_and_keeps_unicode() {
        let mut s = String::new();
        string(&mut s, "a\"b\\c\nd\u{1}é⊘");
        assert_eq!(s, r#""a\"b\\c\nd\u0001é⊘""#);
    }

    #[test]
    fn commas_follow_nesting() {
        let mut j = Json::default();
        j.obj().key("a").arr().int(1).num(2.5).obj().end_obj().end_arr();
        j.key("b").opt_str(None).key("c").str("x").key("d").raw("true").end_obj();
        assert_eq!(j.finish(), r#"{"a":[1,2.5,{}],"b":null,"c":"x","d":true}"#);
    }

    #[test]
    fn numbers_round_to_thousandths_and_reject_nan() {
        let mut s = String::new();
        number(&mut s, 1.23456);
        s.push(',');
        number(&mut s, f64::NAN);
        s.push(',');
        number(&mut s, 100.0);
        assert_eq!(s, "1.235,null,100");
    }
}
