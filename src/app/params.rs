//! A lesson's parameters: the form's fields from the element's values, and their
//! checks as the reader types. Only in the modules that have lessons (the
//! playground's own module has none, and leaves this out: `build.rs`).

use crate::lessons::Lesson;
use crate::num::fixed;
use crate::view::lesson::{Field, LessonView};
use crate::Error;
use web_sys::HtmlInputElement;

/// The checked form: numeric parameters by key, and the reader's URLs.
pub type Checked = (Vec<(&'static str, f64)>, Vec<String>);

/// The form of `lesson`: its parameters (the given value, or the default), then its
/// list of URLs if it takes one.
pub fn fields(lesson: &Lesson, values: &[String]) -> Vec<Field<'static>> {
    let given = |i: usize| values.get(i).filter(|v| !v.trim().is_empty()).cloned();
    let mut out: Vec<Field<'static>> = lesson
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| Field {
            key: p.key,
            label: p.label,
            unit: p.unit,
            value: given(i).unwrap_or_else(|| fixed(p.default, 0).to_string()),
            urls: false,
        })
        .collect();
    if let Some(u) = lesson.urls {
        out.push(Field { key: u.key, label: u.label, unit: "", value: given(lesson.params.len()).unwrap_or_default(), urls: true });
    }
    out
}

/// The lesson's parameters, then its URLs, each checked in its field.
pub fn check(view: &LessonView, lesson: &Lesson) -> Option<Checked> {
    let mut values = Vec::new();
    for (p, input) in lesson.params.iter().zip(&view.inputs) {
        values.push((p.key, field(view, input, p.parse(&input.value()))?));
    }
    let urls = match (lesson.urls, view.inputs.get(lesson.params.len())) {
        (Some(p), Some(input)) => field(view, input, p.parse(&input.value()))?,
        _ => Vec::new(),
    };
    Some((values, urls))
}

/// Marks `input` valid and passes the value on, or shows the problem and stops.
fn field<T>(view: &LessonView, input: &HtmlInputElement, parsed: Result<T, Error>) -> Option<T> {
    match parsed {
        Ok(v) => {
            let _ = input.remove_attribute("aria-invalid");
            Some(v)
        }
        Err(e) => {
            view.form_error.set_text_content(Some(&e.to_string()));
            let _ = input.set_attribute("aria-invalid", "true");
            view.run.set_disabled(true);
            None
        }
    }
}
