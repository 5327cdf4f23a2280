//! The playground, mounted: its form (instead of numeric parameters) gates the Run
//! button and says what runs; the Copy-link button puts the workload in the address.
//!
//! - [`form`]: the form, built with the view's DOM helpers, read into the lessons'
//!   [`FormInput`] and checked by the same code a share link goes through.
//! - [`share`]: the link in the address bar, and copying it.

mod form;
mod share;

use crate::lessons::playground::fields::{first, FormInput, Problem};
use crate::lessons::playground::workload::{parse, Workload};
use crate::lessons::{Ctx, Verdict};
use crate::view::dom::{append, attr, el, el_as};
use crate::view::lesson::LessonView;
use crate::view::listen::Listener;
use crate::Error;
use futures::future::{FutureExt, LocalBoxFuture};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlButtonElement, HtmlElement};

use form::{Control, Form};

/// A mounted playground's own parts.
pub struct Playground {
    form: Form,
    form_error: Element,
    share: HtmlButtonElement,
    status: Element,
    link: Control,
    listeners: RefCell<Vec<Listener>>,
}

/// Builds the playground's form and Copy-link button into the lesson `view`.
pub fn mount(doc: &Document, view: &LessonView) -> Result<Rc<Playground>, Error> {
    attr(&view.root, "class", "ll-lesson lesson pg");
    let form = Form::build(doc);
    let params = view.form_error.parent_element().ok_or_else(|| Error::Browser("the form has no box".into()))?;
    params.insert_before(&form.root, Some(&view.form_error)).map_err(Error::from_js)?;
    let share: HtmlButtonElement = el_as(doc, "button", "Copy link");
    attr(&share, "type", "button");
    attr(&share, "class", "pg-share");
    attr(&share, "title", "Put this workload in the page's address and copy the link");
    view.summary.before_with_node_1(&share).map_err(Error::from_js)?;
    let link = el(doc, "input", "");
    attr(&link, "class", "pg-link");
    attr(&link, "readonly", "");
    attr(&link, "aria-label", "Link to this workload");
    attr(&link, "hidden", "");
    let status = el(doc, "p", "");
    attr(&status, "class", "pg-status");
    attr(&status, "role", "status");
    let after = el(doc, "div", "");
    attr(&after, "class", "pg-shared");
    append(&after, &status);
    append(&after, &link);
    let controls = view.run.parent_element().ok_or_else(|| Error::Browser("Run has no box".into()))?;
    append(&controls, &after);
    let pg = Rc::new(Playground {
        form,
        form_error: view.form_error.clone(),
        share,
        status,
        link: link.unchecked_into(),
        listeners: RefCell::new(Vec::new()),
    });
    pg.load(true);
    if share::hash().starts_with(share::PREFIX) {
        view.root.scroll_into_view();
    }
    *pg.listeners.borrow_mut() = listen(&pg);
    Ok(pg)
}

fn listen(pg: &Rc<Playground>) -> Vec<Listener> {
    let on = |target: &web_sys::EventTarget, kind: &'static str, f: fn(&Playground, Event)| {
        let weak: Weak<Playground> = Rc::downgrade(pg);
        Listener::new(target, kind, move |e| {
            if let Some(p) = weak.upgrade() {
                f(&p, e);
            }
        })
    };
    let mut out = vec![
        on(pg.form.root.as_ref(), "click", |p, e| p.clicked(&e)),
        on(pg.form.root.as_ref(), "change", |p, e| {
            p.form.refresh();
            p.edited(&e);
        }),
        on(pg.form.root.as_ref(), "input", |p, e| p.edited(&e)),
        on(pg.share.as_ref(), "click", |p, _| p.share()),
    ];
    if let Some(window) = web_sys::window() {
        out.push(on(window.as_ref(), "hashchange", |p, _| p.load(false)));
    }
    out
}

impl Playground {
    /// Fills the form from a `#w=` link, or with the default workload (`first`: on
    /// mount, or when the link cannot be used). Never runs anything.
    fn load(&self, first: bool) {
        let hash = share::hash();
        let workload = match hash.strip_prefix(share::PREFIX) {
            Some(text) => match parse(text) {
                Ok(w) => {
                    self.form.banner.set_text_content(None);
                    w
                }
                Err(p) => {
                    let said = format!("This link's workload was not used: {} The default workload is shown instead.", p.message);
                    self.form.banner.set_text_content(Some(&said));
                    Workload::default()
                }
            },
            None if first => Workload::default(),
            None => return,
        };
        self.form.fill(&FormInput::of(&workload));
        self.changed();
    }

    /// Tells the app (and the form) that the fields changed.
    fn changed(&self) {
        self.status.set_text_content(None);
        if let Ok(e) = Event::new("input") {
            let _ = self.form.root.dispatch_event(&e);
        }
    }

    /// A reader's own edit: a message about the link it replaced is no longer news.
    fn edited(&self, e: &Event) {
        if e.is_trusted() {
            self.form.banner.set_text_content(None);
        }
    }

    fn clicked(&self, e: &Event) {
        self.edited(e);
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        let Some(button) = target.and_then(|t| t.closest("button[data-act]").ok().flatten()) else { return };
        if let Some(focus) = self.form.act(&button) {
            let _ = focus.unchecked_ref::<HtmlElement>().focus();
        }
        self.changed();
    }

    /// Writes the workload into the address bar and copies the link.
    fn share(&self) {
        let Ok(w) = self.form.read().check() else {
            self.status.set_text_content(Some("Fix the marked fields first: only a valid workload can be shared."));
            return;
        };
        let href = match share::put(&w.encode()) {
            Ok(href) => href,
            Err(e) => {
                self.status.set_text_content(Some(&format!("The link could not be made: {e}")));
                return;
            }
        };
        self.link.set_value(&href);
        let _ = self.link.remove_attribute("hidden");
        self.status.set_text_content(Some("The address bar now holds this workload. Copying the link…"));
        let (status, link) = (self.status.clone(), self.link.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let said = if crate::view::export::copy_text(&href).await {
                "Link copied. Anyone who opens it gets this workload in the form, ready to run."
            } else {
                "The browser did not let the page copy: copy the link below, or from the address bar."
            };
            status.set_text_content(Some(said));
            link.unchecked_ref::<web_sys::HtmlInputElement>().select();
        });
    }
}

impl Playground {
    /// The element whose `input` and `change` events mean "check the form again".
    pub fn root(&self) -> &Element {
        &self.form.root
    }

    /// Checks every field, showing each problem beside its field; false while one is.
    pub fn check(&self) -> bool {
        let result = self.form.read().check();
        let problems: &[Problem] = result.as_ref().err().map_or(&[], Vec::as_slice);
        self.form.show(problems);
        self.share.set_disabled(result.is_err());
        if let Some(p) = problems.first() {
            let more = if problems.len() > 1 { format!(" ({} fields to fix)", problems.len()) } else { String::new() };
            self.form_error.set_text_content(Some(&format!("Run is off until the workload is valid{more}. {}", p.message)));
        }
        result.is_ok()
    }

    /// The run of the workload the form holds now.
    pub fn start(&self, ctx: Ctx) -> LocalBoxFuture<'static, Result<Verdict, Error>> {
        match self.form.read().check() {
            Ok(w) => crate::lessons::playground::run(ctx, w).boxed_local(),
            Err(p) => {
                let message = first(p).message;
                async move { Err(Error::BadInput(message)) }.boxed_local()
            }
        }
    }
}
