//! The player: mounts a lesson, runs it on Run (or `element.run()`), cancels it on
//! Cancel, and reports the summary.
//!
//! Cancelling is dropping: the lesson's future is wrapped in `futures`' `Abortable`;
//! aborting drops it at its current `.await`, which drops every `JoinHandle` it
//! holds, which cancels those tasks and aborts their fetches. The record shows them
//! as cancelled.

use super::summary::summary_json;
use super::{find, playground, Ctx, Lesson, Verdict, HAS_PLAYGROUND};
use crate::runtime::Recorder;
use crate::view::dom::document;
use crate::view::lesson::LessonView;
use crate::view::listen::Listener;
use crate::view::table::{render_rows, summary_line};
use crate::Error;
use futures::future::{abortable, AbortHandle, LocalBoxFuture};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element};

/// A mounted lesson, as JavaScript sees it.
#[wasm_bindgen]
pub struct LessonHandle {
    player: Rc<Player>,
    _listeners: Vec<Listener>,
}

struct Player {
    lesson: &'static Lesson,
    view: LessonView,
    events: Element,
    api_base: String,
    abort: RefCell<Option<AbortHandle>>,
    own: Option<Rc<dyn OwnForm>>,
}

/// A form a lesson builds itself instead of numeric parameters (the playground's).
pub trait OwnForm {
    /// The element whose `input` and `change` events mean "check the form again".
    fn root(&self) -> &Element;
    /// Checks every field, showing each problem beside its field; false while one is.
    fn check(&self) -> bool;
    /// The run of the form as it is now (checked just before).
    fn start(&self, ctx: Ctx) -> LocalBoxFuture<'static, Result<Verdict, Error>>;
}

/// Mounts lesson `id` inside `host`; `values` holds one string per parameter
/// (attributes of the element, or "" for the default); `events` receives the
/// `looplab:done` event; `api_base` prefixes demo-API paths (e.g. "api/").
#[wasm_bindgen(js_name = mountLesson)]
pub fn mount_lesson(host: Element, events: Element, id: &str, values: Vec<String>, api_base: String) -> Result<LessonHandle, JsValue> {
    crate::view::panic::install(); // a panic is shown in the element, not lost
    let lesson = find(id).or((HAS_PLAYGROUND && id == playground::LESSON.id).then_some(&playground::LESSON)).ok_or_else(|| {
        let known: Vec<_> = super::all().iter().map(|l| l.id).collect();
        to_js(Error::BadInput(format!("There is no lesson \"{id}\". Lessons: {}.", known.join(", "))))
    })?;
    let doc = document().map_err(to_js)?;
    let urls = values.get(lesson.params.len()).cloned().unwrap_or_default();
    let mut values: Vec<String> = lesson
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| values.get(i).filter(|v| !v.trim().is_empty()).cloned().unwrap_or_else(|| crate::trace::num::fixed(p.default, 0).to_string()))
        .collect();
    if lesson.urls.is_some() {
        values.push(urls);
    }
    let view = LessonView::build(&doc, &host, lesson, &values).map_err(to_js)?;
    let own = if HAS_PLAYGROUND { playground::mount::own_form(&doc, lesson, &view).map_err(to_js)? } else { None };
    let player = Rc::new(Player { lesson, view, events, api_base, abort: RefCell::new(None), own });
    let listeners = listen(&player);
    player.validate();
    Ok(LessonHandle { player, _listeners: listeners })
}

fn listen(player: &Rc<Player>) -> Vec<Listener> {
    let on = |target: &web_sys::EventTarget, kind: &'static str, f: fn(&Rc<Player>)| {
        let weak = Rc::downgrade(player);
        Listener::new(target, kind, move |_| {
            if let Some(p) = weak.upgrade() {
                f(&p);
            }
        })
    };
    let mut out = vec![
        on(player.view.run.as_ref(), "click", |p| {
            let p = p.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = p.run().await;
            });
        }),
        on(player.view.cancel.as_ref(), "click", |p| p.cancel()),
    ];
    for input in player.view.inputs.iter().chain(player.view.urls.iter()) {
        out.push(on(input.as_ref(), "input", |p| {
            p.validate();
        }));
    }
    for kind in ["input", "change"] {
        if let Some(own) = &player.own {
            out.push(on(own.root().as_ref(), kind, |p| {
                p.validate();
            }));
        }
    }
    out
}

#[wasm_bindgen]
impl LessonHandle {
    /// Runs the lesson as the Run button does; resolves to the run's summary.
    pub fn run(&self) -> js_sys::Promise {
        let player = self.player.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let json = player.run().await.map_err(to_js)?;
            js_sys::JSON::parse(&json)
        })
    }

    /// Cancels the run in progress, if any.
    pub fn cancel(&self) {
        self.player.cancel();
    }

    /// The lesson's id.
    #[wasm_bindgen(getter)]
    pub fn lesson(&self) -> String {
        self.player.lesson.id.to_string()
    }
}

