//! `--watch` on a synthetic corpus: a reload replaces only the changed sources' named graphs, and
//! the store it leaves holds exactly the quads of a cold load (sorted N-Quads compared) after
//! edits, additions, deletions, a registry edit and an invalid edit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use coalition::cache::Cache;
use coalition::serve::delta::normalize;
use coalition::serve::state::{self, Snapshot};
use oxigraph::io::RdfFormat;

use super::{http, Server};
use crate::util::run;

const BASE: &str = "http://example.org/";

/// A synthetic corpus of `n` sources in `dir/corpus`.
fn synth(dir: &Path, n: usize) -> PathBuf {
    let out = run(
        dir,
        &["synth", "--sources", &n.to_string(), "--out", "corpus"],
    );
    assert!(out.status.success(), "{out:?}");
    dir.join("corpus")
}

fn source(corpus: &Path, n: usize, ext: &str) -> PathBuf {
    corpus.join(format!("sources/synth-{n:05}.{ext}"))
}

/// Replaces `from` by `to` in `file` (which must contain it).
fn edit(file: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(file).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", file.display());
    std::fs::write(file, s.replacen(from, to, 1)).unwrap();
}

/// The store's quads as sorted N-Quads lines.
fn dump(s: &Snapshot) -> Vec<String> {
    dump_store(&s.store)
}

