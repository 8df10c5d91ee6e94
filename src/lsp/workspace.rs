//! The server's view of the fact files: the facts folder found from the workspace root, the
//! editor's open buffers laid over the files on disk, and the last check of that corpus.
//! Positions follow LSP's default encoding (UTF-16 code units, <https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocuments>).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::facts::diagnostic::Diagnostic;
use crate::facts::load::{read_text, LoadedFile};
use crate::facts::locate::Span;
use crate::facts::schema::Entity;
use crate::facts::{overlay, shard, FactsError};

/// Folders searched below the workspace root for the registry, before a wider search.
const CANDIDATES: &[&str] = &[".", "seeds", "facts"];

/// The corpus as last checked.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every fact file as last loaded (buffer or disk), sorted by path.
    pub files: Vec<LoadedFile>,
    /// What `check` reports on it.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the folder could not be checked at all.
    pub failure: Option<String>,
}

/// Open buffers, the facts folder and the last snapshot.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The workspace root the client gave.
    pub root: Option<PathBuf>,
    /// The facts folder (holding `entities.yaml`), if one was found.
    pub facts: Option<PathBuf>,
    /// Open documents by path.
    pub buffers: BTreeMap<PathBuf, String>,
    /// The last check.
    pub snapshot: Snapshot,
    /// Parses of the files on disk, reused while they do not change.
    parses: overlay::Parses,
}

impl Workspace {
    /// A workspace rooted at `root`, finding its facts folder.
    pub fn new(root: Option<PathBuf>) -> Self {
        let root = root.map(|r| r.canonicalize().unwrap_or(r));
        let facts = root.as_deref().and_then(find_facts);
        Workspace {
            root,
            facts,
            ..Workspace::default()
        }
    }

    /// Records an opened or changed buffer; a first buffer outside any known folder may reveal
    /// the facts folder (the nearest ancestor holding `entities.yaml`).
    pub fn set_buffer(&mut self, path: PathBuf, text: String) {
        if self.facts.is_none() {
            self.facts = path
                .ancestors()
                .skip(1)
                .find(|d| d.join("entities.yaml").is_file())
                .map(Path::to_path_buf);
        }
        self.buffers.insert(path, text);
    }

    /// Checks the corpus with the open buffers laid over the disk.
    pub fn recheck(&mut self) {
        let Some(dir) = self.facts.clone() else {
            self.snapshot = Snapshot::default();
            return;
        };
        // A bug in the checker must not take the editor's server down: it becomes a diagnostic.
        let (buffers, parses) = (&self.buffers, &mut self.parses);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            snapshot(&dir, buffers, parses)
        }));
        let failure = |why: String| Snapshot {
            failure: Some(why),
            ..Snapshot::default()
        };
        self.snapshot = match run {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => failure(format!("{e}")),
            Err(_) => {
                self.parses = overlay::Parses::default();
                failure("the checker failed (a bug: please report it)".into())
            }
        };
    }

    /// The text of `path`: the open buffer, else the file on disk.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        match self.buffers.get(path) {
            Some(t) => Some(t.clone()),
            None => read_text(path).ok().map(|(t, _)| t),
        }
    }

    /// The checked facts of `path`.
    pub fn file(&self, path: &Path) -> Option<&LoadedFile> {
        self.snapshot.files.iter().find(|f| f.path == path)
    }

    /// The declaration of entity `id`: its file, index in `entities`, and the entity.
    pub fn entity(&self, id: &str) -> Option<(&LoadedFile, usize, &Entity)> {
        self.snapshot.files.iter().find_map(|f| {
            f.entities
                .iter()
                .find(|(_, e)| e.id == id)
                .map(|(i, e)| (f, *i, e))
        })
    }

    /// Every entity of the registry, sorted by id.
    pub fn entities(&self) -> Vec<&Entity> {
        let mut all: Vec<&Entity> = self
            .snapshot
            .files
            .iter()
            .flat_map(|f| f.entities.iter().map(|(_, e)| e))
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all.dedup_by(|a, b| a.id == b.id);
        all
    }

    /// The file that holds the registry: the one declaring the most entities.
    pub fn registry(&self) -> Option<&LoadedFile> {
        self.snapshot
            .files
            .iter()
            .filter(|f| !f.entities.is_empty())
            .max_by_key(|f| (f.entities.len(), std::cmp::Reverse(f.path.clone())))
    }

    /// The stored text of the source declared in `file`, with its path.
    pub fn source_text(&self, file: &LoadedFile) -> Option<(PathBuf, String)> {
        let source = file.source.as_ref()?;
        let path = file.path.parent()?.join(&source.text);
        let text = self.text_of(&path)?;
        Some((path, text))
    }
}

fn snapshot(
    dir: &Path,
    buffers: &BTreeMap<PathBuf, String>,
    parses: &mut overlay::Parses,
) -> Result<Snapshot, FactsError> {
    let (files, diags) = overlay::load_with(dir, buffers, parses)?;
    let facts = files.iter().map(LoadedFile::copy).collect();
    let threads = rayon::current_num_threads();
    let checked = shard::validate(files, diags, threads);
    Ok(Snapshot {
        files: facts,
        diagnostics: checked.diagnostics,
        failure: None,
    })
}

/// The facts folder under `root`: `root`, `root/seeds` or `root/facts` when it holds
/// `entities.yaml`, else the shallowest folder (at most three levels down) that does.
pub fn find_facts(root: &Path) -> Option<PathBuf> {
    for c in CANDIDATES {
        let dir = root.join(c);
        if dir.join("entities.yaml").is_file() {
            return Some(dir.canonicalize().unwrap_or(dir));
        }
    }
    let mut level = vec![root.to_path_buf()];
    for _ in 0..3 {
        let mut next = Vec::new();
        for dir in &level {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut subs: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    !n.starts_with('.') && n != "target" && n != "node_modules"
                })
                .map(|e| e.path())
                .collect();
            subs.sort();
            if let Some(hit) = subs.iter().find(|d| d.join("entities.yaml").is_file()) {
                return Some(hit.clone());
            }
            next.extend(subs);
        }
        level = next;
    }
    None
}

/// The local path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    let path = url.to_file_path().ok()?;
    // Editors may name a folder through a symbolic link; the facts folder is canonical.
    Some(match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => dir.canonicalize().map_or(path.clone(), |d| d.join(name)),
        _ => path,
    })
}

/// The `file:` URI of a local path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// The LSP position (line, UTF-16 column) of byte offset `at` in `text`.
pub fn position(text: &str, at: usize) -> Position {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() as u32;
    let character = text[line_start..at].encode_utf16().count() as u32;
    Position { line, character }
}

/// The byte offset of an LSP position in `text` (clamped to the line and the text).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0u32;
    for (i, c) in text[start..line_end].char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    line_end
}

/// The LSP range of the byte range `start..end` of `text`.
pub fn range(text: &str, start: usize, end: usize) -> Range {
    Range {
        start: position(text, start),
        end: position(text, end.max(start)),
    }
}

/// The LSP range of a span (an empty span covers one character, so it can be seen).
pub fn span_range(text: &str, span: Span) -> Range {
    range(text, span.start, span.start + span.len.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let t = "a: é😀x\nb";
        let x = t.find('x').unwrap();
        assert_eq!(position(t, x), Position::new(0, 6));
        assert_eq!(offset(t, Position::new(0, 6)), x);
        assert_eq!(offset(t, Position::new(0, 99)), t.find('\n').unwrap());
        assert_eq!(offset(t, Position::new(9, 0)), t.len());
        assert_eq!(position(t, t.len()), Position::new(1, 1));
    }
}
