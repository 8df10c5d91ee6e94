//! `build`'s graph files, streamed: each source's named graph is mapped, sorted and serialized on
//! its own ([`Chunks`], on every core), kept in the cache under the hash of its fact file and
//! text, and reused while both are unchanged; a writer thread appends the pieces to the files
//! while the next sources are mapped, so the whole graph is never in memory.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cache::Cache;
use crate::model::{Model, SourceFacts};
use crate::progress::Bar;
use crate::rdf::build::{Staged, GRAPH_FILES};
use crate::rdf::chunks::{self, Chunks, Serializers};
use crate::rdf::{Base, RdfError};

/// Cache kind of per-source pieces of the graph files.
pub const KIND: &str = "quads";

/// Version of the payload layout, part of every key.
const PAYLOAD: &[u8] = b"chunks-2";

/// Test-only fault injection: `COALITION_TEST_ABORT=quads:N` aborts the process after `N`
/// cache entries were written, `exports` once every file is written but none renamed into place.
/// It simulates a build killed midway.
const ABORT_VAR: &str = "COALITION_TEST_ABORT";

static PUTS: AtomicUsize = AtomicUsize::new(0);

/// Aborts the process here when `COALITION_TEST_ABORT` names `point` (tests only).
pub fn abort_at(point: &str) {
    if let Ok(v) = std::env::var(ABORT_VAR) {
        if v == point {
            std::process::abort();
        }
        if let (Some(n), "quads") = (v.split(':').nth(1), point) {
            if n.parse::<usize>()
                .is_ok_and(|n| PUTS.load(Ordering::SeqCst) >= n)
            {
                std::process::abort();
            }
        }
    }
}

/// Maps the model and writes the graph files ([`GRAPH_FILES`]) as temp files of `staged`,
/// reusing from `cache` the pieces of sources whose fact file and text (found in `texts`, as
/// [`crate::facts::Checked::texts`] holds them) are unchanged. Returns the number of quads.
pub fn write(
    model: &Model,
    base: &Base,
    texts: &HashMap<PathBuf, String>,
    cache: Option<&Cache>,
    bar: &Bar,
    staged: &mut Staged,
) -> Result<u64, RdfError> {
    let ser = Serializers::new(base)?;
    let mut writers = Vec::with_capacity(4);
    for slot in 0..4 {
        let (name, _) = GRAPH_FILES
            .iter()
            .find(|(_, f)| chunks::slot(*f) == Some(slot))
            .expect("every assembled format is a graph file");
        writers.push(staged.create(name)?);
    }
    let writers: [_; 4] = writers.try_into().expect("four writers");
    let (_, quads) = chunks::stream(model, &ser, base, writers, bar, |sid, s| {
        let fact = texts.get(&s.fact_file).map_or("", String::as_str);
        source_chunks(&ser, base, sid, s, fact, cache)
    })?;
    Ok(quads)
}

/// One source's pieces, from the cache or freshly mapped.
fn source_chunks(
    ser: &Serializers,
    base: &Base,
    sid: &str,
    s: &SourceFacts,
    fact: &str,
    cache: Option<&Cache>,
) -> Result<Chunks, RdfError> {
    let key = cache.map(|c| {
        c.key(
            KIND,
            &[
                PAYLOAD,
                base.as_str().as_bytes(),
                sid.as_bytes(),
                s.fact_file.to_string_lossy().as_bytes(),
                fact.as_bytes(),
                s.text_path.to_string_lossy().as_bytes(),
                s.text.as_bytes(),
            ],
        )
    });
    if let (Some(c), Some(key)) = (cache, &key) {
        if let Some(payload) = c.get(KIND, key) {
            match decode(&payload) {
                Some(chunks) => return Ok(chunks),
                None => c.reject(KIND),
            }
        }
    }
    let chunks = chunks::source(ser, base, sid, s)?;
    if let (Some(c), Some(key)) = (cache, &key) {
        // A cache that cannot be written only makes the next build slower.
        if c.put(KIND, key, &encode(&chunks)).is_ok() {
            PUTS.fetch_add(1, Ordering::SeqCst);
            abort_at("quads");
        }
    }
    Ok(chunks)
}

