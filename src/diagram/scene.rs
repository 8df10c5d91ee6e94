//! What a diagram shows, independent of how it is drawn: the entities and relations a [`View`]
//! selects from the [`Model`], their labels and tooltips, and which side of a letter each entity
//! is on (signatory, or addressee and target).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::graph::NodeIndex;

use super::error::DiagramError;
use super::escape::wrap;
use super::ui::Ui;
use crate::facts::schema::{Certainty, Entity, Quantity};
use crate::facts::vocab::{EntityKind, Predicate};
use crate::model::{CheckedQuotation, Claim, Edge, Model, Node, SourceFacts};
use crate::suggest::did_you_mean;

/// Which part of the model a diagram shows. The default is the whole picture.
#[derive(Clone, Debug)]
pub struct View {
    /// Show only the neighbourhood of this entity.
    pub focus: Option<String>,
    /// Neighbourhood radius around `focus`, in relations.
    pub depth: usize,
    /// Keep only these predicates (all when `None`).
    pub relations: Option<Vec<Predicate>>,
    /// Keep only entities of these kinds (all when `None`).
    pub kinds: Option<Vec<EntityKind>>,
    /// Keep only this source's claims.
    pub source: Option<String>,
    /// Language of labels and headings (`en`, `fr`).
    pub lang: String,
}

impl Default for View {
    fn default() -> Self {
        View {
            focus: None,
            depth: 1,
            relations: None,
            kinds: None,
            source: None,
            lang: "en".to_string(),
        }
    }
}

impl View {
    /// Parses predicate slugs, with a did-you-mean for unknown ones.
    pub fn parse_relations(slugs: &[String]) -> Result<Vec<Predicate>, DiagramError> {
        slugs
            .iter()
            .map(|s| {
                Predicate::from_slug(s).ok_or_else(|| DiagramError::UnknownPredicate {
                    slug: s.clone(),
                    hint: did_you_mean(s, Predicate::ALL.iter().map(|p| p.slug())),
                })
            })
            .collect()
    }

    /// Parses entity-kind slugs, with a did-you-mean for unknown ones.
    pub fn parse_kinds(slugs: &[String]) -> Result<Vec<EntityKind>, DiagramError> {
        slugs
            .iter()
            .map(|s| {
                EntityKind::from_slug(s).ok_or_else(|| DiagramError::UnknownKind {
                    slug: s.clone(),
                    hint: did_you_mean(s, EntityKind::ALL.iter().map(|k| k.slug())),
                })
            })
            .collect()
    }
}

/// Where an entity stands with respect to a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// It signed the letter, or belongs to a coalition that did.
    Signatory,
    /// The letter is addressed to it, is about it, or its signatories criticise it.
    Target,
}

/// One entity of the picture.
#[derive(Clone, Debug)]
pub struct SceneNode {
    /// Entity id.
    pub id: String,
    /// Display label, wrapped into lines.
    pub label: Vec<String>,
    /// Entity kind (decides shape and colour).
    pub kind: EntityKind,
    /// Hover text: name, kind, description, quotations.
    pub tooltip: String,
    /// Link for the web explorer.
    pub url: String,
    /// The letter group and side it is drawn in, if any (index into [`Scene::letters`]).
    pub side: Option<(usize, Side)>,
    /// Whether it is a letter with its own group.
    pub is_letter: bool,
    /// How many signed, in the source's words (`une trentaine (≈30)`), for a coalition.
    pub count: Option<String>,
}

/// One relation of the picture, with every kept claim.
#[derive(Clone, Debug)]
pub struct SceneEdge {
    /// Index of the subject in [`Scene::nodes`].
    pub from: usize,
    /// Index of the object in [`Scene::nodes`].
    pub to: usize,
    /// The predicate.
    pub predicate: Predicate,
    /// Edge label (predicate label and quantity).
    pub label: String,
    /// Hover text: each claim's quotes and source.
    pub tooltip: String,
    /// Link for the web explorer (the subject's page).
    pub url: String,
    /// The first claim's quantity (`≈30`), if any.
    pub quantity: Option<String>,
    /// That quantity in the source's words (`une trentaine`), if curated.
    pub wording: Option<String>,
    /// Every kept claim is attributed or inferred rather than stated.
    pub hedged: bool,
    /// Some claim says the subject opposes the object.
    pub opposes: bool,
}

