//! The graph model: a petgraph graph built from the validated [`Corpus`], with a node per entity,
//! source and quotation and an edge per relation. RDF, DOT, the exports, the analyses and the
//! explorer are all made from it, and from nothing else: the corpus is moved into the nodes (an
//! entity node holds its registry entry, a source node its text, metadata, statements and
//! quotations), so the model is the one source of truth after `facts`.
//!
//! Several sources stating the same `subject predicate object` give one edge with several
//! [`Claim`]s, each with its own evidence, so the model keeps every source's word.

use std::collections::BTreeMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use rustc_hash::FxHashMap;

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
    Source(Arc<SourceFacts>),
    /// A quotation, kept in its source's facts.
    Quotation(Quoted),
}

impl Node {
    /// The node's id (of its entity, source or quotation).
    pub fn id(&self) -> &str {
        match self {
            Node::Entity(e) => &e.id,
            Node::Source(s) => &s.source.id,
            Node::Quotation(q) => &q.checked().quotation.id,
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

/// A quotation of a source: the source's facts (shared, not copied) and its place in them.
#[derive(Clone, Debug)]
pub struct Quoted {
    facts: Arc<SourceFacts>,
    index: usize,
}

impl Quoted {
    /// The id of the source that reports it.
    pub fn source(&self) -> &str {
        &self.facts.source.id
    }

    /// The checked quotation.
    pub fn checked(&self) -> &CheckedQuotation {
        &self.facts.quotations[self.index]
    }
}

/// One source's support for a relation: a statement of that source, shared with the source's
/// node rather than copied (a model of 10,000 sources holds 400,000 of them).
#[derive(Clone, Debug)]
pub struct Claim {
    facts: Arc<SourceFacts>,
    index: usize,
}

impl Claim {
    /// The source that states it.
    pub fn source(&self) -> &str {
        &self.facts.source.id
    }

    /// The statement's id within that source.
    pub fn statement_id(&self) -> &str {
        &self.checked().id
    }

    /// The statement as written (qualifiers included).
    pub fn statement(&self) -> &Statement {
        &self.checked().statement
    }

    /// Its date qualifier, parsed.
    pub fn date(&self) -> Option<PartialDate> {
        self.checked().date
    }

    /// Its evidence, located in the source text.
    pub fn evidence(&self) -> &[Passage] {
        &self.checked().evidence
    }

    fn checked(&self) -> &CheckedStatement {
        &self.facts.statements[self.index]
    }
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
    /// Builds the model from validated facts, which it takes over; the sources' facts are
    /// shared, not copied. Nodes and edges are inserted in sorted order, so indices are stable for
    /// equal input. Costs O(n log n) in the number of facts.
    pub fn build(corpus: Corpus) -> Model {
        let mut m = Model::default();
        for (id, e) in corpus.entities {
            m.entities.insert(id, m.graph.add_node(Node::Entity(e)));
        }
        let sources: Vec<Arc<SourceFacts>> = corpus.sources.into_values().collect();
        for s in &sources {
            let n = m.graph.add_node(Node::Source(s.clone()));
            m.sources.insert(s.source.id.clone(), n);
        }
        let mut quotations: Vec<Quoted> = sources
            .iter()
            .flat_map(|s| {
                (0..s.quotations.len()).map(|index| Quoted {
                    facts: s.clone(),
                    index,
                })
            })
            .collect();
        quotations.sort_by(|a, b| a.checked().quotation.id.cmp(&b.checked().quotation.id));
        let first_quotation = m.graph.node_count();
        for q in quotations {
            m.graph.add_node(Node::Quotation(q));
        }
        // FxHash: 400,000 statements and 100,000 quotations at 10,000 sources make about a
        // million look-ups per build.
        let ids: FxHashMap<&str, NodeIndex> =
            m.entities.iter().map(|(id, &n)| (id.as_str(), n)).collect();
        let relations = relations(&ids, &sources);
        // Each quotation has a speaker and a source, and usually one or two more edges.
        let quoted = m.graph.node_count() - first_quotation;
        m.graph
            .reserve_edges(relations.len() + sources.len() + 4 * quoted);
        for (s, predicate, o, claims) in relations {
            m.graph
                .add_edge(s, o, Edge::Statement { predicate, claims });
        }
        let mut edges: Vec<(NodeIndex, NodeIndex, Edge)> = Vec::with_capacity(4 * quoted);
        for (sid, s) in m.sources() {
            let publisher = ids[s.source.publisher.as_str()];
            edges.push((m.sources[sid], publisher, Edge::PublishedBy));
        }
        for i in first_quotation..m.graph.node_count() {
            let qn = NodeIndex::new(i);
            let Node::Quotation(quoted) = &m.graph[qn] else {
                unreachable!("quotation nodes come last")
            };
            quotation_edges(qn, quoted, &ids, m.sources[quoted.source()], &mut edges);
        }
        for (a, b, e) in edges {
            m.graph.add_edge(a, b, e);
        }
        m
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
        self.sources.get(id).map(|&n| &**self.source_at(n))
    }

    /// The sources with their facts (shared: cloning one is cheap), by id.
    pub fn sources(&self) -> impl ExactSizeIterator<Item = (&str, &Arc<SourceFacts>)> + '_ {
        self.sources
            .iter()
            .map(|(id, &n)| (id.as_str(), self.source_at(n)))
    }

    /// A model of the same registry and of the sources `keep` accepts (a period, one source).
    /// Costs a [`Model::build`]; the kept facts are shared, not copied.
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

    fn source_at(&self, n: NodeIndex) -> &Arc<SourceFacts> {
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
            Node::Quotation(q) => q.checked().quotation.id.clone(),
        }
    }
}

/// Every source's relations, merged by (subject, predicate, object) in id order (entity nodes
/// were added in id order: `ids` maps an entity id to its node), each edge's claims sorted by
/// source then statement id. `sources` are in id order.
fn relations(
    ids: &FxHashMap<&str, NodeIndex>,
    sources: &[Arc<SourceFacts>],
) -> Vec<(NodeIndex, Predicate, NodeIndex, Vec<Claim>)> {
    let count = sources.iter().map(|s| s.statements.len()).sum();
    let mut rows: Vec<(NodeIndex, Predicate, NodeIndex, usize, usize)> = Vec::with_capacity(count);
    for (k, s) in sources.iter().enumerate() {
        for (i, c) in s.statements.iter().enumerate() {
            if let Some(object) = &c.statement.object {
                let st = &c.statement;
                rows.push((
                    ids[st.subject.as_str()],
                    st.predicate,
                    ids[object.as_str()],
                    k,
                    i,
                ));
            }
        }
    }
    let id = |r: &(NodeIndex, Predicate, NodeIndex, usize, usize)| &sources[r.3].statements[r.4].id;
    rows.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2, a.3)
            .cmp(&(b.0, b.1, b.2, b.3))
            .then_with(|| id(a).cmp(id(b)))
    });
    let mut out: Vec<(NodeIndex, Predicate, NodeIndex, Vec<Claim>)> = Vec::new();
    for (s, p, o, k, index) in rows {
        let claim = Claim {
            facts: sources[k].clone(),
            index,
        };
        match out.last_mut() {
            Some(last) if (last.0, last.1, last.2) == (s, p, o) => last.3.push(claim),
            _ => out.push((s, p, o, vec![claim])),
        }
    }
    out
}

/// Adds to `out` the edges from quotation node `qn`: who said it, where it was written, what it
/// is about, where it is reported (`source`).
fn quotation_edges(
    qn: NodeIndex,
    quoted: &Quoted,
    ids: &FxHashMap<&str, NodeIndex>,
    source: NodeIndex,
    out: &mut Vec<(NodeIndex, NodeIndex, Edge)>,
) {
    let q = &quoted.checked().quotation;
    let mut about: Vec<&str> = q.about.iter().map(String::as_str).collect();
    about.sort_unstable();
    about.dedup();
    out.push((qn, ids[q.speaker.as_str()], Edge::SaidBy));
    out.extend(
        q.document
            .iter()
            .map(|d| (qn, ids[d.as_str()], Edge::WrittenIn)),
    );
    out.extend(about.iter().map(|a| (qn, ids[a], Edge::About)));
    out.push((qn, source, Edge::QuotedIn));
}
