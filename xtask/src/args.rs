//! A small command-line argument reader: flags, `--name value` / `--name=value` options, leftovers.

use crate::shell::Error;

/// The arguments after the subcommand, consumed option by option.
///
/// Each accessor removes what it recognizes; [`Args::finish`] then rejects
/// anything left over, so a misspelt option is an error rather than ignored.
pub struct Args {
    remaining: Vec<String>,
}

impl Args {
    pub fn new(arguments: Vec<String>) -> Args {
        Args { remaining: arguments }
    }

    /// Removes every occurrence of the flag `name`; true if there was one.
    pub fn flag(&mut self, name: &str) -> bool {
        let before = self.remaining.len();
        self.remaining.retain(|argument| argument != name);
        self.remaining.len() != before
    }

    /// Removes `name VALUE` or `name=VALUE` and returns the value (the last one if repeated).
    ///
    /// Errors when `name` is the last argument and so has no value.
    pub fn value(&mut self, name: &str) -> Result<Option<String>, Error> {
        let prefix = format!("{name}=");
        let mut found = None;
        let mut kept = Vec::with_capacity(self.remaining.len());
        let mut arguments = std::mem::take(&mut self.remaining).into_iter();
        while let Some(argument) = arguments.next() {
            if argument == name {
                match arguments.next() {
                    Some(value) => found = Some(value),
                    None => return Err(Error::new(format!("{name} needs a value"))),
                }
            } else if let Some(value) = argument.strip_prefix(&prefix) {
                found = Some(value.to_string());
            } else {
                kept.push(argument);
            }
        }
        self.remaining = kept;
        Ok(found)
    }

    /// Everything not yet consumed, for commands that forward their arguments.
    pub fn rest(self) -> Vec<String> {
        self.remaining
    }

    /// Succeeds only if every argument was recognized.
    pub fn finish(self) -> Result<(), Error> {
        match self.remaining.first() {
            None => Ok(()),
            Some(argument) => Err(Error::new(format!("unexpected argument `{argument}`"))),
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
        let mut a = args(&["--release", "--port", "9000"]);
        assert!(a.flag("--release"));
        assert_eq!(a.value("--port").unwrap().as_deref(), Some("9000"));
        assert!(a.finish().is_ok());
    }

    #[test]
    fn equals_form_is_accepted() {
        let mut a = args(&["--port=8081"]);
        assert_eq!(a.value("--port").unwrap().as_deref(), Some("8081"));
        assert!(!a.flag("--release"));
        assert!(a.finish().is_ok());
    }

    #[test]
    fn missing_value_and_leftovers_are_errors() {
        assert!(args(&["--port"]).value("--port").is_err());
        let mut a = args(&["--relaese"]);
        assert!(!a.flag("--release"));
        assert_eq!(a.finish().unwrap_err().to_string(), "unexpected argument `--relaese`");
    }
}
