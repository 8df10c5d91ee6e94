//! A stat index, as git's index: the size, modification and change times and inode of each
//! input file when it was last hashed, so an unchanged file is neither read nor hashed again.
//!
//! A file's recorded digest is trusted only when its stamp is unchanged **and** the stamp is
//! not *racy*: its modification time must be older than the start of the run that recorded it
//! by more than [`MARGIN_NS`]. A file modified twice within one timestamp granule keeps the
//! same stamp; if the first version was hashed in between, only its age tells the two apart
//! (see git's `Documentation/technical/racy-git.txt`). The stamp is taken *before* the file is
//! read, so a write racing the read can only make the next run hash the file again.

use std::fs::{self, Metadata};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::digest;

/// Coarsest timestamp granularity allowed for (FAT's two seconds; also covers the kernel's
/// coarse clock lagging behind the precise one): a file modified less than this long before
/// a run started is hashed again by the next run.
pub const MARGIN_NS: i64 = 2_000_000_000;

/// What `stat` says of a file: changes to any field mean the file may have changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// Length in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i64,
    /// Status-change time (Unix; 0 elsewhere): `touch -d` can set the modification time back,
    /// but not this.
    pub ctime: i64,
    /// Inode number (Unix; 0 elsewhere): a file replaced by another is another inode.
    pub ino: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &Metadata) -> Stamp {
        let mtime = meta.modified().map(ns).unwrap_or(0);
        #[cfg(unix)]
        let (ctime, ino) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (ctime, ino) = (0, 0);
        Stamp {
            size: meta.len(),
            mtime,
            ctime,
            ino,
        }
    }

    /// Whether a file stamped so, in the index of a run that started at `started`, is known
    /// unchanged while its stamp stays the same.
    pub fn settled(&self, started: i64) -> bool {
        self.mtime < started.saturating_sub(MARGIN_NS)
            && (self.ctime == 0 || self.ctime < started.saturating_sub(MARGIN_NS))
    }
}

/// Nanoseconds since the Unix epoch (negative before it).
pub fn ns(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// Now, in nanoseconds since the Unix epoch.
pub fn now() -> i64 {
    ns(SystemTime::now())
}

/// A digest known from an earlier run: the file's stamp then, and its SHA-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known {
    /// The stamp taken before the file was read.
    pub stamp: Stamp,
    /// The SHA-256 of its bytes.
    pub digest: [u8; 32],
}

/// How a file's digest was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// From the index: stamp unchanged and settled.
    Index,
    /// Read and hashed.
    Read,
}

/// The stamp of the regular file at `path` if it is no larger than `max` bytes. `None` when
/// it cannot be read, is not a regular file, or is too large: callers leave such files to the
/// loader, which reports them.
pub fn stamp(path: &Path, max: u64) -> Option<Stamp> {
    let meta = fs::metadata(path).ok()?;
    (meta.is_file() && meta.len() <= max).then(|| Stamp::of(&meta))
}

/// The digest of the file at `path` stamped `stamp` (taken before this call), trusting `known`
/// (recorded by a run that started at `started`) when the stamp allows it, else reading it.
pub fn resolve(
    path: &Path,
    stamp: Stamp,
    known: Option<&Known>,
    started: i64,
) -> Option<(Known, Source)> {
    if let Some(k) = known {
        if k.stamp == stamp && stamp.settled(started) {
            return Some((*k, Source::Index));
        }
    }
    let bytes = fs::read(path).ok()?;
    // A file that grew or shrank since `stat` is being written: hash it again next time.
    let stamp = if bytes.len() as u64 == stamp.size {
        stamp
    } else {
        Stamp::default()
    };
    Some((
        Known {
            stamp,
            digest: digest(&bytes),
        },
        Source::Read,
    ))
}

/// [`stamp`] then [`resolve`].
pub fn digest_of(
    path: &Path,
    max: u64,
    known: Option<&Known>,
    started: i64,
) -> Option<(Known, Source)> {
    resolve(path, stamp(path, max)?, known, started)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A file rewritten with the same size within one timestamp granule keeps its stamp: the
    /// index must not trust it when the stamp is not older than the indexing run by the margin.
    #[test]
    fn racy_stamps_are_hashed_again_settled_ones_are_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.yaml");
        fs::write(&path, "version: 1\n").unwrap();
        let (first, how) = digest_of(&path, u64::MAX, None, now()).unwrap();
        assert_eq!(how, Source::Read);
        assert_eq!(first.digest, digest(b"version: 1\n"));
        // The same stamp, but a digest of other bytes: what a same-granule rewrite looks like.
        let stale = Known {
            stamp: first.stamp,
            digest: digest(b"version: 0\n"),
        };
        // Recorded by a run that started right after the write: racy, so read again.
        let racy = first.stamp.mtime.max(first.stamp.ctime) + 1;
        let (k, how) = digest_of(&path, u64::MAX, Some(&stale), racy).unwrap();
        assert_eq!((how, k.digest), (Source::Read, first.digest));
        let edge = first.stamp.mtime.max(first.stamp.ctime) + MARGIN_NS;
        assert_eq!(
            digest_of(&path, u64::MAX, Some(&stale), edge).unwrap().1,
            Source::Read
        );
        // Recorded well after the write: trusted without reading.
        let settled = edge + 1;
        let (k, how) = digest_of(&path, u64::MAX, Some(&stale), settled).unwrap();
        assert_eq!((how, k.digest), (Source::Index, stale.digest));
        // Any other stamp (here: the modification time set back by a second) is read again.
        let f = fs::File::options().write(true).open(&path).unwrap();
        let back = f.metadata().unwrap().modified().unwrap() - Duration::from_secs(1);
        f.set_modified(back).unwrap();
        drop(f);
        let (k, how) = digest_of(&path, u64::MAX, Some(&stale), settled + MARGIN_NS).unwrap();
        assert_eq!((how, k.digest), (Source::Read, first.digest));
        // Too large, missing or a folder: left to the loader.
        assert!(digest_of(&path, 3, None, now()).is_none());
        assert!(digest_of(&tmp.path().join("none"), u64::MAX, None, now()).is_none());
        assert!(digest_of(tmp.path(), u64::MAX, None, now()).is_none());
    }

    #[test]
    fn nanoseconds_around_the_epoch() {
        assert_eq!(ns(UNIX_EPOCH + Duration::from_nanos(5)), 5);
        assert_eq!(ns(UNIX_EPOCH - Duration::from_nanos(5)), -5);
    }
}
