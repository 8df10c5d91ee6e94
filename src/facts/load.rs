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
    locator: OnceLock<Locator>,
}

impl LoadedFile {
    /// The locator of this file, parsing the file for positions on first use.
    pub fn locator(&self) -> &Locator {
        self.locator.get_or_init(|| Locator::new(&self.text))
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
    let value: Value = match serde_yaml::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(syntax_diagnostic(&file, &e));
            return (file, diags);
        }
    };
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
                file.source = item::<Source>(&file, &path_to, value, &mut diags);
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
        match item::<T>(file, &YamlPath::item(section, i), v, diags) {
            Some(t) => out.push((i, t)),
            None => file.broken_ids.extend(id),
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

/// Turns a serde message into a diagnostic with a rule and a position.
fn schema_diagnostic(file: &LoadedFile, path: &YamlPath, msg: &str) -> Diagnostic {
    let name = backticked(msg);
    let expected = msg
        .split_once("expected one of ")
        .map(|(_, rest)| {
            rest.split(", ")
                .map(|s| s.trim_matches('`'))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let last_key = path.0.last().and_then(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Index(_) => None,
    });
    if msg.starts_with("unknown field") {
        let field = name.unwrap_or_default();
        // serde_path_to_error stops at the map holding the unknown key, or at the key itself.
        let parent = if last_key == Some(field.as_str()) {
            YamlPath(path.0[..path.0.len() - 1].to_vec())
        } else {
            path.clone()
        };
        return Diagnostic::new(
            Rule::UnknownField,
            &file.path,
            format!("unknown field `{field}`"),
        )
        .at(file
            .find_key(&parent, &field)
            .or_else(|| file.find(&parent)))
        .label(format!("not a field of `{parent}`"))
        .maybe_hint(
            did_you_mean(&field, expected.iter().copied())
                .or_else(|| Some(format!("expected one of {}", expected.join(", ")))),
        );
    }
    if msg.starts_with("missing field") {
        let field = name.unwrap_or_default();
        return Diagnostic::new(
            Rule::MissingField,
            &file.path,
            format!("missing field `{field}` in `{path}`"),
        )
        .at(file.find(path))
        .label(format!("this item needs `{field}`"))
        .hint(format!("add `{field}:` to this item"));
    }
    if msg.starts_with("unknown variant") {
        let value = name.unwrap_or_default();
        let (rule, what) = if last_key == Some("predicate") {
            (Rule::UnknownPredicate, "predicate")
        } else {
            (Rule::InvalidValue, "value")
        };
        return Diagnostic::new(
            rule,
            &file.path,
            format!("unknown {what} `{value}` in `{path}`"),
        )
        .at(file.find(path))
        .label(format!("not in the {what} vocabulary"))
        .maybe_hint(
            did_you_mean(&value, expected.iter().copied())
                .or_else(|| Some(format!("expected one of {}", expected.join(", ")))),
        );
    }
    Diagnostic::new(Rule::InvalidValue, &file.path, format!("{msg} in `{path}`"))
        .at(file.find(path))
        .label("invalid value")
}

fn syntax_diagnostic(file: &LoadedFile, e: &serde_yaml::Error) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let mut span = e.location().map(|l| Span {
        start: byte_of(&file.text, l.line(), l.column()),
        len: 1,
    });
    // serde_yaml points a duplicate key at the start of its mapping; show the repeated key.
    if let Some((at, rest)) = msg.split_once("duplicate entry with key ") {
        let key = rest.trim_matches('"');
        let at = YamlPath::parse(at.trim_end_matches(": "));
        span = file.locator().find_repeated_key(&at, key).or(span);
    }
    let line_text = e
        .location()
        .and_then(|l| file.text.lines().nth(l.line().saturating_sub(1)));
    let hint = if msg.contains("repetition limit") || msg.contains("recursion limit") {
        "aliases and deep nesting are refused to keep the checker safe; write the values out"
    } else if line_text.is_some_and(|l| l.contains('\t')) || msg.contains("tab") {
        "YAML does not allow tabs for indentation; indent with spaces"
    } else if msg.contains("duplicate entry") {
        "a key may appear only once in a mapping; remove or merge the repeated one"
    } else {
        "check indentation, colons and quotes on this line and the one before"
    };
    let rule = Rule::YamlSyntax;
    Diagnostic::new(rule, &file.path, format!("invalid YAML: {msg}"))
        .at(span)
        .hint(hint)
}

/// Byte offset of 1-based `line` and character `column`.
fn byte_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(b, _)| b)
}

fn backticked(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(msg[start..start + len].to_string())
}

/// "did you mean `x`?" for the closest candidate, if close enough.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}
