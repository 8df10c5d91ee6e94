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
        self.resolve_with(text, &Lines::new(text));
    }

    /// [`Diagnostic::resolve_position`] with the text's line index, built once per file: each
    /// diagnostic then costs a binary search and its own line, not a scan from the file start.
    pub fn resolve_with(&mut self, text: &str, lines: &Lines) {
        if let Some(span) = self.span {
            let start = floor_char_boundary(text, span.start);
            let line = lines.line(start);
            let line_start = lines.start(line);
            self.line = Some(line);
            self.column = Some(text[line_start..start].chars().count() + 1);
        }
    }
}

/// The byte offsets where the lines of a text start.
#[derive(Clone, Debug, Default)]
pub struct Lines(Vec<usize>);

impl Lines {
    /// Indexes `text` (one pass).
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines(starts)
    }

    /// 1-based line holding byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.0.partition_point(|&s| s <= at).max(1)
    }

    /// Byte offset where 1-based `line` starts.
    pub fn start(&self, line: usize) -> usize {
        self.0[line.clamp(1, self.0.len()) - 1]
    }
}

/// Fills in the positions of `diags` from `texts`, indexing each file's lines once.
pub fn resolve_all<'a>(diags: &mut [Diagnostic], text_of: impl Fn(&Path) -> Option<&'a str>) {
    let mut lines: std::collections::HashMap<PathBuf, Lines> = std::collections::HashMap::new();
    for d in diags
        .iter_mut()
        .filter(|d| d.span.is_some() && d.line.is_none())
    {
        if let Some(t) = text_of(&d.file) {
            let l = lines.entry(d.file.clone()).or_insert_with(|| Lines::new(t));
            d.resolve_with(t, l);
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
/// Each file's text is asked for and indexed once, however many diagnostics it has.
pub fn render(diagnostics: &[Diagnostic], text_of: impl Fn(&Path) -> Option<String>) -> String {
    let config = Config::default();
    let mut out = String::new();
    let mut files = SimpleFiles::new();
    let mut ids: std::collections::HashMap<&Path, Option<usize>> = Default::default();
    for d in diagnostics {
        let severity = if d.is_warning() { "warning" } else { "error" };
        let (Some(span), Some(id)) = (
            d.span,
            d.span.and_then(|_| {
                *ids.entry(d.file.as_path()).or_insert_with(|| {
                    text_of(&d.file).map(|t| files.add(d.file.display().to_string(), t))
                })
            }),
        ) else {
            out.push_str(&plain(d, severity));
            continue;
        };
        let text = files
            .get(id)
            .map(|f| f.source().as_str())
            .unwrap_or_default();
        let start = floor_char_boundary(text, span.start);
        // An empty span at the end of the text stays empty: it points after the last character.
        let end = floor_char_boundary(text, (start + span.len.max(1)).min(text.len()));
        let base = if d.is_warning() {
            CsDiagnostic::warning()
        } else {
            CsDiagnostic::error()
        };
        let mut cs =
            base.with_code(d.rule.code())
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
