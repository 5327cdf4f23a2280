//! The playground's form: tasks, join mode, limit, timeout, and a list of steps that
//! can be added, removed and reordered. Built with the crate's DOM helpers; every
//! value goes through [`FormInput::check`](crate::lessons::playground::fields::FormInput::check), the same
//! checks a share link goes through. Each problem is shown beside its field, and the
//! app keeps Run disabled while there is one.

use crate::lessons::playground::fields::{Field, FormInput, Part, Problem, StepInput};
use crate::view::dom::{append, attr, el, part};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

mod edit;

#[wasm_bindgen]
extern "C" {
    /// An `<input>` or a `<select>`: both have a `value`.
    #[wasm_bindgen(extends = Element)]
    pub type Control;
    /// What the field holds.
    #[wasm_bindgen(method, getter)]
    pub fn value(this: &Control) -> String;
    /// Sets what the field holds.
    #[wasm_bindgen(method, setter)]
    pub fn set_value(this: &Control, value: &str);
}

/// The form's fixed markup, parsed once by the browser: one `innerHTML` of a literal
/// instead of ~60 `createElement`/`setAttribute`/`appendChild` calls, each a call site
/// in the wasm and a shim in the glue (with [`STEP_ROW`]: −694 bytes gzipped, wasm and glue, playground).
/// Only literals go in: every value the reader types is set as a property afterwards.
/// The join menu lists [`Join::ALL`] in order (a test checks it).
const FORM: &str = concat!(
    r#"<p class="pg-banner" role="alert"></p><div class="pg-top">"#,
    r#"<div class="pg-field" data-field="tasks"><label><span>Tasks</span>"#,
    r#"<input name="tasks" type="text" inputmode="numeric" autocomplete="off"></label><p class="pg-msg"></p></div>"#,
    r#"<div class="pg-field" data-field="join"><label><span>Awaited</span><select name="join">"#,
    r#"<option value="sequential">sequential — one after another</option>"#,
    r#"<option value="join_all">join_all — gather: first error reported, others run on</option>"#,
    r#"<option value="try_join_all">try_join_all — first error cancels the rest</option>"#,
    r#"<option value="collect_all">collect_all — gather(return_exceptions=True)</option>"#,
    r#"<option value="as_completed">as_completed — each result as it arrives</option>"#,
    r#"</select></label><p class="pg-msg"></p></div>"#,
    r#"<div class="pg-field" data-field="limit"><label><span>At most</span>"#,
    r#"<input name="limit" type="text" inputmode="numeric" autocomplete="off" placeholder="no limit"><span>at once</span></label>"#,
    r#"<p class="pg-msg"></p></div>"#,
    r#"<div class="pg-field" data-field="timeout"><label><span>Timeout</span>"#,
    r#"<input name="timeout" type="text" inputmode="numeric" autocomplete="off" placeholder="none"><span>ms</span></label>"#,
    r#"<p class="pg-msg"></p></div></div>"#,
    r#"<fieldset class="pg-steps" data-field="steps"><legend>Each task's steps, in order</legend><ol></ol><p class="pg-msg"></p>"#,
    r#"<button type="button" data-act="add" class="pg-add">+ Add a step</button></fieldset>"#,
);

