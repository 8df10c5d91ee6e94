//! The check index: everything an incremental `check` keeps between runs, in one cache entry
//! read and written in one go — the stat index of every fact file and source text
//! ([`crate::cache::stat`]), and, for each source file that validated clean, what the
//! cross-file rules need of it (a [`Summary`]) with what its clean mark depends on.
//!
//! The entry is checksummed and written atomically like every cache entry, in a compact binary
//! layout (read in tens of milliseconds for 10,000 sources); one that does not decode whole is
//! rejected and rebuilt.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::cache::stat::{Known, Stamp};
use crate::cache::{Cache, Key};

/// Cache kind of the check index.
pub const KIND: &str = "index";

/// What a clean source file contributes to the cross-file rules and to the counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Its `source.text` (relative to the fact file).
    pub text: String,
    /// Its source id.
    pub source_id: String,
    /// Its quotations' ids.
    pub quotation_ids: Vec<String>,
    /// The entity ids it uses, as indexes into [`Index::names`].
    pub references: Vec<u32>,
    /// Its statements (all valid).
    pub statements: usize,
    /// Its quotations (all valid).
    pub quotations: usize,
}

/// A source file found clean, and what that depends on besides its own bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clean {
    /// The fact file.
    pub path: PathBuf,
    /// SHA-256 of the fact file.
    pub digest: [u8; 32],
    /// SHA-256 of its source text.
    pub text_digest: [u8; 32],
    /// Fingerprint of every file that declares entities or is broken.
    pub fingerprint: [u8; 32],
    /// What the cross-file rules need of it.
    pub summary: Summary,
}

impl Clean {
    /// Where its source text is.
    pub fn text_path(&self) -> PathBuf {
        text_path(&self.path, &self.summary.text)
    }
}

/// The path of the text `text` named in the fact file `fact`.
pub fn text_path(fact: &Path, text: &str) -> PathBuf {
    fact.parent().unwrap_or(Path::new(".")).join(text)
}

