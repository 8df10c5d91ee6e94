//! A minimal LSP client for the tests: `Content-Length` framing over the child's stdio, requests
//! matched to responses by id, notifications kept until asked for.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);

/// A test client over the child's stdio.
pub struct Client {
    pub child: Child,
    pub stdin: ChildStdin,
    pub rx: Receiver<Value>,
    pub next: i64,
    /// Notifications received while waiting for something else.
    pub seen: Vec<Value>,
}

impl Client {
    pub fn start(root: &Path) -> Client {
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

    pub fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
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
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
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
    pub fn settle(&mut self) {
        let r = self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///none.yaml"}}),
        );
        assert!(r.get("error").is_none(), "{r}");
    }

    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}),
        );
        u
    }

    pub fn change(&mut self, u: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    pub fn at(&mut self, method: &str, u: &str, pos: (u32, u32)) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": u}, "position": {"line": pos.0, "character": pos.1},
                   "context": {"includeDeclaration": true}}),
        )
    }

    pub fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

pub fn uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or(path.to_path_buf());
    url::Url::from_file_path(path).unwrap().to_string()
}

/// (line, UTF-16 column) of the first occurrence of `needle` in `text`, plus `shift` characters.
pub fn pos(text: &str, needle: &str, shift: usize) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[start..at].encode_utf16().count() + shift;
    (line, col as u32)
}

/// Applies one LSP text edit (positions in UTF-16 units) to `text`.
pub fn apply(text: &str, edit: &Value) -> String {
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
