//! Loads fact files from a folder: safe reading (size, binary, UTF-8, BOM), YAML parsing with
//! `serde_yaml`, and item-by-item deserialization so that one bad item does not hide the others.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use super::diagnostic::{Capped, Diagnostic, Lines};
use super::error::FactsError;
use super::guard;
use super::locate::{Locator, Seg, Span, YamlPath};
use super::parse_errors::{schema_diagnostic, syntax_diagnostic};
use super::rules::Rule;
use super::schema::{Entity, Ignored, Quotation, Source, Statement};

/// Largest fact file or source text the checker reads (bigger files are refused, not read).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The top-level sections a fact file may have.
const SECTIONS: &[&str] = &["source", "entities", "statements", "quotations", "ignored"];

/// One fact file as read from disk: its text and whatever items deserialized cleanly.
#[derive(Debug, Default)]
pub struct LoadedFile {
    /// Path as shown in diagnostics.
    pub path: PathBuf,
    /// The text, without a byte-order mark.
    pub text: String,
    /// The `source` block, if present and valid.
    pub source: Option<Source>,
    /// Valid entities with their index in the file.
    pub entities: Vec<(usize, Entity)>,
    /// Valid statements with their index in the file.
    pub statements: Vec<(usize, Statement)>,
    /// Valid quotations with their index in the file.
    pub quotations: Vec<(usize, Quotation)>,
    /// Valid ignored passages with their index in the file.
    pub ignored: Vec<(usize, Ignored)>,
    /// Ids of items that failed to deserialize: known to exist, so references to them are not
    /// reported a second time.
    pub broken_ids: Vec<String>,
    /// Whether the file had a `source` block at all (valid or not).
    pub has_source_block: bool,
    /// Entity ids that items which failed to deserialize refer to: they count as used.
    pub broken_refs: Vec<String>,
    /// Whether every section was read (the file parsed and each section had the right shape).
    /// Items that failed one by one do not count: their ids are in `broken_ids`.
    pub complete: bool,
    locator: OnceLock<Locator>,
    lines: OnceLock<Lines>,
}

impl LoadedFile {
    /// A copy of a loaded file (its position index is rebuilt on demand).
    pub(crate) fn copy(f: &LoadedFile) -> LoadedFile {
        LoadedFile {
            path: f.path.clone(),
            text: f.text.clone(),
            source: f.source.clone(),
            entities: f.entities.clone(),
            statements: f.statements.clone(),
            quotations: f.quotations.clone(),
            ignored: f.ignored.clone(),
            broken_ids: f.broken_ids.clone(),
            has_source_block: f.has_source_block,
            broken_refs: f.broken_refs.clone(),
            complete: f.complete,
            ..LoadedFile::default()
        }
    }

    /// The locator of this file, parsing the file for positions on first use.
    pub fn locator(&self) -> &Locator {
        self.locator.get_or_init(|| Locator::new(&self.text))
    }

    /// Every entity id this file refers to, from its valid items and its broken ones.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        let source = self.source.iter().map(|s| s.publisher.as_str());
        let statements = self.statements.iter().flat_map(|(_, s)| {
            [
                Some(&s.subject),
                s.object.as_ref(),
                s.attributed_to.as_ref(),
            ]
            .into_iter()
            .flatten()
            .map(String::as_str)
        });
        let quotations = self.quotations.iter().flat_map(|(_, q)| {
            [Some(&q.speaker), q.document.as_ref()]
                .into_iter()
                .flatten()
                .chain(&q.about)
                .map(String::as_str)
        });
        source
            .chain(statements)
            .chain(quotations)
            .chain(self.broken_refs.iter().map(String::as_str))
    }

    /// `file:line` of the value at `path`, for hints that point at a second place.
    pub fn position(&self, path: &YamlPath) -> String {
        match self.find(path) {
            Some(span) => {
                let lines = self.lines.get_or_init(|| Lines::new(&self.text));
                format!("{}:{}", self.path.display(), lines.line(span.start))
            }
            None => self.path.display().to_string(),
        }
    }

    /// The span of the value at `path`.
    pub fn find(&self, path: &YamlPath) -> Option<Span> {
        self.locator().find(path)
    }

    /// The span of key `key` in the mapping at `path`.
    pub fn find_key(&self, path: &YamlPath, key: &str) -> Option<Span> {
        self.locator().find_key(path, key)
    }
}