/// `quads`, then each piece as its length and bytes (little-endian `u64`s).
fn encode(c: &Chunks) -> Vec<u8> {
    let parts = [&c.nquads, &c.trig, &c.turtle, &c.jsonld];
    let mut out = Vec::with_capacity(40 + parts.iter().map(|p| p.len()).sum::<usize>());
    out.extend_from_slice(&c.quads.to_le_bytes());
    for p in parts {
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(p);
    }
    out
}

fn decode(mut bytes: &[u8]) -> Option<Chunks> {
    let mut number = || -> Option<u64> {
        let (n, rest) = bytes.split_first_chunk::<8>()?;
        bytes = rest;
        Some(u64::from_le_bytes(*n))
    };
    let quads = number()?;
    let mut parts: Vec<Vec<u8>> = Vec::with_capacity(4);
    for _ in 0..4 {
        let (n, rest) = bytes.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*n)).ok()?;
        let part = rest.get(..len)?;
        parts.push(part.to_vec());
        bytes = &rest[len..];
    }
    if !bytes.is_empty() {
        return None;
    }
    let [nquads, trig, turtle, jsonld]: [Vec<u8>; 4] = parts.try_into().ok()?;
    Some(Chunks {
        quads,
        nquads,
        trig,
        turtle,
        jsonld,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Cache;
    use crate::progress::Reporter;
    use crate::rdf::{mapping, serialize, serialize_quads, Format};

    /// Streamed, cached, parallel writing gives the files of the plain one-thread assembly, the
    /// N-Quads and JSON-LD of Oxigraph's serializers over the whole sorted graph, and Turtle with
    /// the same triples.
    #[test]
    fn same_files_as_the_plain_serialization() {
        let tmp = tempfile::tempdir().unwrap();
        let facts = tmp.path().join("c");
        crate::synth::write(&crate::synth::Config::new(60, 3), &facts).unwrap();
        let checked = crate::facts::check(&facts).unwrap();
        assert!(!checked.has_errors());
        let texts = checked.texts;
        let model = Model::build(checked.corpus);
        let base = Base::default();
        let plain = mapping::quads(&model, &base).unwrap();
        let rep = Reporter::silent();
        let cache = Cache::open(&tmp.path().join("cache"), &facts);
        for round in 0..2 {
            let out = tmp.path().join(format!("g{round}"));
            let mut staged = Staged::new(&out).unwrap();
            let n = write(
                &model,
                &base,
                &texts,
                Some(&cache),
                &rep.bar("map", 60),
                &mut staged,
            )
            .unwrap();
            staged.commit().unwrap();
            assert_eq!(n, plain.len() as u64);
            for (name, format) in GRAPH_FILES {
                let got = std::fs::read(out.join(name)).unwrap();
                assert!(got == serialize(&model, *format, &base).unwrap(), "{name}");
                if matches!(format, Format::NQuads | Format::TriG | Format::JsonLd) {
                    assert!(
                        got == serialize_quads(&plain, *format, &base).unwrap(),
                        "{name}"
                    );
                } else {
                    // Turtle: the merged triples of every graph, each once, in another order.
                    let parsed: Vec<String> =
                        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                            .for_slice(&got)
                            .map(|q| oxigraph::model::Triple::from(q.unwrap()).to_string())
                            .collect();
                    let mut expected: Vec<String> = crate::rdf::merged_triples(&plain)
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    let mut sorted = parsed.clone();
                    sorted.sort();
                    sorted.dedup();
                    expected.sort();
                    assert_eq!(sorted.len(), parsed.len(), "{name}: a triple written twice");
                    assert!(sorted == expected, "{name}: other triples than the merge");
                }
            }
        }
        assert_eq!(cache.stats()[KIND].hits, 60);
        let c = chunks::source(
            &Serializers::new(&base).unwrap(),
            &base,
            "synth-00001",
            model.source("synth-00001").unwrap(),
        )
        .unwrap();
        assert_eq!(decode(&encode(&c)), Some(c.clone()));
        let e = encode(&c);
        assert_eq!(decode(&e[..e.len() - 1]), None);
        assert_eq!(decode(&[e.as_slice(), b"x"].concat()), None);
    }
}
