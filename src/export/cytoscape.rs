//! Cytoscape.js JSON export (<https://js.cytoscape.org/#notation/elements-json>), which Cytoscape
//! desktop also imports (File → Import → Network from File, `.cyjs`) and networkx reads with
//! `cytoscape_graph` (<https://networkx.org/documentation/stable/reference/readwrite/generated/networkx.readwrite.json_graph.cytoscape_graph.html>):
//! `{"data": {...}, "directed": true, "multigraph": true, "elements": {"nodes": [{"data": {...}}],
//! "edges": [{"data": {...}}]}}`.
//!
//! Node `data` has `id`, `value` (the same id: networkx's node key) and the node attributes;
//! edge `data` has `id`, `source`, `target`, `key` (the same id: networkx's key of parallel
//! edges, which would collapse without it), `interaction` (the predicate, Cytoscape desktop's
//! edge-type column) and the edge attributes. Lists are JSON arrays, numbers and flags are typed.

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
            d.put("value", n.id.clone());
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
            d.put("key", e.id.clone());
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
    // Two entities can be linked by several predicates: a multigraph keeps every edge.
    doc.put("directed", true);
    doc.put("multigraph", true);
    doc.put_object("elements", elements);
    to_json(&doc)
}
