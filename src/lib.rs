//! # Loop Lab
//!
//! See cooperative concurrency happen. Rust futures run on the browser's own event
//! loop (through `wasm-bindgen-futures`), sleep on real timers and make real `fetch`
//! calls; every poll, wake and outcome is recorded with `performance.now()` and painted.
//!
//! Data flows one way, and each layer imports only the layers below it:
//!
//! ```text
//! app ──mounts──▶ lessons ──spawn/await──▶ runtime ──events──▶ trace
//!  └───────────────shows──────────▶ view ──────────reads──────────▶ trace
//! ```
//!
//! - [`app`]: the controller and the only door to JavaScript: every export is there.
//! - [`lessons`]: what to run: one file per concept, the Python it mirrors, the verdict.
//! - [`runtime`]: named tasks, the traced wrapper, timers and fetch that cancel on drop.
//! - [`trace`]: the record and everything computed from it; pure Rust, tested natively.
//! - [`view`]: paints plain data and a read-only record; never drives tasks.
//! - [`verdicts`]: what a run comes to, in words and numbers; the lessons' Python runs
//!   are judged there, in the inspector's module (loaded on demand), from their record.
//! - [`error`] and [`num`]: the one error type and how numbers are printed, for all.
//!
//! `docs/architecture.md` says what lives where.
#![deny(missing_docs)]

// The inspector's own module (`LOOPLAB_LESSON=@reader`, see `reader`) is the trace
// layer alone: everything above it is left out.
#[cfg(not(looplab_reader))]
pub mod app;
pub mod error;
#[cfg(not(looplab_reader))]
pub mod lessons;
pub mod num;
#[cfg(looplab_reader)]
pub mod reader;
#[cfg(not(looplab_reader))]
pub mod runtime;
pub mod trace;
pub mod verdicts;
#[cfg(not(looplab_reader))]
pub mod view;

pub use error::Error;

/// The allocator: talc, smaller than the standard library's dlmalloc (see Cargo.toml).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
