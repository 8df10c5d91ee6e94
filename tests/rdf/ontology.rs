//! `ontology/coalition.ttl` and `ontology/shapes.ttl`: they parse, declare every term the data
//! uses, and stay in step with `src/facts/vocab.rs`.

use std::collections::BTreeSet;

use coalition::facts::vocab::{EntityKind, ObjectRange, Predicate};
use coalition::rdf::ns::{COALITION, OWL, RDF, RDFS};
use coalition::rdf::{mapping, Base};
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNode, Term, TermRef};

use super::{co, iri, rdf_list, seed_model, turtle_file};
use crate::util::root;

fn ontology() -> Graph {
    turtle_file(&root().join("ontology/coalition.ttl"))
}

fn shapes() -> Graph {
    turtle_file(&root().join("ontology/shapes.ttl"))
}

fn has(g: &Graph, s: &NamedNode, p: &NamedNode, o: impl Into<Term>) -> bool {
    let o: Term = o.into();
    g.contains(oxigraph::model::TripleRef::new(s, p, &o))
}

fn en(s: &str) -> Literal {
    Literal::new_language_tagged_literal(s, "en").unwrap()
}

fn fr(s: &str) -> Literal {
    Literal::new_language_tagged_literal(s, "fr").unwrap()
}

#[test]
fn ontology_and_shapes_parse() {
    assert!(ontology().len() > 300);
    assert!(shapes().len() > 300);
}

#[test]
fn ontology_declares_every_term_the_data_uses() {
    let g = ontology();
    let quads = mapping::quads(&seed_model(), &Base::default()).unwrap();
    let rdf_type = iri(RDF, "type");
    // Built-ins of RDF, RDFS and OWL need no declaration.
    let builtin = [rdf_type.clone(), iri(RDFS, "label"), iri(OWL, "sameAs")];
    let mut used = BTreeSet::new();
    for q in &quads {
        used.insert(q.predicate.clone());
        if let Term::NamedNode(o) = &q.object {
            if q.predicate == rdf_type || o.as_str().starts_with(COALITION) {
                used.insert(o.clone());
            }
        }
    }
    assert!(used.len() > 40, "{used:?}");
    let undeclared: Vec<_> = used
        .iter()
        .filter(|t| !builtin.contains(t))
        .filter(|t| {
            g.triples_for_subject(&NamedOrBlankNode::from((*t).clone()))
                .all(|tr| tr.predicate != rdf_type.as_ref())
        })
        .collect();
    assert!(
        undeclared.is_empty(),
        "not declared in ontology/coalition.ttl: {undeclared:?}"
    );
}

#[test]
fn ontology_follows_the_vocabulary() {
    let g = ontology();
    let (label, comment) = (iri(RDFS, "label"), iri(RDFS, "comment"));
    for k in EntityKind::ALL {
        let c = co(k.class());
        assert!(has(&g, &c, &iri(RDF, "type"), iri(OWL, "Class")), "{c}");
        assert!(has(&g, &c, &iri(RDFS, "subClassOf"), co("Entity")), "{c}");
        assert!(has(&g, &c, &label, en(k.label())), "{c} label");
        assert!(has(&g, &c, &label, fr(k.label_fr())), "{c} label_fr");
        assert!(has(&g, &c, &comment, en(k.description())), "{c} comment");
    }
    for p in Predicate::ALL {
        let n = co(p.property());
        let t = match p.objects() {
            ObjectRange::Literal => "DatatypeProperty",
            ObjectRange::Entities(_) => "ObjectProperty",
        };
        assert!(
            has(&g, &n, &iri(RDF, "type"), iri(OWL, t)),
            "{n} is not an owl:{t}"
        );
        assert!(
            has(&g, &n, &iri(RDFS, "subPropertyOf"), co("relation")),
            "{n}"
        );
        assert!(has(&g, &n, &label, en(p.label())), "{n} label");
        assert!(has(&g, &n, &label, fr(p.label_fr())), "{n} label_fr");
        assert!(has(&g, &n, &comment, en(p.description())), "{n} comment");
    }
    // And nothing more: every kind class and relation of the ontology is in the vocabulary.
    let subjects_of = |p: &str, o: NamedNode| -> BTreeSet<String> {
        g.subjects_for_predicate_object(&iri(RDFS, p), &o)
            .map(|s| s.to_string())
            .collect()
    };
    let classes: BTreeSet<String> = EntityKind::ALL
        .iter()
        .map(|k| co(k.class()).to_string())
        .collect();
    assert_eq!(subjects_of("subClassOf", co("Entity")), classes);
    let props: BTreeSet<String> = Predicate::ALL
        .iter()
        .map(|p| co(p.property()).to_string())
        .collect();
    assert_eq!(subjects_of("subPropertyOf", co("relation")), props);
}

