//! `coalition lsp` driven as an editor drives it: JSON-RPC with `Content-Length` framing over the
//! child's stdio (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#baseProtocol>),
//! on a temporary copy of the seed.

mod client;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::util::seed_copy;
use client::{apply, pos, uri, Client};

const SOURCE: &str = "seeds/sources/afp-2018-05-rekognition-letter.yaml";

fn seed(tmp: &Path) -> (PathBuf, String) {
    let path = tmp.join(SOURCE);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn lsp_diagnostics_come_from_the_buffers_and_cross_files() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, text) = seed(tmp.path());
    let u = c.open(&path, &text);
    assert_eq!(c.diagnostics(&u), Vec::<Value>::new());
    // An unknown subject, typed but not saved.
    let edited = text.replacen(
        "  - subject: jeff-bezos\n    predicate: founded",
        "  - subject: jeff-bezoz\n    predicate: founded",
        1,
    );
    c.change(&u, 2, &edited);
    let diags = c.diagnostics(&u);
    assert_eq!(codes(&diags), ["C007"], "{diags:?}");
    let d = &diags[0];
    let (line, col) = pos(&edited, "jeff-bezoz", 0);
    assert_eq!(d["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": col + 10})
    );
    assert_eq!(d["severity"], 1);
    // The same message and hint as `coalition check`.
    let msg = d["message"].as_str().unwrap();
    assert!(msg.starts_with("unknown entity `jeff-bezoz` (not in the entity registry)\nhint: did you mean `jeff-bezos`?"), "{msg}");
    std::fs::write(&path, &edited).unwrap();
    let o = crate::util::run(tmp.path(), &["check", "--json"]);
    let check: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check[0]["rule"], "C007");
    assert!(msg.starts_with(check[0]["message"].as_str().unwrap()));
    assert_eq!(check[0]["line"], line + 1);
    // Declaring the entity in the registry's buffer clears the error in the source file.
    let reg = tmp.path().join("seeds/entities.yaml");
    let reg_text = std::fs::read_to_string(&reg).unwrap();
    let ru = c.open(
        &reg,
        &(reg_text.clone() + "\n  - id: jeff-bezoz\n    kind: person\n    name: J. B.\n"),
    );
    assert_eq!(c.diagnostics(&u), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&ru), Vec::<Value>::new());
    // Broken YAML while typing: a diagnostic, not a crash.
    c.change(&u, 3, &(edited.clone() + "statements: [\n  - subject: {"));
    let diags = c.diagnostics(&u);
    assert_eq!(codes(&diags), ["C001"], "{diags:?}");
    c.change(&u, 4, "");
    assert_eq!(codes(&c.diagnostics(&u)), ["C018"]);
    c.stop();
}