/// Whether `path` names a fact file (`*.yaml`, `*.yml`).
pub fn is_fact_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Lists the fact files under `dir`, sorted, skipping hidden folders.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>, FactsError> {
    discover_checked(dir).map(|(paths, _)| paths)
}

/// [`discover`], and a diagnostic for each fact file that is a symbolic link leading outside
/// `dir` (or nowhere): such files are left out, never read.
pub fn discover_checked(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), FactsError> {
    let mut out = Vec::new();
    let mut links = Vec::new();
    walk(dir, &mut out, &mut links)?;
    let mut diags = Vec::new();
    if !links.is_empty() {
        let root = fs::canonicalize(dir).map_err(|e| FactsError::io(dir, e))?;
        for link in links {
            match fs::canonicalize(&link) {
                Ok(target) if target.starts_with(&root) => out.push(link),
                Ok(target) => diags.push(outside(&link, &target)),
                Err(e) => diags.push(Diagnostic::new(
                    Rule::MissingSourceText,
                    &link,
                    format!("cannot read file: {e}"),
                )),
            }
        }
    }
    out.sort();
    Ok((out, diags))
}

fn outside(link: &Path, target: &Path) -> Diagnostic {
    Diagnostic::new(
        Rule::PathOutsideFacts,
        link,
        format!(
            "symbolic link to `{}`, outside the facts folder",
            target.display()
        ),
    )
    .hint("copy the file into the facts folder; links may only point inside it")
}

/// Collects fact files under `dir`; symbolic links (never followed into folders, so a link
/// loop cannot recur) go to `links` for their target to be checked.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, links: &mut Vec<PathBuf>) -> Result<(), FactsError> {
    let entries = fs::read_dir(dir).map_err(|e| FactsError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| FactsError::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let ty = entry.file_type().map_err(|e| FactsError::io(&path, e))?;
        if ty.is_dir() {
            walk(&path, out, links)?;
        } else if is_fact_file(&path) {
            if ty.is_symlink() {
                links.push(path);
            } else {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Reads a text file defensively. Problems become diagnostics, never panics.
#[allow(clippy::result_large_err)] // built once per unreadable file, never on a hot path
pub fn read_text(path: &Path) -> Result<(String, Vec<Diagnostic>), Diagnostic> {
    read_checked(path).map_err(|(d, _)| d)
}

/// Like [`read_text`], but a file that is not UTF-8 also comes back as lossy text, so that its
/// diagnostic can show the line holding the first bad byte.
#[allow(clippy::result_large_err)]
fn read_checked(path: &Path) -> Result<(String, Vec<Diagnostic>), (Diagnostic, Option<String>)> {
    let unreadable = |e: std::io::Error| {
        (
            Diagnostic::new(
                Rule::MissingSourceText,
                path,
                format!("cannot read file: {e}"),
            ),
            None,
        )
    };
    // Opening a named pipe would block until something writes to it; only read regular files.
    let meta = fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err((
            Diagnostic::new(
                Rule::MissingSourceText,
                path,
                "cannot read file: not a regular file (a folder, a pipe or a device)",
            ),
            None,
        ));
    }
    let file = fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // Never read more than the limit (plus one byte to notice it is exceeded).
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err((
            Diagnostic::new(
                Rule::FileTooLarge,
                path,
                format!("file is larger than {} MiB", MAX_FILE_BYTES >> 20),
            )
            .hint("split it into several fact files, one per source"),
            None,
        ));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err((
            Diagnostic::new(
                Rule::BinaryFile,
                path,
                format!("file looks binary (NUL byte at offset {pos})"),
            )
            .hint("fact files and source texts must be plain UTF-8 text"),
            None,
        ));
    }
    decode(path, bytes)
}

/// The text of a file's bytes: a byte-order mark dropped (with a warning), UTF-8 checked.
#[allow(clippy::result_large_err)]
fn decode(
    path: &Path,
    mut bytes: Vec<u8>,
) -> Result<(String, Vec<Diagnostic>), (Diagnostic, Option<String>)> {
    let mut warnings = Vec::new();
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        warnings.push(
            Diagnostic::new(
                Rule::ByteOrderMark,
                path,
                "file starts with a byte-order mark",
            )
            .hint("save the file as UTF-8 without BOM; it was ignored"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, warnings)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text equals the original up to `valid`, so the span is right in both.
            let prefix = &lossy[..valid];
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.len() - prefix.rfind('\n').map_or(0, |i| i + 1) + 1;
            let d = Diagnostic::new(
                Rule::NotUtf8,
                path,
                format!("invalid UTF-8 at byte {valid} (line {line}, byte column {col})"),
            )
            .at(Some(Span {
                start: valid,
                len: 1,
            }))
            .label("not UTF-8")
            .hint("re-save the file as UTF-8 (it may be Latin-1 or Windows-1252)");
            Err((d, Some(lossy)))
        }
    }
}

