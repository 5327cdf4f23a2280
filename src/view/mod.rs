//! The view: paints a record; never drives tasks.
//!
//! - [`table`]: the accessible text form of a run — a table of tasks and a one-line
//!   summary, in an ARIA live region.
//! - [`timeline`]: the canvas timeline, live while a run happens.
//! - [`meters`]: frames per second and event-loop lag.
//! - [`dom`]: the few DOM helpers the rest use, so `web-sys` calls stay in one place.

pub mod dom;
pub mod export;
pub mod frame;
pub mod listen;
pub mod lesson;
pub mod meters;
pub mod panic;
pub mod table;
pub mod timeline;
