//! `check` on a cached corpus, without touching unchanged sources: the same diagnostics as a
//! full [`super::check_with`], and the corpus's counts instead of the corpus itself.
//!
//! A source file that validated without any diagnostic is remembered twice in the cache: a
//! *summary* of its parse (its ids, the entity ids it uses, its counts; keyed by its bytes) and a
//! *clean* mark keyed by its path, its bytes, its text's path and bytes, and a fingerprint of
//! everything else that can make it invalid (every file that declares entities, has broken items
//! or could not be read whole). A run reads and hashes every file, but a source whose clean mark
//! is found — and whose ids no other file declares — is neither parsed nor validated: it enters
//! validation as a stub carrying what the cross-file rules need (the entity ids it uses), as in
//! [`super::shard`]. Everything else is loaded (from the parse cache) and validated as usual.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::batch::{self, load_one};
use super::diagnostic::Diagnostic;
use super::error::FactsError;
use super::load::{self, LoadedFile, MAX_FILE_BYTES};
use super::shard;
use crate::cache::{digest, Cache};
use crate::progress::Reporter;

const SUMMARY: &str = "summary";
const CLEAN: &str = "clean";

/// What `check` reports: the diagnostics, the texts to render them, and the corpus's size.
#[derive(Debug, Default)]
pub struct Report {
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of the files that have diagnostics (and of the others that were read).
    pub texts: HashMap<PathBuf, String>,
    /// Sources in the corpus.
    pub sources: usize,
    /// Entities in the registry.
    pub entities: usize,
    /// Valid statements.
    pub statements: usize,
    /// Valid quotations.
    pub quotations: usize,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| !d.is_warning())
    }
}

impl From<super::Checked> for Report {
    fn from(checked: super::Checked) -> Report {
        let c = &checked.corpus;
        Report {
            sources: c.sources.len(),
            entities: c.entities.len(),
            statements: c.statement_count(),
            quotations: c.quotation_count(),
            diagnostics: checked.diagnostics,
            texts: checked.texts,
        }
    }
}

/// What a clean source file contributes to the cross-file rules and to the counts.
#[derive(Debug, Serialize, Deserialize)]
struct Summary {
    text: String,
    source_id: String,
    quotation_ids: Vec<String>,
    references: Vec<String>,
    statements: usize,
    quotations: usize,
}

struct Read {
    path: PathBuf,
    bytes: Option<Vec<u8>>,
    digest: [u8; 32],
    summary: Option<Summary>,
}

/// Checks the facts in `dir`, reusing what `cache` knows of unchanged sources.
pub fn check(dir: &Path, cache: &Cache, rep: &Reporter) -> Result<Report, FactsError> {
    let paths = rep.stage("discover", || load::discover(dir))?;
    if paths.is_empty() {
        return Err(FactsError::NoFactFiles(dir.to_path_buf()));
    }
    let (files, diags, skipped, pending) = rep.stage("parse", || prepare(&paths, cache, rep));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let checked = rep.stage("validate", || shard::validate(files, diags, threads));
    let marked = remember(&checked, pending, cache);
    rep.detail(format!(
        "cache: {} sources skipped as unchanged and clean, {marked} newly marked clean",
        skipped.len()
    ));
    for kind in [batch::KIND, SUMMARY, CLEAN] {
        // Every file was looked at: entries not asked for are of older versions of them.
        let _ = cache.sweep(kind);
    }
    let c = &checked.corpus;
    Ok(Report {
        sources: c.sources.len() + skipped.len(),
        entities: c.entities.len(),
        statements: c.statement_count() + skipped.iter().map(|s| s.statements).sum::<usize>(),
        quotations: c.quotation_count() + skipped.iter().map(|s| s.quotations).sum::<usize>(),
        diagnostics: checked.diagnostics,
        texts: checked.texts,
    })
}

/// A file validated for real, and what to remember of it if it comes out clean.
struct Pending {
    path: PathBuf,
    digest: [u8; 32],
    summary: Summary,
    fingerprint: [u8; 32],
}

