//! Stance networks in the manner of Discourse Network Analysis (Leifeld 2017): statements with a
//! `stance` give actor × concept ties, from which come actor × actor *congruence* (both hold the
//! same stance on a concept) and *conflict* (opposite stances) networks.
//!
//! Weights count concepts, each once per pair, whatever the number of sources. Normalisation
//! (one-mode networks only) divides that count by the average activity of the two actors (the
//! number of concepts each takes a stance on) or, for Jaccard, by the number of concepts either
//! takes a stance on. Both give 0–1 scores that do not favour very active actors.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::facts::schema::Stance;
use crate::facts::vocab::{EntityKind, Predicate};
use crate::model::Model;

use super::error::AnalysisError;

/// One source's statement of a stance.
#[derive(Clone, Debug, Serialize)]
pub struct StanceClaim {
    /// Source id.
    pub source: String,
    /// Source date.
    pub date: String,
    /// Statement id within the source.
    pub statement_id: String,
    /// The predicate the stance qualifies.
    pub predicate: Predicate,
    /// The evidence quotes.
    pub quotes: Vec<String>,
}

/// An actor's stance on a concept, with every claim that states it.
#[derive(Clone, Debug, Serialize)]
pub struct Position {
    /// Entity id of the actor (the statement's subject).
    pub actor: String,
    /// Entity id of the concept (the statement's object).
    pub concept: String,
    /// Supports or opposes.
    pub stance: Stance,
    /// The claims, by source then statement id.
    pub claims: Vec<StanceClaim>,
}

/// Every stated position, sorted by actor, concept, stance.
pub fn positions(model: &Model) -> Vec<Position> {
    let mut map: BTreeMap<(String, String, Stance), Vec<StanceClaim>> = BTreeMap::new();
    for (sid, s) in model.sources() {
        for c in &s.statements {
            let st = &c.statement;
            let (Some(stance), Some(object)) = (st.stance, &st.object) else {
                continue;
            };
            map.entry((st.subject.clone(), object.clone(), stance))
                .or_default()
                .push(StanceClaim {
                    source: sid.to_string(),
                    date: s.date.to_string(),
                    statement_id: c.id.clone(),
                    predicate: st.predicate,
                    quotes: c.evidence.iter().map(|p| p.exact.clone()).collect(),
                });
        }
    }
    map.into_iter()
        .map(|((actor, concept, stance), claims)| Position {
            actor,
            concept,
            stance,
            claims,
        })
        .collect()
}

/// Which network to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkKind {
    /// Actor × concept: an edge per actor, concept and stance.
    TwoMode,
    /// Actor × actor: concepts on which both hold the same stance.
    Congruence,
    /// Actor × actor: concepts on which they hold opposite stances.
    Conflict,
}

/// How one-mode edge weights are scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Normalization {
    /// The raw count of concepts.
    None,
    /// Count ÷ the mean of the two actors' activities (concepts each takes a stance on).
    AverageActivity,
    /// Count ÷ the number of concepts either actor takes a stance on.
    Jaccard,
}

/// Whether a node is an actor or a concept (two-mode networks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Takes stances.
    Actor,
    /// Is the object of stances.
    Concept,
}

/// A node of a stance network.
#[derive(Clone, Debug, Serialize)]
pub struct NetNode {
    /// Entity id.
    pub id: String,
    /// Display name.
    pub label: String,
    /// Entity kind.
    pub kind: EntityKind,
    /// Actor or concept (an entity that does both counts as an actor).
    pub mode: Mode,
}

/// An edge of a stance network.
#[derive(Clone, Debug, Serialize)]
pub struct NetEdge {
    /// Actor id.
    pub source: String,
    /// Concept id (two-mode) or the other actor's id (`source` < `target`).
    pub target: String,
    /// The weight after normalisation.
    pub weight: f64,
    /// Two-mode: claims stating the stance; one-mode: concepts shared or opposed.
    pub count: usize,
    /// Two-mode only: the stance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// One-mode only: the concepts behind the tie.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<String>,
}

