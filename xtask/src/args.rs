//! A hand-written argument parser, enough for `--flag` and `--key value`.
//!
//! Each subcommand takes what it knows out of [`Args`] and then calls
//! [`Args::finish`], which rejects anything left over — so a typo such as
//! `--prot 8000` fails loudly instead of being silently ignored.

use crate::Result;

/// The arguments that follow the subcommand name, consumed piece by piece.
pub struct Args {
    rest: Vec<String>,
}

impl Args {
    /// Wraps the raw arguments (without the program and subcommand names).
    pub fn new(rest: Vec<String>) -> Self {
        Args { rest }
    }

    /// Removes `name` if present and reports whether it was.
    pub fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|a| a != name);
        self.rest.len() != before
    }

    /// Removes `name VALUE` (or `name=VALUE`) and returns the value.
    pub fn value(&mut self, name: &str) -> Result<Option<String>> {
        let prefix = format!("{name}=");
        if let Some(i) = self.rest.iter().position(|a| a.starts_with(&prefix)) {
            let arg = self.rest.remove(i);
            return Ok(Some(arg[prefix.len()..].to_string()));
        }
        let Some(i) = self.rest.iter().position(|a| a == name) else {
            return Ok(None);
        };
        if i + 1 >= self.rest.len() {
            return Err(format!("{name} needs a value").into());
        }
        self.rest.remove(i);
        Ok(Some(self.rest.remove(i)))
    }

    /// Like [`Args::value`], parsed with `FromStr`.
    pub fn parsed<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>> {
        match self.value(name)? {
            None => Ok(None),
            Some(raw) => match raw.parse() {
                Ok(v) => Ok(Some(v)),
                Err(_) => Err(format!("{name}: cannot parse `{raw}`").into()),
            },
        }
    }

    /// Fails if any argument was not consumed.
    pub fn finish(self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected argument(s): {}", self.rest.join(" ")).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Args;

    fn args(list: &[&str]) -> Args {
        Args::new(list.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn flags_and_values_are_consumed() {
        let mut a = args(&["--no-build", "--port", "0", "--host=0.0.0.0"]);
        assert!(a.flag("--no-build"));
        assert_eq!(a.parsed::<u16>("--port").unwrap(), Some(0));
        assert_eq!(a.value("--host").unwrap().as_deref(), Some("0.0.0.0"));
        assert!(a.finish().is_ok());
    }

    #[test]
    fn leftovers_and_missing_values_are_errors() {
        assert!(args(&["--prot", "8000"]).finish().is_err());
        assert!(args(&["--port"]).value("--port").is_err());
        assert!(args(&["--port", "x"]).parsed::<u16>("--port").is_err());
    }
}
