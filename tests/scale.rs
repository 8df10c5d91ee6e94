//! Scale features on small synthetic corpora: a cached (incremental) run reports exactly what a
//! cold `--no-cache` run reports after edits, additions and deletions; corrupt cache entries are
//! rebuilt, never trusted; a killed build leaves `graphs/` and the cache consistent; `--quiet`
//! and `-v` behave.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::util::{run, text};

/// A temp dir holding a synthetic corpus of `n` sources in `c/`.
fn corpus(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(
        tmp.path(),
        &["synth", "--sources", &n.to_string(), "--out", "c"],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    tmp
}

/// `(hits, misses, rejected)` from the `-v` cache line.
fn cache_stats(o: &Output) -> (u64, u64, u64) {
    let (_, err) = text(o);
    let line = err
        .lines()
        .find(|l| l.starts_with("cache "))
        .unwrap_or_else(|| panic!("no cache line in {err}"));
    let n = |what: &str| -> u64 {
        let before = line.split(what).next().unwrap();
        before
            .split_whitespace()
            .last()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("{line}"))
    };
    (n(" hits"), n(" misses"), n(" rejected"))
}

/// Stderr without the `timing:` and `cache` lines that only `-v` prints.
fn report(o: &Output) -> String {
    let (_, err) = text(o);
    err.lines()
        .filter(|l| !l.starts_with("timing: ") && !l.starts_with("cache "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Runs `check` cached (with `-v`) then cold, in both text and JSON, and asserts that they agree.
/// Returns the cached text run.
fn check_both(dir: &Path) -> Output {
    let cached = run(dir, &["-v", "check", "--facts", "c"]);
    let cold = run(dir, &["check", "--no-cache", "--facts", "c"]);
    assert_eq!(cached.status.code(), cold.status.code());
    assert_eq!(report(&cached), report(&cold));
    let cached_json = run(dir, &["check", "--json", "--facts", "c"]);
    let cold_json = run(dir, &["check", "--json", "--no-cache", "--facts", "c"]);
    assert_eq!(cached_json.status.code(), cold_json.status.code());
    assert_eq!(cached_json.stdout, cold_json.stdout);
    cached
}

#[test]
fn incremental_check_matches_a_cold_run_after_edits_additions_and_deletions() {
    let tmp = corpus(5);
    let dir = tmp.path();
    let src = dir.join("c/sources");

    let first = check_both(dir);
    assert_eq!(first.status.code(), Some(0), "{}", report(&first));
    assert_eq!(
        cache_stats(&first),
        (0, 6, 0),
        "a cold cache misses every file"
    );
    let again = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(
        cache_stats(&again),
        (6, 0, 0),
        "nothing changed: every file is a hit"
    );

    // Edit: a quote that is not in the text, and a reference to an unknown entity.
    let path = src.join("synth-00001.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    let yaml = yaml.replacen("- quote: 'In report 1", "- quote: 'Nowhere in report 1", 1);
    let yaml = yaml.replacen("publisher: news-agency-0", "publisher: no-such-agency", 1);
    fs::write(&path, yaml).unwrap();
    let edited = check_both(dir);
    assert_eq!(edited.status.code(), Some(1));
    let (hits, misses, _) = cache_stats(&edited);
    assert_eq!(
        (hits, misses),
        (5, 1),
        "only the edited file is parsed again"
    );
    let err = report(&edited);
    assert!(err.contains("quote not found"), "{err}");
    assert!(err.contains("unknown entity `no-such-agency`"), "{err}");

    // Addition: a copy of another source, which duplicates its ids (a cross-file rule).
    fs::copy(src.join("synth-00002.yaml"), src.join("zz-copy.yaml")).unwrap();
    let added = check_both(dir);
    assert!(report(&added).contains("duplicate source id `synth-00002`"));

    // Deletion: the edited file and the copy go; the corpus is valid again, from the cache.
    fs::remove_file(src.join("zz-copy.yaml")).unwrap();
    fs::remove_file(&path).unwrap();
    let deleted = check_both(dir);
    assert_eq!(deleted.status.code(), Some(0), "{}", report(&deleted));
    assert_eq!(cache_stats(&deleted), (5, 0, 0));
    assert!(report(&deleted).contains("checked 4 sources"));
}

#[test]
fn corrupt_cache_entries_are_rebuilt_not_trusted() {
    let tmp = corpus(3);
    let dir = tmp.path();
    let cold = check_both(dir);
    let cache = dir.join(".coalition-cache");
    let mut entries = Vec::new();
    for corpus in fs::read_dir(&cache).unwrap() {
        for e in fs::read_dir(corpus.unwrap().path().join("load")).unwrap() {
            entries.push(e.unwrap().path());
        }
    }
    entries.sort();
    assert_eq!(entries.len(), 4);
    // One truncated, one with a flipped byte, one replaced by a well-formed entry of another
    // file (a parse of the wrong file must not be accepted), one emptied.
    let bytes = fs::read(&entries[0]).unwrap();
    fs::write(&entries[0], &bytes[..bytes.len() / 2]).unwrap();
    let mut flipped = fs::read(&entries[1]).unwrap();
    let last = flipped.len() - 2;
    flipped[last] ^= 0x20;
    fs::write(&entries[1], flipped).unwrap();
    fs::copy(&entries[3], &entries[2]).unwrap();
    fs::write(&entries[3], b"").unwrap();

    let rebuilt = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(report(&rebuilt), report(&cold));
    assert_eq!(cache_stats(&rebuilt), (0, 0, 4));
    let after = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(cache_stats(&after), (4, 0, 0), "the entries were rewritten");
}

#[test]
fn quiet_and_verbose() {
    let tmp = corpus(2);
    let quiet = run(tmp.path(), &["--quiet", "check", "--facts", "c"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(text(&quiet), (String::new(), String::new()));
    let verbose = run(tmp.path(), &["check", "-v", "--facts", "c"]);
    let (_, err) = text(&verbose);
    for stage in ["discover", "parse", "validate"] {
        assert!(err.contains(&format!("timing: {stage} ")), "{err}");
    }
    // Not a terminal: no progress bar, whatever the size.
    assert!(!err.contains('['), "{err}");
    let both = run(tmp.path(), &["-q", "-v", "check", "--facts", "c"]);
    assert_eq!(both.status.code(), Some(2));
}

/// The files of a folder, by name, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Builds cached into `g/` (with `-v`) and cold into `cold/`, asserts the same graph files, and
/// returns the cached run.
fn build_both(dir: &Path) -> Output {
    let cached = run(dir, &["-v", "build", "--facts", "c", "--out", "g"]);
    assert!(cached.status.success(), "{}", report(&cached));
    let cold = run(
        dir,
        &["build", "--no-cache", "--facts", "c", "--out", "cold"],
    );
    assert!(cold.status.success(), "{}", report(&cold));
    let (g, cold) = (files(&dir.join("g")), files(&dir.join("cold")));
    assert_eq!(g.len(), 4);
    assert!(g == cold, "cached and cold builds differ");
    cached
}

/// Rewrites the title of `source`.
fn set_title(dir: &Path, source: &str, title: &str) {
    let path = dir.join("c/sources").join(format!("{source}.yaml"));
    let yaml = fs::read_to_string(&path).unwrap();
    let at = yaml.find("  title: ").unwrap();
    let end = at + yaml[at..].find('\n').unwrap();
    fs::write(
        &path,
        format!("{}  title: {title}{}", &yaml[..at], &yaml[end..]),
    )
    .unwrap();
}

#[test]
fn incremental_build_matches_a_cold_build_after_edits_additions_and_deletions() {
    let tmp = corpus(5);
    let dir = tmp.path();
    let src = dir.join("c/sources");
    let aside = dir.join("aside");
    fs::create_dir(&aside).unwrap();
    for ext in ["yaml", "txt"] {
        let name = format!("synth-00004.{ext}");
        fs::rename(src.join(&name), aside.join(&name)).unwrap();
    }
    // 5 fact files parsed, 4 sources mapped: all misses.
    assert_eq!(cache_stats(&build_both(dir)), (0, 9, 0));
    assert_eq!(cache_stats(&build_both(dir)), (9, 0, 0));

    set_title(dir, "synth-00001", "An edited title");
    let edited = build_both(dir);
    assert_eq!(
        cache_stats(&edited),
        (7, 2, 0),
        "one file parsed, one source mapped"
    );
    let ttl = fs::read_to_string(dir.join("g/coalition.ttl")).unwrap();
    assert!(ttl.contains("An edited title"));

    for ext in ["yaml", "txt"] {
        let name = format!("synth-00004.{ext}");
        fs::rename(aside.join(&name), src.join(&name)).unwrap();
    }
    assert_eq!(cache_stats(&build_both(dir)), (9, 2, 0), "the added source");

    fs::remove_file(src.join("synth-00002.yaml")).unwrap();
    let deleted = build_both(dir);
    assert!(report(&deleted).contains("built 4 sources"));
}

#[test]
fn a_build_killed_midway_leaves_graphs_and_cache_consistent() {
    let tmp = corpus(4);
    let dir = tmp.path();
    build_both(dir);
    for (i, abort) in ["quads:1", "exports"].into_iter().enumerate() {
        let before = files(&dir.join("g"));
        set_title(dir, "synth-00001", &format!("Edit {i}"));
        set_title(dir, "synth-00002", &format!("Edit {i}"));
        let killed = crate::util::coalition(dir)
            .args(["build", "--facts", "c", "--out", "g"])
            .env("COALITION_TEST_ABORT", abort)
            .output()
            .unwrap();
        assert!(
            !killed.status.success(),
            "{abort}: the build was not killed"
        );
        assert!(files(&dir.join("g")) == before, "{abort}: graphs/ changed");
        // The next build trusts nothing half-written and ends where a cold build ends.
        let next = build_both(dir);
        assert_eq!(cache_stats(&next).2, 0, "{abort}: no entry was corrupt");
        let leftovers: Vec<_> = walk(&dir.join(".coalition-cache"))
            .into_iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".tmp"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "{abort}: temp files left: {leftovers:?}"
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
