//! The graph model: a petgraph graph built from the validated [`Corpus`], with a node per entity,
//! source and quotation and an edge per relation. RDF, DOT and the exports are all made from it.
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

/// What a node stands for. Ordered so that sorting nodes gives entities, then sources, then
/// quotations, each by id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeId {
    /// An entity of the registry.
    Entity(String),
    /// A source (article, letter, record set the facts come from).
    Source(String),
    /// A quotation.
    Quotation(String),
}

impl NodeId {
    /// The bare id.
    pub fn id(&self) -> &str {
        match self {
            NodeId::Entity(s) | NodeId::Source(s) | NodeId::Quotation(s) => s,
        }
    }
}

/// A node of the model.
#[derive(Clone, Debug)]
pub enum Node {
    /// An entity.
    Entity(Entity),
    /// A source, by id (details in [`Model::corpus`]).
    Source(String),
    /// A quotation: its source id and the checked quotation.
    Quotation(String, CheckedQuotation),
}

impl Node {
    /// The node's id.
    pub fn key(&self) -> NodeId {
        match self {
            Node::Entity(e) => NodeId::Entity(e.id.clone()),
            Node::Source(s) => NodeId::Source(s.clone()),
            Node::Quotation(_, q) => NodeId::Quotation(q.quotation.id.clone()),
        }
    }

    /// The node's id (of its entity, source or quotation).
    pub fn id(&self) -> &str {
        match self {
            Node::Entity(e) => &e.id,
            Node::Source(s) => s,
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

/// The model: the corpus it was built from, the graph, and an id → node index map.
#[derive(Debug)]
pub struct Model {
    /// The validated facts.
    pub corpus: Corpus,
    /// Nodes and edges, inserted in sorted order so indices are stable for equal input.
    pub graph: DiGraph<Node, Edge>,
    /// Node index by id.
    pub index: BTreeMap<NodeId, NodeIndex>,
}

impl Model {
    /// Builds the model from validated facts. Costs O(n log n) in the number of facts.
    pub fn build(corpus: Corpus) -> Model {
        let mut graph = DiGraph::new();
        let mut index = BTreeMap::new();
        for e in corpus.entities.values() {
            let n = graph.add_node(Node::Entity(e.clone()));
            index.insert(NodeId::Entity(e.id.clone()), n);
        }
        for id in corpus.sources.keys() {
            let n = graph.add_node(Node::Source(id.clone()));
            index.insert(NodeId::Source(id.clone()), n);
        }
        let mut quotations: Vec<(&String, &CheckedQuotation)> = corpus
            .sources
            .iter()
            .flat_map(|(sid, s)| s.quotations.iter().map(move |q| (sid, q)))
            .collect();
        quotations.sort_by(|a, b| a.1.quotation.id.cmp(&b.1.quotation.id));
        for (sid, q) in &quotations {
            let n = graph.add_node(Node::Quotation((*sid).clone(), (*q).clone()));
            index.insert(NodeId::Quotation(q.quotation.id.clone()), n);
        }
        let ent = |id: &str| index[&NodeId::Entity(id.to_string())];
        // Relations, merged across sources by (subject, predicate, object).
        let mut merged: BTreeMap<(String, Predicate, String), Vec<Claim>> = BTreeMap::new();
        for (sid, s) in &corpus.sources {
            for c in &s.statements {
                if let Some(object) = &c.statement.object {
                    merged
                        .entry((
                            c.statement.subject.clone(),
                            c.statement.predicate,
                            object.clone(),
                        ))
                        .or_default()
                        .push(claim(sid, c));
                }
            }
        }
        for ((subject, predicate, object), mut claims) in merged {
            claims.sort_by(|a, b| (&a.source, &a.statement_id).cmp(&(&b.source, &b.statement_id)));
            graph.add_edge(
                ent(&subject),
                ent(&object),
                Edge::Statement { predicate, claims },
            );
        }
        for (sid, s) in &corpus.sources {
            let src = index[&NodeId::Source(sid.clone())];
            graph.add_edge(src, ent(&s.source.publisher), Edge::PublishedBy);
        }
        for (sid, q) in &quotations {
            let qn = index[&NodeId::Quotation(q.quotation.id.clone())];
            graph.add_edge(qn, ent(&q.quotation.speaker), Edge::SaidBy);
            if let Some(d) = &q.quotation.document {
                graph.add_edge(qn, ent(d), Edge::WrittenIn);
            }
            let mut about = q.quotation.about.clone();
            about.sort();
            about.dedup();
            for a in about {
                graph.add_edge(qn, ent(&a), Edge::About);
            }
            graph.add_edge(qn, index[&NodeId::Source((*sid).clone())], Edge::QuotedIn);
        }
        Model {
            corpus,
            graph,
            index,
        }
    }

    /// The node index of an entity.
    pub fn entity(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(&NodeId::Entity(id.to_string())).copied()
    }

    /// The petgraph graph: a node per entity, source and quotation, an edge per relation.
    pub fn graph(&self) -> &DiGraph<Node, Edge> {
        &self.graph
    }

    /// The registry entry of entity `id`.
    pub fn entity_record(&self, id: &str) -> Option<&Entity> {
        self.corpus.entities.get(id)
    }

    /// The entities of the registry, by id.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> + '_ {
        self.corpus.entities.values()
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.corpus.entities.len()
    }

    /// The facts of source `id`: metadata, text, statements, quotations.
    pub fn source(&self, id: &str) -> Option<&SourceFacts> {
        self.corpus.sources.get(id)
    }

    /// The sources with their facts, by id.
    pub fn sources(&self) -> impl ExactSizeIterator<Item = (&str, &SourceFacts)> + '_ {
        self.corpus.sources.iter().map(|(id, s)| (id.as_str(), s))
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
        self.corpus.sources.len()
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
            Node::Source(id) => self
                .corpus
                .sources
                .get(id)
                .map_or_else(|| id.clone(), |s| s.source.title.clone()),
            Node::Quotation(_, q) => q.quotation.id.clone(),
        }
    }
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
