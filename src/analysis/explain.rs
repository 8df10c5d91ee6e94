//! Why two entities are connected: the shortest chains of statements between them, each link
//! with the quotes and sources that back it.
//!
//! Paths walk statement edges in either direction (a letter signed by A and addressed to B links
//! A and B) but every hop is reported in its stated direction. Paths are simple (no entity twice)
//! and listed shortest first, then in id order; between two neighbouring entities a hop lists
//! every statement relating them.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use crate::facts::schema::{Certainty, Stance};
use crate::facts::vocab::Predicate;
use crate::model::{Edge, Model, Node};

/// One source's backing for a hop.
#[derive(Clone, Debug, Serialize)]
pub struct Backing {
    /// Source id.
    pub source: String,
    /// Source date.
    pub date: String,
    /// Statement id within the source.
    pub statement_id: String,
    /// How the source supports it.
    pub certainty: Certainty,
    /// Who the source attributes it to, if anyone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// The stance, when the statement has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// The evidence quotes.
    pub quotes: Vec<Quote>,
}

/// An evidence quote and where it is.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    /// The verbatim text.
    pub text: String,
    /// Its 1-based line in the source text.
    pub line: usize,
}

/// One statement along a hop, as stated.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// Subject id.
    pub subject: String,
    /// Subject display name.
    pub subject_label: String,
    /// The predicate.
    pub predicate: Predicate,
    /// Object id.
    pub object: String,
    /// Object display name.
    pub object_label: String,
    /// Whether the walk follows the stated direction (false: the edge is walked backwards).
    pub forward: bool,
    /// Every source's backing.
    pub claims: Vec<Backing>,
}

/// One step of a path: from an entity to the next, with the statements relating them.
#[derive(Clone, Debug, Serialize)]
pub struct Hop {
    /// Entity walked from.
    pub from: String,
    /// Entity walked to.
    pub to: String,
    /// The statements between them, sorted.
    pub links: Vec<Link>,
}

/// A chain of hops from the first entity to the second.
#[derive(Clone, Debug, Serialize)]
pub struct EvidencePath {
    /// The entities in order, both ends included.
    pub entities: Vec<String>,
    /// The hops.
    pub hops: Vec<Hop>,
}

/// Undirected adjacency over statement edges between entities, by id (sorted for determinism).
fn adjacency(model: &Model) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut adj: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (_, s, o) in model.statement_edges() {
        if let (Node::Entity(a), Node::Entity(b)) = (&model.graph()[s], &model.graph()[o]) {
            if a.id != b.id {
                adj.entry(&a.id).or_default().insert(&b.id);
                adj.entry(&b.id).or_default().insert(&a.id);
            }
        }
    }
    adj
}

/// The shortest simple paths from `a` to `b` of at most `max_hops` hops, at most `max_paths`
/// of them, shortest first then in id order. Empty when there is none.
pub fn explain(
    model: &Model,
    a: &str,
    b: &str,
    max_paths: usize,
    max_hops: usize,
) -> Vec<EvidencePath> {
    let adj = adjacency(model);
    // Distance of every entity to `b`, to prune walks that cannot arrive in time.
    let mut dist: BTreeMap<&str, usize> = BTreeMap::new();
    let mut queue = VecDeque::new();
    if let Some((&b, _)) = adj.get_key_value(b) {
        dist.insert(b, 0);
        queue.push_back(b);
    }
    while let Some(n) = queue.pop_front() {
        let d = dist[n];
        for &m in &adj[n] {
            if !dist.contains_key(m) {
                dist.insert(m, d + 1);
                queue.push_back(m);
            }
        }
    }
    let Some(&shortest) = dist.get(a) else {
        return Vec::new();
    };
    let mut found: Vec<Vec<&str>> = Vec::new();
    for len in shortest..=max_hops {
        let mut path = vec![a];
        walk(&adj, &dist, b, len, &mut path, &mut found, max_paths);
        if found.len() >= max_paths {
            break;
        }
    }
    found.truncate(max_paths);
    found
        .into_iter()
        .map(|p| EvidencePath {
            entities: p.iter().map(|s| s.to_string()).collect(),
            hops: p.windows(2).map(|w| hop(model, w[0], w[1])).collect(),
        })
        .collect()
}

/// Depth-first enumeration of simple paths of exactly `len` hops ending at `b`.
fn walk<'a>(
    adj: &BTreeMap<&'a str, BTreeSet<&'a str>>,
    dist: &BTreeMap<&str, usize>,
    b: &str,
    len: usize,
    path: &mut Vec<&'a str>,
    found: &mut Vec<Vec<&'a str>>,
    max_paths: usize,
) {
    let left = len + 1 - path.len();
    let here = path[path.len() - 1];
    if left == 0 {
        if here == b {
            found.push(path.clone());
        }
        return;
    }
    for &next in adj.get(here).into_iter().flatten() {
        if found.len() >= max_paths {
            return;
        }
        let reachable = dist.get(next).is_some_and(|&d| d < left);
        if !reachable || path.contains(&next) || (next == b && left > 1) {
            continue;
        }
        path.push(next);
        walk(adj, dist, b, len, path, found, max_paths);
        path.pop();
    }
}

fn hop(model: &Model, from: &str, to: &str) -> Hop {
    let (Some(f), Some(t)) = (model.entity(from), model.entity(to)) else {
        return Hop {
            from: from.into(),
            to: to.into(),
            links: Vec::new(),
        };
    };
    let mut links: Vec<Link> = model
        .statements_of(f)
        .into_iter()
        .filter(|(_, s, o)| (*s == f && *o == t) || (*s == t && *o == f))
        .filter_map(|(e, s, o)| {
            let Edge::Statement { predicate, claims } = &model.graph()[e] else {
                return None;
            };
            let (subject, object) = (model.graph()[s].entity()?, model.graph()[o].entity()?);
            Some(Link {
                subject: subject.id.clone(),
                subject_label: model.label(s, "en"),
                predicate: *predicate,
                object: object.id.clone(),
                object_label: model.label(o, "en"),
                forward: s == f,
                claims: claims
                    .iter()
                    .map(|c| Backing {
                        source: c.source().to_string(),
                        date: model
                            .source(c.source())
                            .map(|s| s.date.to_string())
                            .unwrap_or_default(),
                        statement_id: c.statement_id().to_string(),
                        certainty: c.statement().certainty,
                        attributed_to: c.statement().attributed_to.clone(),
                        stance: c.statement().stance,
                        quotes: c
                            .evidence()
                            .iter()
                            .map(|p| Quote {
                                text: p.exact.clone(),
                                line: p.line,
                            })
                            .collect(),
                    })
                    .collect(),
            })
        })
        .collect();
    links.sort_by_key(|l| (!l.forward, l.predicate));
    Hop {
        from: from.into(),
        to: to.into(),
        links,
    }
}
