//! Error messages of the command line: each problem in English and Chinese, printed as `error: …` lines.

use delever_model::{Error, Issue, Lang, Problem, SimError};

/// Which language(s) messages are printed in (`--lang`, `DELEVER_LANG`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Language {
    /// English line, then Chinese line (the default: the file may be read by either).
    #[default]
    Both,
    Only(Lang),
}

impl Language {
    /// Parses `zh`, `en` (also `zh-CN`, `en_US.UTF-8`…) or `both`; empty (an unset
    /// `DELEVER_LANG=`) means both.
    pub fn parse(text: &str) -> Result<Language, String> {
        if text.trim().is_empty() || text.trim().eq_ignore_ascii_case("both") {
            return Ok(Language::Both);
        }
        Lang::parse(text)
            .map(Language::Only)
            .ok_or_else(|| format!("\"{text}\" is not a language; use zh, en or both"))
    }

    /// The languages to print, in order.
    pub fn langs(self) -> &'static [Lang] {
        match self {
            Language::Both => &[Lang::En, Lang::Zh],
            Language::Only(Lang::En) => &[Lang::En],
            Language::Only(Lang::Zh) => &[Lang::Zh],
        }
    }
}

/// One problem, said in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub en: String,
    pub zh: String,
}

impl Diagnostic {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
        Diagnostic { en: en.into(), zh: zh.into() }
    }

    fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

impl From<&Issue> for Diagnostic {
    fn from(issue: &Issue) -> Diagnostic {
        Diagnostic::new(issue.message(Lang::En), issue.message(Lang::Zh))
    }
}

/// Why a command did not produce its output: every problem found, none of them a panic.
///
/// All of them mean "the input is invalid or infeasible" (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Failure {
    pub problems: Vec<Diagnostic>,
}

impl Failure {
    pub fn one(en: impl Into<String>, zh: impl Into<String>) -> Failure {
        Failure { problems: vec![Diagnostic::new(en, zh)] }
    }

    /// A problem of the whole input (path `file`), in the engine's words.
    pub fn file_problem(problem: Problem) -> Failure {
        Failure::from(vec![Issue::new("", problem)])
    }

    /// Appends the problems of `other`.
    pub fn merge(mut self, other: Failure) -> Failure {
        self.problems.extend(other.problems);
        self
    }

    /// The `error: …` lines, one per problem and language.
    pub fn render(&self, language: Language) -> String {
        let mut out = String::new();
        for problem in &self.problems {
            for &lang in language.langs() {
                // A message may span lines; each line is marked so that `grep error:` finds all of it.
                for line in problem.text(lang).lines() {
                    out.push_str("error: ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }
}

impl From<Vec<Issue>> for Failure {
    fn from(issues: Vec<Issue>) -> Failure {
        Failure { problems: issues.iter().map(Diagnostic::from).collect() }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        match error {
            Error::Invalid(issues) => Failure::from(issues),
            other => Failure::one(other.message(Lang::En), other.message(Lang::Zh)),
        }
    }
}

impl From<Issue> for Failure {
    fn from(issue: Issue) -> Failure {
        Failure::from(vec![issue])
    }
}

impl From<delever_model::error::AnalysisProblem> for Failure {
    fn from(problem: delever_model::error::AnalysisProblem) -> Failure {
        Failure::from(Error::Analysis(problem))
    }
}

impl From<SimError> for Failure {
    fn from(error: SimError) -> Failure {
        Failure::one(error.message(Lang::En), error.message(Lang::Zh))
    }
}

/// Combines two results, keeping the problems of both when both failed.
pub fn both<A, B>(a: Result<A, Failure>, b: Result<B, Failure>) -> Result<(A, B), Failure> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        (Err(e1), Err(e2)) => Err(e1.merge(e2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_by_default_english_first() {
        let failure = Failure::one("years: bad", "years: 不对");
        assert_eq!(failure.render(Language::Both), "error: years: bad\nerror: years: 不对\n");
        assert_eq!(failure.render(Language::Only(Lang::Zh)), "error: years: 不对\n");
    }

    #[test]
    fn language_names() {
        assert_eq!(Language::parse("both"), Ok(Language::Both));
        assert_eq!(Language::parse("zh-CN"), Ok(Language::Only(Lang::Zh)));
        assert_eq!(Language::parse("en_US.UTF-8"), Ok(Language::Only(Lang::En)));
        assert_eq!(Language::parse(""), Ok(Language::Both));
        assert!(Language::parse("fr").is_err());
    }
}
