//! The text form of a run: one row per task (start, end, run, wait, polls, outcome)
//! and a one-line summary. The rows carry `data-*` attributes with the raw figures so
//! tests (and curious readers in DevTools) read the same numbers the page shows.

use super::dom::{append, attr, el};
use crate::num::{fixed, ms};
use crate::trace::state::{summarize, State, TaskSummary, Tracker};
use crate::trace::Record;
use crate::Error;
use web_sys::{Document, Element};

/// Replaces the rows of `tbody` with one per task of `rec`.
pub fn render_rows(doc: &Document, tbody: &Element, rec: &Record) -> Result<(), Error> {
    tbody.set_text_content(None);
    for s in summarize(rec) {
        let name = rec.tasks().get(s.id as usize).map_or("?", |t| &t.name);
        append(tbody, &row(doc, name, &s));
    }
    Ok(())
}

fn row(doc: &Document, name: &str, s: &TaskSummary) -> Element {
    let tr = el(doc, "tr", "");
    attr(&tr, "data-task", name);
    attr(&tr, "data-outcome", s.state.label());
    attr(&tr, "data-start-ms", &fixed(s.created, 1).to_string());
    attr(&tr, "data-end-ms", &fixed(s.end, 1).to_string());
    let th = el(doc, "th", name);
    attr(&th, "scope", "row");
    append(&tr, &th);
    for text in [ms(s.created), ms(s.end), ms(s.run_ms), ms(s.wait_ms), s.polls.to_string()] {
        append(&tr, &el(doc, "td", &text));
    }
    let outcome = el(doc, "td", &outcome_text(s));
    attr(&outcome, "class", &format!("outcome {}", s.state.label()));
    append(&tr, &outcome);
    tr
}

/// The outcome cell: a symbol and a word, so it does not rely on colour alone.
pub fn outcome_text(s: &TaskSummary) -> String {
    match (&s.state, &s.error) {
        (State::Done, _) => "✓ done".into(),
        (State::Failed, Some(e)) => format!("✗ failed: {e}"),
        (State::Failed, None) => "✗ failed".into(),
        (State::Cancelled, _) => "⊘ cancelled".into(),
        (state, _) => state.label().into(),
    }
}

/// "3 tasks, 201 ms total, longest 200 ms" — measured from the record.
pub fn summary_line(rec: &Record) -> String {
    let tracker = Tracker::up_to(rec, f64::INFINITY);
    let (s, total) = (tracker.summaries(), tracker.total_ms());
    let longest = s.iter().map(|t| t.end - t.created).fold(0.0, f64::max);
    let failed = s.iter().filter(|t| t.state == State::Failed).count();
    let cancelled = s.iter().filter(|t| t.state == State::Cancelled).count();
    let mut line = format!("{} task{}, {} total, longest {}", s.len(), if s.len() == 1 { "" } else { "s" }, ms(total), ms(longest));
    if failed > 0 {
        line.push_str(&format!(", {failed} failed"));
    }
    if cancelled > 0 {
        line.push_str(&format!(", {cancelled} cancelled"));
    }
    if rec.dropped() > 0 {
        line.push_str(&format!(" ({} events not recorded: the record was full)", rec.dropped()));
    }
    line
}
