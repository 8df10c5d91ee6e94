//! `check` on a cached corpus, without touching unchanged sources: the same diagnostics as a
//! full [`super::check_with`], and the corpus's counts instead of the corpus itself.
//!
//! Everything is kept in one [`Index`] entry, read once: the stat index (a file whose size,
//! times and inode are unchanged and settled is neither read nor hashed again), and for each
//! source file that validated without any diagnostic, a *summary* (its ids, the entity ids it
//! uses, its counts) with a *clean* mark: its path and bytes, its text's bytes, and a
//! fingerprint of everything else that can make it invalid (every file that declares entities,
//! has broken items or could not be read whole). A source whose clean mark matches — and whose
//! ids no other file declares — is neither read, parsed nor validated: all such sources enter
//! validation as one stub carrying what the cross-file rules need of them (the entity ids they
//! use), as in [`super::shard`]. Everything else is loaded (from the parse cache) and
//! validated as usual, so cross-file rules still see the whole corpus.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::batch::{self, load_one};
use super::diagnostic::Diagnostic;
use super::error::FactsError;
use super::index::{self, text_path, Clean, Index, Summary};
use super::load::{self, LoadedFile, MAX_FILE_BYTES};
use super::shard;
use crate::cache::stat::{self, Known, Source, Stamp};
use crate::cache::{digest, Cache};
use crate::progress::Reporter;

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

/// Checks the facts in `dir`, reusing what `cache` knows of unchanged sources.
pub fn check(dir: &Path, cache: &Cache, rep: &Reporter) -> Result<Report, FactsError> {
    let started = stat::now();
    // The index loads while the files are found and stamped.
    let ((index, took), (paths, stamps)) = rayon::join(
        || {
            let t = Instant::now();
            (Index::load(cache), t.elapsed())
        },
        || {
            let paths = rep.stage("discover", || load::discover_checked(dir));
            let stamps = match &paths {
                Ok((paths, _)) => rep.stage("stat", || {
                    let bar = rep.bar("stat", paths.len() as u64);
                    bar.map(paths, |p| stat::stamp(p, MAX_FILE_BYTES))
                }),
                Err(_) => Vec::new(),
            };
            (paths, stamps)
        },
    );
    rep.record("index", took);
    let mut index = index;
    let (paths, escaped) = paths?;
    if paths.is_empty() && escaped.is_empty() {
        return Err(FactsError::NoFactFiles(dir.to_path_buf()));
    }
    let mut prep = rep.stage("parse", || prepare(&paths, &stamps, cache, rep, &mut index));
    prep.diags.extend(escaped);
    let threads = rayon::current_num_threads();
    let checked = rep.stage("validate", || {
        shard::validate(prep.files, prep.diags, threads)
    });
    let marked = remember(&checked, prep.pending, &mut index);
    rep.detail(format!(
        "cache: {} sources skipped as unchanged and clean, {} newly marked clean",
        prep.skipped.len(),
        marked.len()
    ));
    let dirty = prep.read_any
        || !marked.is_empty()
        || prep.known.len() != index.files.len()
        || prep.skipped.len() != index.clean.len();
    rep.stage("save", || {
        if dirty {
            let files = prep.known.iter().map(|(p, k)| (p.as_str(), k));
            let clean = prep.skipped.iter().map(|&i| &index.clean[i]);
            // A cache that cannot be written only makes the next run slower.
            let _ = index.save(cache, started, files, clean.chain(&marked));
        }
        // Every file was looked at: entries not asked for are of older versions of them (or,
        // for `summary` and `clean`, of the cache format before the index). When no file was
        // read, there is no older version to sweep.
        if dirty {
            for kind in [batch::KIND, index::KIND, "summary", "clean"] {
                let _ = cache.sweep(kind);
            }
        }
    });
    let skipped = prep.skipped.iter().map(|&i| &index.clean[i].summary);
    let (statements, quotations) =
        skipped.fold((0, 0), |(s, q), x| (s + x.statements, q + x.quotations));
    let c = &checked.corpus;
    Ok(Report {
        sources: c.sources.len() + prep.skipped.len(),
        entities: c.entities.len(),
        statements: c.statement_count() + statements,
        quotations: c.quotation_count() + quotations,
        diagnostics: checked.diagnostics,
        texts: checked.texts,
    })
}

/// A file validated for real, and what to remember of it if it comes out clean.
struct Pending {
    path: PathBuf,
    digest: [u8; 32],
    text_digest: [u8; 32],
    fingerprint: [u8; 32],
    text: String,
    source_id: String,
    quotation_ids: Vec<String>,
    references: Vec<String>,
    statements: usize,
    quotations: usize,
}

