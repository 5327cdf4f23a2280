//! Helpers shared by the browser tests.
#![allow(dead_code)]

use looplab::trace::{Event, Kind, Record, TaskId};

/// The demo API's origin, given by `cargo xtask test` (which starts the dev server).
pub fn api(path: &str) -> String {
    let Some(origin) = option_env!("LOOPLAB_API") else {
        panic!("LOOPLAB_API is not set: run the browser tests through `cargo xtask test`, which starts the demo API")
    };
    format!("{origin}/{path}")
}

/// The events of one task, in order.
pub fn events_of(rec: &Record, task: TaskId) -> Vec<Event> {
    rec.events().iter().filter(|e| e.task == task).copied().collect()
}

/// True if the task has an event of this kind.
pub fn has(rec: &Record, task: TaskId, kind: Kind) -> bool {
    rec.events().iter().any(|e| e.task == task && e.kind == kind)
}

/// The page clock, in ms.
pub fn now_ms() -> f64 {
    looplab::runtime::now()
}
