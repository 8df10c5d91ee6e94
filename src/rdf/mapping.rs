//! The mapping from the [`Model`] to RDF quads (<https://www.w3.org/TR/rdf11-concepts/>).
//!
//! * The entity registry goes to the **default graph**: types, labels, aliases, Wikidata links.
//! * Each source gets a **named graph** whose name is the source's IRI. It holds the source's
//!   metadata, one direct triple per statement (`subject coalition:signed object`), one statement
//!   node per statement (subject, predicate, object, qualifiers, `prov:wasDerivedFrom`, and its
//!   evidence as W3C Web Annotation selectors), and the source's quotations.
//!
//! `docs/RDF.md` documents the pattern with a worked example. Output is sorted, so equal models
//! give equal quads.

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use super::ns::{
    self, term, Base, COALITION, DCTERMS, OA, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD,
};
use super::RdfError;
use crate::facts::corpus::{CheckedStatement, SourceFacts};
use crate::facts::date::PartialDate;
use crate::facts::quote::Passage;
use crate::facts::schema::{Certainty, Datatype, Entity, Stance};
use crate::model::{Model, Node};

/// Local names of the certainty individuals.
pub fn certainty_name(c: Certainty) -> &'static str {
    match c {
        Certainty::Stated => "Stated",
        Certainty::Attributed => "Attributed",
        Certainty::Inferred => "Inferred",
    }
}

/// Local names of the stance individuals.
pub fn stance_name(s: Stance) -> &'static str {
    match s {
        Stance::Supports => "Supports",
        Stance::Opposes => "Opposes",
    }
}

/// Every quad of the model under `base`, sorted (default graph first) and without duplicates.
pub fn quads(model: &Model, base: &Base) -> Result<Vec<Quad>, RdfError> {
    let mut w = Writer {
        base,
        graph: GraphName::DefaultGraph,
        out: Vec::new(),
    };
    for n in model.index.values() {
        if let Node::Entity(e) = &model.graph[*n] {
            w.entity(e)?;
        }
    }
    for (sid, s) in &model.corpus.sources {
        w.graph = base.iri("source", &[sid]).into();
        w.source(sid, s)?;
        for c in &s.statements {
            w.statement(sid, s, c)?;
        }
        for q in &s.quotations {
            let qn = base.iri("quotation", &[&q.quotation.id]);
            let q_ = &q.quotation;
            w.add(&qn, term(RDF, "type"), term(COALITION, "Quotation"));
            w.add(&qn, term(DCTERMS, "identifier"), plain(&q_.id));
            w.add(&qn, co("speaker"), w.entity_iri(&q_.speaker));
            if let Some(d) = &q_.document {
                w.add(&qn, co("writtenIn"), w.entity_iri(d));
            }
            w.add(&qn, co("text"), tagged(&q_.text, &s.source.language)?);
            for (lang, t) in &q_.translations {
                w.add(&qn, co("translation"), tagged(t, lang)?);
            }
            for a in &q_.about {
                w.add(&qn, co("about"), w.entity_iri(a));
            }
            w.add(
                &qn,
                term(PROV, "wasDerivedFrom"),
                base.iri("source", &[sid]),
            );
            if let Some(n) = &q_.note {
                w.add(&qn, term(SKOS, "editorialNote"), plain(n));
            }
            w.evidence(&qn, sid, "evidence", &q.passage);
        }
    }
    let mut out = w.out;
    out.sort_by_cached_key(sort_key);
    out.dedup();
    Ok(out)
}

/// Sort key: default graph first, then by graph, subject (so a node precedes its `#fragments`),
/// `rdf:type` first, predicate, object.
pub(crate) fn sort_key(q: &Quad) -> (bool, String, String, bool, String, String) {
    let subject = match &q.subject {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    };
    let graph = match &q.graph_name {
        GraphName::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    };
    (
        !q.graph_name.is_default_graph(),
        graph,
        subject,
        q.predicate.as_str() != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        q.predicate.as_str().to_string(),
        q.object.to_string(),
    )
}

