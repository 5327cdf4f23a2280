//! The playground's form: tasks, join mode, limit, timeout, and a list of steps that
//! can be added, removed and reordered. Built with the crate's DOM helpers; every
//! value goes through [`FormInput::check`](crate::lessons::playground::fields::FormInput::check), the same
//! checks a share link goes through. Each problem is shown beside its field, and the
//! app keeps Run disabled while there is one.

use crate::lessons::playground::fields::{Field, FormInput, Part, Problem, StepInput};
use crate::lessons::playground::workload::{Join, Step};
use crate::view::dom::{append, attr, el};
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

/// The join modes as the menu shows them.
const JOINS: [&str; 5] = [
    "sequential — one after another",
    "join_all — gather: first error reported, others run on",
    "try_join_all — first error cancels the rest",
    "collect_all — gather(return_exceptions=True)",
    "as_completed — each result as it arrives",
];

/// The step kinds as the menu shows them, in the order of [`Step::KINDS`].
const KINDS: [&str; 6] = ["sleep", "request the demo API", "fetch a URL", "compute, never yielding", "compute, yielding", "raise an error"];

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

/// An input (or select) called `name` inside a labelled field, with its message line.
fn field(doc: &Document, parent: &Element, label: &str, name: &str, unit: &str, tag: &str) -> Control {
    let wrap = el(doc, "div", "");
    attr(&wrap, "class", "pg-field");
    attr(&wrap, "data-field", name);
    let l = el(doc, "label", "");
    append(&l, &el(doc, "span", label));
    let input = el(doc, tag, "");
    attr(&input, "name", name);
    if tag == "input" {
        attr(&input, "type", "text");
        attr(&input, "inputmode", "numeric");
        attr(&input, "autocomplete", "off");
    }
    append(&l, &input);
    if !unit.is_empty() {
        append(&l, &el(doc, "span", unit));
    }
    append(&wrap, &l);
    let msg = el(doc, "p", "");
    attr(&msg, "class", "pg-msg");
    append(&wrap, &msg);
    append(parent, &wrap);
    input.unchecked_into()
}

fn options(doc: &Document, select: &Element, items: &[(&str, &str)]) {
    for (value, text) in items {
        let o = el(doc, "option", text);
        attr(&o, "value", value);
        append(select, &o);
    }
}

fn button(doc: &Document, text: &str, act: &str, class: &str) -> Element {
    let b = el(doc, "button", text);
    attr(&b, "type", "button");
    attr(&b, "data-act", act);
    attr(&b, "class", class);
    b
}

impl Form {
    /// Builds the form (empty; see [`fill`](Self::fill)).
    pub fn build(doc: &Document) -> Form {
        let root = el(doc, "div", "");
        attr(&root, "class", "pg-form");
        let banner = el(doc, "p", "");
        attr(&banner, "class", "pg-banner");
        attr(&banner, "role", "alert");
        append(&root, &banner);
        let top = el(doc, "div", "");
        attr(&top, "class", "pg-top");
        let tasks = field(doc, &top, "Tasks", "tasks", "", "input");
        let join = field(doc, &top, "Awaited", "join", "", "select");
        let items: Vec<(&str, &str)> = Join::ALL.iter().map(|j| j.key()).zip(JOINS).collect();
        options(doc, &join, &items);
        let limit = field(doc, &top, "At most", "limit", "at once", "input");
        attr(&limit, "placeholder", "no limit");
        let timeout = field(doc, &top, "Timeout", "timeout", "ms", "input");
        attr(&timeout, "placeholder", "none");
        append(&root, &top);
        let set = el(doc, "fieldset", "");
        attr(&set, "class", "pg-steps");
        attr(&set, "data-field", "steps");
        append(&set, &el(doc, "legend", "Each task's steps, in order"));
        let list = el(doc, "ol", "");
        append(&set, &list);
        let msg = el(doc, "p", "");
        attr(&msg, "class", "pg-msg");
        append(&set, &msg);
        append(&set, &button(doc, "+ Add a step", "add", "pg-add"));
        append(&root, &set);
        Form { root, banner, tasks, join, limit, timeout, list, doc: doc.clone() }
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
        let doc = &self.doc;
        let li = el(doc, "li", "");
        attr(&li, "class", "pg-step");
        let fields = el(doc, "div", "");
        attr(&fields, "class", "pg-step-fields");
        let kind = el(doc, "select", "");
        attr(&kind, "name", "kind");
        let items: Vec<(&str, &str)> = Step::KINDS.into_iter().zip(KINDS).collect();
        options(doc, &kind, &items);
        kind.unchecked_ref::<Control>().set_value(&s.kind);
        append(&fields, &kind);
        for (name, before, after, _) in STEP_FIELDS {
            let l = el(doc, "label", "");
            attr(&l, "data-part", name);
            append(&l, &el(doc, "span", before));
            let input = el(doc, "input", "");
            attr(&input, "type", if name == "url" { "url" } else { "text" });
            attr(&input, "name", name);
            attr(&input, "autocomplete", "off");
            if name != "url" {
                attr(&input, "inputmode", "numeric");
            } else {
                attr(&input, "placeholder", "https://…");
            }
            let value = match name {
                "ms" => &s.ms,
                "every" => &s.every,
                "url" => &s.url,
                _ => &s.nth,
            };
            input.unchecked_ref::<Control>().set_value(value);
            append(&l, &input);
            if !after.is_empty() {
                append(&l, &el(doc, "span", after));
            }
            append(&fields, &l);
        }
        append(&li, &fields);
        let tools = el(doc, "div", "");
        attr(&tools, "class", "pg-tools");
        for (text, act) in [("↑", "up"), ("↓", "down"), ("✕", "remove")] {
            append(&tools, &button(doc, text, act, "pg-tool"));
        }
        append(&li, &tools);
        let msg = el(doc, "p", "");
        attr(&msg, "class", "pg-msg");
        append(&li, &msg);
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
