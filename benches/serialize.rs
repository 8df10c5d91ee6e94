//! Micro-benchmarks (criterion) of the per-source work of `build`: mapping one synthetic source
//! to quads, sorting them, and writing its pieces of the graph files — N-Quads
//! (<https://www.w3.org/TR/n-quads/>), JSON-LD (<https://www.w3.org/TR/json-ld11/>), TriG and
//! Turtle — next to Oxigraph's own serializers for the same quads.
//!
//! `cargo bench --bench serialize`; results in docs/BENCHMARKS.md ("Per-source serialization").

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxigraph::io::{JsonLdProfile, RdfFormat, RdfSerializer};

use coalition::rdf::chunks::{self, Serializers};
use coalition::rdf::{jsonld, mapping, nquads, Base};

fn oxigraph(quads: &[oxigraph::model::Quad], format: RdfFormat) -> Vec<u8> {
    let mut w = RdfSerializer::from_format(format).for_writer(Vec::new());
    for q in quads {
        w.serialize_quad(q).unwrap();
    }
    w.finish().unwrap()
}

fn per_source(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    coalition::synth::write(&coalition::synth::Config::new(20, 7), &dir).unwrap();
    let model = coalition::load(&dir).unwrap();
    let base = Base::default();
    let ser = Serializers::new(&base).unwrap();
    let (sid, source) = model.sources().next().unwrap();
    let mut quads = mapping::source_quads(&base, sid, source).unwrap();
    mapping::sort(&mut quads);

    let mut g = c.benchmark_group("one source");
    g.throughput(Throughput::Elements(quads.len() as u64));
    g.bench_function("map to quads", |b| {
        b.iter(|| mapping::source_quads(&base, sid, source).unwrap())
    });
    g.bench_function("sort", |b| {
        b.iter_batched(
            || mapping::source_quads(&base, sid, source).unwrap(),
            |mut q| mapping::sort(&mut q),
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("all pieces (chunks::source)", |b| {
        b.iter(|| chunks::source(&ser, &base, sid, source).unwrap())
    });
    g.bench_function("N-Quads: ours", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            nquads::write(&quads, &mut out);
            out
        })
    });
    g.bench_function("N-Quads: Oxigraph", |b| {
        b.iter(|| oxigraph(&quads, RdfFormat::NQuads))
    });
    let context = jsonld::Context::new(&base);
    g.bench_function("JSON-LD compacted: ours", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            context.elements(&quads, &mut out).unwrap();
            out
        })
    });
    g.bench_function("JSON-LD expanded: Oxigraph + serde_json", |b| {
        b.iter(|| {
            let raw = oxigraph(
                &quads,
                RdfFormat::JsonLd {
                    profile: JsonLdProfile::Streaming.into(),
                },
            );
            let v: serde_json::Value = serde_json::from_slice(&raw).unwrap();
            serde_json::to_vec_pretty(&v).unwrap()
        })
    });
    let trig = Serializers::new(&base)
        .unwrap()
        .only(coalition::rdf::Format::TriG);
    g.bench_function("TriG: Oxigraph, prefixed", |b| {
        b.iter(|| trig.graph(&quads, &base).unwrap())
    });
    let turtle = Serializers::new(&base)
        .unwrap()
        .only(coalition::rdf::Format::Turtle);
    g.bench_function("Turtle: Oxigraph, prefixed", |b| {
        b.iter(|| turtle.graph(&quads, &base).unwrap())
    });
    g.finish();
}

criterion_group!(benches, per_source);
criterion_main!(benches);
