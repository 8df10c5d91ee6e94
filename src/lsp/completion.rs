//! `textDocument/completion`: entity ids after `subject:`, `object:`, `speaker:`, `publisher:`…;
//! predicates after `predicate:` (those the subject's kind allows first); inside `quote:` the
//! sentences of the stored source text that contain what is typed, inserted exactly as stored
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_completion>).

use std::path::Path;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::cursor::{item_field, Cursor};
use super::workspace::{range, Workspace};
use crate::curation::sentences;
use crate::facts::schema::Entity;
use crate::facts::vocab::{EntityKind, Predicate};

/// The completions at `pos` in the document `path`.
pub fn complete(ws: &Workspace, path: &Path, pos: Position) -> Option<CompletionResponse> {
    let text = ws.buffers.get(path).cloned().or_else(|| ws.text_of(path))?;
    let cur = Cursor::at(&text, pos);
    let items = match cur.key? {
        "predicate" => predicates(ws, &text, &cur),
        "quote" => quotes(ws, path, &text, &cur),
        "text" if cur.section == Some("quotations") || cur.section == Some("ignored") => {
            quotes(ws, path, &text, &cur)
        }
        _ if cur.on_entity() && cur.key != Some("id") => entities(ws, &text, &cur),
        _ => return None,
    };
    Some(CompletionResponse::Array(items))
}

fn entities(ws: &Workspace, text: &str, cur: &Cursor) -> Vec<CompletionItem> {
    let edit_range = range(text, cur.word.0, cur.word.1);
    ws.entities()
        .into_iter()
        .map(|e| CompletionItem {
            label: e.id.clone(),
            kind: Some(CompletionItemKind::REFERENCE),
            detail: Some(format!("{} ({})", e.name, e.kind.label())),
            documentation: Some(markdown(entity_doc(e))),
            filter_text: Some(e.id.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                edit_range,
                e.id.clone(),
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

/// Aliases and Wikidata id of an entity, as Markdown.
pub fn entity_doc(e: &Entity) -> String {
    let aliases = if e.aliases.is_empty() {
        "none".to_string()
    } else {
        e.aliases.join(", ")
    };
    let wikidata = e.wikidata.as_deref().map_or("none".to_string(), |q| {
        format!("[{q}](https://www.wikidata.org/wiki/{q})")
    });
    format!("aliases: {aliases}  \nWikidata: {wikidata}")
}

fn predicates(ws: &Workspace, text: &str, cur: &Cursor) -> Vec<CompletionItem> {
    let kind: Option<EntityKind> = item_field(text, cur.at, "subject")
        .and_then(|s| ws.entity(s))
        .map(|(_, _, e)| e.kind);
    let edit_range = range(text, cur.word.0, cur.word.1);
    Predicate::ALL
        .iter()
        .map(|p| {
            let fits = kind.is_none_or(|k| p.subjects().contains(&k.group()));
            let subjects: Vec<&str> = p.subjects().iter().map(|g| g.name()).collect();
            CompletionItem {
                label: p.slug().to_string(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(format!("{} (subject: {})", p.label(), subjects.join(", "))),
                documentation: Some(markdown(p.description().to_string())),
                sort_text: Some(format!("{}{}", if fits { 0 } else { 1 }, p.slug())),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    edit_range,
                    p.slug().to_string(),
                ))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn quotes(ws: &Workspace, path: &Path, text: &str, cur: &Cursor) -> Vec<CompletionItem> {
    let Some(file) = ws.file(path) else {
        return Vec::new();
    };
    let Some((_, source)) = ws.source_text(file) else {
        return Vec::new();
    };
    let typed = text[cur.value.0..cur.at.max(cur.value.0)]
        .trim_start_matches(['"', '\''])
        .trim();
    let typed_low = typed.to_lowercase();
    let edit_range = range(text, cur.value.0, cur.value.1);
    sentences::split(&source)
        .iter()
        .map(|s| s.text(&source))
        .filter(|s| s.contains(typed) || s.to_lowercase().contains(&typed_low))
        .enumerate()
        .map(|(i, s)| CompletionItem {
            label: s.to_string(),
            kind: Some(CompletionItemKind::TEXT),
            detail: Some("sentence of the source text".to_string()),
            sort_text: Some(format!("{i:05}")),
            filter_text: Some(s.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                edit_range,
                yaml_scalar(s),
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

/// `s` as a one-line YAML scalar that reads back as exactly `s` (quoted when it must be).
pub fn yaml_scalar(s: &str) -> String {
    match serde_yaml::to_string(s) {
        Ok(y) if !y.trim_end().contains('\n') => y.trim_end().to_string(),
        _ => serde_json::to_string(s).unwrap_or_default(),
    }
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}