/// The engine-neutral picture.
#[derive(Clone, Debug)]
pub struct Scene {
    /// Heading.
    pub title: String,
    /// One line per source shown: title, publisher, date.
    pub sources: Vec<String>,
    /// Entities, sorted by id.
    pub nodes: Vec<SceneNode>,
    /// Relations, sorted by (subject, predicate, object).
    pub edges: Vec<SceneEdge>,
    /// Display names of the letters with signatories, sorted by id.
    pub letters: Vec<String>,
    /// Kinds present, for the legend.
    pub legend: Vec<EntityKind>,
    /// Whether some edge is hedged (for the legend).
    pub any_hedged: bool,
    /// The words of the asked-for language.
    pub ui: &'static Ui,
}

/// Characters per line of node labels.
const LABEL_WIDTH: usize = 22;

struct Kept<'m> {
    subject: NodeIndex,
    object: NodeIndex,
    predicate: Predicate,
    claims: Vec<&'m Claim>,
}

impl Scene {
    /// Selects the part of `model` that `view` asks for.
    pub fn build(model: &Model, view: &View) -> Result<Scene, DiagramError> {
        let ui = Ui::for_lang(&view.lang).ok_or_else(|| DiagramError::UnknownLang {
            lang: view.lang.clone(),
        })?;
        let focus = match &view.focus {
            Some(id) => Some(
                model
                    .entity(id)
                    .ok_or_else(|| DiagramError::UnknownEntity {
                        id: id.clone(),
                        hint: did_you_mean(id, model.entities().map(|e| e.id.as_str())),
                    })?,
            ),
            None => None,
        };
        if let Some(s) = &view.source {
            if model.source(s).is_none() {
                return Err(DiagramError::UnknownSource {
                    id: s.clone(),
                    hint: did_you_mean(s, model.sources().map(|(id, _)| id)),
                });
            }
        }
        let kept = select(model, view, focus);
        let order = shown_entities(model, view, focus, &kept);
        Ok(assemble(model, view, ui, focus, &kept, &order))
    }
}

/// The relations `view` keeps, with their claims of the asked-for source.
fn select<'m>(model: &'m Model, view: &View, focus: Option<NodeIndex>) -> Vec<Kept<'m>> {
    let kind_ok = |n: NodeIndex| {
        view.kinds
            .as_ref()
            .is_none_or(|ks| model.graph()[n].kind().is_some_and(|k| ks.contains(&k)))
    };
    let mut kept: Vec<Kept> = Vec::new();
    for (e, s, o) in model.statement_edges() {
        let Edge::Statement { predicate, claims } = &model.graph()[e] else {
            continue;
        };
        if view
            .relations
            .as_ref()
            .is_some_and(|ps| !ps.contains(predicate))
            || !kind_ok(s)
            || !kind_ok(o)
        {
            continue;
        }
        let claims: Vec<&Claim> = claims
            .iter()
            .filter(|c| view.source.as_ref().is_none_or(|s| c.source() == s))
            .collect();
        if !claims.is_empty() {
            kept.push(Kept {
                subject: s,
                object: o,
                predicate: *predicate,
                claims,
            });
        }
    }
    if let Some(f) = focus {
        let near = neighbourhood(f, view.depth, &kept);
        kept.retain(|k| near.contains(&k.subject) && near.contains(&k.object));
    }
    kept
}

