//! The graph model: a petgraph graph built from the validated [`Corpus`], with a node per entity,
//! source and quotation and an edge per relation. RDF, DOT, the exports, the analyses and the
//! explorer are all made from it, and from nothing else: the corpus is moved into the nodes (an
//! entity node holds its registry entry, a source node its text, metadata, statements and
//! quotations), so the model is the one source of truth after `facts`.
//!
//! Several sources stating the same `subject predicate object` give one edge with several
//! [`Claim`]s, each with its own evidence, so the model keeps every source's word.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::facts::corpus::Corpus;
pub use crate::facts::corpus::{CheckedQuotation, CheckedStatement, SourceFacts};
use crate::facts::date::PartialDate;
use crate::facts::quote::Passage;
use crate::facts::schema::{Entity, Statement};
use crate::facts::vocab::{EntityKind, Predicate};

/// A node of the model.
#[derive(Clone, Debug)]
pub enum Node {
    /// An entity.
    Entity(Entity),
    /// A source and the facts recorded from it.
    Source(Box<SourceFacts>),
    /// A quotation: its source id and the checked quotation.
    Quotation(String, CheckedQuotation),
}

impl Node {
    /// The node's id (of its entity, source or quotation).
    pub fn id(&self) -> &str {
        match self {
            Node::Entity(e) => &e.id,
            Node::Source(s) => &s.source.id,
            Node::Quotation(_, q) => &q.quotation.id,
        }
    }

    /// The entity, if this node is one.
    pub fn entity(&self) -> Option<&Entity> {
        match self {
            Node::Entity(e) => Some(e),
            _ => None,
        }
    }

    /// The entity kind, if this node is an entity.
    pub fn kind(&self) -> Option<EntityKind> {
        self.entity().map(|e| e.kind)
    }
}

/// One source's support for a relation.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The source that states it.
    pub source: String,
    /// The statement's id within that source.
    pub statement_id: String,
    /// The statement as written (qualifiers included).
    pub statement: Statement,
    /// Its date qualifier, parsed.
    pub date: Option<PartialDate>,
    /// Its evidence, located in the source text.
    pub evidence: Vec<Passage>,
}

/// An edge of the model.
#[derive(Clone, Debug)]
pub enum Edge {
    /// A relation from the fact vocabulary, with every source's claim.
    Statement {
        /// The predicate.
        predicate: Predicate,
        /// One claim per source statement, sorted by source then statement id.
        claims: Vec<Claim>,
    },
    /// Source → its publisher.
    PublishedBy,
    /// Quotation → who said or wrote it.
    SaidBy,
    /// Quotation → the document it was written in.
    WrittenIn,
    /// Quotation → an entity it is about.
    About,
    /// Quotation → the source that reports it.
    QuotedIn,
}

impl Edge {
    /// Short English label.
    pub fn label(&self) -> &'static str {
        match self {
            Edge::Statement { predicate, .. } => predicate.label(),
            Edge::PublishedBy => "published by",
            Edge::SaidBy => "said by",
            Edge::WrittenIn => "written in",
            Edge::About => "about",
            Edge::QuotedIn => "quoted in",
        }
    }

    /// The claims, for statement edges.
    pub fn claims(&self) -> &[Claim] {
        match self {
            Edge::Statement { claims, .. } => claims,
            _ => &[],
        }
    }
}

/// The model: the graph, and an id → node index map for entities and for sources.
#[derive(Debug, Default)]
pub struct Model {
    graph: DiGraph<Node, Edge>,
    entities: BTreeMap<String, NodeIndex>,
    sources: BTreeMap<String, NodeIndex>,
}

impl Model {
    /// Builds the model from validated facts, which it takes over. Nodes and edges are inserted
    /// in sorted order, so indices are stable for equal input. Costs O(n log n) in the number of
    /// facts.
    pub fn build(corpus: Corpus) -> Model {
        let merged = relations(&corpus);
        let mut quotations: Vec<(String, CheckedQuotation)> = corpus
            .sources
            .iter()
            .flat_map(|(sid, s)| s.quotations.iter().map(move |q| (sid.clone(), q.clone())))
            .collect();
        quotations.sort_by(|a, b| a.1.quotation.id.cmp(&b.1.quotation.id));
        let mut m = Model::default();
        for (id, e) in corpus.entities {
            m.entities.insert(id, m.graph.add_node(Node::Entity(e)));
        }
        for (id, s) in corpus.sources {
            m.sources
                .insert(id, m.graph.add_node(Node::Source(Box::new(s))));
        }
        let first_quotation = m.graph.node_count();
        for (sid, q) in quotations {
            m.graph.add_node(Node::Quotation(sid, q));
        }
        for ((subject, predicate, object), claims) in merged {
            let (s, o) = (m.entities[&subject], m.entities[&object]);
            m.graph
                .add_edge(s, o, Edge::Statement { predicate, claims });
        }
        let edges: Vec<(NodeIndex, NodeIndex, Edge)> = m
            .sources()
            .map(|(sid, s)| {
                (
                    m.sources[sid],
                    m.entities[&s.source.publisher],
                    Edge::PublishedBy,
                )
            })
            .chain((first_quotation..m.graph.node_count()).flat_map(|i| m.quotation_edges(i)))
            .collect();
        for (a, b, e) in edges {
            m.graph.add_edge(a, b, e);
        }
        m
    }

