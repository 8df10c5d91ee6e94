//! The graph files written piece by piece: each source's named graph is serialized on its own,
//! in N-Quads (<https://www.w3.org/TR/n-quads/>), TriG (<https://www.w3.org/TR/trig/>), Turtle
//! (<https://www.w3.org/TR/turtle/>) and JSON-LD (<https://www.w3.org/TR/json-ld11/>), and the
//! pieces are concatenated in source order. A build never holds the whole graph: it maps,
//! serializes and writes a few sources at a time, and can reuse the pieces of unchanged sources.
//!
//! Layout of the concatenation, per format:
//! * N-Quads, TriG, JSON-LD: the registry (default graph) first, then one graph per source, in
//!   the order of the sources' IRIs; every piece is sorted, so the files are deterministic.
//! * Turtle has no graphs, so triples that several graphs share must be merged. Only the direct
//!   triples of statements (`entity predicate object`) and the registry have an entity as
//!   subject, and only those can be shared: they come first, merged, sorted and deduplicated
//!   ([`Serializers::entities`]); then each source's own nodes (source, statements, evidence,
//!   quotations), source by source.

use std::io::{self, Write};
use std::sync::mpsc;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, TripleRef};

use super::{jsonld, mapping, nquads, Base, Format, RdfError};
use crate::model::{Model, SourceFacts};
use crate::progress::Bar;

/// One piece of each graph file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chunks {
    /// Quads in the piece.
    pub quads: u64,
    /// N-Quads lines.
    pub nquads: Vec<u8>,
    /// TriG, without the prefix declarations.
    pub trig: Vec<u8>,
    /// Turtle, without the prefix declarations.
    pub turtle: Vec<u8>,
    /// JSON-LD elements (see [`jsonld::Context::elements`]).
    pub jsonld: Vec<u8>,
}

/// The prefixed serializers, set up once per build.
#[derive(Debug)]
pub struct Serializers {
    entity_ns: String,
    turtle_header: Vec<u8>,
    trig_header: Vec<u8>,
    jsonld: jsonld::Context,
    only: Option<Format>,
}

impl Serializers {
    /// Serializers whose prefixes are `base`'s data prefixes and the vocabularies of [`super::ns`].
    pub fn new(base: &Base) -> Result<Serializers, RdfError> {
        let mut s = Serializers {
            entity_ns: format!("{}entity/", base.as_str()),
            turtle_header: Vec::new(),
            trig_header: Vec::new(),
            jsonld: jsonld::Context::new(base),
            only: None,
        };
        // Oxigraph writes the prefixes before the first triple: serialize a probe and keep what
        // precedes it.
        let probe = Quad::new(
            NamedNode::new_unchecked("urn:coalition:probe"),
            NamedNode::new_unchecked("urn:coalition:probe"),
            NamedNode::new_unchecked("urn:coalition:probe"),
            GraphName::DefaultGraph,
        );
        for format in [RdfFormat::Turtle, RdfFormat::TriG] {
            let full = s.prefixed(format, std::iter::once(&probe), false, base)?;
            let at = find(&full, b"<urn:coalition:probe>")
                .ok_or_else(|| io::Error::other("the serializer did not write the probe triple"))?;
            let header = full[..at].to_vec();
            match format {
                RdfFormat::Turtle => s.turtle_header = header,
                _ => s.trig_header = header,
            }
        }
        Ok(s)
    }

    /// Serializers that write only `format`'s pieces (the others stay empty).
    pub fn only(mut self, format: Format) -> Serializers {
        self.only = Some(format);
        self
    }

    fn wants(&self, format: Format) -> bool {
        self.only.is_none_or(|f| f == format)
    }

    /// The Turtle prefix declarations.
    pub fn turtle_header(&self) -> &[u8] {
        &self.turtle_header
    }

    /// The TriG prefix declarations.
    pub fn trig_header(&self) -> &[u8] {
        &self.trig_header
    }

    /// Whether `q`'s subject is an entity: the triples Turtle merges across graphs.
    pub fn is_entity_subject(&self, q: &Quad) -> bool {
        matches!(&q.subject, NamedOrBlankNode::NamedNode(n) if n.as_str().starts_with(&self.entity_ns))
    }

