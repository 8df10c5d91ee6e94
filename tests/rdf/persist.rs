//! The persistent store (feature `persistent`): `query` answers from what `build` left while the
//! facts are unchanged, brings it up to date source by source when they changed, and always
//! answers exactly what a store made in memory from the same facts answers.

use std::path::Path;
use std::time::Duration;

use crate::util::{run, seed_copy, text, SEED_FACTS};

/// Every quad, as CSV lines sorted: the registry (default graph) and each named graph.
const ALL_QUADS: &str = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";

/// Files stamped less than two seconds before a run are not trusted by the next one (racy
/// stamps, see `cache::stat`): wait that long so the store can be fresh.
fn settle() {
    std::thread::sleep(Duration::from_millis(2_200));
}

/// `query ARGS` in `dir` with the cache under `dir/.cache`: (exit code, stdout, stderr).
fn query(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["--cache-dir", ".cache", "-v", "query"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    let (out, err) = text(&o);
    (o.status.code(), out, err)
}

/// The same query on a store made in memory (`--no-cache`): the reference answer.
fn reference(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--no-cache", "query"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    text(&o).0
}

fn sorted(csv: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = csv.lines().collect();
    lines.sort_unstable();
    lines
}

/// A copy of the seed, settled and built (the store made).
fn built() -> tempfile::TempDir {
    let tmp = seed_copy();
    settle();
    build(tmp.path());
    tmp
}

fn build(dir: &Path) {
    build_with(dir, &[]);
}

/// A synthetic corpus of `n` sources in `c/`, settled and built.
fn synth_built(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(
        tmp.path(),
        &["synth", "--sources", &n.to_string(), "--out", "c"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    settle();
    build_with(tmp.path(), &["--facts", "c"]);
    tmp
}

/// `build` with the cache under `dir/.cache` and more arguments.
fn build_with(dir: &Path, more: &[&str]) {
    let mut all = vec!["--cache-dir", ".cache", "build", "--out", "out"];
    all.extend_from_slice(more);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
}

#[test]
fn query_answers_from_the_built_store_while_the_facts_are_unchanged() {
    let tmp = built();
    let dir = tmp.path();
    let (code, out, err) = query(dir, &["who-signed", "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("answering from"), "not from the store: {err}");
    assert!(!err.contains("facts"), "the facts were read again: {err}");
    assert_eq!(out, reference(dir, &["who-signed", "--format", "csv"]));
    let (_, all, _) = query(dir, &["--no-union", ALL_QUADS, "--format", "csv"]);
    let expected = reference(dir, &["--no-union", ALL_QUADS, "--format", "csv"]);
    assert_eq!(sorted(&all), sorted(&expected));
}

#[test]
fn an_edited_source_replaces_only_its_graph_and_is_answered_at_once() {
    // Eight sources: one edit stays under the share of changed sources that rebuilds in full.
    let tmp = synth_built(8);
    let dir = tmp.path();
    edit_title(&first_fact_file(&dir.join("c")));
    let all = ["--no-union", ALL_QUADS, "--format", "csv", "--facts", "c"];
    let (code, out, err) = query(dir, &all);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("brought up to date: 1 source graph replaced, 0 removed, registry unchanged"),
        "{err}"
    );
    assert!(err.contains("(checked incrementally)"), "{err}");
    let expected = reference(dir, &all);
    assert!(expected.contains("An edited title"));
    assert_eq!(sorted(&out), sorted(&expected));
    // Once the edit has settled, the updated store is fresh again.
    settle();
    let (_, _, err) = query(dir, &all);
    assert!(err.contains("up to date: 0 source graphs"), "{err}");
    let (_, again, err) = query(dir, &all);
    assert!(err.contains("answering from"), "{err}");
    assert_eq!(sorted(&again), sorted(&expected));
}

#[test]
fn edits_are_patched_in_from_the_changed_files_alone_and_equal_a_fresh_store() {
    // Sixteen sources: three changed stay under the share that rebuilds in full.
    let tmp = synth_built(16);
    let dir = tmp.path();
    let c = dir.join("c");
    // The registry, one source's title, and one source moved to another file.
    let registry = c.join("entities.yaml");
    let e = std::fs::read_to_string(&registry).unwrap();
    std::fs::write(&registry, e.replacen("  name: ", "  name: Renamed ", 1)).unwrap();
    edit_title(&c.join("sources/synth-00001.yaml"));
    let moved = c.join("sources/moved-00002.yaml");
    std::fs::rename(c.join("sources/synth-00002.yaml"), &moved).unwrap();
    let all = ["--no-union", ALL_QUADS, "--format", "csv", "--facts", "c"];
    let (code, out, err) = query(dir, &all);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("(checked incrementally)"), "{err}");
    assert!(
        err.contains("1 source graph replaced, 0 removed, registry replaced"),
        "{err}"
    );
    let expected = reference(dir, &all);
    assert!(expected.contains("Renamed ") && expected.contains("An edited title"));
    assert_eq!(sorted(&out), sorted(&expected));
    // A removed source: its graph goes, nothing else changes.
    for ext in ["yaml", "txt"] {
        std::fs::remove_file(c.join(format!("sources/synth-00003.{ext}"))).unwrap();
    }
    let (code, out, err) = query(dir, &all);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "0 source graphs replaced, 1 removed, registry unchanged (checked incrementally)"
        ),
        "{err}"
    );
    assert_eq!(sorted(&out), sorted(&reference(dir, &all)));
    // An invalid edit is reported from the incremental check and never answered.
    std::fs::write(&moved, "source: [oops").unwrap();
    let (code, out, err) = query(dir, &all);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "answered from a stale store: {out}");
    assert!(
        err.contains("moved-00002.yaml") && err.contains("not queried"),
        "{err}"
    );
}

