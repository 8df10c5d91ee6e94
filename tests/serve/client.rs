//! The real binary on a loopback port: request log, raw-path traversal, Python's SPARQLWrapper as
//! a third-party SPARQL client, and `--watch` reloading (and keeping the last good graph).

use std::process::Command;

use super::{http, Server, SIGNATORIES, WHO_SIGNED};
use crate::util::{require_python_module, root, seed_copy, text};

#[test]
fn binary_serves_logs_and_refuses_traversal() {
    let server = Server::start(&root(), &["--facts", "seeds"]);
    assert!(server.addr.ip().is_loopback());
    let (s, _, body) = server.request("/", &[]);
    assert_eq!(s, 200);
    assert!(body.contains("Coalition explorer"));
    for raw in [
        "/source/../../etc/passwd",
        "/source/..%2F..%2Fetc%2Fpasswd",
        "/../../../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
    ] {
        let (s, _, body) = server.request(raw, &[]);
        assert!(s == 404 || s == 400, "{raw}: {s}");
        assert!(
            !body.contains("root:") && !body.contains("[package]"),
            "{raw}"
        );
    }
    let insert = "update=INSERT%20DATA%20%7B%3Chttp%3A%2F%2Fx%3E%20%3Chttp%3A%2F%2Fx%3E%20%3Chttp%3A%2F%2Fx%3E%7D";
    let (s, _, _) = http(
        server.addr,
        "POST",
        "/sparql",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        insert.as_bytes(),
    );
    assert_eq!(s, 403);
    server.wait_log(10, |l| {
        l.contains("GET / 200 ") && l.contains("POST /sparql 403 ")
    });
}

#[test]
fn sparqlwrapper_asks_who_signed() {
    if !require_python_module("SPARQLWrapper") {
        return;
    }
    let server = Server::start(&root(), &["--facts", "seeds"]);
    let script = r#"
import sys
from SPARQLWrapper import SPARQLWrapper, JSON, GET, POST
query = sys.stdin.read()
for method in (GET, POST):
    sw = SPARQLWrapper(sys.argv[1])
    sw.setMethod(method)
    sw.setQuery(query)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    # The named signatories; the coalition's row carries its approximate size instead.
    print("|".join(r["name"]["value"] for r in rows if "quantity" not in r))
"#;
    let out = Command::new("python3")
        .args(["-c", script, &format!("{}sparql", server.url())])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(WHO_SIGNED.as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 runs");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let expected = SIGNATORIES.join("|");
    assert_eq!(stdout, format!("{expected}\n{expected}\n"), "{stderr}");
    server.wait_log(10, |l| {
        l.contains("GET /sparql 200") && l.contains("POST /sparql 200")
    });
}

#[test]
fn watch_reloads_and_keeps_the_last_good_graph() {
    let tmp = seed_copy();
    let server = Server::start(tmp.path(), &["--facts", "seeds", "--watch"]);
    let entities = tmp.path().join("seeds/entities.yaml");
    let original = std::fs::read_to_string(&entities).unwrap();
    // A valid change is picked up.
    let renamed = original.replace(
        "name: Electronic Frontier Foundation",
        "name: Electronic Frontier Foundation (renamed)",
    );
    assert_ne!(renamed, original);
    std::fs::write(&entities, &renamed).unwrap();
    server.wait_log(20, |l| l.contains("reloaded"));
    let (_, _, body) = server.request("/entity/eff", &[]);
    assert!(
        body.contains("<h1>Electronic Frontier Foundation (renamed)</h1>"),
        "{body}"
    );
    // An invalid change keeps the last good graph and shows the diagnostics in a banner.
    let broken = renamed.replace("kind: advocacy_group", "kind: pressure_group");
    std::fs::write(&entities, broken).unwrap();
    server.wait_log(20, |l| l.contains("reload failed"));
    let (s, _, body) = server.request("/entity/eff", &[]);
    assert_eq!(s, 200);
    assert!(body.contains("(renamed)</h1>"), "still the last good graph");
    assert!(
        body.contains("<div class=\"banner\" role=\"alert\">"),
        "{body}"
    );
    assert!(
        body.contains("pressure_group"),
        "the diagnostics are shown: {body}"
    );
    // Fixing it clears the banner.
    std::fs::write(&entities, &original).unwrap();
    server.wait_log(20, |l| l.matches("reloaded").count() >= 2);
    let (_, _, body) = server.request("/entity/eff", &[]);
    assert!(!body.contains("class=\"banner\""));
    assert!(body.contains("<h1>Electronic Frontier Foundation</h1>"));
}
