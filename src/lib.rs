//! # Loop Lab
//!
//! See cooperative concurrency happen. Rust futures run on the browser's own event
//! loop (through `wasm-bindgen-futures`), sleep on real timers and make real `fetch`
//! calls; every poll, wake and outcome is recorded with `performance.now()` and painted.
//!
//! Data flows one way:
//!
//! ```text
//! lessons ──spawn/await──▶ runtime ──events──▶ trace ──reads──▶ view
//! ```
//!
//! - [`runtime`]: named tasks, the traced wrapper, timers and fetch that cancel on drop.
//! - [`trace`]: the record and everything computed from it; pure Rust, tested natively.
//! - [`view`]: paints a record; never drives tasks.
//! - [`lessons`]: what to run.
#![deny(missing_docs)]

#[cfg(feature = "bench")]
#[doc(hidden)]
pub mod bench;
pub mod error;
pub mod lessons;
pub mod runtime;
pub mod trace;
pub mod view;

pub use error::Error;

/// The allocator: talc, smaller than the standard library's dlmalloc (see Cargo.toml).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
