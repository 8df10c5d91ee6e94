//! Writes stance networks as GraphML (<http://graphml.graphdrawing.org/specification.html>) for
//! Gephi, visone, networkx…, and as CSV edge lists (RFC 4180, <https://www.rfc-editor.org/rfc/rfc4180>).

use std::fmt::Write;

use serde::Serialize;

use super::stances::{Network, NetworkKind};
use crate::export::csv::Rows;
use crate::export::{xml_attr, xml_text};

fn slug<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The network as an edge list: one line per edge, labels included.
pub fn to_csv(net: &Network) -> String {
    let label = |id: &str| -> String {
        net.nodes
            .iter()
            .find(|n| n.id == id)
            .map_or_else(|| id.to_string(), |n| n.label.clone())
    };
    let mut out = Rows::lf();
    out.row(&[
        "source",
        "source_label",
        "target",
        "target_label",
        "weight",
        "count",
        "stance",
        "concepts",
    ]);
    for e in &net.edges {
        out.row(&[
            e.source.clone(),
            label(&e.source),
            e.target.clone(),
            label(&e.target),
            e.weight.to_string(),
            e.count.to_string(),
            e.stance.as_ref().map(slug).unwrap_or_default(),
            e.concepts.join(";"),
        ]);
    }
    out.into_string()
}

/// The network as an undirected GraphML document.
pub fn to_graphml(net: &Network) -> String {
    let mut out = String::from(crate::export::graphml::HEAD);
    out.push_str(concat!(
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"mode\" for=\"node\" attr.name=\"mode\" attr.type=\"string\"/>\n",
        "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n",
        "  <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"int\"/>\n",
        "  <key id=\"stance\" for=\"edge\" attr.name=\"stance\" attr.type=\"string\"/>\n",
        "  <key id=\"concepts\" for=\"edge\" attr.name=\"concepts\" attr.type=\"string\"/>\n",
    ));
    let name = slug(&net.kind);
    let _ = writeln!(out, "  <graph id=\"{name}\" edgedefault=\"undirected\">");
    for n in &net.nodes {
        let _ = writeln!(
            out,
            "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data><data key=\"mode\">{}</data></node>",
            xml_attr(&n.id),
            xml_text(&n.label),
            n.kind.slug(),
            slug(&n.mode)
        );
    }
    for (i, e) in net.edges.iter().enumerate() {
        let mut data = format!(
            "<data key=\"weight\">{}</data><data key=\"count\">{}</data>",
            e.weight, e.count
        );
        if let Some(s) = &e.stance {
            let _ = write!(data, "<data key=\"stance\">{}</data>", slug(s));
        }
        if net.kind != NetworkKind::TwoMode {
            let _ = write!(
                data,
                "<data key=\"concepts\">{}</data>",
                xml_text(&e.concepts.join(";"))
            );
        }
        let _ = writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">{data}</edge>",
            xml_attr(&e.source),
            xml_attr(&e.target)
        );
    }
    out + "  </graph>\n</graphml>\n"
}
