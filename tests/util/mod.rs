//! Shared helpers of the integration tests: run the real binary in a temp dir, find external
//! checkers (Graphviz, Python packages), compare with golden files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command running the real `coalition` binary, in `dir`. Run inside the checkout (fixture
/// folders), its cache goes under `target/` so that tests leave the checkout as it was.
pub fn coalition(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coalition"));
    c.current_dir(dir);
    let inside = |r: PathBuf| dir.canonicalize().is_ok_and(|d| d.starts_with(r));
    if root().canonicalize().is_ok_and(inside) {
        c.env(
            "COALITION_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"),
        );
    }
    c
}

/// Runs `coalition args…` in `dir` and returns its output.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    coalition(dir).args(args).output().expect("the binary runs")
}

/// A temp dir holding a copy of `seeds/` (as `seeds/`), for mutation tests.
pub fn seed_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("seeds"), &tmp.path().join("seeds"));
    tmp
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Whether we run in CI, where every external checker must be present.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Returns true when `program` can be run. Outside CI a missing program skips the test with a
/// clear message; under CI=true it fails the test.
pub fn require_program(program: &str, probe_args: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(probe_args)
        .output()
        .is_ok_and(|o| o.status.success());
    skip_or_fail(ok, program)
}

/// Returns true when `python3 -c "import MODULE"` works (same CI rule as [`require_program`]).
pub fn require_python_module(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    skip_or_fail(ok, &format!("python3 module {module}"))
}

fn skip_or_fail(ok: bool, what: &str) -> bool {
    if !ok {
        if in_ci() {
            panic!("{what} is required in CI (install it in .ci/run)");
        }
        eprintln!("SKIPPED: {what} is not installed here (this test fails under CI=true)");
    }
    ok
}

/// Compares `actual` with the golden file at `path`; `UPDATE_GOLDEN=1` rewrites it instead.
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (run with UPDATE_GOLDEN=1)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from golden file {}\n--- expected\n{expected}\n--- actual\n{actual}\n(run with UPDATE_GOLDEN=1 to accept)",
            path.display()
        );
    }
}

/// Output of a command as UTF-8 text (stdout, stderr).
pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The seed's source fact file, relative to a [`seed_copy`].
pub const SEED_FACTS: &str = "seeds/sources/afp-2018-05-rekognition-letter.yaml";

/// A copy of the seed whose file `rel` has the first `from` replaced by `to` (which must occur).
pub fn edited_seed(rel: &str, from: &str, to: &str) -> tempfile::TempDir {
    let tmp = seed_copy();
    let f = tmp.path().join(rel);
    let s = std::fs::read_to_string(&f).unwrap();
    assert!(s.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(&f, s.replacen(from, to, 1)).unwrap();
    tmp
}