/// The entities shown, sorted by id, so output does not depend on insertion order.
fn shown_entities<'m>(
    model: &'m Model,
    view: &View,
    focus: Option<NodeIndex>,
    kept: &[Kept],
) -> Vec<(&'m str, NodeIndex)> {
    let mut members: BTreeSet<NodeIndex> =
        kept.iter().flat_map(|k| [k.subject, k.object]).collect();
    members.extend(focus);
    // Asked-for kinds are shown even without a relation among themselves.
    if let (Some(kinds), None) = (&view.kinds, focus) {
        let mentioned = mentioned_entities(model, view.source.as_deref());
        members.extend(
            mentioned
                .into_iter()
                .filter_map(|id| model.entity(id))
                .filter(|&n| model.graph()[n].kind().is_some_and(|k| kinds.contains(&k))),
        );
    }
    let mut order: Vec<(&str, NodeIndex)> = members
        .iter()
        .filter_map(|&n| model.graph()[n].entity().map(|e| (e.id.as_str(), n)))
        .collect();
    order.sort();
    order
}

fn assemble(
    model: &Model,
    view: &View,
    ui: &'static Ui,
    focus: Option<NodeIndex>,
    kept: &[Kept],
    order: &[(&str, NodeIndex)],
) -> Scene {
    let pos: BTreeMap<NodeIndex, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (_, n))| (*n, i))
        .collect();
    let quotes = quotes_by_speaker(model, view.source.as_deref());
    let mut nodes: Vec<SceneNode> = order
        .iter()
        .map(|&(_, n)| node(model, ui, n, &quotes))
        .collect();
    let mut edges: Vec<SceneEdge> = kept
        .iter()
        .map(|k| edge(model, ui, k, pos[&k.subject], pos[&k.object]))
        .collect();
    edges.sort_by(|a, b| {
        (&nodes[a.from].id, a.predicate, &nodes[a.to].id).cmp(&(
            &nodes[b.from].id,
            b.predicate,
            &nodes[b.to].id,
        ))
    });
    let letters = assign_sides(&mut nodes, &edges);
    // The signed claim's quantity, in the source's own words ("une trentaine (≈30)").
    for e in &edges {
        if let (Predicate::Signed, Some(q)) = (e.predicate, &e.quantity) {
            nodes[e.from].count = Some(match &e.wording {
                Some(w) => format!("{w} ({q})"),
                None => Ui::fill(ui.signatories, q, ""),
            });
        }
    }
    let mut legend: Vec<EntityKind> = nodes.iter().map(|n| n.kind).collect();
    legend.sort();
    legend.dedup();
    let any_hedged = edges.iter().any(|e| e.hedged);
    let sources = source_lines(model, ui, kept, view.source.as_deref());
    let title = match (&focus, letters.first()) {
        (Some(f), _) => Ui::fill(
            ui.around,
            &model.label(*f, ui.lang),
            &view.depth.to_string(),
        ),
        (None, Some(l)) if letters.len() == 1 => Ui::fill(ui.letter, l, ""),
        _ => ui.all.to_string(),
    };
    Scene {
        title,
        sources,
        nodes,
        edges,
        letters,
        legend,
        any_hedged,
        ui,
    }
}

/// Entity ids that some statement (of `source`, if given) names as subject or object.
fn mentioned_entities<'m>(model: &'m Model, source: Option<&str>) -> BTreeSet<&'m str> {
    model
        .sources()
        .filter(|(sid, _)| source.is_none_or(|s| s == *sid))
        .flat_map(|(_, s)| &s.statements)
        .flat_map(|c| {
            [
                Some(c.statement.subject.as_str()),
                c.statement.object.as_deref(),
            ]
        })
        .flatten()
        .collect()
}

