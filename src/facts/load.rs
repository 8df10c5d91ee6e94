//! Loads fact files from a folder: safe reading (size, binary, UTF-8, BOM), YAML parsing with
//! `serde_yaml`, and item-by-item deserialization so that one bad item does not hide the others.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use super::diagnostic::Diagnostic;
use super::error::FactsError;
use super::explain::{schema_diagnostic, syntax_diagnostic};
use super::guard;
use super::locate::{Locator, Seg, Span, YamlPath};
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
}

impl LoadedFile {
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
                let line = self.text[..span.start.min(self.text.len())]
                    .matches('\n')
                    .count()
                    + 1;
                format!("{}:{line}", self.path.display())
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

/// Lists the fact files (`*.yaml`, `*.yml`) under `dir`, sorted, skipping hidden folders.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>, FactsError> {
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FactsError> {
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
            walk(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
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
    let (text, mut diags) = match read_checked(path) {
        Ok(ok) => ok,
        Err((d, lossy)) => {
            // Kept only to render the diagnostic; nothing else reads a file that failed here.
            file.text = lossy.unwrap_or_default();
            return (file, vec![d]);
        }
    };
    file.text = text;
    if let Some(at) = guard::deep_flow(&file.text, guard::MAX_FLOW_DEPTH) {
        diags.push(
            Diagnostic::new(
                Rule::YamlSyntax,
                path,
                format!(
                    "invalid YAML: more than {} nested `[` or `{{`",
                    guard::MAX_FLOW_DEPTH
                ),
            )
            .at(Some(Span { start: at, len: 1 }))
            .label("too deep")
            .hint("aliases and deep nesting are refused to keep the checker safe; write the values out"),
        );
        return (file, diags);
    }
    let value: Value = match serde_yaml::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(syntax_diagnostic(&file, &e));
            return (file, diags);
        }
    };
    file.complete = matches!(value, Value::Null | Value::Mapping(_));
    let map = match value {
        Value::Null => {
            diags.push(
                Diagnostic::new(Rule::EmptyFile, path, "fact file is empty")
                    .hint("add a `source:` block or `entities:`, or delete the file"),
            );
            return (file, diags);
        }
        Value::Mapping(m) => m,
        _ => {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    path,
                    "a fact file must be a mapping of sections",
                )
                .at(file.find(&YamlPath::default()))
                .hint(format!("use the sections {}", SECTIONS.join(", "))),
            );
            return (file, diags);
        }
    };
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_owned) else {
            continue;
        };
        let path_to = YamlPath(vec![Seg::Key(key.clone())]);
        match key.as_str() {
            "source" => {
                file.has_source_block = true;
                let refs = references_in(&value);
                file.source = item::<Source>(&file, &path_to, value, &mut diags);
                if file.source.is_none() {
                    file.broken_refs.extend(refs);
                }
            }
            "entities" => file.entities = items(&mut file, &key, value, &mut diags),
            "statements" => file.statements = items(&mut file, &key, value, &mut diags),
            "quotations" => file.quotations = items(&mut file, &key, value, &mut diags),
            "ignored" => file.ignored = items(&mut file, &key, value, &mut diags),
            other => {
                let span = file.find_key(&YamlPath::default(), other);
                diags.push(
                    Diagnostic::new(
                        Rule::UnknownField,
                        path,
                        format!("unknown section `{other}`"),
                    )
                    .at(span)
                    .label("not a section of a fact file")
                    .maybe_hint(did_you_mean(other, SECTIONS.iter().copied())),
                );
            }
        }
    }
    (file, diags)
}

fn items<T: DeserializeOwned>(
    file: &mut LoadedFile,
    section: &str,
    value: Value,
    diags: &mut Vec<Diagnostic>,
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
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(t) => Some(t),
        Err(e) => {
            let mut path = at.clone();
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
                    serde_path_to_error::Segment::Map { key } => path = path.key(key),
                    _ => {}
                }
            }
            diags.push(schema_diagnostic(file, &path, &e.inner().to_string()));
            None
        }
    }
}

/// "did you mean `x`?" for the closest candidate, if close enough.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}
