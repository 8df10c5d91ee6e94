//! Who is central: degree, betweenness and closeness of each entity over the statement graph,
//! and its connected components.
//!
//! Degree counts the relations (statement edges, whatever the number of sources) in the
//! direction they are stated. Centrality and components use the *undirected, simple* entity
//! graph: two entities are linked when any statement relates them, either way, once. Direction
//! is dropped because "A signed B" and "B is addressed to C" both connect their ends for the
//! purpose of bridging and reach. Betweenness (Brandes 2001, normalised by the number of pairs of
//! other nodes) and closeness (Wasserman–Faust, scaled by the share of reachable nodes) come
//! from `rustworkx-core`, and match `networkx.betweenness_centrality(G, normalized=True)` and
//! `networkx.closeness_centrality(G)`.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{NodeIndex, UnGraph};
use rustworkx_core::centrality::{betweenness_centrality, closeness_centrality};
use rustworkx_core::connectivity::connected_components;
use serde::Serialize;

use crate::facts::vocab::EntityKind;
use crate::model::{Model, Node};

/// Above this many nodes rustworkx would run in parallel; we never do, so that sums are always
/// added in the same order and figures are reproducible to the last bit.
const SEQUENTIAL: usize = usize::MAX;

/// The undirected simple graph of the entities that take part in at least one statement.
#[derive(Debug)]
pub struct EntityGraph {
    /// Entity ids, sorted; position `i` is node `i` of [`EntityGraph::graph`].
    pub ids: Vec<String>,
    /// One edge per related pair (no loops, no parallel edges).
    pub graph: UnGraph<(), ()>,
}

impl EntityGraph {
    /// Builds it from the statement edges of the model.
    pub fn build(model: &Model) -> EntityGraph {
        let id = |n: NodeIndex| match &model.graph()[n] {
            Node::Entity(e) => Some(e.id.clone()),
            _ => None,
        };
        let mut pairs = BTreeSet::new();
        let mut ids = BTreeSet::new();
        for (_, s, o) in model.statement_edges() {
            let (Some(a), Some(b)) = (id(s), id(o)) else {
                continue;
            };
            ids.insert(a.clone());
            ids.insert(b.clone());
            if a != b {
                pairs.insert(if a < b { (a, b) } else { (b, a) });
            }
        }
        let ids: Vec<String> = ids.into_iter().collect();
        let pos: BTreeMap<&str, u32> = ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let mut graph = UnGraph::with_capacity(ids.len(), pairs.len());
        for _ in &ids {
            graph.add_node(());
        }
        for (a, b) in &pairs {
            graph.add_edge(
                NodeIndex::new(pos[a.as_str()] as usize),
                NodeIndex::new(pos[b.as_str()] as usize),
                (),
            );
        }
        EntityGraph { ids, graph }
    }

    /// The edges as pairs of ids, sorted.
    pub fn edges(&self) -> Vec<(String, String)> {
        self.graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (self.ids[a.index()].clone(), self.ids[b.index()].clone()))
            .collect()
    }
}

/// The figures of one entity.
#[derive(Clone, Debug, Serialize)]
pub struct EntityFigures {
    /// Entity id.
    pub id: String,
    /// Display name.
    pub label: String,
    /// Entity kind.
    pub kind: EntityKind,
    /// Relations pointing at it ("X signed *it*").
    pub in_degree: usize,
    /// Relations it is the subject of ("*it* signed X").
    pub out_degree: usize,
    /// `in_degree + out_degree`.
    pub degree: usize,
    /// Distinct entities it is related to (its degree in the undirected simple graph).
    pub neighbours: usize,
    /// Share of shortest paths between two other entities that pass through it (0 to 1).
    pub betweenness: f64,
    /// How near it is to everything it can reach (0 to 1; 1 = next to everything).
    pub closeness: f64,
    /// Number of its connected component (1 = largest).
    pub component: usize,
}

/// Everything `coalition analyze` reports about the network's structure.
#[derive(Clone, Debug, Serialize)]
pub struct Structure {
    /// Number of relations (statement edges between entities).
    pub relations: usize,
    /// One row per entity of the graph, sorted by betweenness, degree, then id.
    pub entities: Vec<EntityFigures>,
    /// Connected components, largest first, each sorted by id.
    pub components: Vec<Vec<String>>,
    /// The undirected edges the centralities were computed on, as id pairs.
    pub edges: Vec<(String, String)>,
}

/// Computes degrees, centralities and components.
pub fn structure(model: &Model) -> Structure {
    let g = EntityGraph::build(model);
    let between = betweenness_centrality(&g.graph, false, true, SEQUENTIAL);
    let close = closeness_centrality(&g.graph, true, SEQUENTIAL);
    let mut components: Vec<Vec<String>> = connected_components(&g.graph)
        .into_iter()
        .map(|c| {
            let mut ids: Vec<String> = c.iter().map(|n| g.ids[n.index()].clone()).collect();
            ids.sort();
            ids
        })
        .collect();
    components.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let component_of: BTreeMap<&str, usize> = components
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |id| (id.as_str(), i + 1)))
        .collect();
    let mut relations = 0;
    let mut degrees: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, s, o) in model.statement_edges() {
        if let (Node::Entity(a), Node::Entity(b)) = (&model.graph()[s], &model.graph()[o]) {
            relations += 1;
            degrees.entry(a.id.as_str()).or_default().1 += 1;
            degrees.entry(b.id.as_str()).or_default().0 += 1;
        }
    }
    let mut entities: Vec<EntityFigures> = g
        .ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let n = model.entity(id)?;
            let (in_degree, out_degree) = degrees.get(id.as_str()).copied().unwrap_or_default();
            Some(EntityFigures {
                id: id.clone(),
                label: model.label(n, "en"),
                kind: model.graph()[n].kind()?,
                in_degree,
                out_degree,
                degree: in_degree + out_degree,
                neighbours: g.graph.neighbors(NodeIndex::new(i)).count(),
                betweenness: between.get(i).copied().flatten().unwrap_or(0.0),
                closeness: close.get(i).copied().flatten().unwrap_or(0.0),
                component: component_of.get(id.as_str()).copied().unwrap_or(0),
            })
        })
        .collect();
    entities.sort_by(|a, b| {
        b.betweenness
            .total_cmp(&a.betweenness)
            .then(b.degree.cmp(&a.degree))
            .then_with(|| a.id.cmp(&b.id))
    });
    Structure {
        relations,
        entities,
        components,
        edges: g.edges(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path a–b–c plus an isolated pair d–e, checked by hand.
    #[test]
    fn figures_on_a_small_graph() {
        let mut g = UnGraph::<(), ()>::new_undirected();
        let n: Vec<_> = (0..5).map(|_| g.add_node(())).collect();
        g.add_edge(n[0], n[1], ());
        g.add_edge(n[1], n[2], ());
        g.add_edge(n[3], n[4], ());
        let b = betweenness_centrality(&g, false, true, SEQUENTIAL);
        // b lies on the only path a–c: 1 pair out of (n-1)(n-2)/2 = 6.
        assert_eq!(b[1], Some(1.0 / 6.0));
        assert_eq!(b[0], Some(0.0));
        let c = closeness_centrality(&g, true, SEQUENTIAL);
        // b reaches 2 nodes at distance 1: (2/2) * (2/4).
        assert_eq!(c[1], Some(0.5));
        // a reaches 2 nodes at total distance 3: (2/3) * (2/4).
        assert!((c[0].unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(connected_components(&g).len(), 2);
    }
}
