//! GEXF 1.3 export (<http://gexf.net/1.3>, schema <http://gexf.net/1.3/gexf.xsd>), Gephi's own
//! format: typed attributes declared per class, node colours by entity group (`viz:color`), edge
//! labels and `kind` (the predicate, which Gephi 0.9+ uses as the edge type), and edge `weight`
//! = number of claims.
//!
//! The node and edge `label` attributes are GEXF's own `label`, so they are not repeated as
//! attribute values. The schema types `label` and `kind` as `xsd:token`, so their line breaks,
//! tabs and runs of spaces are collapsed to single spaces (the exact text stays in `name`, an
//! `xsd:string` value). No `lastmodifieddate`, so equal facts give byte-equal files.

use super::{group_color, xml_attr, Attr, Row, Table, EDGE_ATTRS, NODE_ATTRS};
use crate::model::Model;

/// The `xsd:token` form of `s`: no line breaks or tabs, no leading, trailing or double spaces.
pub fn token(s: &str) -> String {
    s.split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Attributes written as `<attvalue>`s (the label is the element's own).
fn declared(attrs: &'static [Attr]) -> impl Iterator<Item = &'static Attr> {
    attrs.iter().filter(|a| a.name != "label")
}

/// The GEXF 1.3 document for `model`.
pub fn to_string(model: &Model) -> String {
    let table = Table::new(model);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    out.push_str("  <meta>\n    <creator>coalition</creator>\n");
    out.push_str("    <description>Entities and the statements that link them; attributes are described in docs/INTEROP.md</description>\n  </meta>\n");
    out.push_str("  <graph defaultedgetype=\"directed\" mode=\"static\">\n");
    for (class, attrs) in [("node", NODE_ATTRS), ("edge", EDGE_ATTRS)] {
        out.push_str(&format!(
            "    <attributes class=\"{class}\" mode=\"static\">\n"
        ));
        for a in declared(attrs) {
            out.push_str(&format!(
                "      <attribute id=\"{0}\" title=\"{0}\" type=\"{1}\"/>\n",
                a.name,
                a.ty.gexf_name()
            ));
        }
        out.push_str("    </attributes>\n");
    }
    out.push_str("    <nodes>\n");
    for n in &table.nodes {
        out.push_str(&format!(
            "      <node id=\"{}\" label=\"{}\">\n",
            xml_attr(&n.id),
            xml_attr(&token(&n.text("label")))
        ));
        attvalues(&mut out, n);
        if let Some(e) = n.entity {
            let (r, g, b) = group_color(e.kind.group());
            out.push_str(&format!(
                "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>\n"
            ));
        }
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for e in &table.edges {
        let (s, o) = e.source_target();
        out.push_str(&format!(
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{}\" kind=\"{}\" weight=\"{}\">\n",
            xml_attr(&e.id),
            xml_attr(&s),
            xml_attr(&o),
            xml_attr(&token(&e.text("label"))),
            xml_attr(&token(&e.text("predicate"))),
            e.claims.len()
        ));
        attvalues(&mut out, e);
        out.push_str("      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

fn attvalues(out: &mut String, row: &Row) {
    let values: Vec<String> = row
        .present(&["label"])
        .map(|(a, v)| {
            format!(
                "          <attvalue for=\"{}\" value=\"{}\"/>\n",
                a.name,
                xml_attr(&v.text())
            )
        })
        .collect();
    // The schema wants at least one <attvalue> inside <attvalues>.
    if !values.is_empty() {
        out.push_str("        <attvalues>\n");
        out.extend(values);
        out.push_str("        </attvalues>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::token;

    #[test]
    fn labels_become_xsd_tokens() {
        assert_eq!(token("  a\n\tb  c\r\n"), "a b c");
        assert_eq!(token("non\u{A0}breaking «é»"), "non\u{A0}breaking «é»");
    }
}
