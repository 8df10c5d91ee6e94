//! `analyze`, `explain`, `conflicts`, `stances` and time slicing, on the seed and on the invented
//! multi-source fixture (`tests/fixtures/multi/`); centralities checked against networkx.

use std::path::Path;
use std::process::Command;

use crate::util::{
    assert_golden, edited_seed, require_python_module, root, run, seed_copy, text, SEED_FACTS,
};

const MULTI: &str = "tests/fixtures/multi";

/// Runs in the project root and returns (exit code, stdout, stderr).
fn coalition(args: &[&str]) -> (i32, String, String) {
    let o = run(&root(), args);
    let (out, err) = text(&o);
    (o.status.code().unwrap_or(-1), out, err)
}

/// Runs, expects exit `code`, and compares stdout with the golden file of case `name`
/// (`seed-analyze.txt` → `tests/fixtures/analysis/seed-analyze/expected.txt`).
fn golden(name: &str, args: &[&str], code: i32) -> String {
    let (c, out, err) = coalition(args);
    assert_eq!(c, code, "coalition {args:?}\n{out}\n{err}");
    let (case, ext) = name
        .rsplit_once('.')
        .expect("a golden name has an extension");
    let path = root().join("tests/fixtures/analysis").join(case);
    assert_golden(&path.join(format!("expected.{ext}")), &out);
    out
}

#[test]
fn analyze_seed() {
    golden("seed-analyze.txt", &["analyze"], 0);
    golden("seed-analyze.csv", &["analyze", "--format", "csv"], 0);
}

#[test]
fn analyze_multi_and_slices() {
    let all = golden("multi-analyze.txt", &["analyze", "--facts", MULTI], 0);
    let may = golden(
        "multi-analyze-to-2018-05.txt",
        &["analyze", "--facts", MULTI, "--to", "2018-05"],
        0,
    );
    assert!(all.contains("3 sources") && may.contains("1 source (up to 2018-05)"));
    assert!(!may.contains("quillport"), "{may}");
    let (c, out, _) = coalition(&[
        "analyze", "--facts", MULTI, "--from", "2018-06", "--format", "json",
    ]);
    assert_eq!(c, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["sources"],
        serde_json::json!(["gazette-2019-01-pilot", "weekly-2018-06-letter"])
    );
    let (c, out, _) = coalition(&[
        "analyze",
        "--facts",
        MULTI,
        "--source",
        "weekly-2018-06-letter",
        "--format",
        "json",
    ]);
    assert_eq!(c, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["sources"], serde_json::json!(["weekly-2018-06-letter"]));
}

#[test]
fn analyze_over_time() {
    golden(
        "multi-over-time-month.txt",
        &[
            "analyze",
            "--facts",
            MULTI,
            "--over-time",
            "--period",
            "month",
        ],
        0,
    );
    golden(
        "multi-over-time-year.csv",
        &[
            "analyze",
            "--facts",
            MULTI,
            "--over-time",
            "--format",
            "csv",
        ],
        0,
    );
}

#[test]
fn explain_seed_connects_eff_to_amazon() {
    let out = golden(
        "seed-explain-eff-amazon.txt",
        &["explain", "eff", "amazon"],
        0,
    );
    assert!(
        out.starts_with("Electronic Frontier Foundation → Amazon"),
        "{out}"
    );
    assert!(out.contains("Electronic Frontier Foundation —signed→ Letter of advocacy groups"));
    assert!(out.contains("« Ils ont envoyé une lettre à la direction d'Amazon »"));
    let (c, upper, _) = coalition(&["explain", "EFF", "Amazon"]);
    assert_eq!((c, upper), (0, out));
    golden(
        "seed-explain-eff-amazon.json",
        &[
            "explain",
            "eff",
            "amazon",
            "--format",
            "json",
            "--max-paths",
            "1",
        ],
        0,
    );
}

#[test]
fn explain_multi_follows_the_slice() {
    let all = golden(
        "multi-explain-eff-amazon.txt",
        &[
            "explain",
            "eff",
            "amazon",
            "--facts",
            MULTI,
            "--max-paths",
            "2",
        ],
        0,
    );
    assert!(all.contains("shortest 2 hops"), "{all}");
    let may = golden(
        "multi-explain-eff-amazon-to-2018-05.txt",
        &[
            "explain",
            "eff",
            "amazon",
            "--facts",
            MULTI,
            "--to",
            "2018-05",
            "--max-paths",
            "2",
        ],
        0,
    );
    assert!(may.contains("shortest 3 hops"), "{may}");
    // Walking "Amazon develops Rekognition" backwards still prints it as stated.
    assert!(
        may.contains("Amazon —develops→ Amazon Rekognition  (walked backwards)"),
        "{may}"
    );
}

