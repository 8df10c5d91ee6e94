//! Scale features on small synthetic corpora: a cached (incremental) run reports exactly what a
//! cold `--no-cache` run reports after edits, additions and deletions; corrupt cache entries are
//! rebuilt, never trusted; a killed build leaves `graphs/` and the cache consistent; `--quiet`
//! and `-v` behave.

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

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

/// `(hits, misses, rejected)` of one kind of cache entry, from the `-v` output.
fn cache_stats(o: &Output, kind: &str) -> (u64, u64, u64) {
    let (_, err) = text(o);
    let Some(line) = err
        .lines()
        .find(|l| l.starts_with(&format!("cache {kind}: ")))
    else {
        return (0, 0, 0);
    };
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

/// Rejected entries over every kind.
fn rejected(o: &Output) -> u64 {
    ["load", "index", "quads"]
        .iter()
        .map(|k| cache_stats(o, k).2)
        .sum()
}

/// Stderr without the `timing:` and `cache` lines that only `-v` prints.
fn report(o: &Output) -> String {
    let (_, err) = text(o);
    err.lines()
        .filter(|l| !l.starts_with("timing: ") && !l.starts_with("cache"))
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
        cache_stats(&first, "load"),
        (0, 6, 0),
        "a cold cache parses every file"
    );
    let again = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(
        cache_stats(&again, "load"),
        (1, 0, 0),
        "only the registry is loaded"
    );
    assert_eq!(
        cache_stats(&again, "clean"),
        (5, 0, 0),
        "every source is skipped"
    );
    assert!(
        report(&again).contains("checked 5 sources, "),
        "{}",
        report(&again)
    );
    assert_eq!(report(&again), report(&first));

    // Edit: a quote that is not in the text, and a reference to an unknown entity.
    let path = src.join("synth-00001.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    let yaml = yaml.replacen("- quote: 'In report 1", "- quote: 'Nowhere in report 1", 1);
    let yaml = yaml.replacen("publisher: news-agency-0", "publisher: no-such-agency", 1);
    fs::write(&path, yaml).unwrap();
    let edited = check_both(dir);
    assert_eq!(edited.status.code(), Some(1));
    assert_eq!(
        cache_stats(&edited, "load"),
        (1, 1, 0),
        "only the edited file is parsed again"
    );
    assert_eq!(cache_stats(&edited, "clean").0, 4);
    let err = report(&edited);
    assert!(err.contains("quote not found"), "{err}");
    assert!(err.contains("unknown entity `no-such-agency`"), "{err}");

    // Addition: a copy of another source, which duplicates its ids (a cross-file rule).
    fs::copy(src.join("synth-00002.yaml"), src.join("zz-copy.yaml")).unwrap();
    let added = check_both(dir);
    assert!(report(&added).contains("duplicate source id `synth-00002`"));

    // A registry edit invalidates every source's clean mark.
    let registry = dir.join("c/entities.yaml");
    let entities = fs::read_to_string(&registry).unwrap();
    fs::write(
        &registry,
        format!("{entities}- id: extra-person\n  kind: person\n  name: Extra\n"),
    )
    .unwrap();
    let registry_edit = check_both(dir);
    assert_eq!(cache_stats(&registry_edit, "clean").0, 0);
    assert!(report(&registry_edit).contains("entity `extra-person` is declared but never used"));

    // Deletion: the edited file and the copy go; the corpus is valid again, from the cache.
    fs::write(&registry, entities).unwrap();
    fs::remove_file(src.join("zz-copy.yaml")).unwrap();
    fs::remove_file(&path).unwrap();
    let deleted = check_both(dir);
    assert_eq!(deleted.status.code(), Some(0), "{}", report(&deleted));
    // The registry's old version was swept while the edit lasted: only it is parsed again.
    assert_eq!(cache_stats(&deleted, "load"), (4, 1, 0));
    assert!(report(&deleted).contains("checked 4 sources"));
    let again = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(cache_stats(&again, "clean"), (4, 0, 0));
    assert_eq!(report(&again), report(&deleted));
}

/// Sets the modification time of `path` (its status-change time becomes now, as with `touch -d`).
fn set_mtime(path: &Path, t: SystemTime) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(t).unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

/// Replaces `from` by `to` (of the same length) in `path`, then sets its modification time
/// back: same size, same mtime, other bytes.
fn racy_edit(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let before = mtime(path);
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
    set_mtime(path, before);
    assert_eq!(fs::metadata(path).unwrap().len() as usize, text.len());
    assert_eq!(mtime(path), before);
}

#[test]
fn the_stat_index_reads_only_changed_files_and_is_never_fooled() {
    let tmp = corpus(4);
    let dir = tmp.path();
    let src = dir.join("c/sources");
    // The index trusts a stamp only when the file is older than the indexing run by 2 s.
    std::thread::sleep(Duration::from_millis(2100));
    let first = check_both(dir);
    assert_eq!(first.status.code(), Some(0), "{}", report(&first));
    assert_eq!(cache_stats(&first, "index"), (0, 1, 0));
    assert_eq!(cache_stats(&first, "stat"), (0, 9, 0), "all files hashed");
    let again = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(cache_stats(&again, "index"), (1, 0, 0));
    assert_eq!(cache_stats(&again, "stat"), (9, 0, 0), "no file read");
    assert_eq!(cache_stats(&again, "clean"), (4, 0, 0));
    assert_eq!(report(&again), report(&first));

    // `touch` without a change: read again, found clean.
    let yaml1 = src.join("synth-00001.yaml");
    set_mtime(&yaml1, SystemTime::now());
    let touched = check_both(dir);
    assert_eq!(cache_stats(&touched, "stat"), (8, 1, 0));
    assert_eq!(cache_stats(&touched, "clean"), (4, 0, 0));
    assert_eq!(report(&touched), report(&first));

    // A fact file edited without changing its size or modification time.
    let yaml2 = src.join("synth-00002.yaml");
    let (old, old_time) = (fs::read(&yaml2).unwrap(), mtime(&yaml2));
    racy_edit(&yaml2, "- quote: 'In report 2", "- quote: 'Xn report 2");
    let edited = check_both(dir);
    assert_eq!(edited.status.code(), Some(1));
    assert!(report(&edited).contains("quote not found"));
    // Restored to its older contents, with its older modification time.
    fs::write(&yaml2, &old).unwrap();
    set_mtime(&yaml2, old_time);
    let restored = check_both(dir);
    assert_eq!(report(&restored), report(&first));

    // A source text edited without changing its size or modification time, then restored.
    let txt3 = src.join("synth-00003.txt");
    let (old, old_time) = (fs::read(&txt3).unwrap(), mtime(&txt3));
    racy_edit(&txt3, "In report 3, item 0:", "In report 3, item X:");
    let edited = check_both(dir);
    assert_eq!(edited.status.code(), Some(1));
    let err = report(&edited);
    assert!(
        err.contains("synth-00003.yaml") && err.contains("quote not found"),
        "{err}"
    );
    fs::write(&txt3, &old).unwrap();
    set_mtime(&txt3, old_time);
    assert_eq!(report(&check_both(dir)), report(&first));

    // The registry edited without changing its size or modification time: an unknown kind.
    let registry = dir.join("c/entities.yaml");
    let (old, old_time) = (fs::read(&registry).unwrap(), mtime(&registry));
    racy_edit(&registry, "kind: person", "kind: persom");
    let edited = check_both(dir);
    assert_eq!(edited.status.code(), Some(1), "{}", report(&edited));
    fs::write(&registry, &old).unwrap();
    set_mtime(&registry, old_time);
    assert_eq!(report(&check_both(dir)), report(&first));

    // A source text removed, then put back.
    let txt0 = src.join("synth-00000.txt");
    let old = fs::read(&txt0).unwrap();
    fs::remove_file(&txt0).unwrap();
    let removed = check_both(dir);
    assert_eq!(removed.status.code(), Some(1));
    assert!(
        report(&removed).contains("cannot be read"),
        "{}",
        report(&removed)
    );
    fs::write(&txt0, &old).unwrap();
    assert_eq!(report(&check_both(dir)), report(&first));

    // Renamed: validated again under its new name, the others still skipped.
    fs::rename(&yaml1, src.join("renamed.yaml")).unwrap();
    let renamed = check_both(dir);
    assert_eq!(renamed.status.code(), Some(0), "{}", report(&renamed));
    assert_eq!(cache_stats(&renamed, "clean"), (3, 1, 0));
    assert_eq!(report(&renamed), report(&first));

    // The index of another corpus, copied over this one's: rejected, never trusted.
    let o = run(dir, &["synth", "--sources", "2", "--out", "d"]);
    assert!(o.status.success());
    assert!(run(dir, &["check", "--facts", "d"]).status.success());
    let indexes: Vec<_> = walk(&dir.join(".coalition-cache"))
        .into_iter()
        .filter(|p| p.parent().unwrap().ends_with("index"))
        .collect();
    assert_eq!(indexes.len(), 2, "{indexes:?}");
    fs::copy(&indexes[0], &indexes[1]).unwrap();
    let mut stats = Vec::new();
    for c in ["c", "d"] {
        let cached = run(dir, &["-v", "check", "--facts", c]);
        let cold = run(dir, &["check", "--no-cache", "--facts", c]);
        assert_eq!(report(&cached), report(&cold), "{c}");
        stats.push(cache_stats(&cached, "index"));
    }
    stats.sort();
    assert_eq!(
        stats,
        [(0, 0, 1), (1, 0, 0)],
        "one index kept, the copy rejected"
    );
}

/// Damages every cache entry, each in one of four ways.
fn corrupt_every_entry(dir: &Path) -> usize {
    let mut entries: Vec<_> = walk(&dir.join(".coalition-cache"));
    entries.sort();
    for (i, e) in entries.iter().enumerate() {
        let bytes = fs::read(e).unwrap();
        match i % 4 {
            // Truncated (a torn write that somehow got renamed).
            0 => fs::write(e, &bytes[..bytes.len() / 2]).unwrap(),
            // One flipped byte at the end of the payload.
            1 => {
                let mut b = bytes.clone();
                let last = b.len() - 1;
                b[last] ^= 0x20;
                fs::write(e, b).unwrap();
            }
            // Emptied.
            2 => fs::write(e, b"").unwrap(),
            // A well-formed entry of another key: a parse of the wrong file must not be used.
            _ => fs::copy(&entries[0], e).map(|_| ()).unwrap(),
        }
    }
    entries.len()
}

#[test]
fn corrupt_cache_entries_are_rebuilt_not_trusted() {
    let tmp = corpus(3);
    let dir = tmp.path();
    let cold = check_both(dir);
    run(dir, &["check", "--facts", "c"]);
    // Three parses and the index.
    assert!(corrupt_every_entry(dir) >= 4);
    let rebuilt = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(report(&rebuilt), report(&cold));
    assert!(rejected(&rebuilt) > 0, "{}", text(&rebuilt).1);
    assert_eq!(cache_stats(&rebuilt, "index"), (0, 0, 1), "the index");
    let after = run(dir, &["-v", "check", "--facts", "c"]);
    assert_eq!(rejected(&after), 0, "the entries were rewritten");
    assert_eq!(cache_stats(&after, "clean"), (3, 0, 0));

    // The same for a build: parses and per-source quads.
    build_both(dir);
    corrupt_every_entry(dir);
    let rebuilt = build_both(dir);
    assert!(rejected(&rebuilt) > 0);
    assert_eq!(rejected(&build_both(dir)), 0);
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
    assert_eq!(g.len(), 6);
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
    let first = build_both(dir);
    assert_eq!(cache_stats(&first, "load"), (0, 5, 0));
    assert_eq!(cache_stats(&first, "quads"), (0, 4, 0));
    let again = build_both(dir);
    assert_eq!(cache_stats(&again, "load"), (5, 0, 0));
    assert_eq!(cache_stats(&again, "quads"), (4, 0, 0));

    set_title(dir, "synth-00001", "An edited title");
    let edited = build_both(dir);
    assert_eq!(cache_stats(&edited, "load"), (4, 1, 0), "one file parsed");
    assert_eq!(
        cache_stats(&edited, "quads"),
        (3, 1, 0),
        "one source mapped"
    );
    let ttl = fs::read_to_string(dir.join("g/coalition.ttl")).unwrap();
    assert!(ttl.contains("An edited title"));

    for ext in ["yaml", "txt"] {
        let name = format!("synth-00004.{ext}");
        fs::rename(aside.join(&name), src.join(&name)).unwrap();
    }
    let added = build_both(dir);
    assert_eq!(cache_stats(&added, "load"), (5, 1, 0), "the added source");
    assert_eq!(cache_stats(&added, "quads"), (4, 1, 0), "the added source");

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
        // A killed build leaves its temp files (hidden) behind, never a changed graph file.
        let visible = |v: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
            v.into_iter().filter(|(n, _)| !n.starts_with('.')).collect()
        };
        assert!(
            visible(files(&dir.join("g"))) == visible(before),
            "{abort}: graphs/ changed"
        );
        // The next build trusts nothing half-written and ends where a cold build ends.
        let next = build_both(dir);
        assert_eq!(rejected(&next), 0, "{abort}: no entry was corrupt");
        // The next build removes the temp files of the killed one.
        assert_eq!(
            files(&dir.join("g")).len(),
            GRAPH_AND_DIAGRAM_FILES,
            "{abort}: temp files left in graphs/"
        );
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

/// `coalition.{ttl,nq,trig,jsonld,dot,svg}`.
const GRAPH_AND_DIAGRAM_FILES: usize = 6;

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
