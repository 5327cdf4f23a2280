//! A tiny JSON writer: enough for the exports, without a serialisation framework in
//! the wasm binary.

use std::fmt::Write;

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
        let _ = write!(out, "{}", super::num::trimmed(n, 3));
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