#[test]
fn explain_errors_and_no_connection() {
    let (c, out, _) = coalition(&["explain", "quillport", "amazon", "--facts", MULTI]);
    assert_eq!(c, 1);
    assert_eq!(
        out,
        "No connection between Quillport and Amazon within 4 hops.\n"
    );
    let (c, _, _) = coalition(&["explain", "eff", "amazon", "--max-hops", "1"]);
    assert_eq!(c, 1, "eff and amazon are 2 hops apart");
    let (c, _, err) = coalition(&["explain", "efff", "amazon"]);
    assert_eq!(c, 2);
    assert!(
        err.contains("no entity is called `efff`; did you mean `eff`"),
        "{err}"
    );
    let (c, _, err) = coalition(&["explain", "state police", "amazon", "--facts", MULTI]);
    assert_eq!(c, 2);
    assert!(err.contains("`state police` is ambiguous"), "{err}");
    assert!(
        err.contains("`arizona-police`") && err.contains("`florida-police`"),
        "{err}"
    );
    let (c, _, err) = coalition(&["explain", "eff", "EFF"]);
    assert_eq!(c, 2, "{err}");
    let (c, _, err) = coalition(&["explain", "eff", "amazon", "--from", "2018-13"]);
    assert_eq!(c, 2);
    assert!(err.contains("invalid date `2018-13`"), "{err}");
}

#[test]
fn conflicts_list_each_side() {
    golden("seed-conflicts.txt", &["conflicts"], 0);
    let out = golden("multi-conflicts.txt", &["conflicts", "--facts", MULTI], 0);
    assert!(out.starts_with("3 conflicts among 3 sources"), "{out}");
    let (c, out, _) = coalition(&["conflicts", "--facts", MULTI, "--format", "json"]);
    assert_eq!(c, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["quantity", "value", "stance"]);
    assert_eq!(
        v[0]["sides"][1]["claims"][0]["source"],
        "weekly-2018-06-letter"
    );
    // From June 2018 on, only the 40-against-41 disagreement is left.
    let later = golden(
        "multi-conflicts-from-2018-06.txt",
        &["conflicts", "--facts", MULTI, "--from", "2018-06"],
        0,
    );
    assert!(
        later.starts_with("1 conflict among 2 sources (from 2018-06)"),
        "{later}"
    );
}

#[test]
fn stance_networks() {
    golden("seed-congruence.csv", &["stances"], 0);
    golden(
        "seed-two-mode.graphml",
        &["stances", "--network", "two-mode", "--format", "graphml"],
        0,
    );
    golden(
        "multi-conflict-jaccard.csv",
        &[
            "stances",
            "--facts",
            MULTI,
            "--network",
            "conflict",
            "--normalize",
            "jaccard",
        ],
        0,
    );
    let (c, _, err) = coalition(&["stances", "--network", "two-mode", "--normalize", "jaccard"]);
    assert_eq!(c, 2);
    assert!(
        err.contains("--normalize applies to the congruence"),
        "{err}"
    );
}

