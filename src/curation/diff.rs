//! What a change to the fact files does to the graph: sources, entities, statements (with their
//! evidence quotes) and quotations added, removed, changed or (entities) renamed.
//!
//! Items are matched by stable identity: a source, an entity and a quotation by id; a statement by
//! its source id and statement id (`subject.predicate.object` unless the file gives one). An entity
//! that disappears while another with the same Wikidata id or the same name appears is *renamed*:
//! the old side's references are rewritten to the new id before statements are matched, so a
//! rename alone changes no statement.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::facts::schema::Entity;
use crate::model::{CheckedStatement, Model, SourceFacts};

/// What happened to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// An entity under a new id.
    Renamed,
    /// On both sides, with different content.
    Changed,
}

impl ChangeKind {
    fn sigil(self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Renamed => '>',
            ChangeKind::Changed => '~',
        }
    }
}

/// One field whose value differs (JSON values as in the fact file; absent is `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// Field name.
    pub field: String,
    /// Old value.
    pub before: Value,
    /// New value.
    pub after: Value,
}

/// A change to one item of the graph.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What happened.
    pub change: ChangeKind,
    /// Stable identity: the id, or `source#statement` for a statement.
    pub id: String,
    /// The old id of a renamed entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// How the graph shows the item: an entity's name, a statement's triple, a quotation's speaker.
    pub summary: String,
    /// Fields that differ (changed and renamed items).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Evidence quotes the new side adds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_added: Vec<String>,
    /// Evidence quotes the new side drops.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence_removed: Vec<String>,
    /// For a renamed entity: how many references (statements, quotations, sources) moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references_moved: Option<usize>,
}

impl Change {
    fn new(change: ChangeKind, id: String, summary: String) -> Self {
        Change {
            change,
            id,
            renamed_from: None,
            summary,
            fields: Vec::new(),
            evidence_added: Vec::new(),
            evidence_removed: Vec::new(),
            references_moved: None,
        }
    }
}

/// The difference between two models, section by section, each sorted by kind and id.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GraphDiff {
    /// Sources (metadata and stored text).
    pub sources: Vec<Change>,
    /// Entities of the registry.
    pub entities: Vec<Change>,
    /// Statements, with their evidence quotes.
    pub statements: Vec<Change>,
    /// Quotations.
    pub quotations: Vec<Change>,
}

impl GraphDiff {
    /// Whether the two sides give the same graph.
    pub fn is_empty(&self) -> bool {
        self.sections().iter().all(|(_, c)| c.is_empty())
    }

