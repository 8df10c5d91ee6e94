//! Who signed what, from the library: load the facts, ask the graph in SPARQL, read the model.
//!
//! `cargo run --example who_signed -- [FACTS_DIR]` (default `seeds`).

use coalition::facts::vocab::Predicate;
use coalition::model::Edge;
use coalition::rdf::Format;

fn main() -> Result<(), coalition::Error> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "seeds".into());
    let model = coalition::load(&dir)?;

    // The model: every `signed` edge, with each source's words for it.
    for (e, s, o) in model.statement_edges() {
        let Edge::Statement { predicate, claims } = &model.graph()[e] else {
            continue;
        };
        if *predicate != Predicate::Signed {
            continue;
        }
        println!("{} signed {}", model.label(s, "en"), model.label(o, "en"));
        for c in claims {
            for p in c.evidence() {
                println!("    «{}» ({}, line {})", p.exact.trim(), c.source(), p.line);
            }
        }
    }

    // The same question in SPARQL, on the RDF made from the same model.
    let csv = coalition::query(
        &model,
        "SELECT ?signatory (COUNT(?st) AS ?statements) WHERE {
           ?st coalition:statementPredicate coalition:signed ;
               coalition:statementSubject/skos:prefLabel ?signatory }
         GROUP BY ?signatory ORDER BY ?signatory",
    )?;
    print!("\n{csv}");
    let nquads = coalition::to_rdf(&model, Format::NQuads)?;
    println!(
        "\n{} quads in all",
        nquads.iter().filter(|&&b| b == b'\n').count()
    );
    Ok(())
}
