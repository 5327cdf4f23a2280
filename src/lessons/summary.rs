//! The summary of a run, as `element.run()` resolves it and the `looplab:done` event
//! carries it: `{lesson, total_ms, hidden_ms, verdict, figures, cancelled, tasks: [{name, parent,
//! start_ms, end_ms, outcome, error}], warnings: [...]}`. Times are ms since the run
//! began, measured.

use super::Verdict;
use crate::trace::json::{number, string};
use crate::trace::state::summarize;
use crate::trace::warnings::warnings;
use crate::trace::Record;

/// How long the page was hidden during the run (origin to its last event), in ms.
pub fn hidden_ms(rec: &Record) -> f64 {
    rec.hidden_ms(rec.events().last().map_or(rec.origin(), |e| e.t))
}

/// A sentence saying the run's figures are not representative, if the page was hidden
/// during it (browsers throttle the timers of hidden tabs); it starts with a space.
pub fn hidden_note(rec: &Record) -> Option<String> {
    let hidden = hidden_ms(rec);
    (hidden > 0.0).then(|| {
        format!(
            " The page was hidden for {} of this run, and browsers slow the timers of hidden tabs: these numbers are not representative.",
            crate::view::dom::ms(hidden)
        )
    })
}

/// The summary as a JSON document.
pub fn summary_json(lesson: &str, rec: &Record, verdict: Option<&Verdict>, error: Option<&str>) -> String {
    let tasks = summarize(rec);
    let total = crate::trace::state::total_ms(rec);
    let mut out = String::from("{\"lesson\":");
    string(&mut out, lesson);
    out.push_str(",\"total_ms\":");
    number(&mut out, total);
    let hidden = hidden_ms(rec);
    out.push_str(",\"hidden_ms\":");
    number(&mut out, hidden);
    out.push_str(",\"verdict\":");
    let note = hidden_note(rec).filter(|_| verdict.is_some());
    string(&mut out, &(verdict.map_or("", |v| v.sentence.as_str()).to_string() + note.as_deref().unwrap_or("")));
    out.push_str(",\"figures\":{");
    for (i, (k, v)) in verdict.map_or(&[][..], |v| &v.figures[..]).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(&mut out, k);
        out.push(':');
        number(&mut out, *v);
    }
    out.push_str("},\"error\":");
    match error {
        Some(e) => string(&mut out, e),
        None => out.push_str("null"),
    }
    out.push_str(",\"tasks\":[");
    for (i, t) in tasks.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let info = &rec.tasks()[t.id as usize];
        out.push_str("{\"name\":");
        string(&mut out, &info.name);
        out.push_str(",\"parent\":");
        match info.parent.and_then(|p| rec.tasks().get(p as usize)) {
            Some(p) => string(&mut out, &p.name),
            None => out.push_str("null"),
        }
        out.push_str(",\"start_ms\":");
        number(&mut out, t.created);
        out.push_str(",\"end_ms\":");
        number(&mut out, t.end);
        out.push_str(",\"outcome\":");
        string(&mut out, t.state.label());
        out.push_str(",\"error\":");
        match &t.error {
            Some(e) => string(&mut out, e),
            None => out.push_str("null"),
        }
        out.push('}');
    }
    out.push_str("],\"warnings\":[");
    for (i, w) in warnings(rec).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(&mut out, &w.message(rec));
    }
    out.push_str("]}");
    out
}
