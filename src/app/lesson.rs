//! A mounted lesson or playground: Run (or `element.run()`), Cancel, and the summary.
//!
//! The app reads the element's values into the form the view shows, checks them
//! as the reader types (Run is disabled while one is wrong), runs the lesson on a
//! fresh recorder while the view paints it, and reports the summary: in the view,
//! as the `looplab:done` event, and as what `run()` resolves to.
//!
//! Cancelling is dropping: the run's future is wrapped in `futures`' `Abortable`;
//! aborting drops it at its current `.await`, which drops every `JoinHandle` it
//! holds, which cancels those tasks and aborts their fetches. The record shows them
//! as cancelled.

#[cfg(looplab_with_lessons)]
use super::params::{self, Checked};
#[cfg(looplab_with_playground)]
use super::playground::{self, Playground};
use crate::lessons::{all, find, Ctx, Verdict};
use crate::runtime::Recorder;
use crate::trace::dump::encode;
use crate::trace::summary::{hidden_note, summary_json, Ending};
use crate::trace::Reader;
use crate::view::dom::document;
use crate::view::lesson::{LessonView, Shown};
use crate::view::listen::Listener;
use crate::view::table::{render_rows, summary_line};
use crate::Error;
use futures::future::{abortable, AbortHandle, Aborted, LocalBoxFuture};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element};

/// A mounted lesson, as JavaScript sees it.
#[wasm_bindgen]
pub struct LessonHandle {
    player: Rc<Player>,
    _listeners: Vec<Listener>,
    /// The last Python run's box (`app/python.rs`), kept while the lesson is.
    #[cfg(looplab_with_lessons)]
    python: RefCell<Option<crate::view::python::PythonView>>,
}