fn neighbourhood(start: NodeIndex, depth: usize, kept: &[Kept]) -> BTreeSet<NodeIndex> {
    let mut adj: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for k in kept {
        adj.entry(k.subject).or_default().push(k.object);
        adj.entry(k.object).or_default().push(k.subject);
    }
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((n, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for &m in adj.get(&n).into_iter().flatten() {
            if seen.insert(m) {
                queue.push_back((m, d + 1));
            }
        }
    }
    seen
}

fn name(model: &Model, n: NodeIndex) -> String {
    model.label(n, "en")
}

/// Quotations (with their source) by speaker, in source order; of `source` only, if given.
type Quotes<'m> = BTreeMap<&'m str, Vec<(&'m str, &'m SourceFacts, &'m CheckedQuotation)>>;

fn quotes_by_speaker<'m>(model: &'m Model, source: Option<&str>) -> Quotes<'m> {
    let mut by: Quotes<'m> = BTreeMap::new();
    for (sid, s) in model.sources() {
        if source.is_some_and(|x| x != sid) {
            continue;
        }
        for q in &s.quotations {
            by.entry(q.quotation.speaker.as_str())
                .or_default()
                .push((sid, s, q));
        }
    }
    by
}

fn node(model: &Model, ui: &Ui, n: NodeIndex, quotes: &Quotes<'_>) -> SceneNode {
    let Node::Entity(e) = &model.graph()[n] else {
        unreachable!("scene nodes are entities")
    };
    SceneNode {
        id: e.id.clone(),
        label: wrap(&model.label(n, ui.lang), LABEL_WIDTH),
        kind: e.kind,
        tooltip: node_tooltip(e, quotes),
        url: format!("/entity/{}", e.id),
        side: None,
        is_letter: false,
        count: None,
    }
}

fn node_tooltip(e: &Entity, quotes: &Quotes<'_>) -> String {
    let mut t = format!("{} ({})", e.name, e.kind.label());
    if !e.aliases.is_empty() {
        t.push_str(&format!("\nalso: {}", e.aliases.join(", ")));
    }
    if let Some(d) = &e.description {
        t.push('\n');
        t.push_str(d.trim());
    }
    for (sid, s, q) in quotes.get(e.id.as_str()).into_iter().flatten() {
        t.push_str(&format!(
            "\n«{}» ({}, {})",
            q.passage.exact.trim(),
            s.source.title,
            sid
        ));
    }
    t
}

fn quantity(q: &Quantity) -> String {
    let approx = if q.approximate { "≈" } else { "" };
    format!("{approx}{}", q.value)
}

fn edge(model: &Model, ui: &Ui, k: &Kept, from: usize, to: usize) -> SceneEdge {
    let mut label = ui.predicate(k.predicate).to_string();
    let first = k
        .claims
        .iter()
        .find_map(|c| c.statement().quantity.as_ref());
    let amount = first.map(quantity);
    if let Some(q) = &amount {
        label.push_str(&format!(" ({q})"));
    }
    let mut tooltip = format!(
        "{} {} {}",
        name(model, k.subject),
        k.predicate.label(),
        name(model, k.object)
    );
    for c in &k.claims {
        let st = &c.statement();
        let src = model.source(c.source());
        let title = src.map_or(c.source(), |s| s.source.title.as_str());
        let date = src.map(|s| s.date.to_string()).unwrap_or_default();
        for p in c.evidence() {
            tooltip.push_str(&format!("\n«{}»", p.exact.trim()));
        }
        tooltip.push_str(&format!("\n— {title} ({}, {date})", c.source()));
        let mut quals = Vec::new();
        if let Some(r) = &st.role {
            quals.push(format!("role: {r}"));
        }
        if let Some(q) = &st.quantity {
            let words = q
                .wording
                .as_deref()
                .map(|w| format!(" “{w}”"))
                .unwrap_or_default();
            quals.push(format!("quantity: {}{words}", quantity(q)));
        }
        if let Some(d) = &c.date() {
            quals.push(format!("date: {d}"));
        }
        match st.certainty {
            Certainty::Stated => {}
            Certainty::Attributed => quals.push(match &st.attributed_to {
                Some(a) => format!(
                    "attributed to {}",
                    model
                        .entity(a)
                        .map_or_else(|| a.clone(), |n| name(model, n))
                ),
                None => "attributed".to_string(),
            }),
            Certainty::Inferred => quals.push("inferred by the curators".to_string()),
        }
        if let Some(s) = st.stance {
            quals.push(format!("stance: {s:?}").to_lowercase());
        }
        if !quals.is_empty() {
            tooltip.push_str(&format!(" [{}]", quals.join("; ")));
        }
    }
    SceneEdge {
        from,
        to,
        predicate: k.predicate,
        label,
        tooltip,
        url: format!("/entity/{}", model.graph()[k.subject].id()),
        quantity: amount,
        wording: first.and_then(|q| q.wording.clone()),
        hedged: k
            .claims
            .iter()
            .all(|c| c.statement().certainty != Certainty::Stated),
        opposes: k
            .claims
            .iter()
            .any(|c| c.statement().stance == Some(crate::facts::schema::Stance::Opposes)),
    }
}

