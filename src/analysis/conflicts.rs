//! Where sources disagree: the same relation with different quantities ("about thirty" against
//! "forty" signatories), the same literal property with different values, or one actor both
//! supporting and opposing the same thing. Each side lists every claim with source, date and
//! quotes; agreeing sources are not reported.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::vocab::Predicate;
use crate::model::{CheckedStatement, Model};

/// What the sources disagree about. Quantities conflict when their values differ: "30" and
/// "about 30" agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Same subject, predicate and object with different `quantity` values.
    Quantity,
    /// Same subject and literal predicate with different values.
    Value,
    /// Same actor and object with `supports` on one side and `opposes` on the other.
    Stance,
}

/// One source's claim on a side.
#[derive(Clone, Debug, Serialize)]
pub struct SideClaim {
    /// Source id.
    pub source: String,
    /// Source date.
    pub date: String,
    /// Statement id within the source.
    pub statement_id: String,
    /// The statement's predicate (stances may come with different predicates).
    pub predicate: Predicate,
    /// How this source words a quantity (`"une trentaine", 25–35`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For quantities: whether this source gives the number as approximate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate: Option<bool>,
    /// The evidence quotes.
    pub quotes: Vec<String>,
}

/// One position in a disagreement and who holds it.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// The position: `~30` (approximate), `40`, a literal value, `supports` or `opposes`.
    pub position: String,
    /// The claims that take it, by date then source.
    pub claims: Vec<SideClaim>,
}

/// A disagreement between claims.
#[derive(Clone, Debug, Serialize)]
pub struct Conflict {
    /// What kind.
    pub kind: ConflictKind,
    /// Subject id.
    pub subject: String,
    /// The predicate (for stances: the first one seen).
    pub predicate: Predicate,
    /// Object id, absent for literal values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Two or more sides, the earliest published first.
    pub sides: Vec<Side>,
}

type Key = (ConflictKind, String, Option<Predicate>, Option<String>);

/// Conflict key → position → the claims taking it.
type Groups = BTreeMap<Key, BTreeMap<String, Vec<SideClaim>>>;

/// Every disagreement in the corpus, sorted by kind, subject, predicate, object.
pub fn conflicts(model: &Model) -> Vec<Conflict> {
    let mut groups = Groups::new();
    for (sid, s) in model.sources() {
        for c in &s.statements {
            group_statement(&mut groups, sid, &s.date.to_string(), c);
        }
    }
    groups
        .into_iter()
        .filter(|(_, sides)| sides.len() > 1)
        .filter_map(|(key, sides)| conflict(key, sides))
        .collect()
}

/// Files the positions a statement takes: a quantity, a literal value, a stance.
fn group_statement(groups: &mut Groups, sid: &str, date: &str, c: &CheckedStatement) {
    let st = &c.statement;
    let mut put = |kind, predicate, object: Option<&String>, position: String, claim| {
        let key = (kind, st.subject.clone(), predicate, object.cloned());
        groups
            .entry(key)
            .or_default()
            .entry(position)
            .or_default()
            .push(claim);
    };
    if let (Some(q), Some(o)) = (&st.quantity, &st.object) {
        let mut detail: Vec<String> = q.wording.iter().map(|w| format!("\"{w}\"")).collect();
        if let (Some(l), Some(u)) = (q.lower, q.upper) {
            detail.push(format!("{l}–{u}"));
        }
        let mut claim = side_claim(sid, date, c);
        claim.detail = (!detail.is_empty()).then(|| detail.join(", "));
        claim.approximate = Some(q.approximate);
        let position = q.value.to_string();
        put(
            ConflictKind::Quantity,
            Some(st.predicate),
            Some(o),
            position,
            claim,
        );
    }
    if let Some(v) = &st.value {
        let claim = side_claim(sid, date, c);
        put(
            ConflictKind::Value,
            Some(st.predicate),
            None,
            v.value.clone(),
            claim,
        );
    }
    if let (Some(stance), Some(o)) = (st.stance, &st.object) {
        let position = stance.slug();
        let claim = side_claim(sid, date, c);
        put(ConflictKind::Stance, None, Some(o), position.into(), claim);
    }
}

fn conflict(
    (kind, subject, predicate, object): Key,
    sides: BTreeMap<String, Vec<SideClaim>>,
) -> Option<Conflict> {
    let mut sides: Vec<Side> = sides
        .into_iter()
        .map(|(mut position, mut claims)| {
            claims.sort_by(|a, b| (&a.date, &a.source).cmp(&(&b.date, &b.source)));
            // "~30" only when every source gives it as approximate.
            if kind == ConflictKind::Quantity && claims.iter().all(|c| c.approximate == Some(true))
            {
                position.insert(0, '~');
            }
            Side { position, claims }
        })
        .collect();
    // Earliest claim first: the order in which the positions were published.
    sides.sort_by(|a, b| (&a.claims[0].date, &a.position).cmp(&(&b.claims[0].date, &b.position)));
    let predicate = predicate.or_else(|| Some(sides.first()?.claims.first()?.predicate))?;
    Some(Conflict {
        kind,
        subject,
        predicate,
        object,
        sides,
    })
}

fn side_claim(source: &str, date: &str, c: &CheckedStatement) -> SideClaim {
    SideClaim {
        source: source.to_string(),
        date: date.to_string(),
        statement_id: c.id.clone(),
        predicate: c.statement.predicate,
        detail: None,
        approximate: None,
        quotes: c.evidence.iter().map(|p| p.exact.clone()).collect(),
    }
}
