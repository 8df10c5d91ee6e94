//! Validation on every core, with the same result as one [`validate::validate`] over the whole
//! corpus.
//!
//! Most of validation is per source (references, kinds, dates, locating every quote in its text),
//! but the rules see the whole corpus. So each shard validates every file, yet only its own
//! share of the source files for real; the others enter as *stubs* that keep what cross-file
//! rules need (the entity ids they use, their broken ids, whether they were read whole) and
//! nothing to check. Files that take part in cross-file rules beyond that — entity
//! declarations, source or quotation ids declared more than once, files without a valid source
//! — are real in shard 0 (declarations are real in every shard, so references resolve), and
//! shard 0 alone reports on them. Each shard keeps only the diagnostics and sources of the
//! files it owns; loader diagnostics are added once; the merged list is sorted as `validate`
//! sorts it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::diagnostic::Diagnostic;
use super::load::LoadedFile;
use super::validate::{self, Checked};

/// Below this many shardable files, one thread validates everything.
const MIN_SHARDABLE: usize = 64;

/// Validates `files` (with the loader's `diags`) on up to `shards` threads.
pub fn validate(files: Vec<LoadedFile>, diags: Vec<Diagnostic>, shards: usize) -> Checked {
    validate_min(files, diags, shards, MIN_SHARDABLE)
}

fn validate_min(
    files: Vec<LoadedFile>,
    diags: Vec<Diagnostic>,
    shards: usize,
    min_shardable: usize,
) -> Checked {
    let shardable = shardable(&files);
    let count = shardable.iter().filter(|s| **s).count();
    if shards < 2 || count < min_shardable.max(1) {
        return validate::validate(files, diags);
    }
    // Owner of each file: shard 0 for the core files, contiguous chunks of the others.
    let per = count.div_ceil(shards);
    let mut owner = Vec::with_capacity(files.len());
    let mut seen = 0;
    for &s in &shardable {
        owner.push(if s {
            seen += 1;
            (seen - 1) / per
        } else {
            0
        });
    }
    let mut owner_of: HashMap<PathBuf, usize> = HashMap::new();
    for (f, &o) in files.iter().zip(&owner) {
        owner_of.insert(f.path.clone(), o);
        if let Some(s) = &f.source {
            owner_of.insert(text_path(&f.path, &s.text), o);
        }
    }
    let mut inputs: Vec<Vec<LoadedFile>> = (0..shards).map(|_| Vec::new()).collect();
    for (f, &o) in files.into_iter().zip(&owner) {
        let declares = !f.entities.is_empty();
        let mut copies: Vec<Option<LoadedFile>> = (0..shards)
            .map(|k| {
                (k != o).then(|| {
                    if declares {
                        LoadedFile::copy(&f)
                    } else {
                        stub(&f)
                    }
                })
            })
            .collect();
        copies[o] = Some(f);
        for (input, file) in inputs.iter_mut().zip(copies) {
            input.extend(file);
        }
    }
    let results: Vec<Checked> = inputs
        .into_par_iter()
        .map(|input| validate::validate(input, Vec::new()))
        .collect();
    merge(results, diags, &owner_of)
}

/// One result from the shards' results: each keeps what its own files produced.
fn merge(
    results: Vec<Checked>,
    diags: Vec<Diagnostic>,
    owner_of: &HashMap<PathBuf, usize>,
) -> Checked {
    let mut merged = Checked::default();
    let mut all = diags;
    for (k, checked) in results.into_iter().enumerate() {
        let mine = |p: &Path| owner_of.get(p).copied().unwrap_or(0) == k;
        all.extend(checked.diagnostics.into_iter().filter(|d| mine(&d.file)));
        for (id, sf) in checked.corpus.sources {
            if mine(&sf.fact_file) {
                merged.corpus.sources.insert(id, sf);
            }
        }
        if k == 0 {
            merged.corpus.entities = checked.corpus.entities;
        }
        for (p, t) in checked.texts {
            merged.texts.entry(p).or_insert(t);
        }
    }
    super::diagnostic::settle(&mut all, |p| merged.texts.get(p).map(String::as_str));
    merged.diagnostics = all;
    merged
}

