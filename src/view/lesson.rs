//! The DOM of one lesson: heading, text, the Python and the Rust side by side, the
//! parameter form, Run and Cancel, the timeline, the verdict and the task table.
//!
//! It is given plain data ([`Shown`]: the words, the two codes, the fields and their
//! values), never a lesson: the app decides what a lesson shows and what its fields
//! mean. Everything is built with `textContent`, never `innerHTML`: lesson text, task
//! names and error messages are shown as text.

use super::dom::{append, attr, el, el_as};
use super::export::copy_text;
use super::listen::Listener;
use super::timeline::Timeline;
use crate::Error;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{Document, Element, HtmlButtonElement, HtmlInputElement, HtmlTextAreaElement};

/// What a lesson element shows, as plain data.
pub struct Shown<'a> {
    /// The id (`data-lesson`, and the heading's id).
    pub id: &'a str,
    /// The heading.
    pub title: &'a str,
    /// The paragraphs under it.
    pub text: &'a [&'a str],
    /// The asyncio program it mirrors.
    pub python: &'a str,
    /// The Rust that runs, as compiled.
    pub rust: &'a str,
    /// The file that Rust comes from, named under it.
    pub rust_file: &'a str,
    /// The form's fields, in order, with their starting values.
    pub fields: &'a [Field<'a>],
}

/// One field of the form.
pub struct Field<'a> {
    /// The input's name (the element's attribute of the same name).
    pub key: &'a str,
    /// The label shown before it.
    pub label: &'a str,
    /// The unit shown after it ("ms"), or "".
    pub unit: &'a str,
    /// What it holds at first.
    pub value: String,
    /// A list of URLs (a wide text field) rather than a whole number.
    pub urls: bool,
}

/// The parts of a mounted lesson the app updates.
pub struct LessonView {
    /// The `<article>`; carries `data-state`.
    pub root: Element,
    /// One input per field of [`Shown::fields`], in order.
    pub inputs: Vec<HtmlInputElement>,
    /// Where a parameter problem is said.
    pub form_error: Element,
    /// Run.
    pub run: HtmlButtonElement,
    /// Cancel.
    pub cancel: HtmlButtonElement,
    /// The one-line summary (ARIA live).
    pub summary: Element,
    /// The measured figures in words (ARIA live).
    pub verdict: Element,
    /// The task table's body.
    pub tbody: Element,
    /// The timeline.
    pub timeline: Timeline,
    /// The last run's summary JSON, for "Copy summary".
    summary_json: Rc<RefCell<String>>,
    _copy: Listener,
}

impl LessonView {
    /// Builds the lesson inside `host`.
    pub fn build(doc: &Document, host: &Element, shown: &Shown<'_>) -> Result<LessonView, Error> {
        let root = el(doc, "article", "");
        attr(&root, "class", "ll-lesson lesson");
        attr(&root, "data-lesson", shown.id);
        attr(&root, "data-state", "idle");
        let heading_id = format!("ll-{}-title", shown.id);
        attr(&root, "aria-labelledby", &heading_id);
        let h = el(doc, "h2", shown.title);
        attr(&h, "id", &heading_id);
        append(&root, &h);
        for para in shown.text {
            append(&root, &el(doc, "p", para));
        }
        append(&root, &code_pair(doc, shown));
        let (form, inputs, form_error) = form(doc, shown.fields);
        append(&root, &form);
        let controls = el(doc, "div", "");
        attr(&controls, "class", "controls");
        let run = button(doc, "Run", "run");
        let cancel = button(doc, "Cancel", "cancel");
        cancel.set_disabled(true);
        let summary = el(doc, "p", "Press Run to measure.");
        attr(&summary, "class", "summary");
        attr(&summary, "aria-live", "polite");
        append(&controls, &run);
        append(&controls, &cancel);
        append(&controls, &summary);
        append(&root, &controls);
        let tl_host = el(doc, "div", "");
        append(&root, &tl_host);
        let timeline = Timeline::new(doc, &tl_host)?;
        let summary_json = Rc::new(RefCell::new(String::new()));
        let copy = copy_button(doc, &timeline, &summary_json);
        let verdict = el(doc, "p", "");
        attr(&verdict, "class", "ll-verdict");
        attr(&verdict, "aria-live", "polite");
        append(&root, &verdict);
        let (table, tbody) = table(doc, shown.title);
        append(&root, &table);
        append(host, &root);
        Ok(LessonView { root, inputs, form_error, run, cancel, summary, verdict, tbody, timeline, summary_json, _copy: copy })
    }

    /// Sets `data-state` (idle, running, done, cancelled, error) and the buttons.
    pub fn set_state(&self, state: &str) {
        attr(&self.root, "data-state", state);
        let running = state == "running";
        self.run.set_disabled(running);
        self.cancel.set_disabled(!running);
    }
}