#[test]
fn lsp_completes_ids_predicates_and_quotes() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, text) = seed(tmp.path());
    let edited = text
        .replacen(
            "  - subject: jeff-bezos\n    predicate: leads",
            "  - subject: jeff-bezos\n    predicate: le",
            1,
        )
        .replacen("  - subject: eff\n", "  - subject: ef\n", 1)
        .replacen(
            "      - quote: a été signée par une trentaine de groupes militants",
            "      - quote: trentaine",
            1,
        );
    let u = c.open(&path, &edited);
    let r = c.at(
        "textDocument/completion",
        &u,
        pos(&edited, "subject: ef\n", 11),
    );
    let items = r["result"].as_array().unwrap();
    let eff = items
        .iter()
        .find(|i| i["label"] == "eff")
        .expect("eff offered");
    assert_eq!(
        eff["detail"],
        "Electronic Frontier Foundation (advocacy group)"
    );
    assert!(eff["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("aliases: EFF"));
    let (l, ch) = pos(&edited, "subject: ef\n", 9);
    assert_eq!(
        eff["textEdit"]["range"]["start"],
        json!({"line": l, "character": ch})
    );
    let afp = items.iter().find(|i| i["label"] == "afp").unwrap();
    assert!(afp["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("Q40464"));
    // A person leads or founds: those predicates sort first.
    let r = c.at(
        "textDocument/completion",
        &u,
        pos(&edited, "predicate: le\n", 13),
    );
    let items = r["result"].as_array().unwrap();
    let rank = |p: &str| {
        let item = items.iter().find(|i| i["label"] == p).unwrap();
        item["sortText"].as_str().unwrap()[..1].to_string()
    };
    assert_eq!((rank("leads"), rank("founded")), ("0".into(), "0".into()));
    assert_eq!(
        (rank("develops"), rank("affects")),
        ("1".into(), "1".into())
    );
    // Inside a quote: the stored sentences holding what is typed, exactly as stored.
    let r = c.at(
        "textDocument/completion",
        &u,
        pos(&edited, "quote: trentaine", 16),
    );
    let items = r["result"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    let sentence = "La lettre au fondateur et dirigeant d'Amazon, Jeff Bezos, a été signée par une trentaine de groupes militants dont Electronic Frontier Foundation, Black Lives Matter, Freedom of the Press Foundation et Human Rights Watch.";
    assert_eq!(items[0]["label"], sentence);
    assert_eq!(items[0]["textEdit"]["newText"], sentence);
    c.stop();
}

#[test]
fn lsp_hovers_ids_and_quotes() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, text) = seed(tmp.path());
    let u = c.open(&path, &text);
    let r = c.at("textDocument/hover", &u, pos(&text, "subject: aclu\n", 10));
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        v.starts_with("**American Civil Liberties Union** (`aclu`)"),
        "{v}"
    );
    assert!(v.contains("kind: advocacy group (`advocacy_group`)"), "{v}");
    assert!(v.contains("aliases: ACLU") && v.contains("Q21637"), "{v}");
    assert!(v.contains("statements: "), "{v}");
    let r = c.at(
        "textDocument/hover",
        &u,
        pos(&text, "quote: Ils ont envoyé", 10),
    );
    let v = r["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.contains("characters 14–63 (line 1)"), "{v}");
    assert!(v.contains("sentence: date 2018-05 Ils ont envoyé"), "{v}");
    c.stop();
}

#[test]
fn lsp_goes_to_definitions_and_references() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, text) = seed(tmp.path());
    let u = c.open(&path, &text);
    let reg = uri(&tmp.path().join("seeds/entities.yaml"));
    let reg_text = std::fs::read_to_string(tmp.path().join("seeds/entities.yaml")).unwrap();
    let r = c.at(
        "textDocument/definition",
        &u,
        pos(&text, "subject: aclu\n", 11),
    );
    assert_eq!(r["result"]["uri"], reg);
    let (l, ch) = pos(&reg_text, "id: aclu\n", 4);
    assert_eq!(
        r["result"]["range"]["start"],
        json!({"line": l, "character": ch})
    );
    let r = c.at(
        "textDocument/definition",
        &u,
        pos(&text, "text: afp-2018", 8),
    );
    assert!(
        r["result"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("afp-2018-05-rekognition-letter.txt"),
        "{r}"
    );
    let r = c.at(
        "textDocument/references",
        &u,
        pos(&text, "speaker: nicole-ozer", 10),
    );
    let locs = r["result"].as_array().unwrap();
    let uses = text.matches(": nicole-ozer\n").count();
    assert_eq!(locs.len(), uses + 1, "{locs:?}");
    assert!(locs.iter().any(|l| l["uri"] == reg));
    c.stop();
}

#[test]
fn lsp_offers_quick_fixes() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, text) = seed(tmp.path());
    let edited = text
        .replacen("  - subject: eff\n", "  - subject: Le Monde\n", 1)
        .replacen(
            "quote: Ils ont envoyé une lettre à la direction d'Amazon",
            "quote: ils ont  envoyé une lettre à la direction d’Amazon",
            1,
        );
    let u = c.open(&path, &edited);
    let diags = c.diagnostics(&u);
    let mut found = codes(&diags);
    found.sort();
    assert_eq!(found, ["C007", "C010"], "{diags:?}");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let actions = r["result"].as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"add `le-monde` to the entity registry"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"use the source's exact text"),
        "{titles:?}"
    );
    // A name or alias where an id belongs: use the entity's id.
    let named = edited.replacen("  - subject: aclu\n", "  - subject: ACLU\n", 1);
    c.change(&u, 2, &named);
    let diags: Vec<Value> = c
        .diagnostics(&u)
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().contains("`ACLU`"))
        .collect();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let titles: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles[0], "use `aclu` (American Civil Liberties Union)",
        "{titles:?}"
    );
    c.change(&u, 3, &edited);
    c.diagnostics(&u);
    // Applying both edits as the editor would gives a file that passes `check`.
    let reg = tmp.path().join("seeds/entities.yaml");
    let mut files = [
        (u.clone(), edited.clone()),
        (uri(&reg), std::fs::read_to_string(&reg).unwrap()),
    ];
    for a in actions {
        for (file, edits) in a["edit"]["changes"].as_object().unwrap() {
            let (_, t) = files.iter_mut().find(|(f, _)| f == file).unwrap();
            for e in edits.as_array().unwrap() {
                *t = apply(t, e);
            }
        }
    }
    assert!(
        files[1]
            .1
            .ends_with("  - id: le-monde\n    kind: advocacy_group\n    name: Le Monde\n"),
        "{}",
        files[1].1
    );
    std::fs::write(&path, &files[0].1).unwrap();
    std::fs::write(&reg, &files[1].1).unwrap();
    let o = crate::util::run(tmp.path(), &["check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    c.stop();
}

#[test]
fn lsp_outlines_statements() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, text) = seed(tmp.path());
    let u = c.open(&path, &text);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let names: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "source afp-2018-05-rekognition-letter");
    assert_eq!(names[1], "advocacy-coalition — signed → letter-to-bezos");
    assert!(names.contains(&"jeff-bezos — leads → amazon"), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("nicole-ozer says: Quand un dangereux")),
        "{names:?}"
    );
    c.stop();
}