fn dump_store(store: &oxigraph::store::Store) -> Vec<String> {
    let mut out = Vec::new();
    store.dump_to_writer(RdfFormat::NQuads, &mut out).unwrap();
    let mut lines: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

/// The quads of a cold load of `corpus`, which are those of the RDF mapping, and its checked
/// corpus (debug-printed).
fn cold(corpus: &Path) -> (Vec<String>, String) {
    let snap =
        state::load(corpus, Path::new("/nonexistent"), BASE).unwrap_or_else(|e| panic!("{e}"));
    let mapped = coalition::rdf::mapping::quads(&snap.model, &snap.base).unwrap();
    let quads = dump(&snap);
    assert_eq!(quads.len(), mapped.len());
    assert_eq!(
        quads,
        dump_store(&coalition::rdf::store::load(&mapped).unwrap())
    );
    (quads, format!("{:?}", snap.model))
}

/// Reloads `old` after `files` changed; checks the store and corpus against a cold load and
/// returns the new snapshot and how many graphs were replaced.
fn reload(old: &Snapshot, corpus: &Path, cache: &Path, files: &[PathBuf]) -> (Snapshot, usize) {
    reload_checking(old, corpus, cache, files, false)
}

/// [`reload`], expecting the corpus to be checked in full (`full`) or patched.
fn reload_checking(
    old: &Snapshot,
    corpus: &Path,
    cache: &Path,
    files: &[PathBuf],
    full: bool,
) -> (Snapshot, usize) {
    let changed: BTreeSet<PathBuf> = files.iter().map(|f| normalize(f)).collect();
    let cache = Cache::open(cache, corpus);
    let (new, r) = state::reload(
        old,
        corpus,
        Path::new("/nonexistent"),
        Some(&cache),
        Some(&changed),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.fresh, "a small change is applied in place");
    assert_eq!(r.full_check, full, "checked in full or patched");
    assert_eq!(r.graphs, new.model.source_count() + 1);
    let (quads, checked) = cold(corpus);
    assert_eq!(dump(&new), quads, "reloaded store = cold load");
    assert_eq!(
        format!("{:?}", new.model),
        checked,
        "patched corpus = cold check"
    );
    (new, r.replaced)
}

#[test]
fn reload_replaces_only_changed_graphs_and_equals_a_cold_load() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synth(tmp.path(), 10);
    let cache = tmp.path().join("cache");
    // Two sources are kept aside, to be added later.
    let spare = tmp.path().join("spare");
    std::fs::create_dir(&spare).unwrap();
    let aside = |n: usize| [source(&corpus, n, "yaml"), source(&corpus, n, "txt")];
    for f in [aside(8), aside(9)].concat() {
        std::fs::rename(&f, spare.join(f.file_name().unwrap())).unwrap();
    }
    let c = Cache::open(&cache, &corpus);
    let s0 = state::load_with(&corpus, Path::new("/nonexistent"), BASE, Some(&c))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s0.model.source_count(), 8);

    // A title edit replaces that source's graph only.
    let f3 = source(&corpus, 3, "yaml");
    edit(
        &f3,
        "title: Synthetic report 3",
        "title: Report three, edited",
    );
    let (s1, n) = reload(&s0, &corpus, &cache, std::slice::from_ref(&f3));
    assert_eq!(n, 1);
    assert_eq!(
        s1.model.source("synth-00003").unwrap().source.title,
        "Report three, edited"
    );
    // The old snapshot shares the store: it now answers with the new graph too.
    assert_eq!(dump(&s0), dump(&s1));

    // Additions.
    let added: Vec<PathBuf> = [aside(8), aside(9)].concat();
    for f in &added {
        std::fs::rename(spare.join(f.file_name().unwrap()), f).unwrap();
    }
    let (s2, n) = reload(&s1, &corpus, &cache, &added);
    assert_eq!((n, s2.model.source_count()), (2, 10));

    // A deletion (fact file and text).
    let gone = aside(1);
    for f in &gone {
        std::fs::remove_file(f).unwrap();
    }
    let (s3, n) = reload(&s2, &corpus, &cache, &gone);
    assert_eq!(n, 1);
    assert!(s3.model.source("synth-00001").is_none());

    // A registry edit replaces the default graph only.
    let registry = corpus.join("entities.yaml");
    edit(
        &registry,
        "name: Liberty Union advocacy group 3",
        "name: Liberty Union advocacy group three",
    );
    let (s4, n) = reload(&s3, &corpus, &cache, std::slice::from_ref(&registry));
    assert_eq!(n, 1);

    // A text edit that the quotes survive; and a file rewritten as it was replaces nothing.
    let t2 = source(&corpus, 2, "txt");
    let text = std::fs::read_to_string(&t2).unwrap();
    std::fs::write(&t2, format!("{text}\nA closing line.\n")).unwrap();
    let f5 = source(&corpus, 5, "yaml");
    std::fs::write(&f5, std::fs::read(&f5).unwrap()).unwrap();
    let (s5, n) = reload(&s4, &corpus, &cache, &[t2.clone(), f5.clone()]);
    assert!(n <= 1, "{n}");
    assert_eq!(
        s5.model.source("synth-00002").unwrap().text.len(),
        text.len() + 17
    );

    // An invalid edit is refused and leaves the store as it was.
    let before = dump(&s5);
    let f4 = source(&corpus, 4, "yaml");
    let original = std::fs::read_to_string(&f4).unwrap();
    edit(&f4, "publisher: news-agency-", "publisher: no-such-agency-");
    let changed: BTreeSet<PathBuf> = [normalize(&f4)].into();
    let err = state::reload(
        &s5,
        &corpus,
        Path::new("/nonexistent"),
        Some(&Cache::open(&cache, &corpus)),
        Some(&changed),
    )
    .err()
    .expect("invalid facts are refused");
    assert!(err.to_string().contains("no-such-agency"), "{err}");
    assert_eq!(dump(&s5), before, "the store is untouched");

    // Fixed differently: the reload still sees the file as changed since the good snapshot.
    std::fs::write(
        &f4,
        original.replacen("title: Synthetic report 4", "title: Four", 1),
    )
    .unwrap();
    let (s6, n) = reload(&s5, &corpus, &cache, std::slice::from_ref(&f4));
    assert_eq!(n, 1);
    assert_eq!(s6.model.source("synth-00004").unwrap().source.title, "Four");

    // A source file that also declares an entity: the patch (which validates unchanged source
    // files as stubs only) would miss the entity, so the next reload checks in full.
    let f5 = source(&corpus, 5, "yaml");
    let declared = format!(
        "{}entities:\n- id: extra-group\n  kind: advocacy_group\n  name: Extra group\n",
        std::fs::read_to_string(&f5).unwrap()
    );
    std::fs::write(&f5, declared).unwrap();
    let (s6, n) = reload(&s6, &corpus, &cache, std::slice::from_ref(&f5));
    assert_eq!(n, 1, "the default graph");
    let f6 = source(&corpus, 6, "yaml");
    edit(&f6, "title: Synthetic report 6", "title: Six");
    let (s6, n) = reload_checking(&s6, &corpus, &cache, std::slice::from_ref(&f6), true);
    assert_eq!(n, 1);
    assert!(s6.model.entity("extra-group").is_some());

    // Only the queries changed: same model and store.
    let (s7, r) = state::reload(&s6, &corpus, Path::new("/nonexistent"), None, None).unwrap();
    assert_eq!(r.replaced, 0);
    assert!(std::sync::Arc::ptr_eq(&s6.model, &s7.model));
}