/// A stance network, nodes and edges sorted by id.
#[derive(Clone, Debug, Serialize)]
pub struct Network {
    /// Which network.
    pub kind: NetworkKind,
    /// How weights were scaled.
    pub normalization: Normalization,
    /// Nodes.
    pub nodes: Vec<NetNode>,
    /// Edges.
    pub edges: Vec<NetEdge>,
}

/// Builds a stance network. Normalisation applies to one-mode networks only.
pub fn network(
    model: &Model,
    kind: NetworkKind,
    normalization: Normalization,
) -> Result<Network, AnalysisError> {
    if kind == NetworkKind::TwoMode && normalization != Normalization::None {
        return Err(AnalysisError::Normalization);
    }
    let positions = positions(model);
    let actors: BTreeSet<&str> = positions.iter().map(|p| p.actor.as_str()).collect();
    let node = |id: &str, mode| {
        model.entity_record(id).map(|e| NetNode {
            id: id.to_string(),
            label: e.labels.get("en").unwrap_or(&e.name).clone(),
            kind: e.kind,
            mode,
        })
    };
    let mut nodes: Vec<NetNode> = actors.iter().filter_map(|a| node(a, Mode::Actor)).collect();
    let edges = if kind == NetworkKind::TwoMode {
        let concepts: BTreeSet<&str> = positions
            .iter()
            .map(|p| p.concept.as_str())
            .filter(|c| !actors.contains(c))
            .collect();
        nodes.extend(concepts.iter().filter_map(|c| node(c, Mode::Concept)));
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        two_mode_edges(&positions)
    } else {
        one_mode_edges(&positions, kind, normalization)
    };
    Ok(Network {
        kind,
        normalization,
        nodes,
        edges,
    })
}

/// Actor → concept edges, one per position, weighted by its claims.
fn two_mode_edges(positions: &[Position]) -> Vec<NetEdge> {
    positions
        .iter()
        .map(|p| NetEdge {
            source: p.actor.clone(),
            target: p.concept.clone(),
            weight: p.claims.len() as f64,
            count: p.claims.len(),
            stance: Some(p.stance),
            concepts: Vec::new(),
        })
        .collect()
}

/// Actor — actor edges over the concepts on which they agree (congruence) or disagree (conflict).
fn one_mode_edges(
    positions: &[Position],
    kind: NetworkKind,
    normalization: Normalization,
) -> Vec<NetEdge> {
    // actor → concept → stances held.
    let mut held: BTreeMap<&str, BTreeMap<&str, BTreeSet<Stance>>> = BTreeMap::new();
    for p in positions {
        held.entry(&p.actor)
            .or_default()
            .entry(&p.concept)
            .or_default()
            .insert(p.stance);
    }
    let list: Vec<(&&str, &BTreeMap<&str, BTreeSet<Stance>>)> = held.iter().collect();
    let mut edges = Vec::new();
    for (i, (a, ca)) in list.iter().enumerate() {
        for (b, cb) in &list[i + 1..] {
            let concepts: Vec<String> = ca
                .iter()
                .filter_map(|(c, sa)| {
                    let sb = cb.get(c)?;
                    let tie = match kind {
                        NetworkKind::Congruence => sa.intersection(sb).next().is_some(),
                        _ => sa.iter().any(|s| sb.contains(&opposite(*s))),
                    };
                    tie.then(|| c.to_string())
                })
                .collect();
            if concepts.is_empty() {
                continue;
            }
            let count = concepts.len() as f64;
            let union = ca.keys().chain(cb.keys()).collect::<BTreeSet<_>>().len() as f64;
            let weight = match normalization {
                Normalization::None => count,
                Normalization::AverageActivity => count / ((ca.len() + cb.len()) as f64 / 2.0),
                Normalization::Jaccard => count / union,
            };
            edges.push(NetEdge {
                source: a.to_string(),
                target: b.to_string(),
                weight,
                count: concepts.len(),
                stance: None,
                concepts,
            });
        }
    }
    edges
}

fn opposite(s: Stance) -> Stance {
    match s {
        Stance::Supports => Stance::Opposes,
        Stance::Opposes => Stance::Supports,
    }
}