    /// The pieces of one graph's quads (sorted, without duplicates, all in one graph). Turtle
    /// gets the quads whose subject is not an entity; the registry's Turtle comes from
    /// [`Serializers::entities`].
    pub fn graph(&self, quads: &[Quad], base: &Base) -> Result<Chunks, RdfError> {
        let mut nquads = Vec::new();
        if self.wants(Format::NQuads) {
            nquads.reserve(quads.len() * 260);
            nquads::write(quads, &mut nquads);
        }
        let mut turtle = Vec::new();
        if self.wants(Format::Turtle) {
            let own = quads.iter().filter(|q| !self.is_entity_subject(q));
            turtle = self.prefixed(RdfFormat::Turtle, own, true, base)?;
        }
        let mut trig = Vec::new();
        if self.wants(Format::TriG) {
            trig = self.prefixed(RdfFormat::TriG, quads.iter(), true, base)?;
        }
        let mut jsonld = Vec::new();
        if self.wants(Format::JsonLd) {
            jsonld.reserve(quads.len() * 220);
            self.jsonld.elements(quads, &mut jsonld)?;
        }
        Ok(Chunks {
            quads: quads.len() as u64,
            nquads,
            trig,
            turtle,
            jsonld,
        })
    }

    /// Turtle for the triples with an entity subject: the registry and every source's direct
    /// triples, all in the default graph, in any order; sorted and deduplicated here.
    pub fn entities(&self, mut quads: Vec<Quad>, base: &Base) -> Result<Vec<u8>, RdfError> {
        if !self.wants(Format::Turtle) {
            return Ok(Vec::new());
        }
        mapping::sort(&mut quads);
        self.prefixed(RdfFormat::Turtle, quads.iter(), true, base)
    }

    /// `quads` in a prefixed format, without the prefix declarations when `strip` is set.
    fn prefixed<'q>(
        &self,
        format: RdfFormat,
        quads: impl Iterator<Item = &'q Quad>,
        strip: bool,
        base: &Base,
    ) -> Result<Vec<u8>, RdfError> {
        let capacity = quads.size_hint().1.unwrap_or(0) * 100;
        let mut quads = quads.peekable();
        if quads.peek().is_none() {
            return Ok(Vec::new());
        }
        let ser = super::with_prefixes(RdfSerializer::from_format(format), base)?;
        let header: &[u8] = match (strip, format) {
            (false, _) => &[],
            (true, RdfFormat::Turtle) => &self.turtle_header,
            (true, _) => &self.trig_header,
        };
        let mut w = ser.for_writer(Vec::with_capacity(capacity));
        for q in quads {
            if format.supports_datasets() {
                w.serialize_quad(q)?;
            } else {
                w.serialize_triple(TripleRef::new(&q.subject, &q.predicate, &q.object))?;
            }
        }
        let mut bytes = w.finish()?;
        // Oxigraph writes through `fmt`, a few bytes at a time: into a plain vector, then the
        // declarations drained, is cheaper than filtering every write.
        if !bytes.starts_with(header) {
            return Err(io::Error::other("the serializer changed its prefix declarations").into());
        }
        bytes.drain(..header.len());
        Ok(bytes)
    }
}

/// The sources of `model` in the order of their graphs' IRIs (the order of the files).
pub fn sources_in_order<'m>(model: &'m Model, base: &Base) -> Vec<(&'m str, &'m SourceFacts)> {
    let mut v: Vec<(String, &str, &SourceFacts)> = model
        .sources()
        .map(|(sid, s)| (base.iri("source", &[sid]).into_string(), sid, &**s))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.into_iter().map(|(_, sid, s)| (sid, s)).collect()
}

/// The registry's pieces (default graph) and the Turtle of every triple with an entity subject.
pub fn registry(
    model: &Model,
    ser: &Serializers,
    base: &Base,
) -> Result<(Chunks, Vec<u8>), RdfError> {
    let mut quads = mapping::registry_quads(model, base)?;
    mapping::sort(&mut quads);
    let chunks = ser.graph(&quads, base)?;
    for (_, s) in model.sources() {
        quads.extend(mapping::direct_quads(base, s)?);
    }
    let entities = ser.entities(quads, base)?;
    Ok((chunks, entities))
}

/// One source's pieces, freshly mapped.
pub fn source(
    ser: &Serializers,
    base: &Base,
    sid: &str,
    s: &SourceFacts,
) -> Result<Chunks, RdfError> {
    let mut quads = mapping::source_quads(base, sid, s)?;
    mapping::sort(&mut quads);
    ser.graph(&quads, base)
}

/// Sources mapped per batch: enough to keep both cores busy, few enough to bound memory.
const BATCH: usize = 64;