    /// The edges from quotation node `i`: who said it, where it was written, what it is about,
    /// where it is reported.
    fn quotation_edges(&self, i: usize) -> Vec<(NodeIndex, NodeIndex, Edge)> {
        let qn = NodeIndex::new(i);
        let Node::Quotation(sid, q) = &self.graph[qn] else {
            unreachable!("quotation nodes come last")
        };
        let q = &q.quotation;
        let mut about = q.about.clone();
        about.sort();
        about.dedup();
        let ent = |id: &String| self.entities[id];
        let mut out = vec![(qn, ent(&q.speaker), Edge::SaidBy)];
        out.extend(q.document.iter().map(|d| (qn, ent(d), Edge::WrittenIn)));
        out.extend(about.iter().map(|a| (qn, ent(a), Edge::About)));
        out.push((qn, self.sources[sid], Edge::QuotedIn));
        out
    }

    /// The petgraph graph: a node per entity, source and quotation, an edge per relation.
    pub fn graph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// The node index of an entity.
    pub fn entity(&self, id: &str) -> Option<NodeIndex> {
        self.entities.get(id).copied()
    }

    /// The registry entry of entity `id`.
    pub fn entity_record(&self, id: &str) -> Option<&Entity> {
        self.entity(id).and_then(|n| self.graph[n].entity())
    }

    /// The entities of the registry, by id.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> + '_ {
        self.entities
            .values()
            .filter_map(|&n| self.graph[n].entity())
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// The facts of source `id`: metadata, text, statements, quotations.
    pub fn source(&self, id: &str) -> Option<&SourceFacts> {
        self.sources.get(id).map(|&n| self.source_at(n))
    }

    /// The sources with their facts, by id.
    pub fn sources(&self) -> impl ExactSizeIterator<Item = (&str, &SourceFacts)> + '_ {
        self.sources
            .iter()
            .map(|(id, &n)| (id.as_str(), self.source_at(n)))
    }

    /// A model of the same registry and of the sources `keep` accepts (a period, one source).
    /// Costs a copy of the kept facts and a [`Model::build`].
    pub fn restricted(&self, keep: impl Fn(&str, &SourceFacts) -> bool) -> Model {
        Model::build(Corpus {
            entities: self.entities().map(|e| (e.id.clone(), e.clone())).collect(),
            sources: self
                .sources()
                .filter(|(id, s)| keep(id, s))
                .map(|(id, s)| (id.to_string(), s.clone()))
                .collect(),
        })
    }

    /// Number of statements across sources (a relation several sources state counts once per
    /// statement).
    pub fn statement_count(&self) -> usize {
        self.sources().map(|(_, s)| s.statements.len()).sum()
    }

    /// Number of quotations across sources.
    pub fn quotation_count(&self) -> usize {
        self.sources().map(|(_, s)| s.quotations.len()).sum()
    }

    /// Number of sources.
    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    fn source_at(&self, n: NodeIndex) -> &SourceFacts {
        match &self.graph[n] {
            Node::Source(s) => s,
            _ => unreachable!("the source index holds source nodes"),
        }
    }

    /// Statement edges, in insertion (sorted) order: (edge, subject, object).
    pub fn statement_edges(&self) -> impl Iterator<Item = (EdgeIndex, NodeIndex, NodeIndex)> + '_ {
        self.graph
            .edge_references()
            .filter(|e| matches!(e.weight(), Edge::Statement { .. }))
            .map(|e| (e.id(), e.source(), e.target()))
    }

    /// Statement edges touching `n`, outgoing then incoming.
    pub fn statements_of(&self, n: NodeIndex) -> Vec<(EdgeIndex, NodeIndex, NodeIndex)> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(n, Direction::Outgoing)
            .chain(self.graph.edges_directed(n, Direction::Incoming))
            .filter(|e| matches!(e.weight(), Edge::Statement { .. }))
            .map(|e| (e.id(), e.source(), e.target()))
            .collect();
        out.sort();
        out
    }

    /// The display label of a node in `lang` (falls back to the entity's name).
    pub fn label(&self, n: NodeIndex, lang: &str) -> String {
        match &self.graph[n] {
            Node::Entity(e) => e.labels.get(lang).unwrap_or(&e.name).clone(),
            Node::Source(s) => s.source.title.clone(),
            Node::Quotation(_, q) => q.quotation.id.clone(),
        }
    }
}

/// Every source's relations, merged by (subject, predicate, object), each edge's claims sorted by
/// source then statement id.
fn relations(corpus: &Corpus) -> BTreeMap<(String, Predicate, String), Vec<Claim>> {
    let mut merged: BTreeMap<(String, Predicate, String), Vec<Claim>> = BTreeMap::new();
    for (sid, s) in &corpus.sources {
        for c in &s.statements {
            if let Some(object) = &c.statement.object {
                let st = &c.statement;
                let key = (st.subject.clone(), st.predicate, object.clone());
                merged.entry(key).or_default().push(claim(sid, c));
            }
        }
    }
    for claims in merged.values_mut() {
        claims.sort_by(|a, b| (&a.source, &a.statement_id).cmp(&(&b.source, &b.statement_id)));
    }
    merged
}

fn claim(source: &str, c: &CheckedStatement) -> Claim {
    Claim {
        source: source.to_string(),
        statement_id: c.id.clone(),
        statement: c.statement.clone(),
        date: c.date,
        evidence: c.evidence.clone(),
    }
}
