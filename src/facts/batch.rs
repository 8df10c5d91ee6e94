//! Loads every fact file on all cores, reusing the parse of unchanged files from the [`Cache`].
//!
//! Only clean parses are cached (no diagnostic, every section read): a file with problems is
//! always parsed again, so its diagnostics come from the loader itself. Results come back in the
//! order of `paths`, whatever the scheduling, so output stays deterministic.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::diagnostic::Diagnostic;
use super::load::{self, LoadedFile, MAX_FILE_BYTES};
use super::schema::{Entity, Ignored, Quotation, Source, Statement};
use crate::cache::Cache;
use crate::progress::Bar;

/// Cache kind of parsed fact files.
pub const KIND: &str = "load";

/// What the cache keeps of a clean parse (the text is the file itself, so it is not stored).
#[derive(Serialize)]
struct EntryRef<'a> {
    source: &'a Option<Source>,
    entities: &'a [(usize, Entity)],
    statements: &'a [(usize, Statement)],
    quotations: &'a [(usize, Quotation)],
    ignored: &'a [(usize, Ignored)],
    has_source_block: bool,
}

#[derive(Deserialize)]
struct Entry {
    source: Option<Source>,
    entities: Vec<(usize, Entity)>,
    statements: Vec<(usize, Statement)>,
    quotations: Vec<(usize, Quotation)>,
    ignored: Vec<(usize, Ignored)>,
    has_source_block: bool,
}

/// Loads `paths` with up to one thread per core; returns the files in the order of `paths` and
/// the loaders' diagnostics in the same order.
pub fn load_all(
    paths: &[PathBuf],
    cache: Option<&Cache>,
    bar: &Bar,
) -> (Vec<LoadedFile>, Vec<Diagnostic>) {
    let slots = bar.map(paths, |p| load_one(p, cache));
    let mut files = Vec::with_capacity(paths.len());
    let mut diags = Vec::new();
    for (f, mut d) in slots {
        files.push(f);
        diags.append(&mut d);
    }
    (files, diags)
}

/// Loads one file, from the cache when its bytes are unchanged.
pub(crate) fn load_one(path: &Path, cache: Option<&Cache>) -> (LoadedFile, Vec<Diagnostic>) {
    let Some(cache) = cache else {
        return load::load_file(path);
    };
    // Anything unusual (unreadable, too large, not UTF-8, not a regular file) goes to the
    // loader, which reports it. Reading a named pipe would block until something writes to it.
    let bytes = match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() <= MAX_FILE_BYTES => fs::read(path).ok(),
        _ => None,
    };
    let Some(bytes) = bytes else {
        return load::load_file(path);
    };
    let key = cache.key(KIND, &[&crate::cache::digest(&bytes)]);
    if let Some(payload) = cache.get(KIND, &key) {
        match (
            serde_json::from_slice::<Entry>(&payload),
            String::from_utf8(bytes.clone()),
        ) {
            (Ok(e), Ok(text)) => {
                let mut file = LoadedFile::default();
                file.path = path.to_path_buf();
                file.text = text;
                file.source = e.source;
                file.entities = e.entities;
                file.statements = e.statements;
                file.quotations = e.quotations;
                file.ignored = e.ignored;
                file.has_source_block = e.has_source_block;
                file.complete = true;
                return (file, Vec::new());
            }
            _ => cache.reject(KIND),
        }
    }
    let (file, diags) = load::load_file(path);
    let clean = diags.is_empty()
        && file.complete
        && file.broken_ids.is_empty()
        && file.broken_refs.is_empty()
        && file.text.as_bytes() == bytes;
    if clean {
        let entry = EntryRef {
            source: &file.source,
            entities: &file.entities,
            statements: &file.statements,
            quotations: &file.quotations,
            ignored: &file.ignored,
            has_source_block: file.has_source_block,
        };
        if let Ok(payload) = serde_json::to_vec(&entry) {
            // A cache that cannot be written only makes the next run slower.
            let _ = cache.put(KIND, &key, &payload);
        }
    }
    (file, diags)
}
