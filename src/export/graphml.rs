//! GraphML export (<http://graphml.graphdrawing.org/specification.html>) for Gephi, yEd,
//! Cytoscape and networkx.
//!
//! What keeps Gephi's importer happy (the problems that made it reject other tools' GraphML):
//! every `<key>` is declared before the graph, with `for="node"` or `for="edge"` (never `all` or
//! `graph`) and an explicit `attr.type`; key ids are prefixed (`n_`, `e_`) so a node and an edge
//! attribute of the same name never share an id and no id is Gephi's or yEd's magic `d3`/`d7`;
//! the graph is `edgedefault="directed"` with no per-edge override; edge ids are unique. The
//! `label` keys become Gephi's node and edge labels through their `attr.name`.

use super::{xml_attr, xml_text, Attr, Row, Table, EDGE_ATTRS, NODE_ATTRS};
use crate::model::Model;

/// The XML declaration and the `<graphml>` start tag, shared with the stance networks
/// (`analysis::export`).
pub const HEAD: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
    "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
    "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
);

fn key_id(prefix: &str, a: &Attr) -> String {
    format!("{prefix}_{}", a.name)
}

/// The GraphML document for `model`.
pub fn to_string(model: &Model) -> String {
    let table = Table::new(model);
    let mut out = String::new();
    out.push_str(HEAD);
    out.push_str("  <desc>coalition: entities and the statements that link them; attributes are described in docs/INTEROP.md</desc>\n");
    for (prefix, target, attrs) in [("n", "node", NODE_ATTRS), ("e", "edge", EDGE_ATTRS)] {
        for a in attrs {
            out.push_str(&format!(
                "  <key id=\"{}\" for=\"{target}\" attr.name=\"{}\" attr.type=\"{}\">\n    <desc>{}</desc>\n  </key>\n",
                key_id(prefix, a),
                a.name,
                a.ty.graphml_name(),
                xml_text(a.doc)
            ));
        }
    }
    out.push_str("  <graph id=\"coalition\" edgedefault=\"directed\">\n");
    for n in &table.nodes {
        out.push_str(&format!("    <node id=\"{}\">\n", xml_attr(&n.id)));
        data(&mut out, "n", n);
        out.push_str("    </node>\n");
    }
    for e in &table.edges {
        let (s, o) = e.source_target();
        out.push_str(&format!(
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\">\n",
            xml_attr(&e.id),
            xml_attr(&s),
            xml_attr(&o)
        ));
        data(&mut out, "e", e);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

fn data(out: &mut String, prefix: &str, row: &Row) {
    for (a, v) in row.present(&[]) {
        out.push_str(&format!(
            "      <data key=\"{}\">{}</data>\n",
            key_id(prefix, a),
            xml_text(&v.text())
        ));
    }
}
