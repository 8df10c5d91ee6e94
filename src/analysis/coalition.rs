//! The coalition against its targets: for each entity of kind `coalition`, its side (the
//! coalition, its members, the signatories of the letters it signed, and allies outside it who
//! share one of their stances or work with them) and what that side addresses or opposes.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::facts::schema::Stance;
use crate::facts::vocab::{EntityKind, Group, Predicate};
use crate::model::{Edge, Model, Node};

use super::stances::positions;

/// A size the sources give for the coalition.
#[derive(Clone, Debug, Serialize)]
pub struct SizeClaim {
    /// The number (central estimate when approximate).
    pub value: u64,
    /// Whether the source gives it as approximate.
    pub approximate: bool,
    /// Lowest value the wording allows, in the curators' reading.
    pub lower: Option<u64>,
    /// Highest value the wording allows.
    pub upper: Option<u64>,
    /// The source's words for it.
    pub wording: Option<String>,
    /// Source id.
    pub source: String,
    /// Source date.
    pub date: String,
}

/// An entity on one side, with why it is there.
#[derive(Clone, Debug, Serialize)]
pub struct Tie {
    /// Entity id.
    pub id: String,
    /// Display name.
    pub label: String,
    /// Why, e.g. `signed letter-to-bezos`, `criticized by advocacy-coalition, eff`.
    pub reasons: Vec<String>,
}

/// One coalition and its opponents.
#[derive(Clone, Debug, Serialize)]
pub struct CoalitionSummary {
    /// Entity id of the coalition.
    pub id: String,
    /// Display name.
    pub label: String,
    /// Sizes stated by sources (quantity on `signed`, or `number_of_members`).
    pub stated_size: Vec<SizeClaim>,
    /// Letters the coalition signed.
    pub letters: Vec<String>,
    /// Entities stated to be members.
    pub members: Vec<Tie>,
    /// Other signatories of its letters.
    pub signatories: Vec<Tie>,
    /// Actors outside the coalition sharing a stance with it or working with it.
    pub allies: Vec<Tie>,
    /// Addressees of its letters and what its side criticizes or opposes.
    pub targets: Vec<Tie>,
}

/// Entity id → reason ("criticized by") → the entities it relates to ("eff").
type Reasons = BTreeMap<String, BTreeMap<&'static str, BTreeSet<String>>>;

fn add(map: &mut Reasons, id: &str, why: &'static str, whom: &str) {
    let set = map
        .entry(id.to_string())
        .or_default()
        .entry(why)
        .or_default();
    if !whom.is_empty() {
        set.insert(whom.to_string());
    }
}

/// Summaries of every coalition that takes part in a statement, by id.
pub fn coalitions(model: &Model) -> Vec<CoalitionSummary> {
    let mut triples: Vec<Triple> = Vec::new();
    for (e, s, o) in model.statement_edges() {
        if let (Node::Entity(a), Node::Entity(b), w @ Edge::Statement { predicate, .. }) =
            (&model.graph()[s], &model.graph()[o], &model.graph()[e])
        {
            triples.push((&a.id, *predicate, &b.id, w));
        }
    }
    let coalitions: BTreeSet<&str> = triples
        .iter()
        .flat_map(|(s, _, o, _)| [*s, *o])
        .filter(|id| model.entity_record(id).map(|e| e.kind) == Some(EntityKind::Coalition))
        .collect();
    let stances = positions(model);
    coalitions
        .into_iter()
        .map(|c| summary(model, c, &triples, &stances))
        .collect()
}

type Triple<'a> = (&'a str, Predicate, &'a str, &'a Edge);

fn summary(
    model: &Model,
    c: &str,
    triples: &[Triple],
    stances: &[super::stances::Position],
) -> CoalitionSummary {
    let (letters, mut stated_size) = letters_and_sizes(model, c, triples);
    let mut members = Reasons::new();
    let mut signatories = Reasons::new();
    for (s, p, o, _) in triples {
        if *o == c && *p == Predicate::MemberOf {
            add(&mut members, s, "member of the coalition", "");
        }
        if *p == Predicate::Signed && letters.contains(*o) && *s != c {
            add(&mut signatories, s, "signed", o);
        }
    }
    let side: BTreeSet<&str> = std::iter::once(c)
        .chain(members.keys().map(String::as_str))
        .chain(signatories.keys().map(String::as_str))
        .collect();
    let (mut targets, mut allies) = relations_of_the_side(&side, &letters, triples);
    shared_stances(model, &side, stances, &mut targets, &mut allies);
    stated_size.sort_by(|a, b| (&a.date, &a.source, a.value).cmp(&(&b.date, &b.source, b.value)));
    CoalitionSummary {
        id: c.to_string(),
        label: label(model, c),
        stated_size,
        letters: letters.into_iter().collect(),
        members: ties(model, members),
        signatories: ties(model, signatories),
        allies: ties(model, allies),
        targets: ties(model, targets),
    }
}

fn label(model: &Model, id: &str) -> String {
    model
        .entity(id)
        .map_or_else(|| id.to_string(), |n| model.label(n, "en"))
}

