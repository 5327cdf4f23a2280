//! The DOM of one lesson: heading, text, the Python and the Rust side by side, the
//! parameter form, Run and Cancel, the timeline, the verdict and the task table.
//!
//! It is given plain data ([`Shown`]: the words, the two codes, the fields and their
//! values), never a lesson: the app decides what a lesson shows and what its fields
//! mean. Its fixed markup is one literal template ([`LESSON`]); everything from the
//! lesson is set with `textContent`, never `innerHTML`: lesson text, task names and
//! error messages are shown as text.

use super::dom::{append, attr, el, el_as, part};
use super::export::copy_text;
use super::listen::Listener;
use super::timeline::Timeline;
use crate::Error;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
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
    /// The Python pane's `<code>`: the app refills it as the form changes.
    pub python: Element,
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
        root.set_inner_html(LESSON);
        let h = part(&root, "h2");
        attr(&h, "id", &heading_id);
        h.set_text_content(Some(shown.title));
        let pair = part(&root, ".code-pair");
        for para in shown.text {
            let _ = root.insert_before(&el(doc, "p", para), Some(&pair));
        }
        let python = part(&pair, ".language-python");
        python.set_text_content(Some(shown.python));
        part(&pair, ".language-rust").set_text_content(Some(shown.rust));
        part(&pair, "figure + figure > figcaption").set_text_content(Some(&format!("Rust — what runs here, from {}", shown.rust_file)));
        let form_error = part(&root, ".ll-error");
        let inputs = fields(doc, &form_error, shown.fields);
        let timeline = Timeline::new(doc, &part(&root, ".controls + div"))?;
        let summary_json = Rc::new(RefCell::new(String::new()));
        let copy = copy_button(doc, &timeline, &summary_json);
        attr(&part(&root, ".table-scroll"), "aria-label", &format!("Tasks of the last run: {}", shown.title));
        let (run, cancel) = (part(&root, ".run").unchecked_into(), part(&root, ".cancel").unchecked_into());
        let (summary, verdict, tbody) = (part(&root, ".summary"), part(&root, ".ll-verdict"), part(&root, "tbody"));
        append(host, &root);
        Ok(LessonView { root, inputs, python, form_error, run, cancel, summary, verdict, tbody, timeline, summary_json, _copy: copy })
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

    /// The last run's summary JSON ("" before any run).
    pub fn last_summary(&self) -> String {
        self.summary_json.borrow().clone()
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

/// The task table's markup: the Rust run's (in [`LESSON`]) and the Python run's
/// (`view::python`). Focusable, so a keyboard can scroll a table wider than its column.
macro_rules! task_table {
    () => {
        concat!(
            r#"<div class="table-scroll" tabindex="0" role="group"><table>"#,
            r#"<caption class="visually-hidden">Each task of the last run, measured</caption><thead><tr>"#,
            r#"<th scope="col">Task</th><th scope="col">Start</th><th scope="col">Finished</th><th scope="col">Running</th>"#,
            r#"<th scope="col">Waiting</th><th scope="col">Polls</th><th scope="col">Outcome</th>"#,
            "</tr></thead><tbody></tbody></table></div>",
        )
    };
}
pub(crate) use task_table;

/// A lesson's fixed markup, parsed once by the browser (`innerHTML` of a literal):
/// the code pair, the form's box, Run and Cancel, the timeline's box, the verdict and
/// the task table. [`LessonView::build`] then sets every text that comes from the
/// lesson (heading, paragraphs, code, fields) as text, never as markup. One parse
/// instead of ~50 DOM calls, each a call site in the wasm (−399 bytes gzipped, playground).
const LESSON: &str = concat!(
    "<h2></h2>",
    r#"<div class="code-pair"><figure><figcaption>Python (asyncio)</figcaption>"#,
    r#"<pre tabindex="0"><code class="language-python"></code></pre></figure>"#,
    r#"<figure><figcaption></figcaption><pre tabindex="0"><code class="language-rust"></code></pre></figure></div>"#,
    r#"<div class="ll-params"><p class="ll-error" role="alert"></p></div>"#,
    r#"<div class="controls"><button type="button" class="run">Run</button>"#,
    r#"<button type="button" class="cancel" disabled="">Cancel</button>"#,
    r#"<p class="summary" aria-live="polite">Press Run to measure.</p></div>"#,
    r#"<div></div><p class="ll-verdict" aria-live="polite"></p>"#,
    task_table!(),
);

/// One labelled input per field, before `form_error` in the form's box.
fn fields(doc: &Document, form_error: &Element, fields: &[Field<'_>]) -> Vec<HtmlInputElement> {
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
        let _ = form_error.before_with_node_1(&label);
        inputs.push(input);
    }
    inputs
}
