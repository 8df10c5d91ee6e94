//! Diagnostics in the style of rustc and ruff: a rule code, a message, `file:line:col`, the
//! offending source line with a caret, and a hint. Rendered with `codespan-reporting`.

use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
use serde::Serialize;

use super::locate::Span;
use super::rules::Rule;

/// One problem found in the fact files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule that found it.
    #[serde(serialize_with = "ser_rule")]
    pub rule: Rule,
    /// What is wrong, in one line.
    pub message: String,
    /// The file it is in, as given to the checker.
    pub file: PathBuf,
    /// Where in the file, when known.
    #[serde(skip)]
    pub span: Option<Span>,
    /// 1-based line and column of `span`, filled in when rendered against the file's text.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub column: Option<usize>,
    /// Short text under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

fn ser_rule<S: serde::Serializer>(rule: &Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.code())
}

impl Diagnostic {
    /// A diagnostic for `rule` in `file`.
    pub fn new(rule: Rule, file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            message: message.into(),
            file: file.to_path_buf(),
            span: None,
            line: None,
            column: None,
            label: None,
            hint: None,
        }
    }

    /// Sets where the problem is.
    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Sets the text under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the hint when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Whether this is a warning.
    pub fn is_warning(&self) -> bool {
        self.rule.is_warning()
    }

    /// Fills in `line` and `column` from the file's text.
    pub fn resolve_position(&mut self, text: &str) {
        if let Some(span) = self.span {
            let start = floor_char_boundary(text, span.start);
            let before = &text[..start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            self.line = Some(before.matches('\n').count() + 1);
            self.column = Some(text[line_start..start].chars().count() + 1);
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders diagnostics as plain text; `texts` gives each file's content where it is readable.
pub fn render(diagnostics: &[Diagnostic], text_of: impl Fn(&Path) -> Option<String>) -> String {
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let severity = if d.is_warning() { "warning" } else { "error" };
        let text = d.span.and_then(|_| text_of(&d.file));
        match text {
            Some(text) => {
                let span = d.span.expect("checked above");
                let mut files = SimpleFiles::new();
                let id = files.add(d.file.display().to_string(), text.as_str());
                let start = floor_char_boundary(&text, span.start);
                let end = floor_char_boundary(&text, (start + span.len.max(1)).min(text.len()));
                let end = if end == start {
                    // An empty span at the end of the text: point at the last character.
                    start
                } else {
                    end
                };
                let base = if d.is_warning() {
                    CsDiagnostic::warning()
                } else {
                    CsDiagnostic::error()
                };
                let mut cs = base
                    .with_code(d.rule.code())
                    .with_message(&d.message)
                    .with_labels(vec![Label::primary(id, start..end)
                        .with_message(d.label.clone().unwrap_or_default())]);
                if let Some(h) = &d.hint {
                    cs = cs.with_notes(vec![format!("hint: {h}")]);
                }
                match term::emit_into_string(&config, &files, &cs) {
                    Ok(s) => out.push_str(&s),
                    Err(_) => out.push_str(&plain(d, severity)),
                }
            }
            None => out.push_str(&plain(d, severity)),
        }
    }
    out
}

fn plain(d: &Diagnostic, severity: &str) -> String {
    let mut s = format!(
        "{severity}[{}]: {}\n  ┌─ {}\n",
        d.rule.code(),
        d.message,
        d.file.display()
    );
    if let Some(h) = &d.hint {
        s.push_str(&format!("  = hint: {h}\n"));
    }
    s.push('\n');
    s
}

/// The one-line summary printed after the diagnostics.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| !d.is_warning()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}