/// Finds letters with signatories and puts each entity on at most one side of one letter.
fn assign_sides(nodes: &mut [SceneNode], edges: &[SceneEdge]) -> Vec<String> {
    // Edges indexed once by what each step looks up: a pass over every edge per letter made
    // large corpora (thousands of letters) quadratic.
    let mut signers: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut addressed: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut criticizes: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for e in edges {
        match e.predicate {
            Predicate::Signed => {
                signers.entry(e.to).or_default().insert(e.from);
            }
            Predicate::MemberOf => members.entry(e.to).or_default().push(e.from),
            Predicate::AddressedTo | Predicate::Concerns => {
                addressed.entry(e.from).or_default().push(e.to)
            }
            Predicate::Criticizes => criticizes.entry(e.from).or_default().push(e.to),
            _ => {}
        }
    }
    let mut letters = Vec::new();
    for (li, (&l, signers)) in signers.iter().enumerate() {
        nodes[l].is_letter = true;
        letters.push(nodes[l].label.join(" "));
        let mut signatories = signers.clone();
        // Members of a coalition that signed are signatories too.
        for &s in signers {
            if nodes[s].kind == EntityKind::Coalition {
                signatories.extend(members.get(&s).into_iter().flatten());
            }
        }
        let mut targets: BTreeSet<usize> =
            addressed.get(&l).into_iter().flatten().copied().collect();
        for s in &signatories {
            targets.extend(criticizes.get(s).into_iter().flatten());
        }
        for s in signatories {
            if nodes[s].side.is_none() && !nodes[s].is_letter {
                nodes[s].side = Some((li, Side::Signatory));
            }
        }
        for t in targets {
            if nodes[t].side.is_none() && !nodes[t].is_letter {
                nodes[t].side = Some((li, Side::Target));
            }
        }
    }
    letters
}

/// Source lines shown in a heading, at most this many (then a count of the others).
const MAX_SOURCE_LINES: usize = 4;

fn source_lines(model: &Model, ui: &Ui, kept: &[Kept], only: Option<&str>) -> Vec<String> {
    let used: BTreeSet<&str> = kept
        .iter()
        .flat_map(|k| k.claims.iter().map(|c| c.source()))
        .chain(only)
        .collect();
    let lines = used
        .into_iter()
        .filter_map(|sid| model.source(sid).map(|s| (sid, s)))
        .map(|(sid, s)| {
            let publisher = model
                .entity_record(&s.source.publisher)
                .map_or(s.source.publisher.as_str(), |e| {
                    e.aliases.first().unwrap_or(&e.name).as_str()
                });
            format!("{} ({publisher}, {}) [{sid}]", s.source.title, s.date)
        });
    let mut lines: Vec<String> = lines.collect();
    if lines.len() > MAX_SOURCE_LINES + 1 {
        let more = lines.len() - MAX_SOURCE_LINES;
        lines.truncate(MAX_SOURCE_LINES);
        lines.push(Ui::fill(ui.more_sources, &more.to_string(), ""));
    }
    lines
}
