//! Runs Graphviz `dot -Tsvg` (<https://graphviz.org/doc/info/command.html>) on our DOT text.
//! Any warning on stderr is treated as an error, so a diagram never silently loses styling.

use std::io::Write;
use std::process::{Command, Stdio};

use super::error::DiagramError;

/// Whether `dot` can be run.
pub fn available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Renders `dot_text` to SVG with Graphviz.
pub fn render(dot_text: &str) -> Result<String, DiagramError> {
    run(dot_text, "-Tsvg")
}

fn run(dot_text: &str, format: &str) -> Result<String, DiagramError> {
    let mut child = Command::new("dot")
        .arg(format)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(DiagramError::GraphvizIo)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot_text.as_bytes())
            .map_err(DiagramError::GraphvizIo)?;
    }
    let out = child.wait_with_output().map_err(DiagramError::GraphvizIo)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !stderr.trim().is_empty() {
        return Err(DiagramError::Graphviz(stderr.trim().to_string()));
    }
    String::from_utf8(out.stdout).map_err(|e| DiagramError::Graphviz(e.to_string()))
}

/// Graphviz's layout of `dot_text` as JSON (`dot -Tjson`), for measuring it.
pub fn layout_json(dot_text: &str) -> Result<String, DiagramError> {
    run(dot_text, "-Tjson")
}
