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
    /// For the summary that stands for a file's diagnostics beyond [`MAX_PER_FILE`]: how many.
    #[serde(skip)]
    pub hidden: Option<Hidden>,
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
            hidden: None,
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

    /// Fills in `line` and `column` from the file's text and its line index, built once per file:
    /// each diagnostic then costs a binary search and its own line, not a scan from the file start.
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

/// Puts the diagnostics of a check in their final order: positions filled in from `text_of`,
/// sorted by file and position, duplicates dropped, and each file's list capped (see
/// [`cap_per_file`]).
pub fn settle<'a>(diags: &mut Vec<Diagnostic>, text_of: impl Fn(&Path) -> Option<&'a str>) {
    resolve_all(diags, text_of);
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule.code()).cmp(&(&b.file, b.line, b.column, b.rule.code()))
    });
    diags.dedup();
    cap_per_file(diags);
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
        let emitted = match Window::around(d, text, start, end) {
            Some(w) => term::emit_into_string(&config, &w, &snippet(d, (), w.range.clone())),
            None => term::emit_into_string(&config, &files, &snippet(d, id, start..end)),
        };
        match emitted {
            Ok(s) => out.push_str(&s),
            Err(_) => out.push_str(&plain(d, severity)),
        }
    }
    out
}

/// The codespan diagnostic of `d`, its label over `range` of file `id`.
fn snippet<Id>(d: &Diagnostic, id: Id, range: std::ops::Range<usize>) -> CsDiagnostic<Id> {
    let base = if d.is_warning() {
        CsDiagnostic::warning()
    } else {
        CsDiagnostic::error()
    };
    let cs = base
        .with_code(d.rule.code())
        .with_message(&d.message)
        .with_labels(vec![
            Label::primary(id, range).with_message(d.label.clone().unwrap_or_default())
        ]);
    match &d.hint {
        Some(h) => cs.with_notes(vec![format!("hint: {h}")]),
        None => cs,
    }
}

/// Longest source line shown whole under a diagnostic; a longer one is cut to a window around
/// the span, so a file of one 16 MB line costs a few hundred bytes per diagnostic, not 16 MB.
const MAX_SHOWN_LINE: usize = 1_000;

/// A one-line excerpt of a long source line, standing in for the file so that codespan renders
/// the excerpt under the real line and column.
struct Window {
    name: String,
    text: String,
    line: usize,
    column: usize,
    /// The span within `text`.
    range: std::ops::Range<usize>,
}

impl Window {
    /// The window around `start..end` of `text`, if the line holding `start` is too long to show.
    fn around(d: &Diagnostic, text: &str, start: usize, end: usize) -> Option<Window> {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if line_end - line_start <= MAX_SHOWN_LINE {
            return None;
        }
        let from = floor_char_boundary(text, start.saturating_sub(60).max(line_start));
        let to = floor_char_boundary(text, (start + 120).min(line_end)).max(start);
        let cut_left = if from > line_start { "…" } else { "" };
        let cut_right = if to < line_end { "…" } else { "" };
        let at = start - from + cut_left.len();
        Some(Window {
            name: d.file.display().to_string(),
            text: format!("{cut_left}{}{cut_right}", &text[from..to]),
            line: d
                .line
                .unwrap_or_else(|| text[..start].matches('\n').count() + 1),
            column: d
                .column
                .unwrap_or_else(|| text[line_start..start].chars().count() + 1),
            range: at..at + (end.min(to) - start),
        })
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Window {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }
    fn line_index(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }
    fn column_number(
        &'a self,
        (): (),
        _: usize,
        _: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.column)
    }
    fn line_range(
        &'a self,
        (): (),
        _: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        Ok(0..self.text.len())
    }
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

/// The one-line summary printed after the diagnostics (counting those not shown).
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let mut all = Hidden::default();
    diagnostics.iter().for_each(|d| all.add(d));
    let Hidden { errors, warnings } = all;
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

/// Most diagnostics shown for one file. The rest are counted in one summary diagnostic
/// ([`Rule::TooManyErrors`] or [`Rule::TooManyWarnings`]), so that a file of millions of bad
/// items is reported in bounded time and memory; the exit code still says it is invalid.
pub const MAX_PER_FILE: usize = 100;

/// How many diagnostics of a file are not shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Errors not shown.
    pub errors: usize,
    /// Warnings not shown.
    pub warnings: usize,
}

impl Hidden {
    /// Counts `d` (a summary counts what it stands for).
    fn add(&mut self, d: &Diagnostic) {
        match d.hidden {
            Some(h) => {
                self.errors += h.errors;
                self.warnings += h.warnings;
            }
            None if d.is_warning() => self.warnings += 1,
            None => self.errors += 1,
        }
    }

