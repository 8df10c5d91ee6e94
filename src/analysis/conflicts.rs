//! Where sources disagree: the same relation with different quantities ("about thirty" against
//! "forty" signatories), the same literal property with different values, or one actor both
//! supporting and opposing the same thing. Each side lists every claim with source, date and
//! quotes; agreeing sources are not reported.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::corpus::{CheckedStatement, Corpus};
use crate::facts::schema::Stance;
use crate::facts::vocab::Predicate;

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

/// Every disagreement in the corpus, sorted by kind, subject, predicate, object.
pub fn conflicts(corpus: &Corpus) -> Vec<Conflict> {
    let mut groups: BTreeMap<Key, BTreeMap<String, Vec<SideClaim>>> = BTreeMap::new();
    for (sid, s) in &corpus.sources {
        for c in &s.statements {
            let st = &c.statement;
            let claim = || side_claim(sid, &s.date.to_string(), c);
            if let (Some(q), Some(o)) = (&st.quantity, &st.object) {
                let position = q.value.to_string();
                let mut detail: Vec<String> =
                    q.wording.iter().map(|w| format!("\"{w}\"")).collect();
                if let (Some(l), Some(u)) = (q.lower, q.upper) {
                    detail.push(format!("{l}–{u}"));
                }
                let mut c = claim();
                c.detail = (!detail.is_empty()).then(|| detail.join(", "));
                c.approximate = Some(q.approximate);
                let key = (
                    ConflictKind::Quantity,
                    st.subject.clone(),
                    Some(st.predicate),
                    Some(o.clone()),
                );
                groups
                    .entry(key)
                    .or_default()
                    .entry(position)
                    .or_default()
                    .push(c);
            }
            if let Some(v) = &st.value {
                let key = (
                    ConflictKind::Value,
                    st.subject.clone(),
                    Some(st.predicate),
                    None,
                );
                groups
                    .entry(key)
                    .or_default()
                    .entry(v.value.clone())
                    .or_default()
                    .push(claim());
            }
            if let (Some(stance), Some(o)) = (st.stance, &st.object) {
                let key = (
                    ConflictKind::Stance,
                    st.subject.clone(),
                    None,
                    Some(o.clone()),
                );
                let pos = match stance {
                    Stance::Supports => "supports",
                    Stance::Opposes => "opposes",
                };
                groups
                    .entry(key)
                    .or_default()
                    .entry(pos.into())
                    .or_default()
                    .push(claim());
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, sides)| sides.len() > 1)
        .filter_map(|((kind, subject, predicate, object), sides)| {
            let mut sides: Vec<Side> = sides
                .into_iter()
                .map(|(mut position, mut claims)| {
                    claims.sort_by(|a, b| (&a.date, &a.source).cmp(&(&b.date, &b.source)));
                    // "~30" only when every source gives it as approximate.
                    if kind == ConflictKind::Quantity
                        && claims.iter().all(|c| c.approximate == Some(true))
                    {
                        position.insert(0, '~');
                    }
                    Side { position, claims }
                })
                .collect();
            // Earliest claim first: the order in which the positions were published.
            sides.sort_by(|a, b| {
                (&a.claims[0].date, &a.position).cmp(&(&b.claims[0].date, &b.position))
            });
            let predicate = predicate.or_else(|| Some(sides.first()?.claims.first()?.predicate))?;
            Some(Conflict {
                kind,
                subject,
                predicate,
                object,
                sides,
            })
        })
        .collect()
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
