//! `textDocument/documentSymbol`: the outline of a fact file — its source, each statement as
//! `subject — predicate → object`, each quotation and each entity of the registry
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_documentSymbol>).

use std::path::Path;

use lsp_types::{DocumentSymbol, SymbolKind};

use super::cursor::node_end;
use super::workspace::{range, Workspace};
use crate::facts::load::LoadedFile;
use crate::facts::locate::YamlPath;

/// The outline of `path`, from its last check (nothing while it does not parse).
pub fn symbols(ws: &Workspace, path: &Path) -> Vec<DocumentSymbol> {
    let Some(file) = ws.file(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(s) = &file.source {
        let name = format!("source {}", s.id);
        out.extend(symbol(
            file,
            YamlPath::default().key("source"),
            name,
            SymbolKind::FILE,
        ));
    }
    for (i, s) in &file.statements {
        let object = match (&s.object, &s.value) {
            (Some(o), _) => o.clone(),
            (None, Some(v)) => format!("{:?}", v.value),
            (None, None) => "?".to_string(),
        };
        let name = format!("{} — {} → {object}", s.subject, s.predicate.slug());
        let at = YamlPath::item("statements", *i);
        out.extend(symbol(file, at, name, SymbolKind::EVENT));
    }
    for (i, q) in &file.quotations {
        let name = format!("{} says: {}", q.speaker, short(&q.text));
        let at = YamlPath::item("quotations", *i);
        out.extend(symbol(file, at, name, SymbolKind::STRING));
    }
    for (i, e) in &file.entities {
        let name = format!("{} ({})", e.id, e.name);
        let at = YamlPath::item("entities", *i);
        out.extend(symbol(file, at, name, SymbolKind::OBJECT));
    }
    out
}

#[allow(deprecated)] // `deprecated` must be spelled out; `tags` replaces it
fn symbol(
    file: &LoadedFile,
    at: YamlPath,
    name: String,
    kind: SymbolKind,
) -> Option<DocumentSymbol> {
    let span = file.find(&at)?;
    let start = span.start;
    let end = node_end(&file.text, start).max(start + span.len);
    let full = range(&file.text, start, end);
    Some(DocumentSymbol {
        name,
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: full,
        selection_range: full,
        children: None,
    })
}

fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= 60 {
        return one;
    }
    let cut: String = one.chars().take(60).collect();
    format!("{cut}…")
}