/// Loads one fact file; returns what could be read and every problem found on the way.
pub fn load_file(path: &Path) -> (LoadedFile, Vec<Diagnostic>) {
    let mut file = LoadedFile {
        path: path.to_path_buf(),
        ..LoadedFile::default()
    };
    let (text, warnings) = match read_checked(path) {
        Ok(ok) => ok,
        Err((d, lossy)) => {
            // Kept only to render the diagnostic; nothing else reads a file that failed here.
            file.text = lossy.unwrap_or_default();
            return (file, vec![d]);
        }
    };
    file.text = text;
    let mut diags = Capped::new(warnings);
    // Held until the parse is dropped: the text parsed at once by all threads is bounded.
    let nodes = guard::nodes(&file.text, guard::MAX_NODES);
    let _permit = super::admit::admit(super::admit::weight(file.text.len() as u64, nodes));
    if let Some(d) = refused(&file, nodes) {
        diags.push(d);
        return (file, diags.finish(path));
    }
    let value: Value = match serde_yaml::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(syntax_diagnostic(&file, &e));
            return (file, diags.finish(path));
        }
    };
    file.complete = matches!(value, Value::Null | Value::Mapping(_));
    if let Some(map) = sections_of(&file, value, &mut diags) {
        read_sections(&mut file, map, &mut diags);
    }
    // The positions found so far are in the diagnostics: a tree of every node, kept for each
    // file of a corpus, would cost more than the facts it locates. Built again if needed.
    file.locator = OnceLock::new();
    (file, diags.finish(path))
}

/// The top-level mapping of a fact file, or why there is none.
fn sections_of(file: &LoadedFile, value: Value, diags: &mut Capped) -> Option<serde_yaml::Mapping> {
    match value {
        Value::Null => {
            diags.push(
                Diagnostic::new(Rule::EmptyFile, &file.path, "fact file is empty")
                    .hint("add a `source:` block or `entities:`, or delete the file"),
            );
            None
        }
        Value::Mapping(m) => Some(m),
        _ => {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    &file.path,
                    "a fact file must be a mapping of sections",
                )
                .at(file.find(&YamlPath::default()))
                .hint(format!("use the sections {}", SECTIONS.join(", "))),
            );
            None
        }
    }
}

/// Deserializes each section's items one by one, so one bad item does not hide the others.
fn read_sections(file: &mut LoadedFile, map: serde_yaml::Mapping, diags: &mut Capped) {
    let path = file.path.clone();
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_owned) else {
            continue;
        };
        let path_to = YamlPath(vec![Seg::Key(key.clone())]);
        match key.as_str() {
            "source" => {
                file.has_source_block = true;
                let refs = references_in(&value);
                file.source = item::<Source>(file, &path_to, value, diags);
                if file.source.is_none() {
                    file.broken_refs.extend(refs);
                }
            }
            "entities" => file.entities = items(file, &key, value, diags),
            "statements" => file.statements = items(file, &key, value, diags),
            "quotations" => file.quotations = items(file, &key, value, diags),
            "ignored" => file.ignored = items(file, &key, value, diags),
            other => diags.push_with(Rule::UnknownField, || {
                Diagnostic::new(
                    Rule::UnknownField,
                    &path,
                    format!("unknown section `{other}`"),
                )
                .at(file.find_key(&YamlPath::default(), other))
                .label("not a section of a fact file")
                .maybe_hint(did_you_mean(other, SECTIONS.iter().copied()))
            }),
        }
    }
}