/// Reads every file; returns the files to validate (loaded, or stubs for the sources found
/// clean), the loaders' diagnostics, the summaries of the skipped sources, and what to remember.
fn prepare(
    paths: &[PathBuf],
    cache: &Cache,
    rep: &Reporter,
) -> (Vec<LoadedFile>, Vec<Diagnostic>, Vec<Summary>, Vec<Pending>) {
    let read = rep.bar("read", paths.len() as u64).map(paths, |p| {
        let bytes = match fs::metadata(p) {
            Ok(m) if m.len() <= MAX_FILE_BYTES => fs::read(p).ok(),
            _ => None,
        };
        let digest = bytes.as_deref().map(digest).unwrap_or_default();
        let summary = bytes.as_ref().and_then(|_| {
            let key = cache.key(SUMMARY, &[&digest]);
            let payload = cache.get(SUMMARY, &key)?;
            let s = serde_json::from_slice(&payload);
            if s.is_err() {
                cache.reject(SUMMARY);
            }
            s.ok()
        });
        Read {
            path: p.clone(),
            bytes,
            digest,
            summary,
        }
    });
    // Files without a summary are loaded now: they make the fingerprint of the registry.
    let unsummarized: Vec<usize> = (0..read.len())
        .filter(|&i| read[i].summary.is_none())
        .collect();
    let mut loaded: Vec<Option<(LoadedFile, Vec<Diagnostic>)>> =
        std::iter::repeat_with(|| None).take(read.len()).collect();
    let bar = rep.bar("parse", unsummarized.len() as u64);
    for (i, l) in unsummarized
        .iter()
        .zip(bar.map(&unsummarized, |&i| load_one(&read[i].path, Some(cache))))
    {
        loaded[*i] = Some(l);
    }
    let mut fp = Sha256::new();
    for (f, _) in loaded.iter().flatten() {
        if !f.entities.is_empty() || !f.broken_ids.is_empty() || !f.complete {
            fp.update(f.path.to_string_lossy().as_bytes());
            fp.update([0]);
            fp.update(f.text.as_bytes());
            fp.update([0]);
        }
    }
    let fingerprint: [u8; 32] = fp.finalize().into();
    // A summarized source is skipped when its clean mark is found.
    let clean: Vec<Option<Vec<u8>>> = rep.bar("compare", read.len() as u64).map(&read, |r| {
        let (Some(s), Some(_)) = (&r.summary, &r.bytes) else {
            return None;
        };
        let text_path = r.path.parent().unwrap_or(Path::new(".")).join(&s.text);
        let text = fs::read(&text_path).ok()?;
        let key = clean_key(cache, &r.path, &r.digest, &text_path, &text, &fingerprint);
        cache.get(CLEAN, &key).map(|_| text)
    });
    // Ids declared in more than one file take part in cross-file rules: validate those for real.
    let mut ids: HashMap<(bool, String), usize> = HashMap::new();
    for (i, r) in read.iter().enumerate() {
        if let Some(s) = &r.summary {
            *ids.entry((true, s.source_id.clone())).or_default() += 1;
            for q in &s.quotation_ids {
                *ids.entry((false, q.clone())).or_default() += 1;
            }
        } else if let Some((f, _)) = &loaded[i] {
            if let Some(s) = &f.source {
                *ids.entry((true, s.id.clone())).or_default() += 1;
            }
            for (_, q) in &f.quotations {
                *ids.entry((false, q.id.clone())).or_default() += 1;
            }
        }
    }
    let unique = |s: &Summary| {
        ids.get(&(true, s.source_id.clone())) == Some(&1)
            && s.quotation_ids
                .iter()
                .all(|q| ids.get(&(false, q.clone())) == Some(&1))
    };
    let skip: Vec<bool> = read
        .iter()
        .zip(&clean)
        .map(|(r, c)| c.is_some() && r.summary.as_ref().is_some_and(unique))
        .collect();
    let rest: Vec<usize> = (0..read.len())
        .filter(|&i| !skip[i] && loaded[i].is_none())
        .collect();
    let bar = rep.bar("parse", rest.len() as u64);
    for (i, l) in rest
        .iter()
        .zip(bar.map(&rest, |&i| load_one(&read[i].path, Some(cache))))
    {
        loaded[*i] = Some(l);
    }
    let mut files = Vec::with_capacity(read.len());
    let mut diags = Vec::new();
    let mut skipped = Vec::new();
    let mut pending = Vec::new();
    for ((r, loaded), skip) in read.into_iter().zip(loaded).zip(skip) {
        let Read {
            path,
            bytes,
            digest,
            summary,
        } = r;
        if let (true, Some(s)) = (skip, summary) {
            // Keep its parse through the sweep: it is needed again if the registry changes.
            cache.touch(batch::KIND, &cache.key(batch::KIND, &[&digest]));
            // No text: nothing is ever reported in a clean file with unique ids.
            let mut stub = LoadedFile::default();
            stub.path = path;
            stub.has_source_block = true;
            stub.broken_refs = s.references.clone();
            stub.complete = true;
            files.push(stub);
            skipped.push(s);
            continue;
        }
        let Some((f, mut d)) = loaded else {
            continue;
        };
        if let (Some(summary), Some(_), true) = (summarize(&f), bytes, d.is_empty()) {
            pending.push(Pending {
                path: f.path.clone(),
                digest,
                summary,
                fingerprint,
            });
        }
        files.push(f);
        diags.append(&mut d);
    }
    (files, diags, skipped, pending)
}

