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

use std::borrow::Cow;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use super::ns::{
    self, term, Base, COALITION, DCTERMS, OA, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD,
};
use super::RdfError;
use crate::facts::date::PartialDate;
use crate::facts::quote::Passage;
use crate::facts::schema::{Certainty, Datatype, Entity, Stance};
use crate::model::{CheckedStatement, Model, SourceFacts};

/// Local names of the certainty individuals.
pub fn certainty_individual(c: Certainty) -> &'static str {
    match c {
        Certainty::Stated => "Stated",
        Certainty::Attributed => "Attributed",
        Certainty::Inferred => "Inferred",
    }
}

/// Local names of the stance individuals.
pub fn stance_individual(s: Stance) -> &'static str {
    match s {
        Stance::Supports => "Supports",
        Stance::Opposes => "Opposes",
    }
}

/// Every quad of the model under `base`, sorted (default graph first) and without duplicates.
pub fn quads(model: &Model, base: &Base) -> Result<Vec<Quad>, RdfError> {
    let mut out = registry_quads(model, base)?;
    for (sid, s) in model.sources() {
        out.extend(source_quads(base, sid, s)?);
    }
    sort(&mut out);
    Ok(out)
}

/// The quads of the default graph (the entity registry), unsorted.
pub fn registry_quads(model: &Model, base: &Base) -> Result<Vec<Quad>, RdfError> {
    let mut w = Writer {
        base,
        graph: GraphName::DefaultGraph,
        out: Vec::new(),
    };
    for e in model.entities() {
        w.entity(e)?;
    }
    Ok(w.out)
}

/// The quads of one source's named graph, unsorted. They depend on that source alone, so a
/// build can map sources independently (and cache them).
pub fn source_quads(base: &Base, sid: &str, s: &SourceFacts) -> Result<Vec<Quad>, RdfError> {
    let mut w = Writer {
        base,
        graph: base.iri("source", &[sid]).into(),
        out: Vec::new(),
    };
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
    Ok(w.out)
}

/// The direct triples of one source's statements (`subject predicate object`), in the default
/// graph and unsorted: the only triples of a source whose subject is an entity, so the only ones
/// that several sources (and the registry) can share.
pub fn direct_quads(base: &Base, s: &SourceFacts) -> Result<Vec<Quad>, RdfError> {
    let mut w = Writer {
        base,
        graph: GraphName::DefaultGraph,
        out: Vec::new(),
    };
    for c in &s.statements {
        if let Some((subject, pred, object)) = w.direct(c)? {
            w.add(&subject, pred, object);
        }
    }
    Ok(w.out)
}

/// Sorts `quads` and removes duplicates: default graph first, then by graph, subject (so a node
/// precedes its `#fragments`), `rdf:type` first, predicate, object (as N-Triples text).
pub fn sort(quads: &mut Vec<Quad>) {
    let order = order(quads, false);
    let mut slots: Vec<Option<Quad>> = std::mem::take(quads).into_iter().map(Some).collect();
    quads.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// The indices of `quads` in [`sort`]'s order, without duplicates; with `merge_graphs`, the
/// graph is ignored (the order of the merged triples). The key borrows the graph, subject and
/// predicate and only renders the object: for a million quads, owned keys took gigabytes.
pub(crate) fn order(quads: &[Quad], merge_graphs: bool) -> Vec<usize> {
    fn name(n: &NamedOrBlankNode) -> Cow<'_, str> {
        match n {
            NamedOrBlankNode::NamedNode(n) => Cow::Borrowed(n.as_str()),
            other => Cow::Owned(other.to_string()),
        }
    }
    let rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    let mut keys: Vec<_> = quads
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let graph = match &q.graph_name {
                _ if merge_graphs => Cow::Borrowed(""),
                GraphName::NamedNode(n) => Cow::Borrowed(n.as_str()),
                other => Cow::Owned(other.to_string()),
            };
            let p = q.predicate.as_str();
            (
                (
                    !merge_graphs && !q.graph_name.is_default_graph(),
                    graph,
                    name(&q.subject),
                    p != rdf_type,
                    p,
                    q.object.to_string(),
                ),
                i,
            )
        })
        .collect();
    keys.sort_unstable();
    keys.dedup_by(|b, a| a.0 == b.0);
    keys.into_iter().map(|(_, i)| i).collect()
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

    /// The direct triple `subject predicate object` of a statement; `None` for a statement with
    /// neither object nor value (the checker rejects it).
    fn direct(
        &self,
        c: &CheckedStatement,
    ) -> Result<Option<(NamedNode, NamedNode, Term)>, RdfError> {
        let st = &c.statement;
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
            (None, None) => return Ok(None),
        };
        Ok(Some((
            self.entity_iri(&st.subject),
            co(st.predicate.property()),
            object,
        )))
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
        let Some((subject, pred, object)) = self.direct(c)? else {
            return Ok(());
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
        self.add(&n, co("certainty"), co(certainty_individual(st.certainty)));
        if let Some(a) = &st.attributed_to {
            self.add(&n, co("attributedTo"), self.entity_iri(a));
        }
        if let Some(stance) = st.stance {
            self.add(&n, co("stance"), co(stance_individual(stance)));
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
