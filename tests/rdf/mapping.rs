//! The RDF mapping on an invented fixture that uses what the seed does not: literal values, date
//! qualifiers, roles, inferred and attributed certainty, a source URL, a relation two sources state.

use std::collections::BTreeSet;

use coalition::model::Model;
use coalition::rdf::{mapping, serialize, Base, Format};
use oxigraph::model::Quad;

use crate::util::{assert_golden, require_python_module, root, run, text};

fn fixture_model() -> Model {
    let checked =
        coalition::facts::check(&root().join("tests/fixtures/rdf/mapping/facts")).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    Model::build(checked.corpus)
}

#[test]
fn fixture_maps_to_the_golden_trig() {
    let trig = serialize(&fixture_model(), Format::TriG, &Base::default()).unwrap();
    assert_golden(
        &root().join("tests/fixtures/rdf/mapping/expected.trig"),
        &String::from_utf8(trig).unwrap(),
    );
}

#[test]
fn qualifiers_values_and_shared_relations() {
    let quads = mapping::quads(&fixture_model(), &Base::new("http://kg.test/").unwrap()).unwrap();
    let lines: BTreeSet<String> = quads.iter().map(Quad::to_string).collect();
    let g20 = "<http://kg.test/source/wire-2020>";
    let g21 = "<http://kg.test/source/wire-2021>";
    let st = |s: &str| format!("<http://kg.test/statement/wire-2020/{s}>");
    let co = |l: &str| format!("<https://coalition.example/ontology#{l}>");
    let xsd = |t: &str| format!("<http://www.w3.org/2001/XMLSchema#{t}>");
    let develops = format!(
        "<http://kg.test/entity/gazecorp> {} <http://kg.test/entity/gaze>",
        co("develops")
    );
    for expected in [
        // The same relation, stated by two sources, is in both graphs.
        format!("{develops} {g20}"),
        format!("{develops} {g21}"),
        format!("{} {} {} {g20}", st("gazecorp.develops.gaze"), co("certainty"), co("Inferred")),
        format!("{} {} {} {g20}", st("league.criticizes.gaze"), co("stance"), co("Opposes")),
        format!("{} {} \"2020-05-21\"^^{} {g20}", st("league.criticizes.gaze"), co("date"), xsd("date")),
        format!("{} {} <http://kg.test/entity/league> {g20}", st("gaze.surveils.residents"), co("attributedTo")),
        format!("{} {} \"spokesperson\" {g20}", st("ana-diaz.member_of.league"), co("role")),
        // A literal-valued statement: direct triple and statementValue.
        format!("<http://kg.test/entity/league> {} \"40\"^^{} {g20}", co("numberOfMembers"), xsd("integer")),
        format!("{} {} \"40\"^^{} {g20}", st("league.number_of_members.40"), co("statementValue"), xsd("integer")),
        format!("{g20} <https://schema.org/url> <https://wire.example/2020/league-gaze> {g20}"),
        format!("{g21} <http://purl.org/dc/terms/date> \"2021\"^^{} {g21}", xsd("gYear")),
        format!("<http://kg.test/quotation/diaz-cameras> {} \"Cameras watch everyone\"@en {g20}", co("text")),
        format!("<http://kg.test/quotation/diaz-cameras> {} \"Les caméras surveillent tout le monde\"@fr {g20}", co("translation")),
        "<http://kg.test/entity/league> <http://www.w3.org/2000/01/rdf-schema#label> \"Ligue des données ouvertes\"@fr".into(),
        "<http://kg.test/entity/league> <http://www.w3.org/2004/02/skos/core#altLabel> \"ODL\"".into(),
    ] {
        assert!(lines.contains(&expected), "missing: {expected}");
    }
    // Statement nodes never claim a certainty they do not have.
    assert!(!lines
        .iter()
        .any(|l| l.starts_with(&st("gazecorp.develops.gaze")) && l.contains(&co("Stated"))));
}

#[test]
fn fixture_graph_conforms_to_the_shapes() {
    if !require_python_module("pyshacl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let facts = root().join("tests/fixtures/rdf/mapping/facts");
    let o = run(
        tmp.path(),
        &["build", "--facts", facts.to_str().unwrap(), "--out", "g"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let o = std::process::Command::new("python3")
        .args(["-m", "pyshacl", "-s"])
        .arg(root().join("ontology/shapes.ttl"))
        .args(["-df", "turtle"])
        .arg(tmp.path().join("g/coalition.ttl"))
        .output()
        .unwrap();
    let (out, _) = text(&o);
    assert!(out.contains("Conforms: True"), "{out}");
}
