//! `textDocument/codeAction` quick fixes: "add `X` to the entity registry" for an unknown id
//! (a valid entry with a slug id, asked nothing), and "use the source's exact text" for a quote
//! that differs from the text only by white space, typographic quotes or case
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_codeAction>).

// `WorkspaceEdit::changes` is keyed by `Uri`, whose cached parts trip this lint; nothing here
// mutates a key.
#![allow(clippy::mutable_key_type)]

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, NumberOrString,
    TextEdit, Uri, WorkspaceEdit,
};

use super::completion::yaml_scalar;
use super::cursor::{item_field, key_of};
use super::hover::quotes;
use super::workspace::{offset, path_to_uri, position, range, Workspace};
use crate::curation::skeleton::{registry_append, slug};
use crate::facts::schema::Entity;
use crate::facts::vocab::{EntityKind, Group, ObjectRange, Predicate};

/// The quick fixes for the diagnostics the client sends with the request.
pub fn actions(ws: &Workspace, path: &Path, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let Some(text) = ws.buffers.get(path).cloned().or_else(|| ws.text_of(path)) else {
        return Vec::new();
    };
    let Some(uri) = path_to_uri(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in &params.context.diagnostics {
        let code = match &d.code {
            Some(NumberOrString::String(c)) => c.as_str(),
            _ => continue,
        };
        if code == "C007" {
            out.extend(use_named(ws, &uri, &text, d).map(CodeActionOrCommand::CodeAction));
        }
        let action = match code {
            "C007" => add_entity(ws, &uri, &text, d),
            "C010" => exact_quote(ws, path, &uri, &text, d),
            _ => None,
        };
        out.extend(action.map(CodeActionOrCommand::CodeAction));
    }
    out
}

fn add_entity(ws: &Workspace, uri: &Uri, text: &str, d: &Diagnostic) -> Option<CodeAction> {
    let start = offset(text, d.range.start);
    let end = offset(text, d.range.end);
    let given = text.get(start..end)?.trim().trim_matches(['"', '\'']);
    let id = slug(given);
    if id.is_empty() {
        return None;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = key_of(line).map(|(k, _)| k).unwrap_or("");
    let kind = guess_kind(key, item_field(text, start, "predicate"));
    let name = if given == id {
        id.split('-').map(capitalised).collect::<Vec<_>>().join(" ")
    } else {
        given.to_string()
    };
    let entity = Entity::new(id.clone(), kind, name);
    let registry = ws.registry()?;
    let reg_text = ws.text_of(&registry.path)?;
    let append = registry_append(&reg_text, &entity)?;
    let end_pos = position(&reg_text, reg_text.len());
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    changes
        .entry(path_to_uri(&registry.path)?)
        .or_default()
        .push(TextEdit::new(
            lsp_types::Range::new(end_pos, end_pos),
            append,
        ));
    if id != given {
        changes
            .entry(uri.clone())
            .or_default()
            .push(TextEdit::new(d.range, id.clone()));
    }
    Some(fix(
        format!("add `{id}` to the entity registry"),
        d,
        changes,
    ))
}

/// "use `aclu`" for a reference written as a name or alias of a registered entity (`ACLU`).
fn use_named(ws: &Workspace, uri: &Uri, text: &str, d: &Diagnostic) -> Option<CodeAction> {
    let start = offset(text, d.range.start);
    let end = offset(text, d.range.end);
    let given = text.get(start..end)?.trim().trim_matches(['"', '\'']);
    let lower = given.to_lowercase();
    let e = ws.entities().into_iter().find(|e| {
        e.name.to_lowercase() == lower
            || e.aliases.iter().any(|a| a.to_lowercase() == lower)
            || e.labels.values().any(|l| l.to_lowercase() == lower)
    })?;
    let changes = HashMap::from([(uri.clone(), vec![TextEdit::new(d.range, e.id.clone())])]);
    Some(fix(format!("use `{}` ({})", e.id, e.name), d, changes))
}

/// A kind that the field and the statement's predicate allow; the curator refines it.
fn guess_kind(key: &str, predicate: Option<&str>) -> EntityKind {
    let groups: &[Group] = match (key, predicate.and_then(Predicate::from_slug)) {
        ("publisher", _) => return EntityKind::NewsAgency,
        ("speaker" | "attributed_to", _) => return EntityKind::Person,
        ("document", _) => return EntityKind::Letter,
        ("subject", Some(p)) => p.subjects(),
        ("object", Some(p)) => match p.objects() {
            ObjectRange::Entities(g) => g,
            ObjectRange::Literal => &[],
        },
        _ => &[],
    };
    EntityKind::ALL
        .iter()
        .copied()
        .find(|k| groups.contains(&k.group()))
        .unwrap_or(EntityKind::AdvocacyGroup)
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn exact_quote(
    ws: &Workspace,
    path: &Path,
    uri: &Uri,
    text: &str,
    d: &Diagnostic,
) -> Option<CodeAction> {
    let file = ws.file(path)?;
    if file.text != text {
        return None;
    }
    let start = offset(text, d.range.start);
    let q = quotes(file).into_iter().find(|q| q.start == start)?;
    let (_, source) = ws.source_text(file)?;
    let exact = folded_match(&source, &q.quote)?;
    let edit = TextEdit::new(range(text, q.start, q.end), yaml_scalar(exact));
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    Some(fix("use the source's exact text".to_string(), d, changes))
}

fn fix(title: String, d: &Diagnostic, changes: HashMap<Uri, Vec<TextEdit>>) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(true),
        ..CodeAction::default()
    }
}

/// The one passage of `source` that equals `quote` once white space, typographic quotes and
/// case are folded as the checker folds them; `None` when there is none or several.
pub fn folded_match<'s>(source: &'s str, quote: &str) -> Option<&'s str> {
    let (text, map) = fold(source);
    let (needle, _) = fold(quote.trim());
    if needle.is_empty() {
        return None;
    }
    let mut hits = text.match_indices(&needle).map(|(b, _)| b);
    let first = hits.next()?;
    if hits.next().is_some() {
        return None;
    }
    let idx = text[..first].chars().count();
    let len = needle.chars().count();
    let (start, _) = map[idx];
    let (_, end) = map[idx + len - 1];
    Some(&source[start..end])
}

/// The folded text and, for each of its characters, the byte range it came from.
fn fold(s: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len());
    let mut space = false;
    for (i, c) in s.char_indices() {
        let span = (i, i + c.len_utf8());
        let c = crate::facts::quote::fold_char(c);
        if c == ' ' {
            if !space {
                out.push(' ');
                map.push(span);
            } else if let Some(last) = map.last_mut() {
                last.1 = span.1;
            }
            space = true;
        } else {
            space = false;
            for l in c.to_lowercase() {
                out.push(l);
                map.push(span);
            }
        }
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_match_returns_the_stored_bytes() {
        let src = "Selon l’ACLU,  Amazon\u{a0}«aide» la police.";
        assert_eq!(
            folded_match(src, "selon l'ACLU, amazon «aide»"),
            Some("Selon l’ACLU,  Amazon\u{a0}«aide»")
        );
        assert_eq!(folded_match(src, "absent"), None);
        assert_eq!(folded_match("a b a b", "A B"), None);
    }

    #[test]
    fn kinds_follow_the_field_and_predicate() {
        assert_eq!(guess_kind("publisher", None), EntityKind::NewsAgency);
        assert_eq!(guess_kind("object", Some("signed")), EntityKind::Letter);
        assert_eq!(guess_kind("subject", Some("leads")), EntityKind::Person);
    }
}