/// The index of one corpus.
#[derive(Debug, Default)]
pub struct Index {
    /// Start of the run that wrote it (ns since the epoch): stamps are settled relative to it.
    pub started: i64,
    /// The stamp and digest of every file hashed, by path (only UTF-8 paths are indexed).
    pub files: HashMap<String, Known>,
    /// Clean source files.
    pub clean: Vec<Clean>,
    /// Interned entity ids.
    pub names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Index {
    /// The entry's key: one index per corpus and salt.
    fn key(cache: &Cache) -> Key {
        cache.key(KIND, &[cache.dir().to_string_lossy().as_bytes()])
    }

    /// The index stored in `cache`, or an empty one when it is absent or rejected.
    pub fn load(cache: &Cache) -> Index {
        let Some(payload) = cache.get(KIND, &Index::key(cache)) else {
            return Index::default();
        };
        match decode(&payload) {
            Some(index) => index,
            None => {
                cache.reject(KIND);
                Index::default()
            }
        }
    }

    /// The id of the interned `name`.
    pub fn intern(&mut self, name: &str) -> u32 {
        if self.ids.len() != self.names.len() {
            self.ids = (0..)
                .zip(&self.names)
                .map(|(i, n)| (n.clone(), i))
                .collect();
        }
        if let Some(&i) = self.ids.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), i);
        i
    }

    /// Stores an index of `files` and `clean` (whose references are into `self.names`), made
    /// by a run that started at `started`. Entries of other salts are swept.
    pub fn save<'a>(
        &self,
        cache: &Cache,
        started: i64,
        files: impl Iterator<Item = (&'a str, &'a Known)>,
        clean: impl Iterator<Item = &'a Clean>,
    ) -> std::io::Result<()> {
        let mut files: Vec<(&str, &Known)> = files.collect();
        files.sort_unstable_by_key(|(p, _)| *p);
        let mut clean: Vec<(&str, &Clean)> =
            clean.filter_map(|c| Some((c.path.to_str()?, c))).collect();
        clean.sort_unstable_by_key(|(p, _)| *p);
        // Names still used, renumbered; fingerprints (one per registry version) stored once.
        let mut renumber: Vec<Option<u32>> = vec![None; self.names.len()];
        let mut names = Vec::new();
        let mut fingerprints: Vec<&[u8; 32]> = Vec::new();
        let mut body = W(Vec::with_capacity(64 * (files.len() + 8 * clean.len())));
        body.u32(clean.len());
        for (path, c) in &clean {
            body.str(path);
            body.0.extend_from_slice(&c.digest);
            body.0.extend_from_slice(&c.text_digest);
            let fp = match fingerprints.iter().position(|f| **f == c.fingerprint) {
                Some(i) => i,
                None => {
                    fingerprints.push(&c.fingerprint);
                    fingerprints.len() - 1
                }
            };
            body.u32(fp);
            let s = &c.summary;
            body.str(&s.text);
            body.str(&s.source_id);
            body.u32(s.quotation_ids.len());
            for q in &s.quotation_ids {
                body.str(q);
            }
            body.u32(s.references.len());
            for &r in &s.references {
                let slot = &mut renumber[r as usize];
                let n = *slot.get_or_insert_with(|| {
                    names.push(self.names[r as usize].as_str());
                    (names.len() - 1) as u32
                });
                body.0.extend_from_slice(&n.to_le_bytes());
            }
            body.u64(s.statements as u64);
            body.u64(s.quotations as u64);
        }
        let mut out = W(Vec::with_capacity(body.0.len() + 100 * files.len()));
        out.0.extend_from_slice(MAGIC);
        out.0.extend_from_slice(&started.to_le_bytes());
        out.u32(files.len());
        for (path, k) in &files {
            out.str(path);
            out.u64(k.stamp.size);
            out.0.extend_from_slice(&k.stamp.mtime.to_le_bytes());
            out.0.extend_from_slice(&k.stamp.ctime.to_le_bytes());
            out.u64(k.stamp.ino);
            out.0.extend_from_slice(&k.digest);
        }
        out.u32(names.len());
        for n in &names {
            out.str(n);
        }
        out.u32(fingerprints.len());
        for f in &fingerprints {
            out.0.extend_from_slice(*f);
        }
        out.0.extend_from_slice(&body.0);
        cache.put(KIND, &Index::key(cache), &out.0)?;
        cache.sweep(KIND).map(|_| ())
    }
}

/// Opens the payload (the version of its layout).
const MAGIC: &[u8; 8] = b"COALIDX1";

/// Little-endian writer; lengths as `u32`, strings length-prefixed.
struct W(Vec<u8>);

impl W {
    fn u32(&mut self, n: usize) {
        self.0
            .extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    }
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Reader over a payload: every read is bounds-checked, so damage ends in `None`.
struct R<'a>(&'a [u8]);

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.array().map(i64::from_le_bytes)
    }
    /// A count of items of at least `min` bytes each, no more than the bytes left allow.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min) <= self.0.len()).then_some(n)
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

