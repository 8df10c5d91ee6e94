//! The knowledge graph as RDF: the [`mapping`] from the model to quads, their [`serialize`]ation
//! in the W3C formats (<https://www.w3.org/TR/rdf11-concepts/>), an in-memory Oxigraph [`store`],
//! SPARQL 1.1 [`query`]ing (<https://www.w3.org/TR/sparql11-query/>) and the [`build`] of the
//! committed `graphs/` folder.
//!
//! See `docs/RDF.md` for the IRI scheme, the named-graph layout and a worked example.

pub mod build;
pub mod chunks;
pub mod error;
pub mod jsonld;
pub mod mapping;
pub mod nquads;
pub mod ns;
#[cfg(feature = "persistent")]
pub mod persist;
pub mod pieces;
pub mod query;
pub mod store;

use oxigraph::io::{JsonLdProfile, RdfFormat, RdfSerializer};
use oxigraph::model::{Quad, Triple, TripleRef};

pub use error::RdfError;
pub use ns::Base;

use crate::model::Model;

/// The RDF serializations the graph can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Turtle: every triple of every graph, merged (<https://www.w3.org/TR/turtle/>).
    Turtle,
    /// N-Triples: every triple, merged (<https://www.w3.org/TR/n-triples/>).
    NTriples,
    /// N-Quads: the quads, with one named graph per source (<https://www.w3.org/TR/n-quads/>).
    NQuads,
    /// TriG: the quads, with one named graph per source (<https://www.w3.org/TR/trig/>).
    TriG,
    /// JSON-LD 1.1, compacted with the prefixes as `@context`, with named graphs
    /// (<https://www.w3.org/TR/json-ld11/>).
    JsonLd,
    /// RDF/XML: every triple, merged (<https://www.w3.org/TR/rdf-syntax-grammar/>).
    RdfXml,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Turtle,
        Format::NTriples,
        Format::NQuads,
        Format::TriG,
        Format::JsonLd,
        Format::RdfXml,
    ];

    /// The Oxigraph format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Format::Turtle => RdfFormat::Turtle,
            Format::NTriples => RdfFormat::NTriples,
            Format::NQuads => RdfFormat::NQuads,
            Format::TriG => RdfFormat::TriG,
            Format::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfile::Streaming.into(),
            },
            Format::RdfXml => RdfFormat::RdfXml,
        }
    }

    /// Whether the format keeps named graphs; the others get the merged triples.
    pub fn has_graphs(self) -> bool {
        self.rdf_format().supports_datasets()
    }
}

/// Writes the model's graph in `format`. Dataset formats keep one named graph per source; triple
/// formats (Turtle, N-Triples, RDF/XML) get every triple of every graph, merged and deduplicated —
/// statement nodes carry `prov:wasDerivedFrom`, so no provenance is lost. N-Quads, TriG, Turtle
/// and JSON-LD are the bytes `build` writes (see [`chunks`]).
pub fn serialize(model: &Model, format: Format, base: &Base) -> Result<Vec<u8>, RdfError> {
    let Some(slot) = chunks::slot(format) else {
        return serialize_quads(&mapping::quads(model, base)?, format, base);
    };
    let ser = chunks::Serializers::new(base)?.only(format);
    let mut files = chunks::assemble(model, &ser, base, Default::default())?;
    Ok(std::mem::take(&mut files[slot]))
}

/// Writes already-mapped quads (sorted as [`mapping::quads`] returns them) in `format`.
pub fn serialize_quads(quads: &[Quad], format: Format, base: &Base) -> Result<Vec<u8>, RdfError> {
    if format == Format::NQuads {
        let mut out = Vec::new();
        nquads::write(quads, &mut out);
        return Ok(out);
    }
    if format == Format::JsonLd {
        let context = jsonld::Context::new(base);
        let mut elements = Vec::new();
        context.elements(quads, &mut elements)?;
        let mut out = Vec::with_capacity(elements.len() + 1024);
        let mut doc = jsonld::Document::new(&context);
        doc.push(&mut out, &elements)?;
        doc.finish(&mut out)?;
        return Ok(out);
    }
    let mut ser = RdfSerializer::from_format(format.rdf_format());
    if format != Format::NTriples {
        ser = with_prefixes(ser, base)?;
    }
    let mut w = ser.for_writer(Vec::new());
    if format.has_graphs() {
        for q in quads {
            w.serialize_quad(q)?;
        }
    } else {
        for i in mapping::order(quads, true) {
            let q = &quads[i];
            w.serialize_triple(TripleRef::new(&q.subject, &q.predicate, &q.object))?;
        }
    }
    Ok(w.finish()?)
}

/// `ser` with the data prefixes of `base` and the vocabularies' prefixes of [`ns::PREFIXES`].
pub(crate) fn with_prefixes(
    mut ser: RdfSerializer,
    base: &Base,
) -> Result<RdfSerializer, RdfError> {
    for (name, iri) in base.prefixes() {
        ser = ser
            .with_prefix(name, iri)
            .map_err(|e| RdfError::InvalidIri {
                value: base.as_str().into(),
                reason: e.to_string(),
            })?;
    }
    for (name, iri) in ns::PREFIXES {
        ser = ser
            .with_prefix(*name, *iri)
            .expect("the built-in prefixes are valid IRIs");
    }
    Ok(ser)
}

/// The triples of every graph, merged: sorted by subject (`rdf:type` first), deduplicated.
pub fn merged_triples(quads: &[Quad]) -> Vec<Triple> {
    mapping::order(quads, true)
        .into_iter()
        .map(|i| Triple::from(quads[i].clone()))
        .collect()
}
