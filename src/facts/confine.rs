//! Keeps the files a fact file names inside the facts folder: a source's `text:` path is
//! relative to its fact file and may not leave that file's folder, by `..`, by an absolute path
//! or by a symbolic link.

use std::fs;
use std::path::{Component, Path};

/// `Ok` when the text `name`, relative to the fact file `fact`, stays within `fact`'s folder;
/// otherwise why not. A text that does not exist passes: reading it reports it missing.
pub(crate) fn inside_folder_of(fact: &Path, name: &str) -> Result<(), &'static str> {
    let mut depth = 0usize;
    for c in Path::new(name).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return Err("an absolute path"),
            Component::ParentDir if depth == 0 => return Err("`..` climbs above its folder"),
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
    }
    let folder = fact.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    // Symbolic links are followed to where they lead; a link loop is an error of its own.
    match (
        fs::canonicalize(folder),
        fs::canonicalize(folder.join(name)),
    ) {
        (Ok(root), Ok(target)) if !target.starts_with(&root) => {
            Err("a symbolic link leads elsewhere")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_below_the_folder_only() {
        let tmp = tempfile::tempdir().unwrap();
        let fact = tmp.path().join("sources/a.yaml");
        fs::create_dir_all(tmp.path().join("sources/texts")).unwrap();
        for ok in ["a.txt", "texts/a.txt", "./a.txt", "texts/../a.txt"] {
            assert_eq!(inside_folder_of(&fact, ok), Ok(()), "{ok}");
        }
        for bad in [
            "../a.txt",
            "../../outside.txt",
            "texts/../../a.txt",
            "/etc/passwd",
        ] {
            assert!(inside_folder_of(&fact, bad).is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            fs::write(tmp.path().join("secret.txt"), "x").unwrap();
            std::os::unix::fs::symlink("../secret.txt", tmp.path().join("sources/l.txt")).unwrap();
            assert!(inside_folder_of(&fact, "l.txt").is_err());
            std::os::unix::fs::symlink("texts", tmp.path().join("sources/t")).unwrap();
            fs::write(tmp.path().join("sources/texts/b.txt"), "x").unwrap();
            assert_eq!(inside_folder_of(&fact, "t/b.txt"), Ok(()));
        }
    }
}
