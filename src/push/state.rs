//! The `--changed-only` state file: per target, the SHA-256 of each graph last pushed there.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{Graph, PushError, Target};

/// Target key → graph IRI → digest.
pub(super) type State = BTreeMap<String, BTreeMap<String, String>>;

pub(super) fn digest(g: &Graph) -> String {
    let mut h = Sha256::new();
    h.update(g.iri.as_bytes());
    h.update([0]);
    h.update(&g.ntriples);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn target_key(t: &Target) -> String {
    match t {
        Target::GraphStore(u) => format!("gsp {u}"),
        Target::Update(u) => format!("update {u}"),
    }
}

pub(super) fn read(path: &Path) -> Result<State, PushError> {
    match std::fs::read_to_string(path) {
        Ok(s) => serde_json::from_str(&s).map_err(|e| PushError::State {
            path: path.display().to_string(),
            message: format!("corrupt ({e}); delete it to push everything"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::new()),
        Err(e) => Err(PushError::State {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

pub(super) fn write(path: &Path, state: &State) -> Result<(), PushError> {
    let err = |e: std::io::Error| PushError::State {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let json = serde_json::to_string_pretty(state).expect("maps of strings serialize");
    // Written whole to a temp file beside it, then renamed over it: never half a state file.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    std::io::Write::write_all(&mut tmp, json.as_bytes()).map_err(err)?;
    tmp.persist(path).map(drop).map_err(|e| err(e.error))
}
