//! What the store tests share: free loopback ports, a child server killed on drop, and the
//! comparison of every named query's rows with `coalition query`.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::util::{in_ci, root, run, text};

/// A server process, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `program` can be started at all (Virtuoso's tools have no probe that exits 0). Outside
/// CI a missing program skips the test with a printed reason; under CI=true it fails it.
pub fn require_installed(program: &str) -> bool {
    let ok = std::process::Command::new(program)
        .arg("--help")
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok();
    if !ok {
        assert!(
            !in_ci(),
            "{program} is required in CI (install it in .ci/run)"
        );
        eprintln!("SKIPPED: {program} is not installed here (this test fails under CI=true)");
    }
    ok
}

/// Waits until `url` answers a GET with a success status.
pub fn wait_for(server: &mut Server, url: &str, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if ureq::get(url).call().is_ok() {
            return;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("the server exited ({status}) before answering {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{url} did not answer within {within:?}");
}

/// The names of the queries in `queries/`, sorted.
pub fn named_queries() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "rq").then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

pub fn query_text(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("queries/{name}.rq"))).unwrap()
}

/// SPARQL JSON results as sorted rows of variable → lexical value.
pub fn rows(json: &str) -> Vec<BTreeMap<String, String>> {
    let v: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not SPARQL JSON ({e}): {json}"));
    let mut rows: Vec<BTreeMap<String, String>> = v["results"]["bindings"]
        .as_array()
        .unwrap_or_else(|| panic!("no bindings: {json}"))
        .iter()
        .map(|b| {
            b.as_object()
                .unwrap()
                .iter()
                .map(|(k, t)| (k.clone(), canonical(t)))
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

/// A term's lexical value; an `xsd:boolean` in canonical form (Virtuoso writes `1` for `true`,
/// the same value).
fn canonical(t: &serde_json::Value) -> String {
    let value = t["value"].as_str().unwrap();
    let boolean = t["datatype"] == "http://www.w3.org/2001/XMLSchema#boolean";
    match value {
        "1" if boolean => "true".into(),
        "0" if boolean => "false".into(),
        v => v.to_string(),
    }
}

/// The rows of `coalition query NAME` on the seed.
pub fn local_rows(name: &str) -> Vec<BTreeMap<String, String>> {
    let o = run(
        &root(),
        &[
            "query",
            "--no-cache",
            "--facts",
            "seeds",
            "--format",
            "json",
            name,
        ],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let r = rows(&out);
    assert!(!r.is_empty(), "{name} has rows locally");
    r
}

/// Runs every named query with `remote` (name, text → SPARQL JSON) and compares with the local
/// rows.
pub fn assert_named_queries_match(store: &str, mut remote: impl FnMut(&str, &str) -> String) {
    for name in named_queries() {
        let got = rows(&remote(&name, &query_text(&name)));
        assert_eq!(got, local_rows(&name), "{name} on {store}");
    }
}

/// SPARQL JSON results of `query` at `endpoint` (SPARQL 1.1 Protocol, form POST).
pub fn select_json(endpoint: &str, query: &str) -> String {
    ureq::post(endpoint)
        .header("Accept", "application/sparql-results+json")
        .send_form([("query", query)])
        .unwrap_or_else(|e| panic!("{endpoint}: {e}"))
        .body_mut()
        .read_to_string()
        .unwrap()
}

/// Runs `coalition push ARGS` on the seed; returns (success, stderr).
pub fn push(args: &[&str]) -> (bool, String) {
    // --no-cache: the checkout stays clean.
    let mut all = vec!["push", "--no-cache"];
    all.extend_from_slice(args);
    let o = run(&root(), &all);
    let (out, err) = text(&o);
    assert!(out.is_empty(), "push prints on stderr only: {out}");
    (o.status.success(), err)
}
