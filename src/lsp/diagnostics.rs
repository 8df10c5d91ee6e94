//! `textDocument/publishDiagnostics`: the checker's diagnostics, with the rule code, message
//! and hint of `coalition check`, on the range of the offending token
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_publishDiagnostics>).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use lsp_types::{Diagnostic as LspDiagnostic, DiagnosticSeverity, NumberOrString, Position, Range};

use super::workspace::{span_range, Workspace};
use crate::facts::diagnostic::Diagnostic;
use crate::facts::load::is_fact_file;

/// The source name shown next to each diagnostic.
pub const SOURCE: &str = "coalition";

/// The diagnostics of every file, keyed by path; files in `previous` that have none now get an
/// empty list, so the editor clears what it showed.
pub fn by_file(
    ws: &Workspace,
    previous: &BTreeSet<PathBuf>,
) -> BTreeMap<PathBuf, Vec<LspDiagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<LspDiagnostic>> =
        previous.iter().map(|p| (p.clone(), Vec::new())).collect();
    if ws.facts.is_none() {
        for path in ws.buffers.keys().filter(|p| is_fact_file(p)) {
            out.entry(path.clone()).or_default().push(no_facts(ws));
        }
        return out;
    }
    if let Some(why) = &ws.snapshot.failure {
        for path in ws.buffers.keys().filter(|p| is_fact_file(p)) {
            out.entry(path.clone()).or_default().push(plain(
                format!("cannot check the facts folder: {why}"),
                DiagnosticSeverity::ERROR,
            ));
        }
        return out;
    }
    // Open fact files always get a list, so the editor knows they were checked.
    let facts = ws.facts.as_deref();
    for path in ws.buffers.keys() {
        if is_fact_file(path) && facts.is_some_and(|f| path.starts_with(f)) {
            out.entry(path.clone()).or_default();
        }
    }
    for d in &ws.snapshot.diagnostics {
        let text = ws
            .file(&d.file)
            .map(|f| f.text.clone())
            .or_else(|| ws.text_of(&d.file))
            .unwrap_or_default();
        out.entry(d.file.clone())
            .or_default()
            .push(convert(d, &text));
    }
    out
}

/// One checker diagnostic as LSP sees it.
pub fn convert(d: &Diagnostic, text: &str) -> LspDiagnostic {
    let range = d.span.map_or(Range::default(), |s| span_range(text, s));
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message = format!("{message} ({label})");
    }
    if let Some(hint) = &d.hint {
        message = format!("{message}\nhint: {hint}");
    }
    LspDiagnostic {
        range,
        severity: Some(if d.is_warning() {
            DiagnosticSeverity::WARNING
        } else {
            DiagnosticSeverity::ERROR
        }),
        code: Some(NumberOrString::String(d.rule.code().to_string())),
        source: Some(SOURCE.to_string()),
        message,
        ..LspDiagnostic::default()
    }
}

/// Said on every open fact file when no facts folder was found.
pub fn no_facts(ws: &Workspace) -> LspDiagnostic {
    plain(no_facts_message(ws), DiagnosticSeverity::WARNING)
}

/// Why nothing is checked, in words.
pub fn no_facts_message(ws: &Workspace) -> String {
    let root = ws
        .root
        .as_ref()
        .map_or("(no workspace folder)".to_string(), |r| {
            r.display().to_string()
        });
    format!(
        "coalition: no facts folder found under {root} (looked for entities.yaml in the root, \
         seeds/, facts/ and three levels down); open the folder that holds the fact files"
    )
}

fn plain(message: String, severity: DiagnosticSeverity) -> LspDiagnostic {
    LspDiagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 1)),
        severity: Some(severity),
        source: Some(SOURCE.to_string()),
        message,
        ..LspDiagnostic::default()
    }
}
