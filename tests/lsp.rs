//! `coalition lsp` driven as an editor drives it: JSON-RPC with `Content-Length` framing over the
//! child's stdio (<https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#baseProtocol>),
//! on a temporary copy of the seed.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use crate::util::seed_copy;

const WAIT: Duration = Duration::from_secs(30);
const SOURCE: &str = "seeds/sources/afp-2018-05-rekognition-letter.yaml";

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next: i64,
    /// Notifications received while waiting for something else.
    seen: Vec<Value>,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_coalition"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary runs");
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut len = 0;
            loop {
                let mut line = String::new();
                if out.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    len = n.parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            if out.read_exact(&mut body).is_err() {
                return;
            }
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        let mut c = Client {
            child,
            stdin,
            rx,
            next: 0,
            seen: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": {}}),
        );
        assert!(
            init["result"]["capabilities"]["hoverProvider"] == json!(true),
            "{init}"
        );
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.rx.recv_timeout(WAIT).expect("the server answers");
            if msg["id"] == json!(id) {
                return msg;
            }
            self.seen.push(msg);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.seen.iter().position(is_for) {
            let m = self.seen.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.rx.recv_timeout(WAIT).expect("diagnostics come");
            if is_for(&m) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.seen.push(m);
        }
    }

    /// Waits until every message sent so far was handled (a request is answered in order).
    fn settle(&mut self) {
        let r = self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///none.yaml"}}),
        );
        assert!(r.get("error").is_none(), "{r}");
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}),
        );
        u
    }

    fn change(&mut self, u: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&mut self, method: &str, u: &str, pos: (u32, u32)) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": u}, "position": {"line": pos.0, "character": pos.1},
                   "context": {"includeDeclaration": true}}),
        )
    }

    fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or(path.to_path_buf());
    url::Url::from_file_path(path).unwrap().to_string()
}

/// (line, UTF-16 column) of the first occurrence of `needle` in `text`, plus `shift` characters.
fn pos(text: &str, needle: &str, shift: usize) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[start..at].encode_utf16().count() + shift;
    (line, col as u32)
}

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

/// Applies one LSP text edit (positions in UTF-16 units) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    let off = |p: &Value| {
        let (line, ch) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let (a, b) = (off(&edit["range"]["start"]), off(&edit["range"]["end"]));
    format!(
        "{}{}{}",
        &text[..a],
        edit["newText"].as_str().unwrap(),
        &text[b..]
    )
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
