//! The view: paints plain data; never drives tasks.
//!
//! It is given what to show — a lesson's words, codes and fields as [`lesson::Shown`],
//! and a run as a read-only [`Reader`](crate::trace::Reader) on its record — and
//! never sees a lesson, a recorder or a task. It imports only `trace` (and the shared
//! `error` and `num`); the app decides what is shown and when.
//!
//! - [`lesson`]: one lesson element: heading, text, the two codes, the form, Run and
//!   Cancel, the timeline, the verdict and the task table.
//! - [`python`]: the box a Python run of the lesson is shown in, under the Rust run.
//! - [`table`]: the accessible text form of a run — a table of tasks and a one-line
//!   summary, in an ARIA live region.
//! - [`timeline`]: the canvas timeline, live while a run happens.
//! - [`meters`]: frames per second and event-loop lag.
//! - [`export`]: what a finished run can be taken away as (trace file, Perfetto).
//! - [`dom`], [`listen`], [`frame`]: the few DOM helpers the rest use, listeners
//!   removed on drop, and a self-rescheduling animation frame.

pub mod dom;
pub mod export;
pub mod frame;
pub mod lesson;
pub mod listen;
pub mod meters;
pub mod python;
pub mod table;
pub mod timeline;
