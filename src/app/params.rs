//! A lesson's parameters: the form's fields from the element's values, and their
//! checks as the reader types; the Python pane shows the lesson's program with the
//! form's values (`lessons::python`), refilled on every change, so the Python a reader
//! sees is the one that runs. Only in the modules that have lessons (the playground's
//! own module has none, and leaves this out: `build.rs`).

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

/// The lesson's parameters, then its URLs, each checked in its field. First the Python
/// pane is filled with the fields' values (a field not valid yet gives its default):
/// `api` is the demo API's base URL, as the Rust run fetches it.
pub fn check(view: &LessonView, lesson: &Lesson, api: &str) -> Option<Checked> {
    show_python(view, lesson, api);
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

/// Fills the Python pane from the form (the reader's URLs too, once they are valid);
/// untouched when the text is the same (the
/// inspector wraps its lines in spans to mark them).
fn show_python(view: &LessonView, lesson: &Lesson, api: &str) {
    let values: Vec<(&str, f64)> =
        lesson.params.iter().zip(&view.inputs).filter_map(|(p, i)| Some((p.key, p.parse(&i.value()).ok()?))).collect();
    let urls = match (lesson.urls, view.inputs.get(lesson.params.len())) {
        (Some(p), Some(input)) => p.parse(&input.value()).unwrap_or_default(),
        _ => Vec::new(),
    };
    let text = lesson.python_with(&values, &urls, api);
    if view.python.text_content().as_deref() != Some(text.as_str()) {
        view.python.set_text_content(Some(&text));
    }
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
