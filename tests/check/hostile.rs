//! Hostile and broken input: every case must end in a clear diagnostic and the right exit code,
//! never a panic. How fast and how small the refusals are is measured by
//! `benches/hostile-input.sh` (see `docs/BENCHMARKS.md`), not by timed tests.

use std::fs;
use std::path::Path;

use coalition::facts::{self, diagnostic};

use crate::util::{copy_dir, root, run, text};

const HUNDRED_MB: u64 = 100 * 1024 * 1024;

/// A temp dir holding a copy of a fixture's `facts/` folder.
fn fixture_copy(case: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/check").join(case).join("facts"),
        &tmp.path().join("facts"),
    );
    tmp
}

/// A file of `len` bytes that starts like a fact file; the rest is a hole (sparse, no disk used).
fn sparse_file(path: &Path, head: &[u8], len: u64) {
    fs::write(path, head).unwrap();
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

#[test]
fn huge_fact_file_is_refused_unread() {
    let tmp = fixture_copy("ok-baseline");
    sparse_file(
        &tmp.path().join("facts/huge.yaml"),
        b"entities:\n  - id: x\n",
        HUNDRED_MB,
    );
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[C017]: file is larger than 16 MiB\n  ┌─ facts/huge.yaml"),
        "{err}"
    );
    // The other files are still checked.
    assert!(err.contains("checked 1 sources, 7 entities"), "{err}");
}

#[test]
fn huge_source_text_is_refused() {
    let tmp = fixture_copy("ok-baseline");
    let txt = tmp.path().join("facts/sources/planet-2019-03-letter.txt");
    let head = fs::read(&txt).unwrap();
    sparse_file(&txt, &head, HUNDRED_MB);
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[C017]: source text `facts/sources/planet-2019-03-letter.txt`: file is larger than 16 MiB"),
        "{err}"
    );
}

#[test]
fn nesting_is_refused_beyond_128_levels_only() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("facts")).unwrap();
    let nested = |depth: usize| {
        // Block style this time (the fixture uses flow style): a mapping in a mapping...
        let mut s = String::new();
        for i in 0..depth {
            s.push_str(&"  ".repeat(i));
            s.push_str("k:\n");
        }
        s
    };
    // `entities:` plus 127 levels is the deepest document the parser takes.
    fs::write(
        tmp.path().join("facts/a.yaml"),
        format!("entities:\n  - {}", nested(126).replace('\n', "\n    ")),
    )
    .unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("recursion limit"), "{err}");
    fs::write(tmp.path().join("facts/a.yaml"), nested(200)).unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[C001]: invalid YAML: recursion limit exceeded"),
        "{err}"
    );
    assert!(err.contains("facts/a.yaml:129:"), "{err}");
}

#[test]
fn facts_path_that_is_a_file_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("facts.yaml"), "entities: []\n").unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts.yaml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: cannot read facts.yaml"), "{err}");
}

#[test]
fn unknown_option_is_a_usage_error() {
    let o = run(&root(), &["check", "--fatcs", "seeds"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Checks `dir` in-process and renders the result; panics are caught and reported with `what`.
fn check_and_render(dir: &Path, what: &str) {
    let result = std::panic::catch_unwind(|| {
        let checked = facts::check(dir).expect("the folder is readable");
        let out = diagnostic::render(&checked.diagnostics, |p| checked.texts.get(p).cloned());
        for d in &checked.diagnostics {
            assert_eq!(d.span.is_some(), d.line.is_some(), "{d:?}");
        }
        out
    });
    assert!(result.is_ok(), "the checker panicked on {what}");
}

#[test]
fn truncated_and_garbled_fact_files_never_panic() {
    let tmp = fixture_copy("ok-baseline");
    let file = tmp.path().join("facts/sources/planet-2019-03-letter.yaml");
    let original = fs::read(&file).unwrap();
    // Truncate at many places (mid-key, mid-quote, mid-list) and splice in YAML's special bytes.
    for cut in (0..original.len()).step_by(7) {
        fs::write(&file, &original[..cut]).unwrap();
        check_and_render(tmp.path(), &format!("a truncation at byte {cut}"));
        for junk in [
            &b"\t"[..],
            b"\"",
            b": ",
            b"- ",
            b"[",
            b"{",
            b"&a",
            b"*a",
            b"\xc3",
            b"\r",
        ] {
            let mut garbled = original[..cut].to_vec();
            garbled.extend_from_slice(junk);
            garbled.extend_from_slice(&original[cut..]);
            fs::write(&file, &garbled).unwrap();
            check_and_render(tmp.path(), &format!("{junk:?} inserted at byte {cut}"));
        }
    }
}

#[test]
fn regression_near_miss_hint_cut_a_character_in_two() {
    // The hint shows the part of the quote after the point where it diverges; it used to slice
    // that part by bytes and could cut a character in two.
    let tmp = fixture_copy("ok-baseline");
    let file = tmp.path().join("facts/sources/planet-2019-03-letter.yaml");
    let s = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        s.replace(
            "quote: Friends of Privacy signed an open letter to Acme",
            "quote: Friends of Privacy signéé éééééééééééééééééééé",
        ),
    )
    .unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "hint: the source has `Friends of Privacy sign` but then differs from `éé éééééééééé"
        ),
        "{err}"
    );
}

#[test]
fn regression_deep_flow_nesting_took_seconds_to_refuse() {
    // 100 000 `[` (200 kB) kept libyaml's scanner busy for 20 s (release) before it refused the
    // depth; the bracket count refuses it before parsing, with its own message.
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("facts")).unwrap();
    fs::write(
        tmp.path().join("facts/deep.yaml"),
        format!("entities: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(
            "error[C001]: invalid YAML: more than 128 nested `[` or `{`\n  ┌─ facts/deep.yaml:1:139\n"
        ),
        "{err}"
    );
}

#[test]
fn source_text_that_is_a_folder_or_a_pipe_is_refused_without_blocking() {
    let tmp = fixture_copy("ok-baseline");
    let txt = tmp.path().join("facts/sources/planet-2019-03-letter.txt");
    fs::remove_file(&txt).unwrap();
    fs::create_dir(&txt).unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error[C014]: source text `facts/sources/planet-2019-03-letter.txt` cannot be read"
        ),
        "{err}"
    );
    // A named pipe with no writer: opening it would block forever.
    fs::remove_dir(&txt).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&txt).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[C014]"), "{err}");
}