/// The checked form: numeric parameters by key, and the reader's URLs.
type Checked = (Vec<(&'static str, f64)>, Vec<String>);

impl Player {
    /// Checks every field; shows the first problem and disables Run while there is one.
    fn validate(&self) -> Option<Checked> {
        let mut values = Vec::new();
        for (p, input) in self.lesson.params.iter().zip(&self.view.inputs) {
            values.push((p.key, self.check(input, p.parse(&input.value()))?));
        }
        let urls = match (self.lesson.urls, &self.view.urls) {
            (Some(p), Some(input)) => self.check(input, p.parse(&input.value()))?,
            _ => Vec::new(),
        };
        if self.own.as_ref().is_some_and(|f| !f.check()) {
            self.view.run.set_disabled(true);
            return None;
        }
        self.view.form_error.set_text_content(None);
        self.view.run.set_disabled(self.abort.borrow().is_some());
        Some((values, urls))
    }

    /// Marks `input` valid and passes the value on, or shows the problem and stops.
    fn check<T>(&self, input: &web_sys::HtmlInputElement, parsed: Result<T, Error>) -> Option<T> {
        match parsed {
            Ok(v) => {
                let _ = input.remove_attribute("aria-invalid");
                Some(v)
            }
            Err(e) => {
                self.view.form_error.set_text_content(Some(&e.to_string()));
                let _ = input.set_attribute("aria-invalid", "true");
                self.view.run.set_disabled(true);
                None
            }
        }
    }

    fn cancel(&self) {
        let handle = self.abort.borrow_mut().take();
        if let Some(h) = handle {
            h.abort();
        }
    }

    /// One run; returns the summary JSON.
    async fn run(self: &Rc<Self>) -> Result<String, Error> {
        if self.abort.borrow().is_some() {
            return Err(Error::BadInput("this lesson is already running; cancel it or wait".into()));
        }
        let (values, urls) = self
            .validate()
            .ok_or_else(|| Error::BadInput(self.view.form_error.text_content().unwrap_or_default()))?;
        let rec = Recorder::new();
        let ctx = Ctx::new(rec.clone(), values, urls, self.api_base.clone());
        let (run, handle) = abortable(match &self.own {
            Some(form) => form.start(ctx),
            None => (self.lesson.run)(ctx),
        });
        *self.abort.borrow_mut() = Some(handle);
        self.view.set_state("running");
        self.view.summary.set_text_content(Some("Running…"));
        self.view.verdict.set_text_content(None);
        self.view.timeline.watch(&rec);
        let result = run.await;
        self.abort.borrow_mut().take();
        self.view.timeline.finish();
        Ok(self.report(&rec, result))
    }

    /// Shows the outcome, sends `looplab:done`, returns the summary JSON.
    fn report(&self, rec: &Recorder, result: Result<Result<super::Verdict, Error>, futures::future::Aborted>) -> String {
        let record = rec.record();
        if let Ok(doc) = document() {
            let _ = render_rows(&doc, &self.view.tbody, &record);
        }
        self.view.summary.set_text_content(Some(&summary_line(&record)));
        let (state, verdict, error) = match &result {
            Ok(Ok(v)) => ("done", Some(v), None),
            Ok(Err(e)) => ("error", None, Some(format!("The run stopped: {e}"))),
            Err(_) => ("cancelled", None, Some("Cancelled: every task of the run was dropped at its await.".into())),
        };
        let mut words = verdict.map(|v| v.sentence.clone()).or(error.clone()).unwrap_or_default();
        words.push_str(&super::summary::hidden_note(&record).unwrap_or_default()); // hidden tab: say so
        self.view.verdict.set_text_content(Some(&words));
        self.view.set_state(state);
        self.validate();
        let json = summary_json(self.lesson.id, &record, verdict, error.as_deref());
        self.view.offer_summary(&json);
        drop(record);
        self.send_done(&json);
        json
    }

    fn send_done(&self, json: &str) {
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&js_sys::JSON::parse(json).unwrap_or(JsValue::NULL));
        if let Ok(ev) = CustomEvent::new_with_event_init_dict("looplab:done", &init) {
            let _ = self.events.dispatch_event(&ev);
        }
    }
}

fn to_js(e: Error) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

/// The parameter names (attributes) of lesson `id`, in order; empty if unknown.
#[wasm_bindgen(js_name = lessonParams)]
pub fn lesson_params(id: &str) -> js_sys::Array {
    let keys = find(id).into_iter().flat_map(|l| l.params.iter().map(|p| p.key).chain(l.urls.map(|u| u.key)));
    keys.map(JsValue::from_str).collect()
}