/// The summary of a file that can be skipped once clean: a valid source, nothing declared,
/// nothing broken.
fn summarize(f: &LoadedFile) -> Option<Summary> {
    let s = f.source.as_ref()?;
    let plain =
        f.entities.is_empty() && f.broken_ids.is_empty() && f.broken_refs.is_empty() && f.complete;
    plain.then(|| Summary {
        text: s.text.clone(),
        source_id: s.id.clone(),
        quotation_ids: f.quotations.iter().map(|(_, q)| q.id.clone()).collect(),
        references: f.references().map(str::to_owned).collect(),
        statements: f.statements.len(),
        quotations: f.quotations.len(),
    })
}

fn clean_key(
    cache: &Cache,
    path: &Path,
    file_digest: &[u8; 32],
    text_path: &Path,
    text: &[u8],
    fingerprint: &[u8; 32],
) -> crate::cache::Key {
    cache.key(
        CLEAN,
        &[
            path.to_string_lossy().as_bytes(),
            file_digest,
            text_path.to_string_lossy().as_bytes(),
            &digest(text),
            fingerprint,
        ],
    )
}

/// Remembers the files validated for real that came out without any diagnostic, whose source
/// entered the corpus with every statement and quotation. Returns how many were marked.
fn remember(checked: &super::Checked, pending: Vec<Pending>, cache: &Cache) -> usize {
    let noisy: std::collections::HashSet<&Path> = checked
        .diagnostics
        .iter()
        .map(|d| d.file.as_path())
        .collect();
    let mut marked = 0;
    for p in pending {
        let Some(sf) = checked.corpus.sources.get(&p.summary.source_id) else {
            continue;
        };
        let whole = sf.fact_file == p.path
            && sf.statements.len() == p.summary.statements
            && sf.quotations.len() == p.summary.quotations
            && !noisy.contains(p.path.as_path())
            && !noisy.contains(sf.text_path.as_path());
        if !whole {
            continue;
        }
        let Ok(summary) = serde_json::to_vec(&p.summary) else {
            continue;
        };
        let key = clean_key(
            cache,
            &p.path,
            &p.digest,
            &sf.text_path,
            sf.text.as_bytes(),
            &p.fingerprint,
        );
        // A cache that cannot be written only makes the next run slower.
        if cache
            .put(SUMMARY, &cache.key(SUMMARY, &[&p.digest]), &summary)
            .is_ok()
            && cache.put(CLEAN, &key, b"clean").is_ok()
        {
            marked += 1;
        }
    }
    marked
}
