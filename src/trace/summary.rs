//! The summary of a run, built here and nowhere else: what `element.run()` resolves
//! to, what the `looplab:done` event carries and what "Copy summary" copies.
//!
//! `{lesson, total_ms, hidden_ms, verdict, figures, error, tasks: [{name, parent,
//! start_ms, end_ms, outcome, error, waits}], warnings: [...]}`, each wait as
//! [`wait_json`] writes it. Times are ms since the run
//! began, measured. `npm/index.d.ts` types it as `RunSummary`; a test below holds
//! the two to the same keys.

use super::inspect::{wait_json, Lines};
use super::json::Json;
use super::state::Tracker;
use super::warnings::warnings;
use super::Record;
use crate::num::ms;

/// How a run ended, besides its record: what the app knows and the record does not.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ending<'a> {
    /// The lesson's id.
    pub lesson: &'a str,
    /// What ran: `rust` (the lesson's own run) or `python` (its Python, in Pyodide).
    pub language: &'a str,
    /// The verdict in words, when the run completed.
    pub verdict: Option<&'a str>,
    /// The figures behind the verdict, by name.
    pub figures: &'a [(&'static str, f64)],
    /// Why the run stopped, when it did not complete (an error, or a cancel).
    pub error: Option<&'a str>,
}

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
            ms(hidden)
        )
    })
}

/// The summary as a JSON document; `lines` places each wait in the code shown.
pub fn summary_json(end: &Ending<'_>, rec: &Record, lines: Lines<'_>) -> String {
    let tracker = Tracker::up_to(rec, f64::INFINITY);
    let tasks = tracker.summaries();
    let waits = tracker.waits().all();
    let mut by_task: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
    for (k, w) in waits.iter().enumerate() {
        if let Some(list) = by_task.get_mut(w.task as usize) {
            list.push(k);
        }
    }
    let mut j = Json::with_capacity(256 + tasks.len() * 128 + waits.len() * 160);
    j.obj().key("lesson").str(end.lesson).key("language").str(end.language);
    j.key("total_ms").num(tracker.total_ms());
    j.key("hidden_ms").num(hidden_ms(rec));
    let note = hidden_note(rec).filter(|_| end.verdict.is_some());
    j.key("verdict").str(&(end.verdict.unwrap_or("").to_string() + note.as_deref().unwrap_or("")));
    j.key("figures").obj();
    for (k, v) in end.figures {
        j.key(k).num(*v);
    }
    j.end_obj().key("error").opt_str(end.error);
    j.key("tasks").arr();
    for t in &tasks {
        let info = &rec.tasks()[t.id as usize];
        let parent = info.parent.and_then(|p| rec.tasks().get(p as usize));
        j.obj().key("name").str(&info.name).key("parent").opt_str(parent.map(|p| &*p.name));
        j.key("start_ms").num(t.created).key("end_ms").num(t.end);
        j.key("outcome").str(t.state.label()).key("error").opt_str(t.error.as_deref());
        j.key("waits").arr();
        for &k in by_task.get(t.id as usize).into_iter().flatten() {
            wait_json(&mut j, rec, &waits[k], lines);
        }
        j.end_arr().end_obj();
    }
    j.end_arr().key("warnings").arr();
    for w in warnings(rec) {
        j.str(&w.message(rec));
    }
    j.end_arr().end_obj();
    j.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::state::tests::sample;

    /// The property names of `interface <name>` in npm/index.d.ts, in order.
    fn declared(name: &str) -> Vec<String> {
        let dts = include_str!("../../npm/index.d.ts");
        let start = dts.find(&format!("export interface {name} {{")).expect("interface declared");
        let body = &dts[start..start + dts[start..].find("\n}").expect("interface closed")];
        let props = body.lines().skip(1).map(str::trim).filter(|l| !l.starts_with('/') && !l.starts_with('*'));
        props.filter_map(|l| l.split_once(':')).map(|(k, _)| k.trim_end_matches('?').to_string()).collect()
    }

    fn keys(v: &serde_json::Value) -> Vec<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    }

    #[test]
    fn keys_are_exactly_the_typed_ones() {
        let ending = Ending { lesson: "x", language: "rust", verdict: Some("v"), figures: &[("a_ms", 1.0)], error: None };
        let json: serde_json::Value = serde_json::from_str(&summary_json(&ending, &sample(), &|_| (None, None))).expect("valid JSON");
        let mut got = keys(&json);
        let mut want = declared("RunSummary");
        got.sort();
        want.sort();
        assert_eq!(got, want, "the summary's keys and RunSummary in npm/index.d.ts");
        let mut got = keys(&json["tasks"][0]);
        let mut want = declared("TaskSummary");
        got.sort();
        want.sort();
        assert_eq!(got, want, "a task's keys and TaskSummary in npm/index.d.ts");
    }

    /// The keys docs/embedding.md shows in its "The run summary" example.
    fn documented() -> (Vec<String>, Vec<String>) {
        let doc = include_str!("../../docs/embedding.md");
        let start = doc.find("## The run summary").expect("the section");
        let block = &doc[start..];
        let block = &block[block.find("```js\n{").expect("the example") + 7..];
        let block = &block[..block.find("\n}").expect("the example's end")];
        let top = block.lines().filter_map(|l| l.trim().split_once(':')).map(|(k, _)| k.to_string()).collect();
        let tasks = block.split_once("tasks: [{").expect("the task keys").1.split_once("}]").expect("closed").0;
        (top, tasks.split(',').map(|k| k.trim().to_string()).collect())
    }

    #[test]
    fn the_documented_keys_are_the_written_ones() {
        let ending = Ending { lesson: "x", language: "rust", verdict: Some("v"), figures: &[], error: None };
        let json: serde_json::Value = serde_json::from_str(&summary_json(&ending, &sample(), &|_| (None, None))).expect("valid JSON");
        let (mut top, mut tasks) = documented();
        let (mut got, mut got_tasks) = (keys(&json), keys(&json["tasks"][0]));
        for v in [&mut top, &mut tasks, &mut got, &mut got_tasks] {
            v.sort();
        }
        assert_eq!(got, top, "docs/embedding.md's run summary and what is written");
        assert_eq!(got_tasks, tasks, "docs/embedding.md's task keys and what is written");
    }

    #[test]
    fn figures_parents_and_errors_are_written() {
        let ending = Ending { lesson: "x", language: "rust", verdict: None, figures: &[("a_ms", 1.5)], error: Some("stopped") };
        let json: serde_json::Value = serde_json::from_str(&summary_json(&ending, &sample(), &|_| (None, None))).expect("valid JSON");
        assert_eq!(json["figures"]["a_ms"], 1.5);
        assert_eq!(json["error"], "stopped");
        assert_eq!(json["verdict"], "");
        assert_eq!(json["tasks"][1]["parent"], "main");
        assert_eq!(json["tasks"][0]["outcome"], "failed");
        assert_eq!(json["tasks"][0]["error"], "boom");
        assert_eq!(json["total_ms"], 104.0);
    }
}
