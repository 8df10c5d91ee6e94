//! Loads the fact files of a folder with some of them replaced by texts held in memory: the
//! unsaved buffers of an editor (`coalition lsp`), so the checker sees the corpus as it is being
//! edited, not as it was last saved.
//!
//! A buffer goes through the very loader that reads files from disk ([`load::load_file`]), by way
//! of a private temporary copy, so size, BOM, UTF-8 and YAML rules, messages and spans are the
//! same as `check`'s; only the path is put back to the buffer's own. Between two checks, the
//! parses of files on disk are kept ([`Parses`]) while their size and modification time stay
//! the same, so an edit costs the parse of the buffer and the validation of the corpus.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::diagnostic::Diagnostic;
use super::error::FactsError;
use super::load::{self, LoadedFile};

/// Loads every fact file under `dir`, taking the text of those in `buffers` (keyed by the same
/// paths that [`load::discover`] gives, i.e. `dir` joined with the relative path) from memory.
/// Buffers of fact files under `dir` that do not exist on disk yet are loaded too. The parses of
/// files on disk that did not change since `parses` saw them are reused.
pub fn load_with(
    dir: &Path,
    buffers: &BTreeMap<PathBuf, String>,
    parses: &mut Parses,
) -> Result<(Vec<LoadedFile>, Vec<Diagnostic>), FactsError> {
    let mut paths = load::discover(dir)?;
    for p in buffers.keys() {
        if load::is_fact_file(p) && p.starts_with(dir) && !paths.contains(p) {
            paths.push(p.clone());
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(FactsError::NoFactFiles(dir.to_path_buf()));
    }
    let scratch = tempfile::tempdir().map_err(|e| FactsError::io(dir, e))?;
    let mut files = Vec::with_capacity(paths.len());
    let mut diags = Vec::new();
    for p in &paths {
        let (f, mut d) = match buffers.get(p) {
            Some(text) => load_text(p, text, scratch.path()),
            None => parses.load(p),
        };
        files.push(f);
        diags.append(&mut d);
    }
    parses.keep(&paths);
    Ok((files, diags))
}

/// Parses of files on disk, by path, with the size and modification time they were read at.
#[derive(Debug, Default)]
pub struct Parses {
    entries: HashMap<PathBuf, (u64, SystemTime, Parsed)>,
}

/// The public parts of a [`LoadedFile`] (its locator is rebuilt on demand) and its diagnostics.
#[derive(Debug)]
struct Parsed {
    file: LoadedFile,
    diags: Vec<Diagnostic>,
}

impl Parses {
    /// Loads `path` from disk, or from the last parse when the file looks unchanged.
    fn load(&mut self, path: &Path) -> (LoadedFile, Vec<Diagnostic>) {
        let stamp = fs::metadata(path)
            .ok()
            .and_then(|m| Some((m.len(), m.modified().ok()?)));
        if let (Some((len, time)), Some((l, t, parsed))) = (stamp, self.entries.get(path)) {
            if (len, time) == (*l, *t) {
                return (LoadedFile::copy(&parsed.file), parsed.diags.clone());
            }
        }
        let (file, diags) = load::load_file(path);
        if let Some((len, time)) = stamp {
            let parsed = Parsed {
                file: LoadedFile::copy(&file),
                diags: diags.clone(),
            };
            self.entries.insert(path.to_path_buf(), (len, time, parsed));
        }
        (file, diags)
    }

    /// Forgets the files that are gone.
    fn keep(&mut self, paths: &[PathBuf]) {
        self.entries.retain(|p, _| paths.binary_search(p).is_ok());
    }
}

/// Loads `text` as if it were the content of the fact file `path`.
pub fn load_text(path: &Path, text: &str, scratch: &Path) -> (LoadedFile, Vec<Diagnostic>) {
    let copy = scratch.join("buffer.yaml");
    if let Err(e) = fs::write(&copy, text) {
        let d = Diagnostic::new(
            super::rules::Rule::MissingSourceText,
            path,
            format!("cannot check the unsaved text: {e}"),
        );
        return (LoadedFile::default(), vec![d]);
    }
    let (mut file, mut diags) = load::load_file(&copy);
    file.path = path.to_path_buf();
    for d in &mut diags {
        if d.file == copy {
            d.file = path.to_path_buf();
        }
    }
    (file, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::validate::{validate, Checked};

    /// Loads then validates, as [`crate::facts::check`] does, with `buffers` in place of the files.
    fn check(dir: &Path, buffers: &BTreeMap<PathBuf, String>) -> Result<Checked, FactsError> {
        let (files, diags) = load_with(dir, buffers, &mut Parses::default())?;
        Ok(validate(files, diags))
    }

    #[test]
    fn unchanged_files_are_parsed_once() {
        let dir = tempfile::tempdir().unwrap();
        let reg = dir.path().join("entities.yaml");
        fs::write(
            &reg,
            "entities:\n  - id: a\n    kind: person\n    name: A\n",
        )
        .unwrap();
        let mut parses = Parses::default();
        let (first, _) = load_with(dir.path(), &BTreeMap::new(), &mut parses).unwrap();
        let (again, _) = load_with(dir.path(), &BTreeMap::new(), &mut parses).unwrap();
        assert_eq!(first[0].entities[0].1.id, again[0].entities[0].1.id);
        // A change of size is noticed, whatever the clock's resolution.
        fs::write(
            &reg,
            "entities:\n  - id: bb\n    kind: person\n    name: B\n",
        )
        .unwrap();
        let (changed, _) = load_with(dir.path(), &BTreeMap::new(), &mut parses).unwrap();
        assert_eq!(changed[0].entities[0].1.id, "bb");
    }

    #[test]
    fn a_buffer_replaces_the_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let reg = dir.path().join("entities.yaml");
        fs::write(
            &reg,
            "entities:\n  - id: Bad\n    kind: person\n    name: B\n",
        )
        .unwrap();
        let on_disk = check(dir.path(), &BTreeMap::new()).unwrap();
        assert!(on_disk.diagnostics.iter().any(|d| d.rule.code() == "C020"));
        let fixed = "entities:\n  - id: good\n    kind: person\n    name: B\n".to_string();
        let edited = check(dir.path(), &BTreeMap::from([(reg.clone(), fixed)])).unwrap();
        assert!(
            edited
                .diagnostics
                .iter()
                .all(|d| d.file == reg && d.is_warning()),
            "{:?}",
            edited.diagnostics
        );
        let broken = "entities:\n  - id: [\n".to_string();
        let edited = check(dir.path(), &BTreeMap::from([(reg.clone(), broken)])).unwrap();
        let d = &edited.diagnostics[0];
        assert_eq!((d.rule.code(), d.file.as_path()), ("C001", reg.as_path()));
    }
}
