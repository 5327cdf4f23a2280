//! The lessons: what to run. One file per concept; the code a reader sees on the page
//! is read from these files, so it cannot drift from what runs.

pub mod proof;
