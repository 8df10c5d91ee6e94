//! The check index: everything an incremental `check` keeps between runs, in one cache entry
//! read and written in one go — the stat index of every fact file and source text
//! ([`crate::cache::stat`]), and, for each source file that validated clean, what the
//! cross-file rules need of it (a [`Summary`]) with what its clean mark depends on.
//!
//! The entry is checksummed and written atomically like every cache entry; one that does not
//! decode, or holds a malformed digest, is rejected as a whole and rebuilt.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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
    /// The stamp and digest of every file hashed.
    pub files: HashMap<PathBuf, Known>,
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
        match serde_json::from_slice::<Wire>(&payload)
            .ok()
            .and_then(Wire::decode)
        {
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
        files: impl Iterator<Item = (&'a Path, &'a Known)>,
        clean: impl Iterator<Item = &'a Clean>,
    ) -> std::io::Result<()> {
        let mut wire = Wire {
            started,
            ..Wire::default()
        };
        let mut renumber: Vec<Option<u32>> = vec![None; self.names.len()];
        for (path, k) in files {
            // Paths that are not UTF-8 are not indexed: they are hashed on every run.
            if let Some(p) = path.to_str() {
                wire.files.push(WireFile {
                    path: p.to_owned(),
                    stamp: k.stamp,
                    digest: hex(&k.digest),
                });
            }
        }
        for c in clean {
            let Some(path) = c.path.to_str() else {
                continue;
            };
            let mut refs = Vec::with_capacity(c.summary.references.len());
            for &r in &c.summary.references {
                let Some(name) = self.names.get(r as usize) else {
                    continue;
                };
                let slot = &mut renumber[r as usize];
                refs.push(*slot.get_or_insert_with(|| {
                    wire.names.push(name.clone());
                    (wire.names.len() - 1) as u32
                }));
            }
            wire.clean.push(WireClean {
                path: path.to_owned(),
                digest: hex(&c.digest),
                text_digest: hex(&c.text_digest),
                fingerprint: hex(&c.fingerprint),
                text: c.summary.text.clone(),
                source_id: c.summary.source_id.clone(),
                quotation_ids: c.summary.quotation_ids.clone(),
                references: refs,
                statements: c.summary.statements,
                quotations: c.summary.quotations,
            });
        }
        wire.files.sort_by(|a, b| a.path.cmp(&b.path));
        wire.clean.sort_by(|a, b| a.path.cmp(&b.path));
        let payload = serde_json::to_vec(&wire).map_err(std::io::Error::other)?;
        cache.put(KIND, &Index::key(cache), &payload)?;
        cache.sweep(KIND).map(|_| ())
    }
}

/// The stored form: digests in hex, entity ids interned.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    started: i64,
    names: Vec<String>,
    files: Vec<WireFile>,
    clean: Vec<WireClean>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireFile {
    path: String,
    stamp: Stamp,
    digest: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireClean {
    path: String,
    digest: String,
    text_digest: String,
    fingerprint: String,
    text: String,
    source_id: String,
    quotation_ids: Vec<String>,
    references: Vec<u32>,
    statements: usize,
    quotations: usize,
}

impl Wire {
    /// The index, if every digest and reference is well-formed.
    fn decode(self) -> Option<Index> {
        let mut files = HashMap::with_capacity(self.files.len());
        for f in self.files {
            let known = Known {
                stamp: f.stamp,
                digest: unhex(&f.digest)?,
            };
            files.insert(PathBuf::from(f.path), known);
        }
        let mut clean = Vec::with_capacity(self.clean.len());
        for c in self.clean {
            if c.references.iter().any(|&r| r as usize >= self.names.len()) {
                return None;
            }
            clean.push(Clean {
                path: PathBuf::from(c.path),
                digest: unhex(&c.digest)?,
                text_digest: unhex(&c.text_digest)?,
                fingerprint: unhex(&c.fingerprint)?,
                summary: Summary {
                    text: c.text,
                    source_id: c.source_id,
                    quotation_ids: c.quotation_ids,
                    references: c.references,
                    statements: c.statements,
                    quotations: c.quotations,
                },
            });
        }
        Some(Index {
            started: self.started,
            files,
            clean,
            names: self.names,
            ids: HashMap::new(),
        })
    }
}

fn hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        let digit = |c: u8| (c as char).to_digit(16);
        *o = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
    }
    Some(out)
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
        let files = [(PathBuf::from("c/sources/a.yaml"), known)];
        let it = files.iter().map(|(p, k)| (p.as_path(), k));
        index.save(&cache, 42, it, std::iter::once(&clean)).unwrap();
        let back = Index::load(&cache);
        assert_eq!(back.started, 42);
        assert_eq!(back.files[Path::new("c/sources/a.yaml")], known);
        assert_eq!(back.names, ["acme", "jane-doe"]);
        assert_eq!(back.clean.len(), 1);
        let c = &back.clean[0];
        assert_eq!((c.digest, c.text_digest), (clean.digest, clean.text_digest));
        assert_eq!(c.summary.references, [0, 1]);
        assert_eq!(c.text_path(), Path::new("c/sources/a.txt"));

        // A checksummed entry whose payload is not an index, or has a malformed digest or a
        // dangling reference: rejected.
        let key = Index::key(&cache);
        let bad_digest = serde_json::json!({"started": 1, "names": [], "clean": [],
            "files": [{"path": "a", "stamp": known.stamp, "digest": "zz"}]});
        let dangling = serde_json::json!({"started": 1, "names": [], "files": [],
            "clean": [{"path": "a", "digest": hex(&clean.digest),
            "text_digest": hex(&clean.digest), "fingerprint": hex(&clean.digest), "text": "a.txt",
            "source_id": "a", "quotation_ids": [], "references": [0], "statements": 0,
            "quotations": 0}]});
        for payload in [
            b"not json".to_vec(),
            bad_digest.to_string().into_bytes(),
            dangling.to_string().into_bytes(),
        ] {
            cache.put(KIND, &key, &payload).unwrap();
            let index = Index::load(&cache);
            assert!(index.files.is_empty() && index.clean.is_empty());
        }
        assert_eq!(cache.stats()[KIND].rejected, 3);
        // Truncated on disk: the checksum rejects it.
        let path = cache.dir().join(KIND).join(key.hex());
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Index::load(&cache).clean.is_empty());
        assert_eq!(cache.stats()[KIND].rejected, 4);
    }

    #[test]
    fn hex_round_trip() {
        let d = digest(b"x");
        assert_eq!(unhex(&hex(&d)), Some(d));
        assert_eq!(unhex("00"), None);
        assert_eq!(unhex(&"g".repeat(64)), None);
    }
}