/// The diagnostic of a file the guards refuse before it is parsed: nesting too deep for the
/// parser to refuse quickly, aliases that would expand beyond bounded memory, or more nodes than
/// a parse can hold in bounded memory.
fn refused(file: &LoadedFile, nodes: u64) -> Option<Diagnostic> {
    let (at, msg, label) = if let Some(at) = guard::deep_flow(&file.text, guard::MAX_FLOW_DEPTH) {
        let msg = format!("more than {} nested `[` or `{{`", guard::MAX_FLOW_DEPTH);
        (at, msg, "too deep")
    } else if let Some(at) = guard::alias_bomb(&file.text, guard::MAX_ALIAS_NODES) {
        let msg = format!(
            "aliases expand to more than {} nodes",
            guard::MAX_ALIAS_NODES
        );
        (at, msg, "too many nodes once expanded")
    } else {
        if nodes <= guard::MAX_NODES {
            return None;
        }
        return Some(
            Diagnostic::new(
                Rule::FileTooLarge,
                &file.path,
                format!(
                    "file has {nodes} YAML nodes (keys, values and list items), more than the limit of {}",
                    guard::MAX_NODES
                ),
            )
            .hint("split it into several fact files (one per source; the registry by kind)"),
        );
    };
    Some(
        Diagnostic::new(Rule::YamlSyntax, &file.path, format!("invalid YAML: {msg}"))
            .at(Some(Span { start: at, len: 1 }))
            .label(label)
            .hint(
                "aliases and deep nesting are refused to keep the checker safe; write the values out",
            ),
    )
}

fn items<T: DeserializeOwned>(
    file: &mut LoadedFile,
    section: &str,
    value: Value,
    diags: &mut Capped,
) -> Vec<(usize, T)> {
    let Value::Sequence(seq) = value else {
        if !value.is_null() {
            file.complete = false;
            let span = file.find(&YamlPath(vec![Seg::Key(section.into())]));
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    &file.path,
                    format!("`{section}` must be a list"),
                )
                .at(span)
                .hint(format!(
                    "write each item of `{section}` on a line starting with `- `"
                )),
            );
        }
        return Vec::new();
    };
    let mut out = Vec::with_capacity(seq.len());
    for (i, v) in seq.into_iter().enumerate() {
        let id = v.get("id").and_then(Value::as_str).map(str::to_owned);
        let refs = references_in(&v);
        match item::<T>(file, &YamlPath::item(section, i), v, diags) {
            Some(t) => out.push((i, t)),
            None => {
                file.broken_ids.extend(id);
                file.broken_refs.extend(refs);
            }
        }
    }
    out
}

/// Entity ids in the reference fields of an item that is about to be deserialized, so that an
/// item that fails does not make the entities it names look unused.
fn references_in(item: &Value) -> Vec<String> {
    const FIELDS: &[&str] = &[
        "subject",
        "object",
        "attributed_to",
        "speaker",
        "document",
        "about",
        "publisher",
    ];
    let mut out = Vec::new();
    for field in FIELDS {
        match item.get(field) {
            Some(Value::String(s)) => out.push(s.clone()),
            Some(Value::Sequence(seq)) => {
                out.extend(seq.iter().filter_map(Value::as_str).map(str::to_owned))
            }
            _ => {}
        }
    }
    out
}

fn item<T: DeserializeOwned>(
    file: &LoadedFile,
    at: &YamlPath,
    value: Value,
    diags: &mut Capped,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(t) => Some(t),
        Err(e) => {
            // Every schema diagnostic is an error; past the cap it is only counted.
            diags.push_with(Rule::InvalidValue, || {
                let mut path = at.clone();
                for seg in e.path().iter() {
                    match seg {
                        serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
                        serde_path_to_error::Segment::Map { key } => path = path.key(key),
                        _ => {}
                    }
                }
                schema_diagnostic(file, &path, &e.inner().to_string())
            });
            None
        }
    }
}

/// "did you mean `x`?" for the closest candidate, if close enough (see [`crate::suggest`]).
pub use crate::suggest::did_you_mean;
