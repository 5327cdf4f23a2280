//! Fetch that cancels on drop: a real `fetch()` with an `AbortController`.
//!
//! `aiohttp` cancels a request when its task is cancelled; here the same happens when
//! the future is dropped: the in-flight request is aborted, so a timeout really ends
//! the network call, and the record shows `fetch aborted`.

use super::body::{append, mib, BodyReader, Limits};
use super::context::{self, with_cause, Slot};
use super::recorder::Recorder;
use super::waits::{self, Parked};
use crate::error::js_message;
use crate::trace::{Cause, Kind, Site};
use crate::Error;
use futures::task::{waker, ArcWake};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, present in windows and workers alike.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

thread_local! {
    /// The function requests are made with instead of the global `fetch` (see [`route`]).
    static ROUTE: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// From now on, every request is made by calling `fetch(url, init)` instead of the
/// global `fetch`; `None` undoes it. The function must behave like `fetch`: return a
/// promise of a `Response` (it may come from another window, so it is not checked
/// with `instanceof`) and honour `init.signal`.
pub fn route(fetch: Option<Function>) {
    ROUTE.with(|r| *r.borrow_mut() = fetch);
}

/// Sends the request, through the [`route`] if there is one; also says whether, since
/// a routed response may be another window's.
fn send(url: &str, init: &RequestInit) -> Result<(Promise, bool), JsValue> {
    match ROUTE.with(|r| r.borrow().clone()) {
        // Promise::resolve: a promise of this window, whatever the function returned.
        Some(f) => Ok((Promise::resolve(&f.call2(&JsValue::NULL, &JsValue::from_str(url), init)?), true)),
        None => Ok((global_fetch(url, init)?, false)),
    }
}

/// GETs `url` and parses the body as JSON. Non-2xx answers are [`Error::Http`].
/// Dropping the future before it completes aborts the request. The body is read
/// under [`Limits::DEFAULT`]: at most 4 MiB, and no silence over 20 s. The task
/// awaiting it waits on the request at the caller's line.
#[track_caller]
pub fn get_json(url: &str) -> Fetching<'_, impl Future<Output = Result<JsValue, Error>> + '_> {
    get_json_with(url, Limits::DEFAULT)
}

/// [`get_json`] with other [`Limits`] on the body.
#[track_caller]
pub fn get_json_with(url: &str, limits: Limits) -> Fetching<'_, impl Future<Output = Result<JsValue, Error>> + '_> {
    Fetching { inner: read_json(url, limits), url, site: Location::caller(), parked: None }
}

pin_project_lite::pin_project! {
    /// A request's future: while it is pending its task waits on the request (see
    /// [`super::waits`]).
    #[must_use = "a request is sent only when awaited; dropping it aborts the request"]
    pub struct Fetching<'a, F> {
        #[pin]
        inner: F,
        url: &'a str,
        site: Site,
        parked: Option<Parked>,
    }
}

impl<F: Future> Future for Fetching<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let out = this.inner.poll(cx);
        match out {
            Poll::Pending if this.parked.is_none() => *this.parked = waits::begin_fetch(this.url, this.site),
            Poll::Ready(_) => this.parked.take().map_or((), Parked::over),
            Poll::Pending => {}
        }
        out
    }
}

async fn read_json(url: &str, limits: Limits) -> Result<JsValue, Error> {
    let (response, request) = open(url).await?;
    let announced = BodyReader::announced(&response);
    let mut body = BodyReader::new(url, &response, request, limits)?;
    let max = limits.max_bytes;
    if let Some(n) = announced.filter(|&n| n > max) {
        return Err(body.refuse(format!("its Content-Length is {}, over the {} limit; the request was aborted", mib(n), mib(max))));
    }
    // Bytes are copied into wasm memory only while under the limit.
    let mut bytes = Vec::with_capacity(announced.unwrap_or(0).min(max));
    while let Some(chunk) = body.chunk().await? {
        if bytes.len() + chunk.length() as usize > max {
            return Err(body.refuse(format!("it passed the {} limit; the request was aborted", mib(max))));
        }
        append(&mut bytes, &chunk);
    }
    let parsed = String::from_utf8(bytes)
        .map_err(|_| "the body is not UTF-8 text".to_string())
        .and_then(|text| js_sys::JSON::parse(&text).map_err(|e| js_message(&e)));
    body.finish(parsed.is_ok());
    parsed.map_err(|detail| Error::BadJson { url: url.to_string(), detail })
}

