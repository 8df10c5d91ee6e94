//! The attribute table every export is written from: the node and edge attributes (name, type,
//! meaning), and the rows of values the model gives them.

use crate::facts::schema::Entity;
use crate::facts::vocab::Group;
use crate::model::{Claim, Edge, Model};

/// Separator of several values in one text cell (CSV, GraphML, GEXF). JSON formats use arrays.
pub const LIST_SEPARATOR: &str = " | ";

/// The value type of an attribute, as the formats declare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    /// Text.
    String,
    /// Several texts: a JSON array, or joined with [`LIST_SEPARATOR`] in text formats.
    List,
    /// A small count (32-bit in Gephi).
    Int,
    /// A number from the facts (64-bit).
    Long,
    /// `true` or `false`.
    Bool,
}

impl AttrType {
    /// The GEXF 1.3 attribute `type`.
    pub fn gexf_name(self) -> &'static str {
        match self {
            AttrType::Int => "integer",
            t => t.graphml_name(),
        }
    }

    /// The GraphML `attr.type`.
    pub fn graphml_name(self) -> &'static str {
        match self {
            AttrType::String | AttrType::List => "string",
            AttrType::Int => "int",
            AttrType::Long => "long",
            AttrType::Bool => "boolean",
        }
    }
}

/// An attribute of every node or of every edge.
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    /// Name, the same in every format.
    pub name: &'static str,
    /// Value type.
    pub ty: AttrType,
    /// Meaning, written into GraphML `<desc>` and the docs.
    pub doc: &'static str,
}

const fn attr(name: &'static str, ty: AttrType, doc: &'static str) -> Attr {
    Attr { name, ty, doc }
}

/// Attributes of entity nodes, in output order.
pub const NODE_ATTRS: &[Attr] = &[
    attr(
        "label",
        AttrType::String,
        "English label, or the name when there is none",
    ),
    attr(
        "label_fr",
        AttrType::String,
        "French label, where the registry gives one",
    ),
    attr(
        "name",
        AttrType::String,
        "preferred name, in the language the entity is usually named in",
    ),
    attr(
        "kind",
        AttrType::String,
        "entity kind (advocacy_group, company, person, ...)",
    ),
    attr(
        "group",
        AttrType::String,
        "family of the kind: organisation, person, place, technology, document, community",
    ),
    attr("aliases", AttrType::List, "other names and abbreviations"),
    attr("wikidata", AttrType::String, "Wikidata item id (Q...)"),
    attr(
        "description",
        AttrType::String,
        "who or what this is, in the curators' words",
    ),
];

/// Attributes of statement edges, in output order.
pub const EDGE_ATTRS: &[Attr] = &[
    attr(
        "predicate",
        AttrType::String,
        "relation from the closed vocabulary (signed, member_of, ...)",
    ),
    attr("label", AttrType::String, "English label of the predicate"),
    attr(
        "label_fr",
        AttrType::String,
        "French label of the predicate",
    ),
    attr(
        "certainty",
        AttrType::List,
        "how each claim's source supports it: stated, attributed or inferred",
    ),
    attr(
        "attributed_to",
        AttrType::List,
        "entity ids the sources attribute the claim to",
    ),
    attr(
        "stance",
        AttrType::List,
        "position of the subject towards the object: supports or opposes",
    ),
    attr(
        "role",
        AttrType::List,
        "the subject's role in the relation, in words",
    ),
    attr(
        "date",
        AttrType::List,
        "when the relation held or happened (YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    attr(
        "quantity",
        AttrType::Long,
        "how many, as the source gives it (central estimate when approximate)",
    ),
    attr(
        "quantity_lower",
        AttrType::Long,
        "lowest value the source's wording allows, in the curators' reading",
    ),
    attr(
        "quantity_upper",
        AttrType::Long,
        "highest value the source's wording allows, in the curators' reading",
    ),
    attr(
        "quantity_approximate",
        AttrType::Bool,
        "whether the source gives an approximate number",
    ),
    attr(
        "quantity_wording",
        AttrType::String,
        "the source's own words for the number",
    ),
    attr(
        "claims",
        AttrType::Int,
        "number of source statements backing the edge",
    ),
    attr("sources", AttrType::List, "source id of each claim"),
    attr(
        "statement_ids",
        AttrType::List,
        "statement id of each claim, within its source",
    ),
    attr(
        "quotes",
        AttrType::List,
        "verbatim evidence quotes from the sources, without repeats",
    ),
];