/// One step's row (inside its `<li class="pg-step">`), like [`FORM`]: the kind menu
/// lists [`Step::KINDS`] in order, then one label per [`STEP_FIELDS`] entry, then the
/// buttons that move or remove the row.
const STEP_ROW: &str = concat!(
    r#"<div class="pg-step-fields"><select name="kind"><option value="sleep">sleep</option>"#,
    r#"<option value="api">request the demo API</option><option value="fetch">fetch a URL</option>"#,
    r#"<option value="cpu">compute, never yielding</option><option value="cpuy">compute, yielding</option>"#,
    r#"<option value="fail">raise an error</option></select>"#,
    r#"<label data-part="ms"><span>for</span><input type="text" name="ms" autocomplete="off" inputmode="numeric"><span>ms</span></label>"#,
    r#"<label data-part="every"><span>yielding every</span>"#,
    r#"<input type="text" name="every" autocomplete="off" inputmode="numeric"><span>ms</span></label>"#,
    r#"<label data-part="url"><span>URL</span><input type="url" name="url" autocomplete="off" placeholder="https://…"></label>"#,
    r#"<label data-part="nth"><span>in every n-th task, n =</span><input type="text" name="nth" autocomplete="off" inputmode="numeric"></label>"#,
    r#"</div><div class="pg-tools"><button type="button" data-act="up" class="pg-tool">↑</button>"#,
    r#"<button type="button" data-act="down" class="pg-tool">↓</button>"#,
    r#"<button type="button" data-act="remove" class="pg-tool">✕</button></div><p class="pg-msg"></p>"#,
);

/// The fields of a step: (name, label before, unit after, the kinds that use it).
const STEP_FIELDS: [(&str, &str, &str, &[&str]); 4] = [
    ("ms", "for", "ms", &["sleep", "api", "cpu", "cpuy"]),
    ("every", "yielding every", "ms", &["cpuy"]),
    ("url", "URL", "", &["fetch"]),
    ("nth", "in every n-th task, n =", "", &["fail"]),
];

/// The form's elements.
pub struct Form {
    /// The form's box; its `input`, `change` and `click` events drive it.
    pub root: Element,
    /// A problem with a share link, shown above the fields.
    pub banner: Element,
    tasks: Control,
    join: Control,
    limit: Control,
    timeout: Control,
    list: Element,
    doc: Document,
}

impl Form {
    /// Builds the form (empty; see [`fill`](Self::fill)).
    pub fn build(doc: &Document) -> Form {
        let root = el(doc, "div", "");
        attr(&root, "class", "pg-form");
        root.set_inner_html(FORM);
        let pick = |name: &str| part(&root, name).unchecked_into::<Control>();
        let (tasks, join, limit, timeout) = (pick("[name=tasks]"), pick("[name=join]"), pick("[name=limit]"), pick("[name=timeout]"));
        Form { banner: part(&root, ".pg-banner"), list: part(&root, "ol"), tasks, join, limit, timeout, root, doc: doc.clone() }
    }

    /// Shows `input` in the fields.
    pub fn fill(&self, input: &FormInput) {
        self.tasks.set_value(&input.tasks);
        self.join.set_value(&input.join);
        self.limit.set_value(&input.limit);
        self.timeout.set_value(&input.timeout);
        self.list.set_text_content(None);
        for s in &input.steps {
            append(&self.list, &self.step_row(s));
        }
        self.refresh();
    }

    /// What the fields say now.
    pub fn read(&self) -> FormInput {
        let mut steps = Vec::new();
        let mut row = self.list.first_element_child();
        while let Some(r) = row {
            let get = |name: &str| control(&r, name).map_or(String::new(), |c| c.value());
            steps.push(StepInput { kind: get("kind"), ms: get("ms"), every: get("every"), url: get("url"), nth: get("nth") });
            row = r.next_element_sibling();
        }
        FormInput { tasks: self.tasks.value(), join: self.join.value(), limit: self.limit.value(), timeout: self.timeout.value(), steps }
    }

    /// One step's row: its kind, the fields of that kind, and buttons to move or remove it.
    fn step_row(&self, s: &StepInput) -> Element {
        let li = el(&self.doc, "li", "");
        attr(&li, "class", "pg-step");
        li.set_inner_html(STEP_ROW);
        for (name, value) in [("kind", &s.kind), ("ms", &s.ms), ("every", &s.every), ("url", &s.url), ("nth", &s.nth)] {
            if let Some(c) = control(&li, name) {
                c.set_value(value);
            }
        }
        li
    }