#[test]
fn invalid_facts_are_refused() {
    let tmp = edited_seed(
        SEED_FACTS,
        "Ils ont envoyé une lettre",
        "Ils ont envoyé la lettre",
    );
    let o = run(tmp.path(), &["analyze"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("C010") && err.contains("the facts are invalid"),
        "{err}"
    );
}

#[test]
fn stance_rule() {
    let tmp = seed_copy();
    let f = tmp
        .path()
        .join("seeds/sources/afp-2018-05-rekognition-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    let s = s.replacen(
        "    object: people-of-colour\n    certainty: attributed\n",
        "    object: people-of-colour\n    stance: opposes\n    certainty: attributed\n",
        1,
    );
    let s = s.replacen(
        "    object: facial-recognition\n    stance: opposes\n",
        "    object: facial-recognition\n    stance: supports\n",
        1,
    );
    std::fs::write(&f, s).unwrap();
    let o = run(tmp.path(), &["check"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[C026]: a stance needs an actor as subject"),
        "{err}"
    );
    assert!(
        err.contains("error[C026]: `criticizes` with `stance: supports` contradicts itself"),
        "{err}"
    );
}

/// networkx computes betweenness (normalised) and closeness on the edges `analyze` reports;
/// every figure must agree within 1e-9.
fn check_against_networkx(facts: &str) {
    let (c, out, err) = coalition(&["analyze", "--facts", facts, "--format", "json"]);
    assert_eq!(c, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["structure"];
    let nodes: Vec<&str> = s["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let graph = serde_json::json!({"nodes": nodes, "edges": s["edges"]});
    let script = r#"
import json, sys
import networkx as nx
g = json.load(sys.stdin)
G = nx.Graph()
G.add_nodes_from(g["nodes"])
G.add_edges_from(g["edges"])
out = {
    "betweenness": nx.betweenness_centrality(G, normalized=True),
    "closeness": nx.closeness_centrality(G),
    "components": nx.number_connected_components(G),
}
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(graph.to_string().as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    let nx: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(nx["components"], s["components"].as_array().unwrap().len());
    assert!(nodes.len() > 10);
    let mut nonzero = 0;
    for e in s["entities"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        for figure in ["betweenness", "closeness"] {
            let ours = e[figure].as_f64().unwrap();
            let theirs = nx[figure][id].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() < 1e-9,
                "{facts}: {figure} of {id}: ours {ours}, networkx {theirs}"
            );
            nonzero += usize::from(ours > 0.0);
        }
    }
    assert!(
        nonzero > nodes.len(),
        "figures should not be trivially zero"
    );
}

#[test]
fn centrality_matches_networkx() {
    if !require_python_module("networkx") {
        return;
    }
    check_against_networkx("seeds");
    check_against_networkx(MULTI);
}

#[test]
fn graphml_reads_in_networkx() {
    if !require_python_module("networkx") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (c, out, _) = coalition(&[
        "stances",
        "--network",
        "congruence",
        "--normalize",
        "average-activity",
        "--format",
        "graphml",
    ]);
    assert_eq!(c, 0);
    let path = tmp.path().join("congruence.graphml");
    std::fs::write(&path, out).unwrap();
    let script = "import sys, networkx as nx\n\
        g = nx.read_graphml(sys.argv[1])\n\
        print(g.number_of_nodes(), g.number_of_edges(), g.is_directed(),\n\
              g.edges['advocacy-coalition', 'eff']['weight'], g.nodes['eff']['label'])";
    let o = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stderr}");
    // 6 actors oppose Rekognition; the coalition also opposes facial recognition, so its tie
    // with EFF (1 shared concept, activities 2 and 1) weighs 1 / 1.5.
    assert_eq!(
        stdout.trim(),
        format!("6 15 False {} Electronic Frontier Foundation", 1.0 / 1.5)
    );
    assert!(Path::new(&path).exists());
}

/// Every `$ coalition …` block of docs/ANALYSIS.md shows the command's real output.
#[test]
fn docs_examples_are_real_output() {
    let doc = std::fs::read_to_string(root().join("docs/ANALYSIS.md")).unwrap();
    let mut n = 0;
    for block in doc.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let (cmd, expected) = block.split_once('\n').unwrap();
        let args: Vec<&str> = cmd
            .strip_prefix("$ coalition ")
            .unwrap()
            .split_whitespace()
            .collect();
        let (_, out, _) = coalition(&args);
        assert_eq!(out, expected, "docs/ANALYSIS.md: `{cmd}` is out of date");
        n += 1;
    }
    assert!(n >= 8, "{n} examples");
}

/// "30" and "about 30" agree; only different values conflict.
#[test]
fn same_quantity_worded_differently_is_no_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    crate::util::copy_dir(&root().join(MULTI), tmp.path());
    let f = tmp.path().join("sources/weekly-2018-06-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    let changed = s.replace(
        "quantity: {value: 40, approximate: true, lower: 35, upper: 45, wording: Some forty}",
        "quantity: {value: 30}",
    );
    assert_ne!(s, changed);
    std::fs::write(&f, changed).unwrap();
    let o = run(tmp.path(), &["conflicts", "--facts", "."]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.starts_with("2 conflicts among 3 sources"), "{out}");
    assert!(!out.contains("how many"), "{out}");
}