/// The index in `payload`, if it is whole and well-formed.
fn decode(payload: &[u8]) -> Option<Index> {
    let mut r = R(payload);
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let started = r.i64()?;
    let n = r.count(4 + 32 + 32)?;
    let mut files = HashMap::with_capacity(n);
    for _ in 0..n {
        let path = r.str()?;
        let stamp = Stamp {
            size: r.u64()?,
            mtime: r.i64()?,
            ctime: r.i64()?,
            ino: r.u64()?,
        };
        let digest = r.array()?;
        files.insert(path, Known { stamp, digest });
    }
    let n = r.count(4)?;
    let names = (0..n).map(|_| r.str()).collect::<Option<Vec<_>>>()?;
    let n = r.count(32)?;
    let fingerprints = (0..n)
        .map(|_| r.array())
        .collect::<Option<Vec<[u8; 32]>>>()?;
    let n = r.count(4 + 64 + 4 + 12 + 16)?;
    let mut clean = Vec::with_capacity(n);
    for _ in 0..n {
        let path = PathBuf::from(r.str()?);
        let digest = r.array()?;
        let text_digest = r.array()?;
        let fingerprint = *fingerprints.get(r.u32()? as usize)?;
        let text = r.str()?;
        let source_id = r.str()?;
        let q = r.count(4)?;
        let quotation_ids = (0..q).map(|_| r.str()).collect::<Option<Vec<_>>>()?;
        let q = r.count(4)?;
        let references = (0..q)
            .map(|_| r.u32().filter(|&i| (i as usize) < names.len()))
            .collect::<Option<Vec<_>>>()?;
        let statements = usize::try_from(r.u64()?).ok()?;
        let quotations = usize::try_from(r.u64()?).ok()?;
        clean.push(Clean {
            path,
            digest,
            text_digest,
            fingerprint,
            summary: Summary {
                text,
                source_id,
                quotation_ids,
                references,
                statements,
                quotations,
            },
        });
    }
    // Trailing bytes mean another layout: reject.
    r.0.is_empty().then_some(Index {
        started,
        files,
        clean,
        names,
        ids: HashMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::digest;

    fn sample(index: &mut Index) -> Clean {
        let refs = vec![index.intern("acme"), index.intern("jane-doe")];
        Clean {
            path: PathBuf::from("c/sources/a.yaml"),
            digest: digest(b"a"),
            text_digest: digest(b"text"),
            fingerprint: digest(b"registry"),
            summary: Summary {
                text: "a.txt".into(),
                source_id: "a".into(),
                quotation_ids: vec!["a-q1".into()],
                references: refs,
                statements: 3,
                quotations: 1,
            },
        }
    }

    /// An index survives a round trip; unused names are dropped; a damaged or foreign index is
    /// rejected and counted, never trusted.
    #[test]
    fn round_trip_and_rejection() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::open(tmp.path(), Path::new("."));
        assert!(Index::load(&cache).clean.is_empty());
        let mut index = Index::default();
        index.intern("unused");
        let clean = sample(&mut index);
        let known = Known {
            stamp: Stamp {
                size: 1,
                mtime: 2,
                ctime: 3,
                ino: 4,
            },
            digest: digest(b"a"),
        };
        let files = [("c/sources/a.yaml", known)];
        let it = files.iter().map(|(p, k)| (*p, k));
        index.save(&cache, 42, it, std::iter::once(&clean)).unwrap();
        let back = Index::load(&cache);
        assert_eq!(back.started, 42);
        assert_eq!(back.files["c/sources/a.yaml"], known);
        assert_eq!(back.names, ["acme", "jane-doe"]);
        assert_eq!(back.clean.len(), 1);
        let c = &back.clean[0];
        assert_eq!((c.digest, c.text_digest), (clean.digest, clean.text_digest));
        assert_eq!(c.summary.references, [0, 1]);
        assert_eq!(c.text_path(), Path::new("c/sources/a.txt"));

        // Every strict prefix of the payload, trailing bytes, a dangling reference: rejected
        // (no panic), whatever the damage.
        let key = Index::key(&cache);
        let payload = cache.get(KIND, &key).unwrap();
        assert!(decode(&payload).is_some());
        for n in 0..payload.len() {
            assert!(decode(&payload[..n]).is_none(), "prefix of {n} bytes");
        }
        let mut longer = payload.clone();
        longer.push(0);
        let mut dangling = payload.clone();
        // The last reference, before the two counts.
        let at = dangling.len() - 16 - 4;
        dangling[at..at + 4].copy_from_slice(&7u32.to_le_bytes());
        let mut foreign = payload.clone();
        foreign[7] = b'9';
        for bad in [b"not an index".to_vec(), longer, dangling, foreign] {
            cache.put(KIND, &key, &bad).unwrap();
            let index = Index::load(&cache);
            assert!(index.files.is_empty() && index.clean.is_empty());
        }
        assert_eq!(cache.stats()[KIND].rejected, 4);
        // Truncated on disk: the checksum rejects it.
        cache.put(KIND, &key, &payload).unwrap();
        assert_eq!(Index::load(&cache).clean.len(), 1);
        let path = cache.dir().join(KIND).join(key.hex());
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Index::load(&cache).clean.is_empty());
        assert_eq!(cache.stats()[KIND].rejected, 5);
    }
}
