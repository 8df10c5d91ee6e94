//! A disposable, content-addressed cache of per-file work (parsed fact files, per-source quads),
//! so that a re-run redoes only what changed.
//!
//! Layout: `<root>/<corpus>/<kind>/<key>`, where `<root>` is `.coalition-cache/` in the working
//! directory unless told otherwise, `<corpus>` a hash of the facts folder's canonical path, and
//! `<key>` the SHA-256 of a salt and of the inputs' bytes. The salt covers the crate version, the
//! entry format and the running executable (size and modification time), so a rebuilt binary
//! (whose fact-file schema may differ) never trusts entries written by another one. The cache is a
//! leaf: bytes in, bytes out, keyed by content; what an entry means is its caller's business.
//!
//! Entries are never trusted blindly: each starts with a header holding the key, the payload's
//! length and its SHA-256; any mismatch (or a payload that fails to decode, for the caller) is a
//! miss, and the entry is rewritten. Writes go to a temp file renamed into place, so a run killed
//! at any point leaves only whole entries. Deleting the folder is always safe.

pub mod stat;

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

/// Default cache folder, relative to the working directory (git-ignored).
pub const DEFAULT_DIR: &str = ".coalition-cache";

/// Bumped whenever the entry layout or the meaning of a payload changes.
const FORMAT: &str = "coalition-cache-1";

/// Magic bytes opening every entry.
const MAGIC: &[u8; 8] = b"COALCCH1";

/// Header: magic, key, payload length, payload SHA-256.
const HEADER: usize = 8 + 32 + 8 + 32;

/// The SHA-256 of `bytes`: hash a large input once, then key entries on its digest.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A cache key: SHA-256 of the salt, the entry kind and the inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key([u8; 32]);

impl Key {
    /// Lowercase hex, as used for file names.
    pub fn hex(&self) -> String {
        hex(&self.0)
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Hits, misses and rejected (corrupt or foreign) entries of one run, for one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Entries found valid.
    pub hits: u64,
    /// Entries absent.
    pub misses: u64,
    /// Entries present but rejected (bad header, length, checksum or payload).
    pub rejected: u64,
}

/// The cache of one facts folder.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    salt: [u8; 32],
    used: Mutex<HashSet<(String, Key)>>,
    stats: Mutex<BTreeMap<String, Stats>>,
}

impl Cache {
    /// The cache of the corpus in `facts` under `root` (created on first write).
    pub fn open(root: &Path, facts: &Path) -> Cache {
        let canonical = fs::canonicalize(facts).unwrap_or_else(|_| facts.to_path_buf());
        let corpus = Sha256::digest(canonical.to_string_lossy().as_bytes());
        let mut salt = Sha256::new();
        salt.update(FORMAT);
        salt.update(env!("CARGO_PKG_VERSION"));
        if let Ok(meta) = std::env::current_exe().and_then(fs::metadata) {
            salt.update(meta.len().to_le_bytes());
            if let Ok(t) = meta.modified().map(|t| t.duration_since(UNIX_EPOCH)) {
                salt.update(format!("{t:?}"));
            }
        }
        Cache {
            dir: root.join(hex(&corpus[..8])),
            salt: salt.finalize().into(),
            used: Mutex::new(HashSet::new()),
            stats: Mutex::new(BTreeMap::new()),
        }
    }

    /// The folder of this corpus's entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of an entry of `kind` made from `parts` (each length-prefixed, so that
    /// `["ab", "c"]` and `["a", "bc"]` differ).
    pub fn key(&self, kind: &str, parts: &[&[u8]]) -> Key {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(kind);
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        Key(h.finalize().into())
    }

    fn path(&self, kind: &str, key: &Key) -> PathBuf {
        self.dir.join(kind).join(key.hex())
    }

    /// The counters of each kind, for `-v` and the tests.
    pub fn stats(&self) -> BTreeMap<String, Stats> {
        self.stats.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn count(&self, kind: &str, f: impl FnOnce(&mut Stats)) {
        let mut stats = self.stats.lock().unwrap_or_else(|e| e.into_inner());
        f(stats.entry(kind.to_string()).or_default());
    }

    /// Keeps the entry under `key` through [`Cache::sweep`] without reading it.
    pub fn touch(&self, kind: &str, key: &Key) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((kind.to_string(), *key));
    }