#[test]
fn lsp_answers_unsupported_requests_and_finds_no_facts() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Client::start(tmp.path());
    let r = c.request("textDocument/formatting", json!({"textDocument": {"uri": "file:///x.yaml"}, "options": {"tabSize": 2, "insertSpaces": true}}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let note = c
        .seen
        .iter()
        .find(|m| m["method"] == "window/showMessage")
        .expect("a message")
        .clone();
    assert!(
        note["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no facts folder found"),
        "{note}"
    );
    let u = c.open(&tmp.path().join("loose.yaml"), "entities: []\n");
    let diags = c.diagnostics(&u);
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("no facts folder found"),
        "{diags:?}"
    );
    c.stop();
}

#[test]
fn lsp_survives_thousands_of_random_edits() {
    let tmp = seed_copy();
    let mut c = Client::start(tmp.path());
    let (path, mut text) = seed(tmp.path());
    let u = c.open(&path, &text);
    let pieces = [
        "",
        ":",
        "- ",
        "\n",
        "  ",
        "[",
        "{",
        "}",
        "\"",
        "'",
        "é",
        "😀",
        "&a",
        "*a",
        "subject: ",
        "quote: >-\n",
        "#",
        "\t",
        "!!int ",
        "---\n",
        "?",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut rand = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for version in 2..2002 {
        let mut at = rand(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + rand(8)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(at..end, pieces[rand(pieces.len())]);
        c.change(&u, version, &text);
        if version % 10 == 0 {
            let line = rand(text.lines().count().max(1)) as u32;
            let method = [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
                "textDocument/references",
            ][rand(4)];
            let r = c.at(method, &u, (line, rand(40) as u32));
            assert!(r.get("error").is_none(), "{method}: {r}");
            let r = c.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": u}}),
            );
            assert!(r.get("error").is_none(), "{r}");
        }
    }
    c.settle();
    // Still answering, and the original text checks clean again.
    c.change(&u, 3000, &seed(tmp.path()).1);
    c.settle();
    c.seen.clear();
    let r = c.at(
        "textDocument/hover",
        &u,
        pos(&text_of(tmp.path()), "subject: aclu\n", 10),
    );
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("aclu"),
        "{r}"
    );
    c.stop();
}

fn text_of(tmp: &Path) -> String {
    seed(tmp).1
}

#[test]
fn lsp_passes_pytest_lsp_as_the_real_client() {
    if !crate::util::require_python_module("pytest_lsp") {
        return;
    }
    let tmp = seed_copy();
    let o = Command::new("python3")
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            // A reply the client's capabilities do not allow fails the test.
            "-W",
            "error::pytest_lsp.checks.LspSpecificationWarning",
        ])
        .arg(crate::util::root().join("tests/pytest_lsp"))
        .env("COALITION_BIN", env!("CARGO_BIN_EXE_coalition"))
        .env("COALITION_ROOT", tmp.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("3 passed"), "{out}");
}
