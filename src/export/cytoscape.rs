//! Cytoscape.js JSON export (<https://js.cytoscape.org/#notation/elements-json>), which Cytoscape
//! desktop also imports (File → Import → Network from File, `.cyjs`):
//! `{"data": {...}, "elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}`.
//!
//! Node `data` has `id` and the node attributes; edge `data` has `id`, `source`, `target`,
//! `interaction` (the predicate, Cytoscape desktop's edge-type column) and the edge attributes.
//! Lists are JSON arrays, numbers and flags are typed.

use super::{to_json, JsonObject, Table};
use crate::model::Model;

/// The Cytoscape.js document for `model`.
pub fn to_string(model: &Model) -> String {
    let table = Table::new(model);
    let wrap = |data: JsonObject| {
        let mut o = JsonObject::default();
        o.put_object("data", data);
        o
    };
    let nodes: Vec<JsonObject> = table
        .nodes
        .iter()
        .map(|n| {
            let mut d = JsonObject::default();
            d.put("id", n.id.clone());
            for (a, v) in n.present(&[]) {
                d.put(a.name, v.json());
            }
            wrap(d)
        })
        .collect();
    let edges: Vec<JsonObject> = table
        .edges
        .iter()
        .map(|e| {
            let (s, t) = e.source_target();
            let mut d = JsonObject::default();
            d.put("id", e.id.clone());
            d.put("source", s);
            d.put("target", t);
            d.put("interaction", e.text("predicate"));
            for (a, v) in e.present(&[]) {
                d.put(a.name, v.json());
            }
            wrap(d)
        })
        .collect();
    let mut elements = JsonObject::default();
    elements.put_objects("nodes", nodes);
    elements.put_objects("edges", edges);
    let mut meta = JsonObject::default();
    meta.put("name", "coalition");
    let mut doc = JsonObject::default();
    doc.put_object("data", meta);
    doc.put_object("elements", elements);
    to_json(&doc)
}