    /// The payload stored under `key`, if present and intact. Marks the key as used either way,
    /// so that [`Cache::sweep`] keeps what the caller is about to write.
    pub fn get(&self, kind: &str, key: &Key) -> Option<Vec<u8>> {
        self.touch(kind, key);
        let bytes = match fs::read(self.path(kind, key)) {
            Ok(b) => b,
            Err(_) => {
                self.count(kind, |s| s.misses += 1);
                return None;
            }
        };
        match unwrap_entry(&bytes, key) {
            Some(payload) => {
                self.count(kind, |s| s.hits += 1);
                Some(payload.to_vec())
            }
            None => {
                self.count(kind, |s| s.rejected += 1);
                None
            }
        }
    }

    /// Counts a hit (`true`) or a miss of `kind`, for lookups the caller makes itself (in an
    /// index read as one entry).
    pub fn note(&self, kind: &str, hit: bool) {
        self.count(kind, |s| if hit { s.hits += 1 } else { s.misses += 1 });
    }

    /// Counts an entry of `kind` the caller found present but could not decode.
    pub fn reject(&self, kind: &str) {
        self.count(kind, |s| {
            s.hits = s.hits.saturating_sub(1);
            s.rejected += 1;
        });
    }

    /// Stores `payload` under `key`, atomically (`tempfile`'s temp file, then rename). Failures
    /// are returned for logging only: a cache that cannot be written just makes the next run
    /// slower.
    pub fn put(&self, kind: &str, key: &Key, payload: &[u8]) -> io::Result<()> {
        self.touch(kind, key);
        let dest = self.path(kind, key);
        let folder = self.dir.join(kind);
        let mut bytes = Vec::with_capacity(HEADER + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&key.0);
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&Sha256::digest(payload));
        bytes.extend_from_slice(payload);
        let mut tmp = match NamedTempFile::new_in(&folder) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(&folder)?;
                NamedTempFile::new_in(&folder)?
            }
            made => made?,
        };
        tmp.write_all(&bytes)?;
        tmp.persist(&dest).map(drop).map_err(|e| e.error)
    }

    /// Removes the entries of `kind` this run did not ask for (they belong to older versions of
    /// the files) and leftover temp files. Call only after a run that looked at every file.
    pub fn sweep(&self, kind: &str) -> io::Result<usize> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let keep: HashSet<String> = used
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, key)| key.hex())
            .collect();
        let mut removed = 0;
        let entries = match fs::read_dir(self.dir.join(kind)) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// The payload of an entry, if its header matches `key` and its checksum.
fn unwrap_entry<'a>(bytes: &'a [u8], key: &Key) -> Option<&'a [u8]> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC || bytes[8..40] != key.0 {
        return None;
    }
    let len = u64::from_le_bytes(bytes[40..48].try_into().ok()?);
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len || Sha256::digest(payload).as_slice() != &bytes[48..HEADER] {
        return None;
    }
    Some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_corruption_and_sweep() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::open(tmp.path(), Path::new("."));
        assert_eq!(hex(&[0x0f, 0xa0, 0x5b]), "0fa05b");
        let a = cache.key("load", &[b"ab", b"c"]);
        assert_ne!(a, cache.key("load", &[b"a", b"bc"]));
        assert_ne!(a, cache.key("quads", &[b"ab", b"c"]));
        assert_eq!(cache.get("load", &a), None);
        cache.put("load", &a, b"payload").unwrap();
        assert_eq!(cache.get("load", &a).as_deref(), Some(&b"payload"[..]));
        // Flip one payload byte: the checksum rejects it.
        let path = cache.path("load", &a);
        let mut bytes = fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(cache.get("load", &a), None);
        // Truncated, or stored under another key: rejected too.
        fs::write(&path, &bytes[..HEADER - 1]).unwrap();
        assert_eq!(cache.get("load", &a), None);
        let b = cache.key("load", &[b"other"]);
        fs::copy(&path, cache.path("load", &b)).unwrap();
        assert_eq!(cache.get("load", &b), None);
        assert_eq!(cache.stats()["load"].rejected, 3);
        // A fresh run that only asks for `a` sweeps `b`.
        let cache = Cache::open(tmp.path(), Path::new("."));
        cache.put("load", &a, b"payload").unwrap();
        assert!(cache.get("load", &a).is_some());
        assert_eq!(cache.sweep("load").unwrap(), 1);
        assert!(cache.path("load", &a).exists());
        assert!(!cache.path("load", &b).exists());
    }
}
