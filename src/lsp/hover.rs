//! `textDocument/hover`: for an entity id its name, kind, aliases, Wikidata id and number of
//! statements; for a quote where it is in the source text (character offsets, line, sentence)
//! (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocument_hover>).

use std::path::Path;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::completion::entity_doc;
use super::cursor::{value_end, Cursor};
use super::workspace::{offset, range, Workspace};
use crate::curation::sentences;
use crate::facts::load::LoadedFile;
use crate::facts::locate::YamlPath;
use crate::facts::quote::{self, QuoteError};

/// A quote of a fact file: its value and where it sits in the file (bytes).
#[derive(Debug)]
pub struct QuoteAt {
    /// The quote as parsed.
    pub quote: String,
    /// Its `prefix`, when given.
    pub prefix: Option<String>,
    /// Its `suffix`, when given.
    pub suffix: Option<String>,
    /// Byte range of the value in the fact file (all its lines).
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

/// Every quote of `file`: statements' evidence and quotations' text.
pub fn quotes(file: &LoadedFile) -> Vec<QuoteAt> {
    let locator = file.locator();
    let mut out = Vec::new();
    let mut push = |path: YamlPath, q: &str, p: &Option<String>, s: &Option<String>| {
        if let Some(span) = locator.find(&path) {
            out.push(QuoteAt {
                quote: q.to_string(),
                prefix: p.clone(),
                suffix: s.clone(),
                start: span.start,
                end: value_end(&file.text, span.start),
            });
        }
    };
    for (i, st) in &file.statements {
        for (j, ev) in st.evidence.iter().enumerate() {
            let path = YamlPath::item("statements", *i)
                .key("evidence")
                .index(j)
                .key("quote");
            push(path, &ev.quote, &ev.prefix, &ev.suffix);
        }
    }
    for (i, q) in &file.quotations {
        let path = YamlPath::item("quotations", *i).key("text");
        push(path, &q.text, &q.prefix, &q.suffix);
    }
    out
}

/// The hover at `pos` in `path`.
pub fn hover(ws: &Workspace, path: &Path, pos: Position) -> Option<Hover> {
    let text = ws.buffers.get(path).cloned().or_else(|| ws.text_of(path))?;
    let cur = Cursor::at(&text, pos);
    if cur.on_entity() && cur.word.0 < cur.word.1 {
        let id = &text[cur.word.0..cur.word.1];
        let value = entity_hover(ws, id);
        return Some(Hover {
            contents: markdown(value),
            range: Some(range(&text, cur.word.0, cur.word.1)),
        });
    }
    let file = ws.file(path)?;
    if file.text != text {
        return None;
    }
    let at = offset(&text, pos);
    let q = quotes(file)
        .into_iter()
        .find(|q| (q.start..=q.end).contains(&at))?;
    let (txt_path, source) = ws.source_text(file)?;
    let name = txt_path.file_name()?.to_string_lossy().into_owned();
    let value = match quote::find(&source, &q.quote, q.prefix.as_deref(), q.suffix.as_deref()) {
        Ok(p) => {
            let sentence = sentences::split(&source)
                .into_iter()
                .find(|s| s.byte_start <= p.byte_start && p.byte_start < s.byte_end.max(1))
                .map(|s| s.text(&source).to_string())
                .unwrap_or_default();
            format!(
                "**quote** in `{name}`: characters {}–{} (line {})\n\nsentence: {sentence}",
                p.start, p.end, p.line
            )
        }
        Err(QuoteError::NotFound(_)) => format!("**quote** not found in `{name}`"),
        Err(QuoteError::Ambiguous { count, lines }) => format!(
            "**quote** occurs {count} times in `{name}` (lines {lines:?}); add `prefix` or `suffix`"
        ),
    };
    Some(Hover {
        contents: markdown(value),
        range: Some(range(&text, q.start, q.end)),
    })
}

fn entity_hover(ws: &Workspace, id: &str) -> String {
    let Some((_, _, e)) = ws.entity(id) else {
        return format!("`{id}`: not in the entity registry");
    };
    let statements = ws
        .snapshot
        .files
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|(_, s)| {
            s.subject == id
                || s.object.as_deref() == Some(id)
                || s.attributed_to.as_deref() == Some(id)
        })
        .count();
    let mut out = format!(
        "**{}** (`{}`)  \nkind: {} (`{}`)  \n{}  \nstatements: {statements}",
        e.name,
        e.id,
        e.kind.label(),
        e.kind.slug(),
        entity_doc(e)
    );
    if let Some(d) = &e.description {
        out.push_str(&format!("\n\n{d}"));
    }
    out
}

fn markdown(value: String) -> HoverContents {
    HoverContents::Markup(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}