/// Every quad the server holds, through SPARQL, as sorted TSV rows.
fn served_quads(server: &Server) -> Vec<String> {
    let mut rows = Vec::new();
    for q in [
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    ] {
        let (s, _, body) = http(
            server.addr,
            "POST",
            "/sparql",
            &[
                ("Content-Type", "application/sparql-query"),
                ("Accept", "text/tab-separated-values"),
            ],
            q.as_bytes(),
        );
        assert_eq!(s, 200, "{body}");
        rows.extend(body.lines().skip(1).map(str::to_owned));
    }
    rows.sort();
    rows
}

#[test]
fn watching_binary_replaces_changed_graphs_and_matches_a_cold_server() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = synth(tmp.path(), 6);
    let args = [
        "--facts",
        "corpus",
        "--base",
        BASE,
        "--max-results",
        "1000000",
        "--cache-dir",
        "cache",
    ];
    let server = Server::start(tmp.path(), &[&args[..], &["--watch"]].concat());
    server.wait_log(10, |l| l.contains("loaded corpus: 7 graphs in "));

    let f2 = source(&corpus, 2, "yaml");
    edit(
        &f2,
        "title: Synthetic report 2",
        "title: Report two, edited",
    );
    server.wait_log(30, |l| {
        l.contains("reloaded corpus: 1 of 7 graphs replaced in ")
    });
    let (_, _, page) = server.request("/source/synth-00002", &[]);
    assert!(page.contains("Report two, edited"), "{page}");

    // An invalid edit keeps the last good graph, with the banner.
    let f3 = source(&corpus, 3, "yaml");
    let original = std::fs::read_to_string(&f3).unwrap();
    edit(&f3, "publisher: news-agency-", "publisher: no-such-agency-");
    server.wait_log(30, |l| l.contains("reload failed"));
    let (s, _, page) = server.request("/source/synth-00003", &[]);
    assert_eq!(s, 200);
    assert!(page.contains("class=\"banner\""), "{page}");
    assert!(page.contains("Synthetic report 3"));

    // A deletion, a registry edit and, last, the fix: scans before the fix fail again, so the
    // first good reload sees all three.
    edit(
        &corpus.join("entities.yaml"),
        "name: Liberty Union advocacy group 3",
        "name: Liberty Union advocacy group three",
    );
    for ext in ["yaml", "txt"] {
        std::fs::remove_file(source(&corpus, 0, ext)).unwrap();
    }
    std::fs::write(
        &f3,
        original.replacen("Synthetic report 3", "Report three", 1),
    )
    .unwrap();
    server.wait_log(30, |l| {
        l.contains("reloaded corpus: 3 of 6 graphs replaced in ")
    });
    let (_, _, page) = server.request("/source/synth-00003", &[]);
    assert!(page.contains("Report three") && !page.contains("class=\"banner\""));
    let (s, _, _) = server.request("/source/synth-00000", &[]);
    assert_eq!(s, 404);
    let (_, _, page) = server.request("/search?q=group+three", &[]);
    assert!(
        page.contains("Liberty Union advocacy group three"),
        "{page}"
    );

    let watched = served_quads(&server);
    let fresh = Server::start(tmp.path(), &args);
    assert_eq!(watched, served_quads(&fresh), "watched store = cold load");
    assert!(watched.len() > 5 * 500, "{}", watched.len());
}
