//! Editing the list of steps: adding, moving and removing them, and keeping each
//! row's visible fields and spoken labels in step with its kind and place.

use super::{control, Form, STEP_FIELDS};
use crate::lessons::playground::fields::StepInput;
use crate::view::dom::{append, attr};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement};

impl Form {
    /// After any change: shows only the fields of each step's kind, and numbers the
    /// steps in every label a screen reader announces.
    pub fn refresh(&self) {
        let (mut row, mut i) = (self.list.first_element_child(), 0);
        let count = self.list.child_element_count();
        while let Some(r) = row {
            i += 1;
            let kind = control(&r, "kind").map_or(String::new(), |c| c.value());
            if let Some(k) = control(&r, "kind") {
                attr(&k, "aria-label", &format!("Step {i}: kind"));
            }
            for (name, before, after, kinds) in STEP_FIELDS {
                if let Ok(Some(l)) = r.query_selector(&format!("label[data-part={name}]")) {
                    let on = kinds.contains(&kind.as_str());
                    let _ = if on { l.remove_attribute("hidden") } else { l.set_attribute("hidden", "") };
                    let shown = if name == "ms" && kind == "api" { "answering after" } else { before };
                    if let Some(span) = l.first_element_child() {
                        span.set_text_content(Some(shown));
                    }
                    if let Some(c) = control(&r, name) {
                        attr(&c, "aria-label", format!("Step {i}: {shown} {after}").trim_end());
                    }
                }
            }
            for (act, before, after) in [("up", "Move", " up"), ("down", "Move", " down"), ("remove", "Remove", "")] {
                if let Ok(Some(b)) = r.query_selector(&format!("button[data-act={act}]")) {
                    attr(&b, "aria-label", &format!("{before} step {i}{after}"));
                    let off = (act == "up" && i == 1) || (act == "down" && i == count) || (act == "remove" && count == 1);
                    b.unchecked_ref::<HtmlButtonElement>().set_disabled(off);
                }
            }
            row = r.next_element_sibling();
        }
        if let Ok(Some(add)) = self.root.query_selector("button.pg-add") {
            add.unchecked_ref::<HtmlButtonElement>().set_disabled(count as usize >= crate::lessons::playground::workload::MAX_STEPS);
        }
    }

    /// Does what button `b` (with its `data-act`) asks; returns the element to focus.
    pub fn act(&self, b: &Element) -> Option<Element> {
        let act = b.get_attribute("data-act").unwrap_or_default();
        let row = b.closest("li.pg-step").ok().flatten();
        let focus = match (act.as_str(), row) {
            ("add", _) => {
                let last = self.read().steps.pop().unwrap_or_default();
                let input = StepInput {
                    kind: if last.kind.is_empty() { "sleep".into() } else { last.kind },
                    ms: "100".into(),
                    every: "10".into(),
                    nth: "2".into(),
                    url: last.url,
                };
                let li = self.step_row(&input);
                append(&self.list, &li);
                control(&li, "kind").map(Element::from)
            }
            ("up", Some(r)) => {
                if let Some(prev) = r.previous_element_sibling() {
                    let _ = self.list.insert_before(&r, Some(&prev));
                }
                Some(b.clone())
            }
            ("down", Some(r)) => {
                if let Some(next) = r.next_element_sibling() {
                    let _ = self.list.insert_before(&next, Some(&r));
                }
                Some(b.clone())
            }
            ("remove", Some(r)) => {
                let next = r.next_element_sibling().or_else(|| r.previous_element_sibling());
                r.remove();
                next.and_then(|n| control(&n, "kind")).map(Element::from)
            }
            _ => None,
        };
        self.refresh();
        focus
    }
}
