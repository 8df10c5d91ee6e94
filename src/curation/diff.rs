//! What a change to the fact files does to the graph: sources, entities, statements (with their
//! evidence quotes) and quotations added, removed, changed or (entities) renamed.
//!
//! Items are matched by stable identity: a source, an entity and a quotation by id; a statement by
//! its source id and statement id (`subject.predicate.object` unless the file gives one). An entity
//! that disappears while another with the same Wikidata id or the same name appears is *renamed*:
//! the old side's references are rewritten to the new id before statements are matched, so a
//! rename alone changes no statement.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::facts::corpus::{CheckedStatement, SourceFacts};
use crate::facts::Corpus;

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

/// The difference between two checked corpora, section by section, each sorted by kind and id.
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

/// Compares the corpus `before` a change with the corpus `after` it.
pub fn diff(before: &Corpus, after: &Corpus) -> GraphDiff {
    let renames = renames(before, after);
    let before = rename_references(before, &renames);
    let mut out = GraphDiff {
        entities: entities(&before, after, &renames),
        sources: sources(&before, after),
        statements: statements(&before, after),
        quotations: quotations(&before, after),
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

/// Entities added, changed, renamed (old id → new id in `renames`; `before` already uses the
/// new ids in its references) and removed.
fn entities(before: &Corpus, after: &Corpus, renames: &BTreeMap<String, String>) -> Vec<Change> {
    let mut out = Vec::new();
    let renamed_new: BTreeMap<&str, &str> = renames
        .iter()
        .map(|(o, n)| (n.as_str(), o.as_str()))
        .collect();
    for (id, e) in &after.entities {
        let summary = format!("{} ({})", e.name, e.kind.slug());
        if let Some(old) = renamed_new.get(id.as_str()) {
            let mut c = Change::new(ChangeKind::Renamed, id.clone(), summary);
            c.renamed_from = Some(old.to_string());
            c.fields = fields(&json(&before.entities.get(*old)), &json(e), &["id"]);
            c.references_moved = Some(references(before, id));
            out.push(c);
        } else if let Some(old) = before.entities.get(id) {
            let f = fields(&json(old), &json(e), &["id"]);
            if !f.is_empty() {
                let mut c = Change::new(ChangeKind::Changed, id.clone(), summary);
                c.fields = f;
                out.push(c);
            }
        } else {
            out.push(Change::new(ChangeKind::Added, id.clone(), summary));
        }
    }
    for (id, e) in &before.entities {
        if !after.entities.contains_key(id) && !renames.contains_key(id) {
            let summary = format!("{} ({})", e.name, e.kind.slug());
            out.push(Change::new(ChangeKind::Removed, id.clone(), summary));
        }
    }
    out
}

/// Sources added, changed (their metadata or their text) and removed.
fn sources(before: &Corpus, after: &Corpus) -> Vec<Change> {
    let summary = |sf: &SourceFacts| {
        format!(
            "{} ({}, {})",
            sf.source.title, sf.source.publisher, sf.source.date
        )
    };
    let mut out = Vec::new();
    for (id, sf) in &after.sources {
        let Some(old) = before.sources.get(id) else {
            out.push(Change::new(ChangeKind::Added, id.clone(), summary(sf)));
            continue;
        };
        let mut f = fields(&json(&old.source), &json(&sf.source), &["id"]);
        if old.text != sf.text {
            f.push(FieldChange {
                field: "text content".into(),
                before: format!("{} bytes", old.text.len()).into(),
                after: format!("{} bytes", sf.text.len()).into(),
            });
        }
        if !f.is_empty() {
            let mut c = Change::new(ChangeKind::Changed, id.clone(), summary(sf));
            c.fields = f;
            out.push(c);
        }
    }
    for (id, sf) in &before.sources {
        if !after.sources.contains_key(id) {
            out.push(Change::new(ChangeKind::Removed, id.clone(), summary(sf)));
        }
    }
    out
}

fn statements(before: &Corpus, after: &Corpus) -> Vec<Change> {
    let index = |c: &Corpus| -> BTreeMap<String, CheckedStatement> {
        c.sources
            .iter()
            .flat_map(|(sid, sf)| {
                sf.statements
                    .iter()
                    .map(move |s| (format!("{sid}#{}", s.id), s.clone()))
            })
            .collect()
    };
    let (old, new) = (index(before), index(after));
    let mut out = Vec::new();
    for (key, s) in &new {
        let summary = triple(s);
        let quotes: BTreeSet<String> = s.evidence.iter().map(|p| p.exact.clone()).collect();
        match old.get(key) {
            None => {
                let mut c = Change::new(ChangeKind::Added, key.clone(), summary);
                c.evidence_added = quotes.into_iter().collect();
                out.push(c);
            }
            Some(o) => {
                let old_quotes: BTreeSet<String> =
                    o.evidence.iter().map(|p| p.exact.clone()).collect();
                let skip = ["id", "evidence"];
                let mut c = Change::new(ChangeKind::Changed, key.clone(), summary);
                c.fields = fields(&json(&o.statement), &json(&s.statement), &skip);
                c.evidence_added = quotes.difference(&old_quotes).cloned().collect();
                c.evidence_removed = old_quotes.difference(&quotes).cloned().collect();
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
            c.evidence_removed = s
                .evidence
                .iter()
                .map(|p| p.exact.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
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

fn quotations(before: &Corpus, after: &Corpus) -> Vec<Change> {
    let index = |c: &Corpus| -> BTreeMap<String, Value> {
        c.sources
            .iter()
            .flat_map(|(sid, sf)| {
                sf.quotations.iter().map(move |q| {
                    let mut v = json(&q.quotation);
                    if let Value::Object(m) = &mut v {
                        m.insert("source".into(), Value::String(sid.clone()));
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
fn renames(before: &Corpus, after: &Corpus) -> BTreeMap<String, String> {
    let gone: Vec<_> = before
        .entities
        .values()
        .filter(|e| !after.entities.contains_key(&e.id))
        .collect();
    let mut new: Vec<_> = after
        .entities
        .values()
        .filter(|e| !before.entities.contains_key(&e.id))
        .collect();
    let mut out = BTreeMap::new();
    for old in gone {
        let same_wikidata = |e: &&crate::facts::schema::Entity| {
            old.wikidata.is_some() && e.wikidata == old.wikidata
        };
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

/// A copy of `corpus` whose references use the new ids; default statement ids follow.
fn rename_references(corpus: &Corpus, renames: &BTreeMap<String, String>) -> Corpus {
    let mut c = corpus.clone();
    if renames.is_empty() {
        return c;
    }
    let map = |id: &mut String| {
        if let Some(n) = renames.get(id.as_str()) {
            *id = n.clone();
        }
    };
    for sf in c.sources.values_mut() {
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
    }
    c
}

/// How many references to `id` the corpus holds (publishers, statement ends, quotation fields).
fn references(corpus: &Corpus, id: &str) -> usize {
    let is = |s: &String| usize::from(s == id);
    let opt = |s: &Option<String>| s.as_ref().map_or(0, is);
    corpus
        .sources
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