/// What runs: a lesson with its parameters, or the playground with its form. A
/// one-lesson module has only the variant it can mount (`build.rs` sets the cfgs), so
/// the code of the other is not in it.
enum Runs {
    #[cfg(looplab_with_lessons)]
    Lesson(&'static crate::lessons::Lesson),
    #[cfg(looplab_with_playground)]
    Playground(Rc<Playground>),
}

struct Player {
    id: &'static str,
    about: crate::lessons::About,
    /// The record of the last run, for `inspect()` and the inspector.
    last: RefCell<Option<Reader>>,
    /// How many runs have begun: part of [`LessonHandle::stamp`].
    made: Cell<u32>,
    runs: Runs,
    view: LessonView,
    events: Element,
    api_base: String,
    abort: RefCell<Option<AbortHandle>>,
}

/// Mounts lesson `id` inside `host`; `values` holds one string per parameter
/// (attributes of the element, or "" for the default); `events` receives the
/// `looplab:done` event; `api_base` prefixes demo-API paths (e.g. "api/").
#[wasm_bindgen(js_name = mountLesson)]
#[cfg_attr(not(looplab_with_lessons), allow(unused_variables))] // `values`: the playground's own module has no parameters
pub fn mount_lesson(host: Element, events: Element, id: &str, values: Vec<String>, api_base: String) -> Result<LessonHandle, JsValue> {
    super::panic::install(); // a panic is shown in the element, not lost
    let (about, fields, runs) = match find(id) {
        #[cfg(looplab_with_lessons)]
        Some(l) => (l.about(), params::fields(l, &values), Mount::Lesson(l)),
        #[cfg(looplab_with_playground)]
        None if id == crate::lessons::playground::ABOUT.id => (crate::lessons::playground::ABOUT, Vec::new(), Mount::Playground),
        _ => {
            let known: Vec<_> = all().iter().map(|l| l.id).collect();
            return Err(Error::BadInput(format!("There is no lesson \"{id}\". Lessons: {}.", known.join(", "))).into());
        }
    };
    let doc = document()?;
    let file = about.file();
    let shown = Shown {
        id: about.id,
        title: about.title,
        text: about.text,
        python: about.python,
        rust: about.source,
        rust_file: &file,
        fields: &fields,
    };
    let view = LessonView::build(&doc, &host, &shown)?;
    let runs = match runs {
        #[cfg(looplab_with_lessons)]
        Mount::Lesson(l) => Runs::Lesson(l),
        #[cfg(looplab_with_playground)]
        Mount::Playground => Runs::Playground(playground::mount(&doc, &view)?),
    };
    let last = RefCell::new(None);
    let player = Rc::new(Player { id: about.id, about, last, made: Cell::new(0), runs, view, events, api_base, abort: RefCell::new(None) });
    let listeners = listen(&player);
    player.validate();
    Ok(LessonHandle {
        player,
        _listeners: listeners,
        #[cfg(looplab_with_lessons)]
        python: RefCell::new(None),
    })
}

/// What to mount, known before the view is built.
enum Mount {
    #[cfg(looplab_with_lessons)]
    Lesson(&'static crate::lessons::Lesson),
    #[cfg(looplab_with_playground)]
    Playground,
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
    for input in &player.view.inputs {
        out.push(on(input.as_ref(), "input", |p| {
            p.validate();
        }));
    }
    #[cfg(looplab_with_playground)]
    #[allow(irrefutable_let_patterns)] // the playground's own module has no other kind
    if let Runs::Playground(pg) = &player.runs {
        for kind in ["input", "change"] {
            out.push(on(pg.root().as_ref(), kind, |p| {
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
            let json = player.run().await?;
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
        self.player.id.to_string()
    }

    /// The last run's record as bytes (`trace::dump`), each wait with its lines in the
    /// code shown: what the inspector's own module (`pkg/reader/`, `www/reader.js`)
    /// replays. The replay is not in this module: no embed's first load carries it.
    pub fn dump(&self) -> Result<Vec<u8>, JsValue> {
        let reader = self.player.reader()?;
        let rec = reader.read();
        Ok(encode(&rec, &|i| self.player.about.wait_lines(&rec, i)))
    }

    /// A number that changes whenever the last run's record does (another run, more
    /// events): when `www/reader.js` needs a fresh [`dump`](Self::dump). 0 before any run.
    #[wasm_bindgen(getter)]
    pub fn stamp(&self) -> f64 {
        let last = self.player.last.borrow();
        last.as_ref().map_or(0.0, |r| {
            let rec = r.read();
            f64::from(self.player.made.get()) * 4_294_967_296.0 + (rec.events().len() as u64 + rec.dropped()) as f64
        })
    }

    /// Puts the timeline's cursor at `t_ms` (ms since the run began).
    #[wasm_bindgen(js_name = showAt)]
    pub fn show_at(&self, t_ms: f64) {
        self.player.view.timeline.show_at(t_ms);
    }
}

impl LessonHandle {
    /// The last Rust run's summary JSON ("" before any run).
    #[cfg(looplab_with_lessons)] // the playground's own module runs no Python
    pub(super) fn last_summary(&self) -> String {
        self.player.view.last_summary()
    }

    /// The Python the lesson's pane shows now, its parameters filled from the form.
    #[cfg(looplab_with_lessons)]
    pub(super) fn python_text(&self) -> String {
        self.player.view.python.text_content().unwrap_or_default()
    }

    /// Where the lesson's Rust and Python await the same thing: `(rust_line, python_line)`.
    #[cfg(looplab_with_lessons)]
    pub(super) fn awaits(&self) -> &'static [(u32, u32)] {
        self.player.about.awaits
    }

    /// The last Python run's box, if any.
    #[cfg(looplab_with_lessons)]
    pub(super) fn python_view(&self) -> std::cell::Ref<'_, Option<crate::view::python::PythonView>> {
        self.python.borrow()
    }

    /// Takes the last Python run's box out (it is kept back, or dropped).
    #[cfg(looplab_with_lessons)]
    pub(super) fn take_python(&self) -> Option<crate::view::python::PythonView> {
        self.python.borrow_mut().take()
    }

    /// Keeps the Python run's box (replacing the last one's).
    #[cfg(looplab_with_lessons)]
    pub(super) fn keep_python(&self, view: crate::view::python::PythonView) {
        *self.python.borrow_mut() = Some(view);
    }
}

/// The checked form: numeric parameters by key, and the reader's URLs (the
/// playground's own module has no parameters).
#[cfg(not(looplab_with_lessons))]
type Checked = (Vec<(&'static str, f64)>, Vec<String>);

impl Player {
    /// The last run's record, or why there is none.
    fn reader(&self) -> Result<Reader, Error> {
        let last = self.last.borrow().clone();
        last.ok_or_else(|| Error::BadInput("there is no run to inspect yet: run the lesson first".into()))
    }

    /// Checks every field; shows the first problem and disables Run while there is one.
    fn validate(&self) -> Option<Checked> {
        let checked = match &self.runs {
            #[cfg(looplab_with_lessons)]
            Runs::Lesson(lesson) => params::check(&self.view, lesson, &self.api_base)?,
            #[cfg(looplab_with_playground)]
            Runs::Playground(pg) if !pg.check() => {
                self.view.run.set_disabled(true);
                return None;
            }
            #[cfg(looplab_with_playground)]
            Runs::Playground(_) => (Vec::new(), Vec::new()),
        };
        self.view.form_error.set_text_content(None);
        self.view.run.set_disabled(self.abort.borrow().is_some());
        Some(checked)
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
        let (values, urls) = self.validate().ok_or_else(|| Error::BadInput(self.view.form_error.text_content().unwrap_or_default()))?;
        let rec = Recorder::new();
        let ctx = Ctx::new(rec.clone(), values, urls, self.api_base.clone());
        let run: LocalBoxFuture<'static, Result<Verdict, Error>> = match &self.runs {
            #[cfg(looplab_with_lessons)]
            Runs::Lesson(lesson) => (lesson.run)(ctx),
            #[cfg(looplab_with_playground)]
            Runs::Playground(pg) => pg.start(ctx),
        };
        let (run, handle) = abortable(run);
        *self.abort.borrow_mut() = Some(handle);
        self.view.set_state("running");
        self.view.summary.set_text_content(Some("Running…"));
        self.view.verdict.set_text_content(None);
        self.view.timeline.watch(&rec.reader());
        *self.last.borrow_mut() = Some(rec.reader());
        self.made.set(self.made.get().wrapping_add(1));
        let result = run.await;
        self.abort.borrow_mut().take();
        self.view.timeline.finish();
        Ok(self.report(&rec, result))
    }

    /// Shows the outcome, sends `looplab:done`, returns the summary JSON.
    fn report(&self, rec: &Recorder, result: Result<Result<Verdict, Error>, Aborted>) -> String {
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
        words.push_str(&hidden_note(&record).unwrap_or_default()); // hidden tab: say so
        self.view.verdict.set_text_content(Some(&words));
        self.view.set_state(state);
        self.validate();
        let ending = Ending {
            lesson: self.id,
            language: "rust",
            verdict: verdict.map(|v| v.sentence.as_str()),
            figures: verdict.map_or(&[][..], |v| &v.figures[..]),
            error: error.as_deref(),
        };
        let json = summary_json(&ending, &record, &|i| self.about.wait_lines(&record, i));
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

/// The parameter names (attributes) of lesson `id`, in order; empty if unknown.
#[wasm_bindgen(js_name = lessonParams)]
pub fn lesson_params(id: &str) -> js_sys::Array {
    let keys = find(id).into_iter().flat_map(|l| l.params.iter().map(|p| p.key).chain(l.urls.map(|u| u.key)));
    keys.map(JsValue::from_str).collect()
}