/// The `sh:in` list of the property shape of `shape` whose path is `path`.
fn allowed(g: &Graph, shape: &str, path: &NamedNode) -> Option<BTreeSet<String>> {
    let sh = |l: &str| iri("http://www.w3.org/ns/shacl#", l);
    let node = NamedOrBlankNode::from(iri("https://coalition.example/shapes#", shape));
    let prop = g
        .objects_for_subject_predicate(&node, &sh("property"))
        .filter_map(|p| match p {
            TermRef::BlankNode(b) => Some(NamedOrBlankNode::from(b.into_owned())),
            _ => None,
        })
        .find(|p| {
            g.object_for_subject_predicate(p, &sh("path"))
                .is_some_and(|t| t == path.as_ref().into())
        })?;
    let list = g
        .object_for_subject_predicate(&prop, &sh("in"))?
        .into_owned();
    Some(rdf_list(g, &list))
}

/// The kinds the `rdf:type` property shape of `shape` allows.
fn kinds_allowed(g: &Graph, shape: &str) -> Option<BTreeSet<String>> {
    allowed(g, shape, &iri(RDF, "type"))
}

#[test]
fn shapes_follow_the_vocabulary() {
    let g = shapes();
    let sh = |l: &str| iri("http://www.w3.org/ns/shacl#", l);
    let all_kinds: BTreeSet<String> = EntityKind::ALL
        .iter()
        .map(|k| co(k.class()).as_str().to_string())
        .collect();
    let entity = iri("https://coalition.example/shapes#", "Entity");
    let targets: BTreeSet<String> = g
        .objects_for_subject_predicate(&entity, &sh("targetClass"))
        .map(|t| match t {
            TermRef::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        })
        .collect();
    assert_eq!(targets, all_kinds, "shape:Entity targets every kind");
    assert_eq!(kinds_allowed(&g, "Entity"), Some(all_kinds.clone()));
    let all_predicates: BTreeSet<String> = Predicate::ALL
        .iter()
        .map(|p| co(p.property()).as_str().to_string())
        .collect();
    let allowed = allowed(&g, "Statement", &co("statementPredicate"));
    assert_eq!(
        allowed,
        Some(all_predicates),
        "shape:Statement allows every predicate"
    );
    let kinds_of = |groups: &[coalition::facts::vocab::Group]| -> BTreeSet<String> {
        EntityKind::ALL
            .iter()
            .filter(|k| groups.contains(&k.group()))
            .map(|k| co(k.class()).as_str().to_string())
            .collect()
    };
    for p in Predicate::ALL {
        let prop = p.property();
        assert_eq!(
            kinds_allowed(&g, &format!("{prop}-subject")),
            Some(kinds_of(p.subjects())),
            "subject kinds of {prop}"
        );
        match p.objects() {
            ObjectRange::Entities(groups) => assert_eq!(
                kinds_allowed(&g, &format!("{prop}-object")),
                Some(kinds_of(groups)),
                "object kinds of {prop}"
            ),
            ObjectRange::Literal => assert!(has(
                &g,
                &iri(
                    "https://coalition.example/shapes#",
                    &format!("{prop}-object")
                ),
                &iri("http://www.w3.org/ns/shacl#", "nodeKind"),
                iri("http://www.w3.org/ns/shacl#", "Literal"),
            )),
        }
    }
}