    /// The summary diagnostic standing for these in `file`, if any are hidden.
    fn summary(self, file: &Path) -> Option<Diagnostic> {
        let n = |k: usize, what: &str| format!("{k} more {what}{}", if k == 1 { "" } else { "s" });
        let (rule, what) = match (self.errors, self.warnings) {
            (0, 0) => return None,
            (0, w) => (Rule::TooManyWarnings, n(w, "warning")),
            (e, 0) => (Rule::TooManyErrors, n(e, "error")),
            (e, w) => (
                Rule::TooManyErrors,
                format!("{} and {}", n(e, "error"), n(w, "warning")),
            ),
        };
        let mut d = Diagnostic::new(rule, file, format!("… and {what} in this file (not shown)"))
            .hint(format!(
            "only the first {MAX_PER_FILE} problems of a file are shown; fix those and check again"
        ));
        d.hidden = Some(self);
        Some(d)
    }
}

/// A file's diagnostics as they are found: the first [`MAX_PER_FILE`] are built and kept, the
/// others only counted (never built: building one may cost a lookup in a huge file).
#[derive(Debug, Default)]
pub struct Capped {
    list: Vec<Diagnostic>,
    hidden: Hidden,
}

impl Capped {
    /// Starts with `list` (kept whole).
    pub fn new(list: Vec<Diagnostic>) -> Capped {
        Capped {
            list,
            hidden: Hidden::default(),
        }
    }

    /// Adds a diagnostic of `rule`, built by `make` only if it is shown.
    pub fn push_with(&mut self, rule: Rule, make: impl FnOnce() -> Diagnostic) {
        if self.list.len() < MAX_PER_FILE {
            self.list.push(make());
        } else if rule.is_warning() {
            self.hidden.warnings += 1;
        } else {
            self.hidden.errors += 1;
        }
    }

    /// Adds a diagnostic already built.
    pub fn push(&mut self, d: Diagnostic) {
        self.push_with(d.rule, || d);
    }

    /// The diagnostics kept, and a summary of the others in `file`.
    pub fn finish(mut self, file: &Path) -> Vec<Diagnostic> {
        self.list.extend(self.hidden.summary(file));
        self.list
    }
}

/// The diagnostics of many files as validation finds them: for each file the first
/// [`MAX_PER_FILE`] are built and kept, the others only counted.
#[derive(Debug, Default)]
pub struct Sink {
    list: Vec<Diagnostic>,
    shown: std::collections::HashMap<PathBuf, usize>,
    hidden: std::collections::BTreeMap<PathBuf, Hidden>,
    all: usize,
    errors: usize,
}

impl Sink {
    /// Adds a diagnostic of `rule` in `file`, built by `make` only if it is shown.
    pub fn push_with(&mut self, file: &Path, rule: Rule, make: impl FnOnce() -> Diagnostic) {
        self.all += 1;
        self.errors += usize::from(!rule.is_warning());
        let shown = self.shown.get(file).copied().unwrap_or(0);
        if shown < MAX_PER_FILE {
            self.shown.insert(file.to_path_buf(), shown + 1);
            self.list.push(make());
            return;
        }
        let hidden = self.hidden.entry(file.to_path_buf()).or_default();
        if rule.is_warning() {
            hidden.warnings += 1;
        } else {
            hidden.errors += 1;
        }
    }

    /// Adds a diagnostic already built.
    pub fn push(&mut self, d: Diagnostic) {
        let file = d.file.clone();
        self.push_with(&file, d.rule, || d);
    }

    /// Diagnostics added so far, shown or not.
    pub fn count(&self) -> usize {
        self.all
    }

    /// Errors added so far, shown or not.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// The diagnostics kept, and a summary of the others of each file.
    pub fn finish(self) -> Vec<Diagnostic> {
        let mut out = self.list;
        for (file, hidden) in self.hidden {
            out.extend(hidden.summary(&file));
        }
        out
    }
}

/// Keeps the first [`MAX_PER_FILE`] diagnostics of each file of `diags` (sorted by file) and
/// puts one summary of the others (and of earlier summaries) after them.
pub fn cap_per_file(diags: &mut Vec<Diagnostic>) {
    let mut out = Vec::with_capacity(diags.len().min(1 << 16));
    let mut items = std::mem::take(diags).into_iter().peekable();
    while let Some(first) = items.next() {
        let file = first.file.clone();
        let mut hidden = Hidden::default();
        let mut shown = 0;
        let mut next = Some(first);
        while let Some(d) = next {
            if d.hidden.is_some() || shown == MAX_PER_FILE {
                hidden.add(&d);
            } else {
                shown += 1;
                out.push(d);
            }
            next = items.next_if(|d| d.file == file);
        }
        out.extend(hidden.summary(&file));
    }
    *diags = out;
}
