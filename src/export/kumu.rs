//! Kumu blueprint export: the JSON that Kumu imports by drag and drop
//! (<https://docs.kumu.io/guides/import/blueprints>): `{"elements": [...], "connections": [...]}`.
//!
//! Elements carry Kumu's own fields (`id`, `label`, `type` = the kind in words, `description`,
//! `tags` = the group) and the node attributes as custom fields; connections carry `id`, `from`,
//! `to`, `type` = the predicate in words, `direction: "directed"`, a Markdown `description`
//! quoting the evidence with its sources, and the edge attributes. Lists are JSON arrays (Kumu's
//! multi-value fields). Ids are unique across elements and connections, as Kumu requires: entity
//! ids have no dots and connection ids do.
//!
//! Kumu's blueprint guide (<https://docs.kumu.io/guides/import/blueprints>, section "Create a JSON
//! file") has connections name their elements by `label` unless the elements carry an `id`: "If
//! you're working with multiple elements with the same label, you can assign values to the "id"
//! key to differentiate them. Just make sure to use the ids, not the labels, when building the
//! connections". Labels are not unique here (two entities may share a name), so every element
//! has an `id` and every `from`/`to` is an element's id.

use super::{to_json, JsonObject, Row, Table};
use crate::model::Model;

/// The Kumu blueprint for `model`.
pub fn to_string(model: &Model) -> String {
    let table = Table::new(model);
    let elements: Vec<JsonObject> = table
        .nodes
        .iter()
        .map(|n| {
            let mut o = JsonObject::default();
            o.put("id", n.id.clone());
            o.put("label", n.text("label"));
            if let Some(e) = n.entity {
                o.put("type", e.kind.label());
                o.put("tags", vec![e.kind.group().name()]);
            }
            if let Some(d) = n.get("description") {
                o.put("description", d.json());
            }
            for (a, v) in n.present(&["label", "description"]) {
                o.put(a.name, v.json());
            }
            o
        })
        .collect();
    let connections: Vec<JsonObject> = table
        .edges
        .iter()
        .map(|e| {
            let (s, t) = e.source_target();
            let mut o = JsonObject::default();
            o.put("id", e.id.clone());
            o.put("from", s);
            o.put("to", t);
            o.put("type", e.text("label"));
            o.put("direction", "directed");
            o.put("description", evidence_markdown(model, e));
            for (a, v) in e.present(&["label"]) {
                o.put(a.name, v.json());
            }
            o
        })
        .collect();
    let mut doc = JsonObject::default();
    doc.put_objects("elements", elements);
    doc.put_objects("connections", connections);
    to_json(&doc)
}

/// Each claim's quotes as Markdown block quotes, followed by the source's title and date, so
/// Kumu's profile panel shows the evidence.
fn evidence_markdown(model: &Model, e: &Row) -> String {
    let mut parts = Vec::new();
    for c in e.claims {
        let cite = model.source(c.source()).map_or_else(
            || c.source().to_string(),
            |s| {
                let publisher = model
                    .entity_record(&s.source.publisher)
                    .map_or(&s.source.publisher, |e| &e.name);
                format!("{} ({publisher}, {})", s.source.title, s.date)
            },
        );
        for p in c.evidence() {
            let quoted: Vec<String> = p.exact.lines().map(|l| format!("> {l}")).collect();
            parts.push(format!("{}\n\n— {cite}", quoted.join("\n")));
        }
    }
    parts.join("\n\n")
}