/// The four files of `model`, assembled into `writers` (N-Quads, TriG, Turtle, JSON-LD), the
/// sources mapped on every core; `build` does the same with a cache, streaming to files.
pub fn assemble<W: Write + Send>(
    model: &Model,
    ser: &Serializers,
    base: &Base,
    writers: [W; 4],
) -> Result<[W; 4], RdfError> {
    let bar = crate::progress::Reporter::silent().bar("map", model.source_count() as u64);
    let (writers, _) = stream(model, ser, base, writers, &bar, |sid, s| {
        source(ser, base, sid, s)
    })?;
    Ok(writers)
}

/// Assembles the files of `model` into `writers`, getting each source's pieces from `piece`:
/// batches of sources go through `piece` on every core while a writer thread appends the
/// previous batch, so the whole graph is never in memory. Returns the writers and the number
/// of quads written.
pub fn stream<W: Write + Send>(
    model: &Model,
    ser: &Serializers,
    base: &Base,
    writers: [W; 4],
    bar: &Bar,
    piece: impl Fn(&str, &SourceFacts) -> Result<Chunks, RdfError> + Sync,
) -> Result<([W; 4], u64), RdfError> {
    let (registry, entities) = registry(model, ser, base)?;
    let mut assembler = Assembler::start(writers, ser, &registry, &entities)?;
    let mut quads = registry.quads;
    let sources = sources_in_order(model, base);
    std::thread::scope(|scope| {
        // One batch being written while the next is mapped.
        let (tx, rx) = mpsc::sync_channel::<Vec<Chunks>>(1);
        let writer = scope.spawn(move || -> Result<_, RdfError> {
            for batch in rx {
                for c in &batch {
                    assembler.push(c)?;
                }
            }
            Ok(assembler.finish()?)
        });
        for batch in sources.chunks(BATCH) {
            let mapped = bar.map(batch, |(sid, s)| piece(sid, s));
            let mapped = match mapped.into_iter().collect::<Result<Vec<_>, _>>() {
                Ok(m) => m,
                Err(e) => {
                    drop(tx);
                    let _ = writer.join();
                    return Err(e);
                }
            };
            quads += mapped.iter().map(|c| c.quads).sum::<u64>();
            if tx.send(mapped).is_err() {
                break; // the writer failed: its error is below
            }
        }
        drop(tx);
        let writers = writer
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))?;
        Ok((writers, quads))
    })
}

/// Index of `format` in an [`Assembler`]'s writers, if it is one of the assembled formats.
pub fn slot(format: Format) -> Option<usize> {
    match format {
        Format::NQuads => Some(0),
        Format::TriG => Some(1),
        Format::Turtle => Some(2),
        Format::JsonLd => Some(3),
        _ => None,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The four graph files being assembled from [`Chunks`], each into its own writer.
#[derive(Debug)]
pub struct Assembler<W: Write> {
    /// N-Quads, TriG, Turtle, JSON-LD, in that order.
    pub writers: [W; 4],
    jsonld: jsonld::Document,
}

impl<W: Write> Assembler<W> {
    /// Starts the files: prefix declarations, then the registry's pieces and the merged
    /// entity triples (`entities`, from [`Serializers::entities`]).
    pub fn start(
        mut writers: [W; 4],
        ser: &Serializers,
        registry: &Chunks,
        entities: &[u8],
    ) -> io::Result<Self> {
        writers[1].write_all(ser.trig_header())?;
        writers[2].write_all(ser.turtle_header())?;
        writers[2].write_all(entities)?;
        let mut a = Assembler {
            writers,
            jsonld: jsonld::Document::new(&ser.jsonld),
        };
        a.push_graph(registry)?;
        Ok(a)
    }

    /// Appends one source's pieces.
    pub fn push(&mut self, c: &Chunks) -> io::Result<()> {
        self.push_graph(c)?;
        self.writers[2].write_all(&c.turtle)
    }

    fn push_graph(&mut self, c: &Chunks) -> io::Result<()> {
        self.writers[0].write_all(&c.nquads)?;
        self.writers[1].write_all(&c.trig)?;
        self.jsonld.push(&mut self.writers[3], &c.jsonld)
    }

    /// Closes the files and gives the writers back.
    pub fn finish(mut self) -> io::Result<[W; 4]> {
        self.jsonld.finish(&mut self.writers[3])?;
        for w in &mut self.writers {
            w.flush()?;
        }
        Ok(self.writers)
    }
}
