//! `textDocument/definition` (an entity id → its entry in the registry; a source's `text:` → the
//! stored text) and `textDocument/references` (an entity → every statement, quotation and source
//! that names it)
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_definition>).

use std::path::Path;

use lsp_types::{Location, Position, Range};

use super::cursor::Cursor;
use super::workspace::{path_to_uri, span_range, Workspace};
use crate::facts::load::LoadedFile;
use crate::facts::locate::YamlPath;

/// Where the id or text path at `pos` in `path` is defined.
pub fn definition(ws: &Workspace, path: &Path, pos: Position) -> Option<Location> {
    let text = ws.buffers.get(path).cloned().or_else(|| ws.text_of(path))?;
    let cur = Cursor::at(&text, pos);
    if cur.key == Some("text") && cur.section == Some("source") {
        let rel = text[cur.value.0..cur.value.1]
            .trim()
            .trim_matches(['"', '\'']);
        let target = path.parent()?.join(rel);
        if !target.is_file() {
            return None;
        }
        return Some(Location {
            uri: path_to_uri(&target)?,
            range: Range::default(),
        });
    }
    if !cur.on_entity() || cur.word.0 == cur.word.1 {
        return None;
    }
    let id = &text[cur.word.0..cur.word.1];
    let (file, i, _) = ws.entity(id)?;
    declaration(file, i)
}

fn declaration(file: &LoadedFile, i: usize) -> Option<Location> {
    let span = file.find(&YamlPath::item("entities", i).key("id"))?;
    Some(Location {
        uri: path_to_uri(&file.path)?,
        range: span_range(&file.text, span),
    })
}

/// Every use of the entity whose id is at `pos` (and its declaration when `declaration`).
pub fn references(
    ws: &Workspace,
    path: &Path,
    pos: Position,
    with_declaration: bool,
) -> Option<Vec<Location>> {
    let text = ws.buffers.get(path).cloned().or_else(|| ws.text_of(path))?;
    let cur = Cursor::at(&text, pos);
    if !cur.on_entity() || cur.word.0 == cur.word.1 {
        return None;
    }
    let id = &text[cur.word.0..cur.word.1];
    let mut out = Vec::new();
    if with_declaration {
        if let Some((file, i, _)) = ws.entity(id) {
            out.extend(declaration(file, i));
        }
    }
    for file in &ws.snapshot.files {
        uses(file, id, &mut out);
    }
    Some(out)
}

/// The places in `file` that name `id`.
fn uses(file: &LoadedFile, id: &str, out: &mut Vec<Location>) {
    let mut paths = Vec::new();
    if file.source.as_ref().is_some_and(|s| s.publisher == id) {
        paths.push(YamlPath::default().key("source").key("publisher"));
    }
    for (i, s) in &file.statements {
        let at = YamlPath::item("statements", *i);
        for (key, v) in [
            ("subject", Some(&s.subject)),
            ("object", s.object.as_ref()),
            ("attributed_to", s.attributed_to.as_ref()),
        ] {
            if v.is_some_and(|v| v == id) {
                paths.push(at.key(key));
            }
        }
    }
    for (i, q) in &file.quotations {
        let at = YamlPath::item("quotations", *i);
        if q.speaker == id {
            paths.push(at.key("speaker"));
        }
        if q.document.as_deref() == Some(id) {
            paths.push(at.key("document"));
        }
        for (k, a) in q.about.iter().enumerate() {
            if a == id {
                paths.push(at.key("about").index(k));
            }
        }
    }
    if paths.is_empty() {
        return;
    }
    let Some(uri) = path_to_uri(&file.path) else {
        return;
    };
    for p in paths {
        if let Some(span) = file.find(&p) {
            out.push(Location {
                uri: uri.clone(),
                range: span_range(&file.text, span),
            });
        }
    }
}