/// What [`prepare`] hands to validation and to the next index.
struct Prepared {
    /// The files to validate: loaded, plus one stub for all the skipped sources.
    files: Vec<LoadedFile>,
    /// The loaders' diagnostics.
    diags: Vec<Diagnostic>,
    /// The skipped sources, as indexes into the index's clean entries.
    skipped: Vec<usize>,
    /// What to remember of the files validated for real.
    pending: Vec<Pending>,
    /// Stamps and digests of the files hashed or found unchanged this run.
    known: HashMap<String, Known>,
    /// Whether any file had to be read and hashed.
    read_any: bool,
}

/// One file's parse and the loader's diagnostics, once loaded.
type Loaded = Option<(LoadedFile, Vec<Diagnostic>)>;

/// The bookkeeping of one [`prepare`]: what the index knows, and what this run learns.
struct Scan<'a> {
    paths: &'a [PathBuf],
    idx: &'a Index,
    cache: &'a Cache,
    rep: &'a Reporter,
    /// Stamps and digests of the files hashed or found unchanged this run.
    known: HashMap<String, Known>,
    read_any: bool,
}

impl Scan<'_> {
    fn known_of(&self, p: &Path) -> Option<&Known> {
        p.to_str().and_then(|p| self.idx.files.get(p))
    }

    fn digest_of(&self, p: &Path) -> Option<(Known, Source)> {
        stat::digest_of(p, MAX_FILE_BYTES, self.known_of(p), self.idx.started)
    }

    /// Records how a file's digest was found; paths that are not UTF-8 are not indexed (they
    /// are read on every run).
    fn note(&mut self, path: &Path, k: &Known, how: Source) {
        self.cache.note("stat", how == Source::Index);
        self.read_any |= how == Source::Read;
        if let (Some(p), false) = (path.to_str(), k.stamp == Stamp::default()) {
            self.known.insert(p.to_owned(), *k);
        }
    }

    /// Parses the files at `which` into `loaded`.
    fn load(&self, which: &[usize], loaded: &mut [Loaded]) {
        let bar = self.rep.bar("parse", which.len() as u64);
        let parsed = bar.map(which, |&i| load_one(&self.paths[i], Some(self.cache)));
        for (&i, l) in which.iter().zip(parsed) {
            loaded[i] = Some(l);
        }
    }
}

/// Stats every file and reads only those whose stamp changed; returns the files to validate
/// (loaded, or a stub for the sources found clean), and what to remember.
fn prepare(
    paths: &[PathBuf],
    stamps: &[Option<Stamp>],
    cache: &Cache,
    rep: &Reporter,
    index: &mut Index,
) -> Prepared {
    let idx: &Index = index;
    let mut scan = Scan {
        paths,
        idx,
        cache,
        rep,
        known: HashMap::with_capacity(paths.len() * 2),
        read_any: false,
    };
    let items: Vec<(&PathBuf, &Option<Stamp>)> = paths.iter().zip(stamps).collect();
    let read = rep.bar("read", paths.len() as u64).map(&items, |(p, s)| {
        stat::resolve(p, (**s)?, scan.known_of(p), idx.started)
    });
    for (p, r) in paths.iter().zip(&read) {
        if let Some((k, how)) = r {
            scan.note(p, k, *how);
        }
    }
    // A file's summary is found by its bytes (a copy under another name has the same one).
    let by_digest: HashMap<&[u8; 32], usize> =
        (0..).zip(&idx.clean).map(|(i, c)| (&c.digest, i)).collect();
    let summary: Vec<Option<usize>> = read
        .iter()
        .map(|r| {
            r.as_ref()
                .and_then(|(k, _)| by_digest.get(&k.digest).copied())
        })
        .collect();
    // Files without a summary are loaded now: they make the fingerprint of the registry.
    let mut loaded: Vec<Loaded> = std::iter::repeat_with(|| None).take(read.len()).collect();
    let unsummarized: Vec<usize> = (0..read.len()).filter(|&i| summary[i].is_none()).collect();
    scan.load(&unsummarized, &mut loaded);
    let fingerprint = registry_fingerprint(&loaded);
    let clean = clean_marks(&mut scan, &read, &summary, fingerprint);
    let skip = skippable(idx, &summary, &loaded, &clean);
    let rest: Vec<usize> = (0..read.len())
        .filter(|&i| !skip[i] && loaded[i].is_none())
        .collect();
    scan.load(&rest, &mut loaded);
    let text_digests = text_digests(&mut scan, &loaded, &read);
    let mut prep = Prepared {
        files: Vec::with_capacity(read.len()),
        diags: Vec::new(),
        skipped: Vec::new(),
        pending: Vec::new(),
        known: std::mem::take(&mut scan.known),
        read_any: scan.read_any,
    };
    let used = assemble(
        &scan,
        &mut prep,
        loaded,
        &read,
        &skip,
        &text_digests,
        fingerprint,
    );
    if !prep.skipped.is_empty() {
        prep.files.push(stub(idx, &used));
    }
    prep
}

