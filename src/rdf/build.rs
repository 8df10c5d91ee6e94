//! `coalition build`'s library side: the list of files making up `graphs/`, and their atomic,
//! deterministic writing.

use std::path::{Path, PathBuf};

use oxigraph::model::Quad;

use super::{mapping, serialize_quads, Base, Format, RdfError};
use crate::model::Model;

/// The graph files `build` writes: `(file name, format)`.
pub const GRAPH_FILES: &[(&str, Format)] = &[
    ("coalition.ttl", Format::Turtle),
    ("coalition.nq", Format::NQuads),
    ("coalition.trig", Format::TriG),
    ("coalition.jsonld", Format::JsonLd),
];

/// What a build produces: file name and bytes, in writing order. Other outputs (diagrams) can be
/// pushed onto [`Outputs::files`] before [`write_atomically`].
#[derive(Debug)]
pub struct Outputs {
    /// The quads every graph file was made from.
    pub quads: Vec<Quad>,
    /// `(file name, contents)`.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Serializes the model into every file of [`GRAPH_FILES`].
pub fn outputs(model: &Model, base: &Base) -> Result<Outputs, RdfError> {
    let quads = mapping::quads(model, base)?;
    let mut files = Vec::new();
    for (name, format) in GRAPH_FILES {
        files.push((name.to_string(), serialize_quads(&quads, *format, base)?));
    }
    Ok(Outputs { quads, files })
}

/// Writes every file into `dir` (created if needed): each goes to a temp file in `dir` first,
/// and only once all are written are they renamed over the old ones. An error before the renames
/// leaves the previous files untouched.
pub fn write_atomically(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, RdfError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RdfError::File { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (name, bytes) in files {
            let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
            temps.push((tmp.clone(), dir.join(name)));
            std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &temps {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    let mut written = Vec::new();
    for (i, (tmp, dest)) in temps.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, dest) {
            for (t, _) in &temps[i..] {
                let _ = std::fs::remove_file(t);
            }
            return Err(io(dest)(e));
        }
        written.push(dest.clone());
    }
    Ok(written)
}
