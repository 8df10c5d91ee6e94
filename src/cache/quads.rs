//! Per-source quads for `build`: each source's named graph is mapped and sorted on its own (on
//! every core), kept in the cache as N-Quads (<https://www.w3.org/TR/n-quads/>) under the hash
//! of its fact file and text, and reused while both are unchanged.
//!
//! [`mapping::quads`] sorts with the graph name first, so the whole sorted list is the registry
//! block followed by one block per source in graph-name order: concatenating sorted blocks gives
//! exactly its output, and concatenating their N-Quads gives exactly `coalition.nq`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::Quad;

use super::Cache;
use crate::facts::corpus::SourceFacts;
use crate::model::Model;
use crate::progress::Bar;
use crate::rdf::build::GRAPH_FILES;
use crate::rdf::mapping::{self, sort_key};
use crate::rdf::{serialize_quads, Base, Format, RdfError};

/// Cache kind of per-source N-Quads.
pub const KIND: &str = "quads";

/// Test-only fault injection: `COALITION_TEST_ABORT=quads:N` aborts the process after `N`
/// cache entries were written, `exports` once the files are serialized but not yet written.
/// It simulates a build killed midway.
const ABORT_VAR: &str = "COALITION_TEST_ABORT";

static PUTS: AtomicUsize = AtomicUsize::new(0);

fn abort_at(point: &str) {
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

/// The graph of a build: every quad, sorted as [`mapping::quads`] sorts them, and their N-Quads.
#[derive(Debug)]
pub struct Graph {
    /// The quads.
    pub quads: Vec<Quad>,
    /// The same quads as N-Quads.
    pub nquads: Vec<u8>,
}

/// Maps the model to quads, reusing from `cache` the quads of sources whose fact file and text
/// (found in `texts`, as [`crate::facts::Checked::texts`] holds them) are unchanged.
pub fn graph(
    model: &Model,
    base: &Base,
    texts: &HashMap<PathBuf, String>,
    cache: Option<&Cache>,
    bar: &Bar,
) -> Result<Graph, RdfError> {
    let mut sources: Vec<(String, &str, &SourceFacts)> = model
        .corpus
        .sources
        .iter()
        .map(|(sid, s)| (base.iri("source", &[sid]).into_string(), sid.as_str(), s))
        .collect();
    sources.sort_by(|a, b| a.0.cmp(&b.0));
    let blocks = bar.map(&sources, |(_, sid, s)| {
        let fact = texts.get(&s.fact_file).map_or("", String::as_str);
        source_block(base, sid, s, fact, cache)
    });
    let mut registry = mapping::registry_quads(model, base)?;
    registry.sort_by_cached_key(sort_key);
    registry.dedup();
    let blocks = blocks.into_iter().collect::<Result<Vec<_>, _>>()?;
    let registry_nq = to_nquads(&registry)?;
    // Sized up front: growing two vectors of this size by doubling costs seconds of copying.
    let mut nquads =
        Vec::with_capacity(registry_nq.len() + blocks.iter().map(|b| b.1.len()).sum::<usize>());
    nquads.extend_from_slice(&registry_nq);
    let mut quads =
        Vec::with_capacity(registry.len() + blocks.iter().map(|b| b.0.len()).sum::<usize>());
    quads.extend(registry);
    for (q, nq) in blocks {
        quads.extend(q);
        nquads.extend_from_slice(&nq);
    }
    Ok(Graph { quads, nquads })
}

/// One source's sorted quads and their N-Quads, from the cache or freshly mapped.
fn source_block(
    base: &Base,
    sid: &str,
    s: &SourceFacts,
    fact: &str,
    cache: Option<&Cache>,
) -> Result<(Vec<Quad>, Vec<u8>), RdfError> {
    let key = cache.map(|c| {
        c.key(
            KIND,
            &[
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
        if let Some(nq) = c.get(KIND, key) {
            let parsed: Result<Vec<Quad>, _> = RdfParser::from_format(RdfFormat::NQuads)
                .for_slice(&nq)
                .collect();
            match parsed {
                Ok(q) => return Ok((q, nq)),
                Err(_) => c.reject(KIND),
            }
        }
    }
    let mut q = mapping::source_quads(base, sid, s)?;
    q.sort_by_cached_key(sort_key);
    q.dedup();
    let nq = to_nquads(&q)?;
    if let (Some(c), Some(key)) = (cache, &key) {
        // A cache that cannot be written only makes the next build slower.
        if c.put(KIND, key, &nq).is_ok() {
            PUTS.fetch_add(1, Ordering::SeqCst);
            abort_at("quads");
        }
    }
    Ok((q, nq))
}

fn to_nquads(quads: &[Quad]) -> Result<Vec<u8>, RdfError> {
    let mut w = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::new());
    for q in quads {
        w.serialize_quad(q)?;
    }
    Ok(w.finish()?)
}

/// The files of `graphs/` ([`GRAPH_FILES`]), serialized on every core; N-Quads come from
/// [`Graph::nquads`] as they are. Consumes the graph, so that its memory goes as soon as
/// possible.
pub fn outputs(graph: Graph, base: &Base, bar: &Bar) -> Result<Vec<(String, Vec<u8>)>, RdfError> {
    let Graph { quads, nquads } = graph;
    let others: Vec<_> = GRAPH_FILES
        .iter()
        .filter(|(_, f)| *f != Format::NQuads)
        .collect();
    let mut serialized = bar
        .map(&others, |(name, format)| {
            serialize_quads(&quads, *format, base).map(|b| (name.to_string(), b))
        })
        .into_iter();
    drop(quads);
    let mut nquads = Some(nquads);
    let mut files = Vec::with_capacity(GRAPH_FILES.len());
    for (name, format) in GRAPH_FILES {
        files.push(if *format == Format::NQuads {
            (name.to_string(), nquads.take().unwrap_or_default())
        } else {
            serialized.next().expect("one result per format")?
        });
    }
    abort_at("exports");
    Ok(files)
}

#[cfg(test)]
mod tests {
    use oxigraph::model::Triple;

    use super::*;
    use crate::cache::Cache;
    use crate::progress::Reporter;

    /// Cached, parallel mapping gives `mapping::quads`, and the borrowed merge of the triple
    /// formats gives `merged_triples`, on a synthetic corpus with shared entities.
    #[test]
    fn same_quads_and_triples_as_the_plain_mapping() {
        let tmp = tempfile::tempdir().unwrap();
        let facts = tmp.path().join("c");
        crate::synth::write(&crate::synth::Config::new(6, 3), &facts).unwrap();
        let checked = crate::facts::check(&facts).unwrap();
        assert!(!checked.has_errors());
        let texts = checked.texts;
        let model = Model::build(checked.corpus);
        let base = Base::default();
        let plain = mapping::quads(&model, &base).unwrap();
        let rep = Reporter::silent();
        let cache = Cache::open(&tmp.path().join("cache"), &facts);
        for _ in 0..2 {
            let g = graph(&model, &base, &texts, Some(&cache), &rep.bar("map", 6)).unwrap();
            assert!(g.quads == plain);
            assert_eq!(
                g.nquads,
                serialize_quads(&plain, Format::NQuads, &base).unwrap()
            );
        }
        assert_eq!(cache.stats()[KIND].hits, 6);
        let merged: Vec<Triple> = crate::rdf::merged_order(&plain)
            .into_iter()
            .map(|i| Triple::from(plain[i].clone()))
            .collect();
        assert!(merged == crate::rdf::merged_triples(&plain));
    }
}