    /// Marks the fields of `problems` and writes each message beside its field; clears
    /// the marks of every other field.
    pub fn show(&self, problems: &[Problem]) {
        let mut all: Vec<Element> = [&self.tasks, &self.join, &self.limit, &self.timeout].map(|c| (**c).clone()).into();
        let mut row = self.list.first_element_child();
        while let Some(r) = row {
            all.extend(["kind", "ms", "every", "url", "nth"].iter().filter_map(|n| control(&r, n)).map(Element::from));
            row = r.next_element_sibling();
        }
        for c in &all {
            let _ = c.remove_attribute("aria-invalid");
        }
        let mut boxes: Vec<Element> = ["tasks", "join", "limit", "timeout", "steps"].iter().filter_map(|n| self.box_of(n)).collect();
        boxes.extend((0..self.list.child_element_count() as usize).filter_map(|i| self.row(i)));
        for b in boxes {
            if let Ok(Some(m)) = b.query_selector(":scope > .pg-msg") {
                m.set_text_content(None);
            }
        }
        for p in problems {
            let (holder, name) = match p.field {
                Field::Tasks => (self.box_of("tasks"), "tasks"),
                Field::Join => (self.box_of("join"), "join"),
                Field::Limit => (self.box_of("limit"), "limit"),
                Field::Timeout => (self.box_of("timeout"), "timeout"),
                Field::Steps | Field::Text => (self.box_of("steps"), ""),
                Field::Step(i, part) => (self.row(i), part_name(part)),
            };
            let Some(holder) = holder else { continue };
            if let Some(c) = control(&holder, name) {
                attr(&c, "aria-invalid", "true");
            }
            let msg = holder.query_selector(":scope > .pg-msg").ok().flatten();
            if let Some(m) = msg {
                let text = m.text_content().unwrap_or_default();
                m.set_text_content(Some(&if text.is_empty() { p.message.clone() } else { format!("{text} {}", p.message) }));
            }
        }
    }

    fn box_of(&self, name: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-field={name}]")).ok().flatten()
    }

    fn row(&self, i: usize) -> Option<Element> {
        let mut row = self.list.first_element_child();
        for _ in 0..i {
            row = row?.next_element_sibling();
        }
        row
    }
}

fn part_name(part: Part) -> &'static str {
    match part {
        Part::Kind => "kind",
        Part::Ms => "ms",
        Part::Every => "every",
        Part::Url => "url",
        Part::Nth => "nth",
    }
}

/// The control called `name` inside `root`.
fn control(root: &Element, name: &str) -> Option<Control> {
    if name.is_empty() {
        return None;
    }
    root.query_selector(&format!("[name={name}]")).ok().flatten().map(JsCast::unchecked_into)
}

#[cfg(test)]
mod tests {
    use super::{FORM, STEP_FIELDS, STEP_ROW};
    use crate::lessons::playground::workload::{Join, Step};

    /// The menus of the templates list the modes and kinds the parser knows, in order.
    #[test]
    fn templates_list_every_mode_kind_and_field() {
        let at = |html: &str, key: &str| html.find(&format!(r#"value="{key}""#)).unwrap_or(usize::MAX);
        let modes: Vec<usize> = Join::ALL.iter().map(|j| at(FORM, j.key())).collect();
        assert!(modes.windows(2).all(|w| w[0] < w[1] && w[1] < usize::MAX), "{modes:?}");
        let kinds: Vec<usize> = Step::KINDS.iter().map(|k| at(STEP_ROW, k)).collect();
        assert!(kinds.windows(2).all(|w| w[0] < w[1] && w[1] < usize::MAX), "{kinds:?}");
        for (name, before, after, _) in STEP_FIELDS {
            let label = format!(r#"<label data-part="{name}"><span>{before}</span>"#);
            assert!(STEP_ROW.contains(&label), "{label}");
            assert_eq!(
                STEP_ROW.contains(&format!(r#"name="{name}" autocomplete="off" inputmode="numeric"><span>{after}</span>"#)),
                !after.is_empty()
            );
        }
    }
}