/// Gives the source declared in fact file `f` the title "An edited title".
fn edit_title(f: &Path) {
    let s = std::fs::read_to_string(f).unwrap();
    let title = s
        .lines()
        .find(|l| l.trim_start().starts_with("title:"))
        .unwrap();
    let edited = format!(
        "{}title: An edited title",
        &title[..title.find("title:").unwrap()]
    );
    std::fs::write(f, s.replacen(title, &edited, 1)).unwrap();
}

/// The first fact file (by path) that holds a `source:` section, below `dir`.
fn first_fact_file(dir: &Path) -> std::path::PathBuf {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("source:"))
        .expect("a source's fact file")
}

#[test]
fn invalid_facts_are_reported_never_answered_from_the_old_store() {
    let tmp = built();
    let dir = tmp.path();
    let f = dir.join(SEED_FACTS);
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, s.replacen("statements:", "statements: [oops", 1)).unwrap();
    let (code, out, err) = query(dir, &["who-signed", "--format", "csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "answered from a stale store: {out}");
    assert!(err.contains("not queried"), "{err}");
}

#[test]
fn a_removed_or_added_fact_file_is_noticed() {
    let tmp = built();
    let dir = tmp.path();
    let f = dir.join(SEED_FACTS);
    let moved = dir.join("seeds/sources/renamed.yaml");
    std::fs::rename(&f, &moved).unwrap();
    let (code, _, err) = query(dir, &["who-signed", "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("answering from"), "{err}");
    // A new fact file beside the others is noticed too.
    std::fs::write(dir.join("seeds/sources/empty.yaml"), "").unwrap();
    let (_, _, err) = query(dir, &["who-signed", "--format", "csv"]);
    assert!(!err.contains("answering from"), "{err}");
}

#[test]
fn a_store_without_its_manifest_is_loaded_again() {
    let tmp = built();
    let dir = tmp.path();
    for m in glob_manifests(&dir.join(".cache")) {
        std::fs::remove_file(m).unwrap();
    }
    let (code, out, err) = query(dir, &["who-signed", "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("loaded from the facts"), "{err}");
    assert_eq!(out, reference(dir, &["who-signed", "--format", "csv"]));
}

fn glob_manifests(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(glob_manifests(&p));
        } else if p.file_name().is_some_and(|n| n == "manifest.json") {
            out.push(p);
        }
    }
    out
}

#[test]
fn build_keeps_the_answer_to_who_signed_ahead_and_only_what_it_is_asked_to() {
    let tmp = built();
    let dir = tmp.path();
    let kept = "answered from the answers kept beside the store";
    for format in ["csv", "table"] {
        let ask = ["who-signed", "--format", format];
        let (code, out, err) = query(dir, &ask);
        assert_eq!(code, Some(0), "{err}");
        assert!(err.contains(kept), "{format}: not answered ahead: {err}");
        assert_eq!(out, reference(dir, &ask), "{format}");
    }
    // Only the named query's default dataset and formats are answered ahead.
    let (_, _, err) = query(dir, &["who-signed", "--format", "json"]);
    assert!(!err.contains(kept), "{err}");
    let (_, _, err) = query(dir, &["technologies", "--format", "csv"]);
    assert!(!err.contains(kept), "{err}");
    // `--answer` chooses the queries; an empty name, none. An edit makes the build answer again.
    edit_title(&dir.join(SEED_FACTS));
    settle();
    build_with(dir, &["--answer", ""]);
    let (_, out, err) = query(dir, &["who-signed", "--format", "csv"]);
    assert!(!err.contains(kept), "{err}");
    assert_eq!(out, reference(dir, &["who-signed", "--format", "csv"]));
    // An unknown name is a usage error, before any work.
    let o = run(
        dir,
        &[
            "--cache-dir",
            ".cache",
            "build",
            "--out",
            "out",
            "--answer",
            "nope",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o).1);
    assert!(text(&o).1.contains("nope"), "{}", text(&o).1);
    build_with(dir, &["--answer", "technologies"]);
    let (_, out, err) = query(dir, &["technologies", "--format", "csv"]);
    assert!(err.contains(kept), "{err}");
    assert_eq!(out, reference(dir, &["technologies", "--format", "csv"]));
}

#[test]
fn a_repeated_question_is_answered_from_the_kept_answer_until_the_facts_change() {
    let tmp = built();
    let dir = tmp.path();
    let ask = ["--no-union", ALL_QUADS, "--format", "csv"];
    let kept = "answered from the answers kept beside the store";
    let (_, first, err) = query(dir, &ask);
    assert!(!err.contains(kept), "{err}");
    let (code, again, err) = query(dir, &ask);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains(kept), "{err}");
    assert_eq!(again, first);
    // Another format is another question; a table (a terminal's default) is kept as well.
    let (_, _, err) = query(dir, &["--no-union", ALL_QUADS, "--format", "tsv"]);
    assert!(!err.contains(kept), "{err}");
    let table = ["--no-union", ALL_QUADS, "--format", "table"];
    let (_, first_table, _) = query(dir, &table);
    let (_, again, err) = query(dir, &table);
    assert!(err.contains(kept), "{err}");
    assert_eq!(again, first_table);
    // An edit brings the store up to date, and the answers kept for the old store go.
    edit_title(&dir.join(SEED_FACTS));
    let (code, after, err) = query(dir, &ask);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains(kept), "{err}");
    assert!(after.contains("An edited title"));
    assert_eq!(sorted(&after), sorted(&reference(dir, &ask)));
}
