//! Push to Virtuoso 7.2 (Debian `virtuoso-opensource`), started by the test on free loopback
//! ports with a temp database: its Graph Store endpoint `/sparql-graph-crud` and SPARQL Update
//! through `/sparql` (after `GRANT SPARQL_UPDATE TO "SPARQL"`). Virtuoso has no default graph of
//! its own (a query's default graph is every graph), so the registry goes to a named graph.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::store::{self, assert_named_queries_match, push, select_json, Server};

fn ini(dir: &Path, sql: u16, http: u16) -> String {
    let d = dir.display();
    format!(
        "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\n\
         LockFile = {d}/virtuoso.lck\nTransactionFile = {d}/virtuoso.trx\n\
         xa_persistent_file = {d}/virtuoso.pxa\nTempStorage = TempDatabase\n\
         [TempDatabase]\nDatabaseFile = {d}/virtuoso-temp.db\nTransactionFile = {d}/virtuoso-temp.trx\n\
         [Parameters]\nServerPort = 127.0.0.1:{sql}\nDisableUnixSocket = 1\nNumberOfBuffers = 10000\n\
         MaxDirtyBuffers = 6000\nDirsAllowed = {d}\n\
         [HTTPServer]\nServerPort = 127.0.0.1:{http}\nServerRoot = {d}\nServerThreads = 4\n\
         [SPARQL]\nResultSetMaxRows = 100000\n"
    )
}

fn start(dir: &Path) -> Option<Server> {
    if !store::require_installed("virtuoso-t") || !store::require_installed("isql-vt") {
        return None;
    }
    let (sql, http) = (store::free_port(), store::free_port());
    let ini_path = dir.join("virtuoso.ini");
    std::fs::write(&ini_path, ini(dir, sql, http)).unwrap();
    let child = Command::new("virtuoso-t")
        .args(["+configfile", ini_path.to_str().unwrap(), "+foreground"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("virtuoso-t starts");
    let mut server = Server {
        child,
        url: format!("http://127.0.0.1:{http}"),
    };
    let probe = format!("{}/sparql?query=ASK%7B%7D", server.url);
    store::wait_for(&mut server, &probe, Duration::from_secs(120));
    // Anonymous SPARQL may write (a test database on loopback only).
    let grant =
        "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);";
    let o = Command::new("isql-vt")
        .args([
            &format!("127.0.0.1:{sql}"),
            "dba",
            "dba",
            &format!("exec={grant}"),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    Some(server)
}

#[test]
fn virtuoso_takes_both_protocols() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(server) = start(tmp.path()) else {
        return;
    };
    let gsp = format!("{}/sparql-graph-crud", server.url);
    let sparql = format!("{}/sparql", server.url);
    // The default graph is refused; its failure is reported whole and does not stop the others.
    let (ok, err) = push(&["--endpoint", &gsp, "--retries", "3"]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("pushing the default graph to")
            && err.contains("HTTP 500")
            && err.contains("endpoint is not configured to have default graph"),
        "{err}"
    );
    assert_eq!(
        err.matches("HTTP 500").count(),
        1,
        "a 500 is not retried: {err}"
    );
    assert!(
        err.contains("<https://coalition.example/registry>: sent 212 triples"),
        "{err}"
    );
    assert!(
        err.contains("pushed 2 graphs, 0 unchanged, 1 failed"),
        "{err}"
    );
    let (ok, err) = push(&["--update-endpoint", &sparql, "--registry", "default"]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("HTTP 400") && err.contains("requires declaration of a plain default graph"),
        "{err}"
    );
    for (flag, endpoint) in [("--endpoint", &gsp), ("--update-endpoint", &sparql)] {
        let drop = "DROP SILENT GRAPH <https://coalition.example/registry> ; \
                    DROP SILENT GRAPH <https://coalition.example/source/afp-2018-05-rekognition-letter>";
        ureq::post(&sparql)
            .header("Content-Type", "application/sparql-update")
            .send(drop)
            .unwrap();
        let (ok, err) = push(&[flag, endpoint, "--registry", "named"]);
        assert!(ok, "{err}");
        assert!(
            err.contains("pushed 2 graphs, 0 unchanged, 0 failed"),
            "{err}"
        );
        assert_named_queries_match(&format!("Virtuoso ({flag})"), |_, q| {
            select_json(&sparql, q)
        });
    }
}