/// A value of one attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text.
    Str(String),
    /// Several texts.
    List(Vec<String>),
    /// A number.
    Int(u64),
    /// A flag.
    Bool(bool),
}

impl Value {
    /// The value as one text cell: lists joined with [`LIST_SEPARATOR`], flags as `true`/`false`.
    pub fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::List(l) => l.join(LIST_SEPARATOR),
            Value::Int(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }

    /// The value as JSON: lists as arrays, numbers and flags typed.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Value::Str(s) => s.clone().into(),
            Value::List(l) => l.clone().into(),
            Value::Int(n) => (*n).into(),
            Value::Bool(b) => (*b).into(),
        }
    }
}

/// A node or an edge with its attribute values (`None` where it has none).
#[derive(Clone, Debug)]
pub struct Row<'m> {
    /// Entity id, or `subject.predicate.object` for an edge (unique, since ids have no dots).
    pub id: String,
    /// Subject and object ids, for edges.
    pub ends: Option<(String, String)>,
    /// One value per attribute of [`NODE_ATTRS`] or [`EDGE_ATTRS`].
    pub values: Vec<Option<Value>>,
    /// The entity, for nodes.
    pub entity: Option<&'m Entity>,
    /// The claims, for edges.
    pub claims: &'m [Claim],
}

impl Row<'_> {
    /// The value of the attribute `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let attrs = if self.ends.is_some() {
            EDGE_ATTRS
        } else {
            NODE_ATTRS
        };
        let i = attrs.iter().position(|a| a.name == name)?;
        self.values.get(i)?.as_ref()
    }

    /// Attributes with their values, skipping absent ones and those named in `skip`.
    pub fn present<'a>(
        &'a self,
        skip: &'a [&str],
    ) -> impl Iterator<Item = (&'static Attr, &'a Value)> {
        let attrs = if self.ends.is_some() {
            EDGE_ATTRS
        } else {
            NODE_ATTRS
        };
        attrs
            .iter()
            .zip(&self.values)
            .filter(move |(a, _)| !skip.contains(&a.name))
            .filter_map(|(a, v)| v.as_ref().map(|v| (a, v)))
    }

    /// Subject and object ids of an edge (empty for a node).
    pub fn source_target(&self) -> (String, String) {
        self.ends.clone().unwrap_or_default()
    }

    /// The text of attribute `name`, or "".
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(Value::text).unwrap_or_default()
    }
}

/// The graph as flat rows, shared by every format.
#[derive(Clone, Debug)]
pub struct Table<'m> {
    /// Entity nodes, by id.
    pub nodes: Vec<Row<'m>>,
    /// Statement edges, in the model's (sorted) order.
    pub edges: Vec<Row<'m>>,
}

impl<'m> Table<'m> {
    /// Flattens the model. Every entity of the registry is a node, linked or not.
    pub fn new(model: &'m Model) -> Self {
        let nodes = model.entities().map(node_row).collect();
        let edges = model
            .statement_edges()
            .filter_map(|(e, s, o)| match &model.graph()[e] {
                Edge::Statement { predicate, claims } => {
                    let subject = model.graph()[s].entity()?.id.clone();
                    let object = model.graph()[o].entity()?.id.clone();
                    Some(edge_row(subject, *predicate, object, claims))
                }
                _ => None,
            })
            .collect();
        Table { nodes, edges }
    }
}