/// The letters the coalition signed, and every size a source states for it (the quantity of a
/// `signed` statement, or a `number_of_members` value).
fn letters_and_sizes(
    model: &Model,
    c: &str,
    triples: &[Triple],
) -> (BTreeSet<String>, Vec<SizeClaim>) {
    let mut letters = BTreeSet::new();
    let mut sizes = Vec::new();
    let date = |source: &str| {
        model
            .source(source)
            .map(|s| s.date.to_string())
            .unwrap_or_default()
    };
    for (s, p, o, edge) in triples {
        if *s != c || *p != Predicate::Signed {
            continue;
        }
        letters.insert(o.to_string());
        for claim in edge.claims() {
            if let Some(q) = &claim.statement().quantity {
                sizes.push(SizeClaim {
                    value: q.value,
                    approximate: q.approximate,
                    lower: q.lower,
                    upper: q.upper,
                    wording: q.wording.clone(),
                    source: claim.source().to_string(),
                    date: date(claim.source()),
                });
            }
        }
    }
    for (sid, src) in model.sources() {
        for st in &src.statements {
            let st = &st.statement;
            if st.subject != c || st.predicate != Predicate::NumberOfMembers {
                continue;
            }
            if let Some(v) = st.value.as_ref().and_then(|v| v.value.parse().ok()) {
                sizes.push(SizeClaim {
                    value: v,
                    approximate: false,
                    lower: None,
                    upper: None,
                    wording: None,
                    source: sid.to_string(),
                    date: src.date.to_string(),
                });
            }
        }
    }
    (letters, sizes)
}

/// Targets (addressees of the letters, what the side criticizes) and allies (who works with
/// the side from outside it).
fn relations_of_the_side(
    side: &BTreeSet<&str>,
    letters: &BTreeSet<String>,
    triples: &[Triple],
) -> (Reasons, Reasons) {
    let mut targets = Reasons::new();
    let mut allies = Reasons::new();
    for (s, p, o, _) in triples {
        match p {
            Predicate::AddressedTo if letters.contains(*s) => {
                add(&mut targets, o, "addressee of", s);
            }
            Predicate::Criticizes if side.contains(s) => {
                add(&mut targets, o, "criticized by", s);
            }
            Predicate::CollaboratesWith if side.contains(s) && !side.contains(o) => {
                add(&mut allies, o, "works with", s);
            }
            Predicate::CollaboratesWith if side.contains(o) && !side.contains(s) => {
                add(&mut allies, s, "works with", o);
            }
            _ => {}
        }
    }
    (targets, allies)
}

/// What the side opposes becomes a target; actors outside it with the same stance, allies.
fn shared_stances(
    model: &Model,
    side: &BTreeSet<&str>,
    stances: &[super::stances::Position],
    targets: &mut Reasons,
    allies: &mut Reasons,
) {
    let is_actor = |id: &str| {
        model
            .entity_record(id)
            .is_some_and(|e| matches!(e.kind.group(), Group::Organisation | Group::Person))
    };
    let side_stances: BTreeSet<(&str, Stance)> = stances
        .iter()
        .filter(|p| side.contains(p.actor.as_str()))
        .map(|p| (p.concept.as_str(), p.stance))
        .collect();
    for p in stances {
        if side.contains(p.actor.as_str()) && p.stance == Stance::Opposes {
            add(targets, &p.concept, "opposed by", &p.actor);
        }
        if !side.contains(p.actor.as_str())
            && is_actor(&p.actor)
            && side_stances.contains(&(p.concept.as_str(), p.stance))
        {
            let verb = match p.stance {
                Stance::Supports => "also supports",
                Stance::Opposes => "also opposes",
            };
            add(allies, &p.actor, verb, &p.concept);
        }
    }
    // "Opposed by" adds nothing for an actor already listed as criticizing the target.
    for reasons in targets.values_mut() {
        let critics = reasons.get("criticized by").cloned().unwrap_or_default();
        if let Some(opp) = reasons.get_mut("opposed by") {
            opp.retain(|a| !critics.contains(a));
            if opp.is_empty() {
                reasons.remove("opposed by");
            }
        }
    }
}

fn ties(model: &Model, m: Reasons) -> Vec<Tie> {
    m.into_iter()
        .map(|(id, r)| Tie {
            label: label(model, &id),
            id,
            reasons: r
                .into_iter()
                .map(|(why, whom)| {
                    let whom: Vec<String> = whom.into_iter().collect();
                    if whom.is_empty() {
                        why.to_string()
                    } else {
                        format!("{why} {}", whom.join(", "))
                    }
                })
                .collect(),
        })
        .collect()
}

impl SizeClaim {
    /// Short form: `~30 (une trentaine, 25–35)` or `40`.
    pub fn short(&self) -> String {
        let mut s = format!("{}{}", if self.approximate { "~" } else { "" }, self.value);
        let mut extra = Vec::new();
        if let Some(w) = &self.wording {
            extra.push(format!("\"{w}\""));
        }
        if let (Some(l), Some(u)) = (self.lower, self.upper) {
            extra.push(format!("{l}–{u}"));
        }
        if !extra.is_empty() {
            s += &format!(" ({})", extra.join(", "));
        }
        s
    }
}