    fn sections(&self) -> [(&'static str, &Vec<Change>); 4] {
        [
            ("sources", &self.sources),
            ("entities", &self.entities),
            ("statements", &self.statements),
            ("quotations", &self.quotations),
        ]
    }

    /// A readable report, one line per change plus indented details.
    pub fn to_text(&self) -> String {
        if self.is_empty() {
            return "no change to the graph\n".into();
        }
        let mut out = String::new();
        for (name, changes) in self.sections() {
            if changes.is_empty() {
                continue;
            }
            let mut counts: BTreeMap<ChangeKind, usize> = BTreeMap::new();
            for c in changes {
                *counts.entry(c.change).or_default() += 1;
            }
            let counts: Vec<String> = counts
                .iter()
                .map(|(k, n)| {
                    format!(
                        "{n} {}",
                        serde_json::to_value(k)
                            .unwrap_or_default()
                            .as_str()
                            .unwrap_or("")
                    )
                })
                .collect();
            let _ = writeln!(out, "{name}: {}", counts.join(", "));
            for c in changes {
                let _ = write!(out, "  {} {}", c.change.sigil(), c.id);
                if let Some(old) = &c.renamed_from {
                    let _ = write!(out, " (was {old})");
                }
                let _ = write!(out, ": {}", c.summary);
                if let Some(n) = c.references_moved {
                    let _ = write!(
                        out,
                        " [{n} reference{} moved]",
                        if n == 1 { "" } else { "s" }
                    );
                }
                out.push('\n');
                for f in &c.fields {
                    let _ = writeln!(
                        out,
                        "      {}: {} → {}",
                        f.field,
                        compact(&f.before),
                        compact(&f.after)
                    );
                }
                for q in &c.evidence_removed {
                    let _ = writeln!(
                        out,
                        "      - evidence: {}",
                        compact(&Value::String(q.clone()))
                    );
                }
                for q in &c.evidence_added {
                    let _ = writeln!(
                        out,
                        "      + evidence: {}",
                        compact(&Value::String(q.clone()))
                    );
                }
            }
        }
        out
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Compares the model `before` a change with the model `after` it.
pub fn diff(before: &Model, after: &Model) -> GraphDiff {
    let renames = renames(before, after);
    let old = sources_of(before, &renames);
    let new = sources_of(after, &Renames::new());
    let mut out = GraphDiff {
        entities: entities(before, after, &renames, &old),
        sources: sources(&old, &new),
        statements: statements(&old, &new),
        quotations: quotations(&old, &new),
    };
    for section in [
        &mut out.sources,
        &mut out.entities,
        &mut out.statements,
        &mut out.quotations,
    ] {
        section.sort_by(|a, b| (a.change, &a.id).cmp(&(b.change, &b.id)));
    }
    out
}

/// A side's sources by id; the old side's references already use the new ids of `renames`.
type Sources<'a> = BTreeMap<&'a str, Cow<'a, SourceFacts>>;
/// Old entity id → new entity id.
type Renames = BTreeMap<String, String>;

/// Entities added, changed, renamed (old id → new id in `renames`; `old` already uses the new ids
/// in its references) and removed.
fn entities(before: &Model, after: &Model, renames: &Renames, old: &Sources) -> Vec<Change> {
    let mut out = Vec::new();
    let renamed_new: BTreeMap<&str, &str> = renames
        .iter()
        .map(|(o, n)| (n.as_str(), o.as_str()))
        .collect();
    let summary = |e: &Entity| format!("{} ({})", e.name, e.kind.slug());
    for e in after.entities() {
        let (id, summary) = (&e.id, summary(e));
        if let Some(old_id) = renamed_new.get(id.as_str()) {
            let mut c = Change::new(ChangeKind::Renamed, id.clone(), summary);
            c.renamed_from = Some(old_id.to_string());
            c.fields = fields(&json(&before.entity_record(old_id)), &json(e), &["id"]);
            c.references_moved = Some(references(old, id));
            out.push(c);
        } else if let Some(o) = before.entity_record(id) {
            let f = fields(&json(o), &json(e), &["id"]);
            if !f.is_empty() {
                let mut c = Change::new(ChangeKind::Changed, id.clone(), summary);
                c.fields = f;
                out.push(c);
            }
        } else {
            out.push(Change::new(ChangeKind::Added, id.clone(), summary));
        }
    }
    for e in before.entities() {
        if after.entity(&e.id).is_none() && !renames.contains_key(&e.id) {
            out.push(Change::new(ChangeKind::Removed, e.id.clone(), summary(e)));
        }
    }
    out
}

/// Sources added, changed (their metadata or their text) and removed.
fn sources(old: &Sources, new: &Sources) -> Vec<Change> {
    let summary = |sf: &SourceFacts| {
        format!(
            "{} ({}, {})",
            sf.source.title, sf.source.publisher, sf.source.date
        )
    };
    let mut out = Vec::new();
    for (id, sf) in new {
        let Some(o) = old.get(id) else {
            out.push(Change::new(ChangeKind::Added, id.to_string(), summary(sf)));
            continue;
        };
        let mut f = fields(&json(&o.source), &json(&sf.source), &["id"]);
        if o.text != sf.text {
            f.push(FieldChange {
                field: "text content".into(),
                before: format!("{} bytes", o.text.len()).into(),
                after: format!("{} bytes", sf.text.len()).into(),
            });
        }
        if !f.is_empty() {
            let mut c = Change::new(ChangeKind::Changed, id.to_string(), summary(sf));
            c.fields = f;
            out.push(c);
        }
    }
    for (id, sf) in old {
        if !new.contains_key(id) {
            out.push(Change::new(
                ChangeKind::Removed,
                id.to_string(),
                summary(sf),
            ));
        }
    }
    out
}

fn statements(before: &Sources, after: &Sources) -> Vec<Change> {
    let index = |c: &Sources| -> BTreeMap<String, CheckedStatement> {
        c.iter()
            .flat_map(|(sid, sf)| {
                sf.statements
                    .iter()
                    .map(move |s| (format!("{sid}#{}", s.id), s.clone()))
            })
            .collect()
    };
    let quotes = |s: &CheckedStatement| -> BTreeSet<String> {
        s.evidence.iter().map(|p| p.exact.clone()).collect()
    };
    let (old, new) = (index(before), index(after));
    let mut out = Vec::new();
    for (key, s) in &new {
        let summary = triple(s);
        let quotes_now = quotes(s);
        match old.get(key) {
            None => {
                let mut c = Change::new(ChangeKind::Added, key.clone(), summary);
                c.evidence_added = quotes_now.into_iter().collect();
                out.push(c);
            }
            Some(o) => {
                let old_quotes = quotes(o);
                let skip = ["id", "evidence"];
                let mut c = Change::new(ChangeKind::Changed, key.clone(), summary);
                c.fields = fields(&json(&o.statement), &json(&s.statement), &skip);
                c.evidence_added = quotes_now.difference(&old_quotes).cloned().collect();
                c.evidence_removed = old_quotes.difference(&quotes_now).cloned().collect();
                if !(c.fields.is_empty()
                    && c.evidence_added.is_empty()
                    && c.evidence_removed.is_empty())
                {
                    out.push(c);
                }
            }
        }
    }
    for (key, s) in &old {
        if !new.contains_key(key) {
            let mut c = Change::new(ChangeKind::Removed, key.clone(), triple(s));
            c.evidence_removed = quotes(s).into_iter().collect();
            out.push(c);
        }
    }
    out
}

fn triple(s: &CheckedStatement) -> String {
    let st = &s.statement;
    let object = match (&st.object, &st.value) {
        (Some(o), _) => o.clone(),
        (None, Some(v)) => format!("{:?}", v.value),
        (None, None) => String::new(),
    };
    format!("{} {} {}", st.subject, st.predicate.slug(), object)
}

fn quotations(before: &Sources, after: &Sources) -> Vec<Change> {
    let index = |c: &Sources| -> BTreeMap<String, Value> {
        c.iter()
            .flat_map(|(sid, sf)| {
                sf.quotations.iter().map(move |q| {
                    let mut v = json(&q.quotation);
                    if let Value::Object(m) = &mut v {
                        m.insert("source".into(), Value::String(sid.to_string()));
                    }
                    (q.quotation.id.clone(), v)
                })
            })
            .collect()
    };
    let (old, new) = (index(before), index(after));
    let summary = |v: &Value| {
        let text = v["text"].as_str().unwrap_or_default();
        let short: String = text.chars().take(60).collect();
        let more = if short.len() < text.len() { "…" } else { "" };
        format!(
            "{} in {}: \"{short}{more}\"",
            v["speaker"].as_str().unwrap_or_default(),
            v["source"].as_str().unwrap_or_default()
        )
    };
    let mut out = Vec::new();
    for (id, q) in &new {
        match old.get(id) {
            None => out.push(Change::new(ChangeKind::Added, id.clone(), summary(q))),
            Some(o) => {
                let f = fields(o, q, &["id"]);
                if !f.is_empty() {
                    let mut c = Change::new(ChangeKind::Changed, id.clone(), summary(q));
                    c.fields = f;
                    out.push(c);
                }
            }
        }
    }
    for (id, q) in &old {
        if !new.contains_key(id) {
            out.push(Change::new(ChangeKind::Removed, id.clone(), summary(q)));
        }
    }
    out
}

fn json<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

/// Top-level fields of two JSON objects that differ, sorted by name, `skip` aside.
fn fields(before: &Value, after: &Value, skip: &[&str]) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (
                b.get(k).cloned().unwrap_or(Value::Null),
                a.get(k).cloned().unwrap_or(Value::Null),
            );
            (x != y).then(|| FieldChange {
                field: k.clone(),
                before: x,
                after: y,
            })
        })
        .collect()
}