fn str_of(s: &str) -> Option<Value> {
    (!s.is_empty()).then(|| Value::Str(s.to_string()))
}

fn node_row(e: &Entity) -> Row<'_> {
    let label = e.labels.get("en").unwrap_or(&e.name);
    let values = vec![
        str_of(label),
        e.labels.get("fr").and_then(|l| str_of(l)),
        str_of(&e.name),
        str_of(e.kind.slug()),
        str_of(e.kind.group().name()),
        (!e.aliases.is_empty()).then(|| Value::List(e.aliases.clone())),
        e.wikidata.as_deref().and_then(str_of),
        e.description.as_deref().and_then(str_of),
    ];
    debug_assert_eq!(values.len(), NODE_ATTRS.len());
    Row {
        id: e.id.clone(),
        ends: None,
        values,
        entity: Some(e),
        claims: &[],
    }
}

/// Distinct values in first-seen order, as a list value (absent when empty).
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Option<Value> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.iter().any(|o| o == i) {
            out.push(i.to_string());
        }
    }
    (!out.is_empty()).then_some(Value::List(out))
}

fn edge_row(
    subject: String,
    predicate: crate::facts::vocab::Predicate,
    object: String,
    claims: &[Claim],
) -> Row<'_> {
    // Several claims may give a quantity; the first (by source, then statement id) is the
    // edge's, and claims.csv keeps every one.
    let quantity = claims.iter().find_map(|c| c.statement().quantity.as_ref());
    let certainty: Vec<&str> = claims
        .iter()
        .map(|c| c.statement().certainty.slug())
        .collect();
    let values = vec![
        str_of(predicate.slug()),
        str_of(predicate.label()),
        str_of(predicate.label_fr()),
        distinct(certainty.into_iter()),
        distinct(
            claims
                .iter()
                .filter_map(|c| c.statement().attributed_to.as_deref()),
        ),
        distinct(
            claims
                .iter()
                .filter_map(|c| c.statement().stance.map(|s| s.slug())),
        ),
        distinct(claims.iter().filter_map(|c| c.statement().role.as_deref())),
        distinct(claims.iter().filter_map(|c| c.statement().date.as_deref())),
        quantity.map(|q| Value::Int(q.value)),
        quantity.and_then(|q| q.lower).map(Value::Int),
        quantity.and_then(|q| q.upper).map(Value::Int),
        quantity.map(|q| Value::Bool(q.approximate)),
        quantity.and_then(|q| q.wording.as_deref()).and_then(str_of),
        Some(Value::Int(claims.len() as u64)),
        Some(Value::List(
            claims.iter().map(|c| c.source().to_string()).collect(),
        )),
        Some(Value::List(
            claims
                .iter()
                .map(|c| c.statement_id().to_string())
                .collect(),
        )),
        distinct(
            claims
                .iter()
                .flat_map(|c| c.evidence().iter().map(|p| p.exact.as_str())),
        ),
    ];
    debug_assert_eq!(values.len(), EDGE_ATTRS.len());
    Row {
        id: format!("{subject}.{}.{object}", predicate.slug()),
        ends: Some((subject, object)),
        values,
        entity: None,
        claims,
    }
}

/// Colour of an entity group (Okabe–Ito palette, readable by colour-blind readers).
pub fn group_color(g: Group) -> (u8, u8, u8) {
    match g {
        Group::Organisation => (0, 114, 178),
        Group::Person => (230, 159, 0),
        Group::Place => (0, 158, 115),
        Group::Technology => (213, 94, 0),
        Group::Document => (204, 121, 167),
        Group::Community => (86, 180, 233),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_and_keep_order() {
        let v = distinct(["b", "a", "b"].into_iter()).unwrap();
        assert_eq!(v.text(), "b | a");
        assert_eq!(v.json(), serde_json::json!(["b", "a"]));
    }
}
