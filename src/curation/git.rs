//! Checks out the facts folder as it was at a git revision, into a temporary folder, with plain
//! `git` plumbing (`rev-parse`, `ls-tree`, `cat-file`), so `diff REV` can run the checker on it.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use super::error::CurationError;

/// The facts folder at a revision, in a temporary folder removed on drop.
#[derive(Debug)]
pub struct Export {
    /// Keeps the folder alive.
    _dir: tempfile::TempDir,
    /// The facts folder inside it.
    pub facts: PathBuf,
    /// The full commit id the revision named.
    pub commit: String,
}

fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>, CurationError> {
    let out = Command::new("git")
        .current_dir(cwd)
        .args(args)
        .output()
        .map_err(|e| CurationError::Git {
            command: args.first().copied().unwrap_or_default().into(),
            message: format!("cannot run git: {e}"),
        })?;
    if !out.status.success() {
        return Err(CurationError::Git {
            command: args.iter().take(2).copied().collect::<Vec<_>>().join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

fn line(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// Writes the files of `facts` (a folder inside a git work tree) as of `rev` into a temp folder.
pub fn export(facts: &Path, rev: &str) -> Result<Export, CurationError> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err(CurationError::Invalid(format!("`{rev}` is not a revision")));
    }
    if !facts.is_dir() {
        return Err(CurationError::io(
            facts,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        ));
    }
    let top = PathBuf::from(line(git(facts, &["rev-parse", "--show-toplevel"])?));
    let prefix = line(git(facts, &["rev-parse", "--show-prefix"])?);
    let commit = line(
        git(
            facts,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|_| CurationError::Git {
            command: "rev-parse".into(),
            message: format!("unknown revision `{rev}`"),
        })?,
    );
    let mut args = vec!["ls-tree", "-r", "-z", commit.as_str()];
    if !prefix.is_empty() {
        args.extend(["--", prefix.as_str()]);
    }
    let listing = git(&top, &args)?;
    let dir = tempfile::tempdir().map_err(|e| CurationError::io(&std::env::temp_dir(), e))?;
    let mut files = 0;
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        // `<mode> <type> <object>\t<path>`; submodules and symbolic links are skipped.
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let meta: Vec<&str> = meta.split(' ').collect();
        let [mode, "blob", object] = meta[..] else {
            continue;
        };
        let rel = Path::new(path);
        if mode == "120000" || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            continue;
        }
        let bytes = git(&top, &["cat-file", "blob", object])?;
        let dest = dir.path().join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CurationError::io(parent, e))?;
        }
        std::fs::write(&dest, bytes).map_err(|e| CurationError::io(&dest, e))?;
        files += 1;
    }
    if files == 0 {
        return Err(CurationError::Invalid(format!(
            "the facts folder `{}` does not exist at {rev}",
            if prefix.is_empty() {
                "."
            } else {
                prefix.trim_end_matches('/')
            }
        )));
    }
    Ok(Export {
        facts: dir.path().join(&prefix),
        _dir: dir,
        commit,
    })
}