/// Old id → new id, for entities that vanished while one with the same Wikidata id or name came.
fn renames(before: &Model, after: &Model) -> Renames {
    let gone = before.entities().filter(|e| after.entity(&e.id).is_none());
    let mut new: Vec<&Entity> = after
        .entities()
        .filter(|e| before.entity(&e.id).is_none())
        .collect();
    let mut out = BTreeMap::new();
    for old in gone {
        let same_wikidata = |e: &&Entity| old.wikidata.is_some() && e.wikidata == old.wikidata;
        let pick = new
            .iter()
            .position(same_wikidata)
            .or_else(|| new.iter().position(|e| e.name == old.name));
        if let Some(i) = pick {
            out.insert(old.id.clone(), new.remove(i).id.clone());
        }
    }
    out
}

/// The sources of `model`, their references renamed by `renames` (default statement ids follow).
fn sources_of<'a>(model: &'a Model, renames: &Renames) -> Sources<'a> {
    let map = |id: &mut String| {
        if let Some(n) = renames.get(id.as_str()) {
            *id = n.clone();
        }
    };
    let side = |sf: &'a SourceFacts| {
        let mut side = Cow::Borrowed(sf);
        if renames.is_empty() {
            return side;
        }
        let sf = side.to_mut();
        map(&mut sf.source.publisher);
        for s in &mut sf.statements {
            let default = s.statement.id.is_none();
            map(&mut s.statement.subject);
            s.statement.object.as_mut().map(map);
            s.statement.attributed_to.as_mut().map(map);
            if default {
                s.id = s.statement.default_id();
            }
        }
        for q in &mut sf.quotations {
            map(&mut q.quotation.speaker);
            q.quotation.document.as_mut().map(map);
            q.quotation.about.iter_mut().for_each(map);
        }
        side
    };
    model.sources().map(|(id, sf)| (id, side(sf))).collect()
}

/// How many references to `id` the sources hold (publishers, statement ends, quotation fields).
fn references(sources: &Sources, id: &str) -> usize {
    let is = |s: &String| usize::from(s == id);
    let opt = |s: &Option<String>| s.as_ref().map_or(0, is);
    sources
        .values()
        .map(|sf| {
            is(&sf.source.publisher)
                + sf.statements
                    .iter()
                    .map(|s| {
                        is(&s.statement.subject)
                            + opt(&s.statement.object)
                            + opt(&s.statement.attributed_to)
                    })
                    .sum::<usize>()
                + sf.quotations
                    .iter()
                    .map(|q| {
                        is(&q.quotation.speaker)
                            + opt(&q.quotation.document)
                            + q.quotation.about.iter().map(is).sum::<usize>()
                    })
                    .sum::<usize>()
        })
        .sum()
}