/// The hash of every loaded file that declares entities or may (broken or incomplete ones):
/// a source's clean mark holds only while this is unchanged.
fn registry_fingerprint(loaded: &[Loaded]) -> [u8; 32] {
    let mut fp = Sha256::new();
    for (f, _) in loaded.iter().flatten() {
        if !f.entities.is_empty() || !f.broken_ids.is_empty() || !f.complete {
            fp.update(f.path.to_string_lossy().as_bytes());
            fp.update([0]);
            fp.update(f.text.as_bytes());
            fp.update([0]);
        }
    }
    fp.finalize().into()
}

/// Which summarized sources are still clean: their clean mark matches their bytes, the
/// registry's fingerprint and their text's bytes.
fn clean_marks(
    scan: &mut Scan,
    read: &[Option<(Known, Source)>],
    summary: &[Option<usize>],
    fingerprint: [u8; 32],
) -> Vec<bool> {
    let idx = scan.idx;
    let by_path: HashMap<&OsStr, usize> = (0..)
        .zip(&idx.clean)
        .map(|(i, c)| (c.path.as_os_str(), i))
        .collect();
    let summarized: Vec<usize> = (0..read.len()).filter(|&i| summary[i].is_some()).collect();
    let texts = scan
        .rep
        .bar("compare", summarized.len() as u64)
        .map(&summarized, |&i| {
            let (k, _) = read[i].as_ref()?;
            let mark = &idx.clean[*by_path.get(scan.paths[i].as_os_str())?];
            if mark.digest != k.digest || mark.fingerprint != fingerprint {
                return None;
            }
            let text = mark.text_path();
            let (t, how) = scan.digest_of(&text)?;
            Some((text, t, how, t.digest == mark.text_digest))
        });
    let mut clean = vec![false; read.len()];
    for (&i, t) in summarized.iter().zip(&texts) {
        if let Some((path, k, how, ok)) = t {
            scan.note(path, k, *how);
            clean[i] = *ok;
        }
        scan.cache.note("clean", clean[i]);
    }
    clean
}

/// The clean sources whose ids are declared nowhere else: ids declared in more than one file
/// take part in cross-file rules, so those are validated for real.
fn skippable(
    idx: &Index,
    summary: &[Option<usize>],
    loaded: &[Loaded],
    clean: &[bool],
) -> Vec<bool> {
    let mut ids: HashMap<(bool, &str), usize> = HashMap::new();
    for (s, l) in summary.iter().zip(loaded) {
        if let Some(s) = s {
            let s = &idx.clean[*s].summary;
            *ids.entry((true, &s.source_id)).or_default() += 1;
            for q in &s.quotation_ids {
                *ids.entry((false, q)).or_default() += 1;
            }
        } else if let Some((f, _)) = l {
            if let Some(s) = &f.source {
                *ids.entry((true, &s.id)).or_default() += 1;
            }
            for (_, q) in &f.quotations {
                *ids.entry((false, &q.id)).or_default() += 1;
            }
        }
    }
    let unique = |s: &Summary| {
        ids.get(&(true, s.source_id.as_str())) == Some(&1)
            && s.quotation_ids
                .iter()
                .all(|q| ids.get(&(false, q.as_str())) == Some(&1))
    };
    (0..clean.len())
        .map(|i| clean[i] && summary[i].is_some_and(|s| unique(&idx.clean[s].summary)))
        .collect()
}

/// The digests of the texts of the files that may come out clean, stamped before validation
/// reads them.
fn text_digests(
    scan: &mut Scan,
    loaded: &[Loaded],
    read: &[Option<(Known, Source)>],
) -> HashMap<usize, [u8; 32]> {
    let candidates: Vec<usize> = (0..read.len())
        .filter(|&i| {
            let (Some((f, d)), Some((k, _))) = (&loaded[i], &read[i]) else {
                return false;
            };
            // The file validated is the one hashed (not rewritten since).
            plain(f) && d.is_empty() && digest(f.text.as_bytes()) == k.digest
        })
        .collect();
    let texts = scan
        .rep
        .bar("hash", candidates.len() as u64)
        .map(&candidates, |&i| {
            let (f, _) = loaded[i].as_ref()?;
            let text = text_path(&f.path, &f.source.as_ref()?.text);
            let (k, how) = scan.digest_of(&text)?;
            Some((text, k, how))
        });
    let mut out = HashMap::new();
    for (&i, t) in candidates.iter().zip(texts) {
        if let Some((path, k, how)) = t {
            scan.note(&path, &k, how);
            out.insert(i, k.digest);
        }
    }
    out
}