impl LessonView {
    /// Keeps the finished run's summary JSON for the "Copy summary" button.
    pub fn offer_summary(&self, json: &str) {
        json.clone_into(&mut self.summary_json.borrow_mut());
    }
}

/// "Copy summary (JSON)", in the timeline's export row. Where the clipboard is not
/// allowed (an iframe without permission, an old browser), the JSON is shown in a
/// read-only field, selected, for the reader to copy by hand.
fn copy_button(doc: &Document, timeline: &Timeline, json: &Rc<RefCell<String>>) -> Listener {
    let copy = button(doc, "Copy summary (JSON)", "ll-copy");
    let exports = timeline.exports();
    let (row, status) = (&exports.row, exports.status.clone());
    let _ = row.insert_before(&copy, Some(&status));
    let fallback: HtmlTextAreaElement = el_as(doc, "textarea", "");
    attr(&fallback, "class", "ll-copy-fallback");
    attr(&fallback, "readonly", "");
    attr(&fallback, "aria-label", "The run's summary as JSON");
    attr(&fallback, "hidden", "");
    append(row, &fallback);
    let json = json.clone();
    Listener::new(copy.as_ref(), "click", move |_| {
        let text = json.borrow().clone();
        let (status, fallback) = (status.clone(), fallback.clone());
        let copied = copy_text(&text);
        wasm_bindgen_futures::spawn_local(async move {
            let said = if copied.await {
                fallback.set_hidden(true);
                "Summary copied to the clipboard as JSON."
            } else {
                fallback.set_value(&text);
                fallback.set_hidden(false);
                fallback.select();
                "The browser did not allow copying: the JSON is selected below."
            };
            status.set_text_content(Some(said));
        });
    })
}

fn button(doc: &Document, text: &str, class: &str) -> HtmlButtonElement {
    let b: HtmlButtonElement = el_as(doc, "button", text);
    attr(&b, "type", "button");
    attr(&b, "class", class);
    b
}

fn code_pair(doc: &Document, shown: &Shown<'_>) -> Element {
    let pair = el(doc, "div", "");
    attr(&pair, "class", "code-pair");
    for (caption, lang, code) in [
        ("Python (asyncio)".to_string(), "language-python", shown.python),
        (format!("Rust — what runs here, from {}", shown.rust_file), "language-rust", shown.rust),
    ] {
        let fig = el(doc, "figure", "");
        append(&fig, &el(doc, "figcaption", &caption));
        let pre = el(doc, "pre", "");
        attr(&pre, "tabindex", "0");
        let c = el(doc, "code", code);
        attr(&c, "class", lang);
        append(&pre, &c);
        append(&fig, &pre);
        append(&pair, &fig);
    }
    pair
}

fn form(doc: &Document, fields: &[Field<'_>]) -> (Element, Vec<HtmlInputElement>, Element) {
    let form = el(doc, "div", "");
    attr(&form, "class", "ll-params");
    let mut inputs = Vec::new();
    for f in fields {
        let label = el(doc, "label", "");
        append(&label, &el(doc, "span", f.label));
        let input: HtmlInputElement = el_as(doc, "input", "");
        attr(&input, "type", "text");
        attr(&input, "name", f.key);
        if f.urls {
            attr(&label, "class", "ll-urls");
            attr(&input, "placeholder", "https://… https://… (CORS-enabled; empty: the demo API)");
        } else {
            attr(&input, "inputmode", "numeric");
            attr(&input, "size", "6");
        }
        input.set_value(&f.value);
        append(&label, &input);
        if !f.unit.is_empty() {
            append(&label, &el(doc, "span", f.unit));
        }
        append(&form, &label);
        inputs.push(input);
    }
    let error = el(doc, "p", "");
    attr(&error, "class", "ll-error");
    attr(&error, "role", "alert");
    append(&form, &error);
    (form, inputs, error)
}

fn table(doc: &Document, title: &str) -> (Element, Element) {
    let wrap = el(doc, "div", "");
    attr(&wrap, "class", "table-scroll");
    // Focusable, so a keyboard can scroll a table wider than its column.
    attr(&wrap, "tabindex", "0");
    attr(&wrap, "role", "group");
    attr(&wrap, "aria-label", &format!("Tasks of the last run: {title}"));
    let table = el(doc, "table", "");
    let caption = el(doc, "caption", "Each task of the last run, measured");
    attr(&caption, "class", "visually-hidden");
    append(&table, &caption);
    let thead = el(doc, "thead", "");
    let tr = el(doc, "tr", "");
    for h in ["Task", "Start", "Finished", "Running", "Waiting", "Polls", "Outcome"] {
        let th = el(doc, "th", h);
        attr(&th, "scope", "col");
        append(&tr, &th);
    }
    append(&thead, &tr);
    append(&table, &thead);
    let tbody = el(doc, "tbody", "");
    append(&table, &tbody);
    append(&wrap, &table);
    (wrap, tbody)
}