/// Sends a GET for `url` and waits for the response head: a 2xx [`Response`] whose body
/// is still to be read, and the [`InFlight`] request to finish (or abort, if dropped).
pub(super) async fn open(url: &str) -> Result<(Response, InFlight), Error> {
    let mut request = InFlight::start()?;
    let init = RequestInit::new();
    init.set_signal(Some(&request.controller.signal()));
    // Every request really goes to the network: no HTTP cache, and so no queueing of
    // identical URLs behind one cache entry (which would make concurrent look sequential).
    init.set_cache(RequestCache::NoStore);
    let (promise, routed) = send(url, &init).map_err(|e| network(url, &e))?;
    let answer = Io::new(promise).await.map_err(|e| network(url, &e))?;
    let response: Response = match answer.dyn_into() {
        Ok(response) => response,
        // Another window's Response is no `instanceof` this window's.
        Err(other) if routed && other.is_object() => other.unchecked_into(),
        Err(_) => return Err(Error::Browser("fetch did not return a Response".into())),
    };
    request.status = response.status();
    if !response.ok() {
        request.finish(false);
        return Err(Error::Http { status: response.status(), url: url.to_string() });
    }
    Ok((response, request))
}

pub(super) fn network(url: &str, e: &JsValue) -> Error {
    Error::Network { url: url.to_string(), detail: js_message(e) }
}

/// A request in flight, owned by the task that started it; aborts it when dropped early.
pub(super) struct InFlight {
    controller: AbortController,
    owner: Option<Slot>,
    finished: bool,
    /// The response's status, once its head arrived.
    status: u16,
}

thread_local! {
    /// Requests started and not yet finished or aborted (read by [`in_flight`]).
    static IN_FLIGHT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// How many requests are in flight right now, in this thread.
pub fn in_flight() -> u32 {
    IN_FLIGHT.with(std::cell::Cell::get)
}

impl InFlight {
    fn start() -> Result<InFlight, Error> {
        let controller = AbortController::new().map_err(Error::from_js)?;
        let owner = context::current();
        if let Some((rec, task)) = owner {
            Recorder::push_to(rec, task, Kind::FetchStart);
        }
        IN_FLIGHT.with(|n| n.set(n.get() + 1));
        Ok(InFlight { controller, owner, finished: false, status: 0 })
    }

    /// Records the end of the request; it will not be aborted. A failed request
    /// (`ok` false) still has its connection released: whatever is left of its body
    /// is not downloaded.
    pub(super) fn finish(mut self, ok: bool) {
        self.finished = true;
        IN_FLIGHT.with(|n| n.set(n.get().saturating_sub(1)));
        if !ok {
            self.controller.abort();
        }
        if let Some((rec, task)) = self.owner {
            Recorder::push_to(rec, task, Kind::FetchEnd { ok, status: self.status });
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        IN_FLIGHT.with(|n| n.set(n.get().saturating_sub(1)));
        self.controller.abort();
        if let (Some((rec, task)), true) = (self.owner, self.controller.signal().aborted()) {
            Recorder::push_to(rec, task, Kind::FetchAbort);
        }
    }
}

/// A promise awaited on behalf of a fetch: wakes its task with [`Cause::Fetch`].
pub(super) struct Io {
    inner: JsFuture,
    waker: Option<(Waker, Waker)>,
}

impl Io {
    pub(super) fn new(promise: Promise) -> Io {
        Io { inner: JsFuture::from(promise), waker: None }
    }
}

impl Future for Io {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let ours = match &this.waker {
            Some((theirs, ours)) if theirs.will_wake(cx.waker()) => ours.clone(),
            _ => {
                let ours = waker(Arc::new(Tagged { cause: Cause::Fetch, inner: cx.waker().clone() }));
                this.waker = Some((cx.waker().clone(), ours.clone()));
                ours
            }
        };
        Pin::new(&mut this.inner).poll(&mut Context::from_waker(&ours))
    }
}

/// A waker that says why it wakes.
struct Tagged {
    cause: Cause,
    inner: Waker,
}

impl ArcWake for Tagged {
    fn wake_by_ref(arc: &Arc<Self>) {
        with_cause(arc.cause, || arc.inner.wake_by_ref());
    }
}
