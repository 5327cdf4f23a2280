//! Small helpers for running other programs.
//!
//! Two kinds of calls exist: *probes* ([`output`]) that ask a tool a question
//! and treat any failure as "no answer", and *steps* ([`run`]) that must succeed,
//! whose failure becomes an error naming the exact command line.

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `cmd` with inherited stdio; a non-zero exit is an error naming the command.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)).into())
    }
}

/// Runs a program and returns its trimmed stdout, or `None` if it could not
/// start or exited with an error. Stderr is discarded.
pub fn output(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Finds `name` on `PATH`, like the shell's `command -v`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// `program arg1 arg2 …`, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Prints one `[step]` line: what is being checked or done, and how it went.
pub fn step(what: &str, outcome: &str) {
    println!("[xtask] {what}: {outcome}");
}