/// Fills `prep` with the files to validate and what to remember of them; returns which
/// registry names the skipped sources use.
fn assemble(
    scan: &Scan,
    prep: &mut Prepared,
    loaded: Vec<Loaded>,
    read: &[Option<(Known, Source)>],
    skip: &[bool],
    text_digests: &HashMap<usize, [u8; 32]>,
    fingerprint: [u8; 32],
) -> Vec<bool> {
    let (idx, cache) = (scan.idx, scan.cache);
    let by_path: HashMap<&OsStr, usize> = (0..)
        .zip(&idx.clean)
        .map(|(i, c)| (c.path.as_os_str(), i))
        .collect();
    let mut used = vec![false; idx.names.len()];
    for (i, l) in loaded.into_iter().enumerate() {
        if let (true, Some((k, _))) = (skip[i], &read[i]) {
            // Keep its parse through the sweep: it is needed again if the registry changes.
            cache.touch(batch::KIND, &cache.key(batch::KIND, &[&k.digest]));
            let s = by_path[scan.paths[i].as_os_str()];
            for &r in &idx.clean[s].summary.references {
                used[r as usize] = true;
            }
            prep.skipped.push(s);
            continue;
        }
        let Some((f, mut d)) = l else {
            continue;
        };
        if let (Some(&text_digest), Some((k, _)), Some(s)) =
            (text_digests.get(&i), &read[i], f.source.as_ref())
        {
            // Only the set of ids counts (it joins the stub's union).
            let mut references: Vec<String> = f.references().map(str::to_owned).collect();
            references.sort_unstable();
            references.dedup();
            prep.pending.push(Pending {
                path: f.path.clone(),
                digest: k.digest,
                text_digest,
                text: s.text.clone(),
                source_id: s.id.clone(),
                quotation_ids: f.quotations.iter().map(|(_, q)| q.id.clone()).collect(),
                references,
                statements: f.statements.len(),
                quotations: f.quotations.len(),
                fingerprint,
            });
        }
        prep.files.push(f);
        prep.diags.append(&mut d);
    }
    used
}

/// The skipped sources enter validation as one stub holding the entity ids they use. No text
/// and no path: nothing is ever reported in a clean file with unique ids.
fn stub(idx: &Index, used: &[bool]) -> LoadedFile {
    let mut stub = LoadedFile::default();
    stub.has_source_block = true;
    stub.complete = true;
    stub.broken_refs = (0..)
        .zip(&idx.names)
        .filter(|(i, _)| used[*i])
        .map(|(_, n)| n.clone())
        .collect();
    stub
}

/// Whether a file can be skipped once clean: a valid source, nothing declared, nothing broken.
fn plain(f: &LoadedFile) -> bool {
    f.source.is_some()
        && f.entities.is_empty()
        && f.broken_ids.is_empty()
        && f.broken_refs.is_empty()
        && f.complete
}

/// The files validated for real that came out without any diagnostic, whose source entered
/// the corpus with every statement and quotation, from the text hashed before validation.
fn remember(checked: &super::Checked, pending: Vec<Pending>, index: &mut Index) -> Vec<Clean> {
    let noisy: HashSet<&Path> = checked
        .diagnostics
        .iter()
        .map(|d| d.file.as_path())
        .collect();
    let mut marked = Vec::new();
    for p in pending {
        let Some(sf) = checked.corpus.sources.get(&p.source_id) else {
            continue;
        };
        let whole = sf.fact_file == p.path
            && sf.text_path == text_path(&p.path, &p.text)
            && sf.statements.len() == p.statements
            && sf.quotations.len() == p.quotations
            && !noisy.contains(p.path.as_path())
            && !noisy.contains(sf.text_path.as_path())
            && digest(sf.text.as_bytes()) == p.text_digest;
        if !whole {
            continue;
        }
        let references = p.references.iter().map(|r| index.intern(r)).collect();
        marked.push(Clean {
            path: p.path,
            digest: p.digest,
            text_digest: p.text_digest,
            fingerprint: p.fingerprint,
            summary: Summary {
                text: p.text,
                source_id: p.source_id,
                quotation_ids: p.quotation_ids,
                references,
                statements: p.statements,
                quotations: p.quotations,
            },
        });
    }
    marked
}
