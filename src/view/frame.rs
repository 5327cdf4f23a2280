//! [`FrameLoop`]: call a function once per animation frame until told to stop.
//!
//! `requestAnimationFrame` takes one callback per frame, so a loop must re-register
//! itself from inside its own callback. The callback therefore needs a handle to
//! itself: it lives in an `Rc<RefCell<Option<Closure>>>` shared by the loop and the
//! handle. Dropping the handle cancels the pending frame and empties that cell, which
//! breaks the cycle and frees the closure — nothing is leaked, nothing fires after.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

type Callback = Closure<dyn FnMut(f64)>;

/// A running frame loop; cancelled on drop.
#[must_use = "the frame loop stops as soon as its handle is dropped"]
pub struct FrameLoop {
    cell: Rc<RefCell<Option<Callback>>>,
    pending: Rc<Cell<i32>>,
}

impl FrameLoop {
    /// Calls `tick(frame_time_ms)` every frame while it returns true.
    pub fn start(mut tick: impl FnMut(f64) -> bool + 'static) -> FrameLoop {
        let cell: Rc<RefCell<Option<Callback>>> = Rc::new(RefCell::new(None));
        let pending = Rc::new(Cell::new(0));
        let (me, id) = (cell.clone(), pending.clone());
        let callback = Closure::<dyn FnMut(f64)>::new(move |t: f64| {
            id.set(0);
            if tick(t) {
                request(&me, &id);
            }
        });
        *cell.borrow_mut() = Some(callback);
        request(&cell, &pending);
        FrameLoop { cell, pending }
    }
}

/// Asks for the next frame. The borrow ends before any frame can run.
fn request(cell: &Rc<RefCell<Option<Callback>>>, pending: &Cell<i32>) {
    let Some(window) = web_sys::window() else { return };
    if let Some(cb) = cell.borrow().as_ref() {
        if let Ok(id) = window.request_animation_frame(cb.as_ref().unchecked_ref()) {
            pending.set(id);
        }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        if let (Some(w), id) = (web_sys::window(), self.pending.get()) {
            if id != 0 {
                let _ = w.cancel_animation_frame(id);
            }
        }
        // Take the closure out first, then drop it once the borrow has ended: if this
        // runs inside the frame callback itself, wasm-bindgen defers freeing it.
        let callback = self.cell.borrow_mut().take();
        drop(callback);
    }
}