struct Writer<'a> {
    base: &'a Base,
    graph: GraphName,
    out: Vec<Quad>,
}

fn co(local: &str) -> NamedNode {
    term(COALITION, local)
}

fn plain(s: &str) -> Literal {
    Literal::new_simple_literal(s)
}

fn tagged(s: &str, lang: &str) -> Result<Literal, RdfError> {
    Literal::new_language_tagged_literal(s, lang)
        .map_err(|_| RdfError::InvalidLanguage(lang.into()))
}

fn typed(s: impl Into<String>, xsd: &str) -> Literal {
    Literal::new_typed_literal(s, term(XSD, xsd))
}

fn date(d: &PartialDate) -> Literal {
    typed(d.to_string(), d.xsd_type())
}

impl Writer<'_> {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.out.push(Quad::new(
            NamedOrBlankNode::from(s.clone()),
            p,
            o,
            self.graph.clone(),
        ));
    }

    fn entity_iri(&self, id: &str) -> NamedNode {
        self.base.iri("entity", &[id])
    }

    fn entity(&mut self, e: &Entity) -> Result<(), RdfError> {
        let n = self.entity_iri(&e.id);
        self.add(&n, term(RDF, "type"), co(e.kind.class()));
        self.add(&n, term(DCTERMS, "identifier"), plain(&e.id));
        self.add(&n, term(SKOS, "prefLabel"), plain(&e.name));
        self.add(&n, term(RDFS, "label"), plain(&e.name));
        for (lang, l) in &e.labels {
            self.add(&n, term(RDFS, "label"), tagged(l, lang)?);
        }
        for a in &e.aliases {
            self.add(&n, term(SKOS, "altLabel"), plain(a));
        }
        if let Some(q) = &e.wikidata {
            let wd = NamedNode::new(format!("{}{q}", ns::WIKIDATA)).map_err(|err| {
                RdfError::InvalidIri {
                    value: q.clone(),
                    reason: err.to_string(),
                }
            })?;
            self.add(&n, term(OWL, "sameAs"), wd);
        }
        if let Some(d) = &e.description {
            self.add(&n, term(DCTERMS, "description"), plain(d));
        }
        Ok(())
    }

    fn source(&mut self, sid: &str, s: &SourceFacts) -> Result<(), RdfError> {
        let n = self.base.iri("source", &[sid]);
        self.add(&n, term(RDF, "type"), co("Source"));
        self.add(&n, term(DCTERMS, "identifier"), plain(sid));
        self.add(&n, term(DCTERMS, "title"), plain(&s.source.title));
        self.add(
            &n,
            term(DCTERMS, "publisher"),
            self.entity_iri(&s.source.publisher),
        );
        self.add(&n, term(DCTERMS, "date"), date(&s.date));
        self.add(&n, term(DCTERMS, "language"), plain(&s.source.language));
        if let Some(u) = &s.source.url {
            let url = NamedNode::new(u.as_str()).map_err(|e| RdfError::InvalidIri {
                value: u.clone(),
                reason: e.to_string(),
            })?;
            self.add(&n, term(SCHEMA, "url"), url);
        }
        if let Some(note) = &s.source.note {
            self.add(&n, term(SKOS, "editorialNote"), plain(note));
        }
        Ok(())
    }

    fn statement(
        &mut self,
        sid: &str,
        s: &SourceFacts,
        c: &CheckedStatement,
    ) -> Result<(), RdfError> {
        let st = &c.statement;
        let subject = self.entity_iri(&st.subject);
        let pred = co(st.predicate.property());
        let object: Term = match (&st.object, &st.value) {
            (Some(o), _) => self.entity_iri(o).into(),
            (None, Some(v)) => match v.datatype {
                Datatype::String => match &v.lang {
                    Some(l) => tagged(&v.value, l)?,
                    None => plain(&v.value),
                },
                Datatype::Integer => typed(&v.value, "integer"),
                Datatype::Decimal => typed(&v.value, "decimal"),
                Datatype::Boolean => typed(&v.value, "boolean"),
                Datatype::Date => match PartialDate::parse(&v.value) {
                    Ok(d) => date(&d),
                    Err(_) => plain(&v.value),
                },
            }
            .into(),
            // The checker rejects this shape; nothing to map.
            (None, None) => return Ok(()),
        };
        self.add(&subject, pred.clone(), object.clone());

        let n = self.base.iri("statement", &[sid, &c.id]);
        self.add(&n, term(RDF, "type"), co("Statement"));
        self.add(&n, term(DCTERMS, "identifier"), plain(&c.id));
        self.add(&n, co("statementSubject"), subject);
        self.add(&n, co("statementPredicate"), pred);
        let link = if st.object.is_some() {
            "statementObject"
        } else {
            "statementValue"
        };
        self.add(&n, co(link), object);
        self.add(
            &n,
            term(PROV, "wasDerivedFrom"),
            self.base.iri("source", &[sid]),
        );
        self.add(&n, co("certainty"), co(certainty_name(st.certainty)));
        if let Some(a) = &st.attributed_to {
            self.add(&n, co("attributedTo"), self.entity_iri(a));
        }
        if let Some(stance) = st.stance {
            self.add(&n, co("stance"), co(stance_name(stance)));
        }
        if let Some(d) = &c.date {
            self.add(&n, co("date"), date(d));
        }
        if let Some(r) = &st.role {
            self.add(&n, co("role"), plain(r));
        }
        if let Some(q) = &st.quantity {
            self.add(&n, co("quantity"), typed(q.value.to_string(), "integer"));
            self.add(
                &n,
                co("quantityApproximate"),
                typed(q.approximate.to_string(), "boolean"),
            );
            if let Some(l) = q.lower {
                self.add(
                    &n,
                    co("quantityLowerBound"),
                    typed(l.to_string(), "integer"),
                );
            }
            if let Some(u) = q.upper {
                self.add(
                    &n,
                    co("quantityUpperBound"),
                    typed(u.to_string(), "integer"),
                );
            }
            if let Some(w) = &q.wording {
                self.add(&n, co("quantityWording"), tagged(w, &s.source.language)?);
            }
        }
        if let Some(note) = &st.note {
            self.add(&n, term(SKOS, "editorialNote"), plain(note));
        }
        for (i, p) in c.evidence.iter().enumerate() {
            self.evidence(&n, sid, &format!("evidence-{}", i + 1), p);
        }
        Ok(())
    }

    /// `node coalition:evidence <node#name>`, an `oa:SpecificResource` of the source with a
    /// `oa:TextQuoteSelector` and a `oa:TextPositionSelector` (code-point offsets).
    fn evidence(&mut self, node: &NamedNode, sid: &str, name: &str, p: &Passage) {
        let frag = |suffix: &str| NamedNode::new_unchecked(format!("{}#{suffix}", node.as_str()));
        let ev = frag(name);
        let quote = frag(&format!("{name}-quote"));
        let pos = frag(&format!("{name}-position"));
        self.add(node, co("evidence"), ev.clone());
        self.add(&ev, term(RDF, "type"), term(OA, "SpecificResource"));
        self.add(&ev, term(OA, "hasSource"), self.base.iri("source", &[sid]));
        self.add(&ev, term(OA, "hasSelector"), quote.clone());
        self.add(&ev, term(OA, "hasSelector"), pos.clone());
        self.add(&quote, term(RDF, "type"), term(OA, "TextQuoteSelector"));
        self.add(&quote, term(OA, "exact"), plain(&p.exact));
        self.add(&quote, term(OA, "prefix"), plain(&p.prefix));
        self.add(&quote, term(OA, "suffix"), plain(&p.suffix));
        self.add(&pos, term(RDF, "type"), term(OA, "TextPositionSelector"));
        self.add(
            &pos,
            term(OA, "start"),
            typed(p.start.to_string(), "nonNegativeInteger"),
        );
        self.add(
            &pos,
            term(OA, "end"),
            typed(p.end.to_string(), "nonNegativeInteger"),
        );
    }
}