/// The path `validate` reads a source's text from.
fn text_path(fact: &Path, text: &str) -> PathBuf {
    fact.parent().unwrap_or(Path::new(".")).join(text)
}

/// Which files can be validated in any shard: a valid source, no declarations, read whole, and
/// ids (source and quotations) that no other file declares.
fn shardable(files: &[LoadedFile]) -> Vec<bool> {
    let mut ids: HashMap<(&str, &str), usize> = HashMap::new();
    for f in files {
        if let Some(s) = &f.source {
            *ids.entry(("source", &s.id)).or_default() += 1;
        }
        for (_, q) in &f.quotations {
            *ids.entry(("quotation", &q.id)).or_default() += 1;
        }
    }
    files
        .iter()
        .map(|f| {
            f.source
                .as_ref()
                .is_some_and(|s| ids[&("source", s.id.as_str())] == 1)
                && f.entities.is_empty()
                && f.broken_ids.is_empty()
                && f.complete
                && f.quotations
                    .iter()
                    .all(|(_, q)| ids[&("quotation", q.id.as_str())] == 1)
        })
        .collect()
}

/// What the cross-file rules need of a file another shard validates: the entity ids it uses
/// (as references of broken items, which count as used and are never resolved), its broken ids,
/// and whether it was read whole. It declares a source block, so it is not "statements without
/// a source"; it has nothing to check.
fn stub(f: &LoadedFile) -> LoadedFile {
    let mut s = LoadedFile::default();
    s.path = f.path.clone();
    s.text = f.text.clone();
    s.broken_ids = f.broken_ids.clone();
    s.has_source_block = true;
    s.broken_refs = f.references().map(str::to_owned).collect();
    s.complete = f.complete;
    s
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::facts::load;

    fn load_all(dir: &Path) -> (Vec<LoadedFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        for p in load::discover(dir).unwrap() {
            let (f, mut d) = load::load_file(&p);
            files.push(f);
            diags.append(&mut d);
        }
        (files, diags)
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{from}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// Sharded and single-threaded validation agree on diagnostics, corpus and texts, on a
    /// corpus with per-file and cross-file problems.
    #[test]
    fn sharded_validation_equals_whole_corpus_validation() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        crate::synth::write(&crate::synth::Config::new(12, 7), dir).unwrap();
        let src = dir.join("sources");
        edit(
            &src.join("synth-00001.yaml"),
            "publisher: ",
            "publisher: no-such-",
        );
        edit(
            &src.join("synth-00002.yaml"),
            "- quote: 'In",
            "- quote: 'Nowhere in",
        );
        fs::copy(src.join("synth-00003.yaml"), src.join("zz-copy.yaml")).unwrap();
        let lonely = "entities:\n- id: lonely-one\n  kind: person\n  name: Lonely One\n";
        fs::write(dir.join("extra.yaml"), lonely).unwrap();
        for broken in [false, true] {
            if broken {
                fs::write(src.join("broken.yaml"), "source: [\n").unwrap();
            }
            let (files, diags) = load_all(dir);
            let whole = validate::validate(files, diags);
            assert!(whole.diagnostics.len() >= 4, "{:#?}", whole.diagnostics);
            for shards in [2, 3, 5] {
                let (files, diags) = load_all(dir);
                let sharded = validate_min(files, diags, shards, 1);
                assert_eq!(sharded.diagnostics, whole.diagnostics, "{shards} shards");
                assert_eq!(
                    format!("{:?}", sharded.corpus),
                    format!("{:?}", whole.corpus),
                    "{shards} shards"
                );
                assert_eq!(sharded.texts, whole.texts, "{shards} shards");
            }
        }
    }
}
