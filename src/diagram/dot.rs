//! Writes a [`Scene`] as Graphviz DOT (<https://graphviz.org/doc/info/lang.html>) with the
//! dot-writer crate, in its pretty mode. Every id and attribute value is quoted by
//! [`dot_quote`] before dot-writer sees it, since dot-writer escapes nothing.

use dot_writer::{Attributes, DotWriter, Scope};

use super::escape::{dot_quote, dot_quote_tooltip};
use super::scene::{Scene, Side};
use super::style::{self, node_style};
use super::ui::Ui;

/// Sets `name` to `value`, quoted and escaped.
fn set<A: Attributes>(a: &mut A, name: &str, value: &str) {
    let quoted = match name {
        "tooltip" | "URL" => dot_quote_tooltip(value),
        _ => dot_quote(value),
    };
    a.set(name, &quoted, false);
}

/// The DOT text of `scene`.
pub fn write(scene: &Scene) -> String {
    let mut bytes = Vec::new();
    {
        let mut writer = DotWriter::from(&mut bytes);
        writer.set_pretty_print(true);
        let mut g = writer.digraph();
        graph_attributes(&mut g, scene);
        for (li, letter) in scene.letters.iter().enumerate() {
            for side in [Side::Signatory, Side::Target] {
                let members: Vec<usize> = (0..scene.nodes.len())
                    .filter(|&i| scene.nodes[i].side == Some((li, side)))
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let mut c = g.cluster();
                let (fill, border, label) = match side {
                    Side::Signatory => (
                        style::SIGNATORY_BAND.0,
                        style::SIGNATORY_BAND.1,
                        Ui::fill(scene.ui.signatories_of, letter, ""),
                    ),
                    Side::Target => (
                        style::TARGET_BAND.0,
                        style::TARGET_BAND.1,
                        scene.ui.targets.to_string(),
                    ),
                };
                set(&mut c, "label", &label);
                set(&mut c, "style", "rounded,filled");
                set(&mut c, "fillcolor", fill);
                set(&mut c, "color", border);
                set(&mut c, "fontcolor", border);
                for i in members {
                    node(&mut c, scene, i);
                }
            }
        }
        for i in 0..scene.nodes.len() {
            if scene.nodes[i].side.is_none() {
                node(&mut g, scene, i);
            }
        }
        for e in &scene.edges {
            let mut a = g
                .edge(
                    dot_quote(&scene.nodes[e.from].id),
                    dot_quote(&scene.nodes[e.to].id),
                )
                .attributes();
            set(&mut a, "label", &e.label);
            set(&mut a, "tooltip", &e.tooltip);
            set(&mut a, "URL", &e.url);
            if e.hedged {
                set(&mut a, "style", "dashed");
            }
            if e.opposes {
                set(&mut a, "color", style::EDGE_OPPOSES);
                set(&mut a, "fontcolor", style::EDGE_OPPOSES);
            }
        }
        legend(&mut g, scene);
    }
    // Only `dot_quote`d strings and ASCII syntax were written.
    String::from_utf8(bytes).unwrap_or_default()
}

fn graph_attributes(g: &mut Scope, scene: &Scene) {
    let mut heading = scene.title.clone();
    for s in &scene.sources {
        heading.push_str("\nSource: ");
        heading.push_str(s);
    }
    {
        let mut a = g.graph_attributes();
        set(&mut a, "label", &heading);
        set(&mut a, "labelloc", "t");
        set(&mut a, "fontname", style::FONT);
        set(&mut a, "fontsize", "16");
        set(&mut a, "rankdir", "LR");
        set(&mut a, "nodesep", "0.25");
        set(&mut a, "ranksep", "0.5");
        set(&mut a, "tooltip", &heading);
    }
    {
        let mut a = g.node_attributes();
        set(&mut a, "fontname", style::FONT);
        set(&mut a, "fontsize", "11");
        set(&mut a, "margin", "0.12,0.06");
    }
    let mut a = g.edge_attributes();
    set(&mut a, "fontname", style::FONT);
    set(&mut a, "fontsize", "10");
    set(&mut a, "color", style::EDGE);
    set(&mut a, "fontcolor", "#333333");
    set(&mut a, "arrowsize", "0.7");
}

fn node(g: &mut Scope, scene: &Scene, i: usize) {
    let n = &scene.nodes[i];
    let st = node_style(n.kind);
    let mut a = g.node_named(dot_quote(&n.id));
    let mut label = n.label.clone();
    label.extend(n.count.clone());
    set(&mut *a, "label", &label.join("\n"));
    set(&mut *a, "shape", st.shape.graphviz());
    set(&mut *a, "style", st.shape.graphviz_style());
    set(&mut *a, "fillcolor", st.fill);
    set(&mut *a, "color", st.border);
    if st.shape.peripheries() != 1 {
        set(&mut *a, "peripheries", &st.shape.peripheries().to_string());
    }
    set(&mut *a, "tooltip", &n.tooltip);
    set(&mut *a, "URL", &n.url);
}

fn legend(g: &mut Scope, scene: &Scene) {
    let mut c = g.cluster();
    set(&mut c, "label", scene.ui.legend);
    set(&mut c, "style", "rounded");
    set(&mut c, "color", "#9e9e9e");
    set(&mut c, "fontcolor", "#616161");
    let mut columns: Vec<Vec<String>> = Vec::new();
    for chunk in scene.legend.chunks(LEGEND_ROWS) {
        let mut column = Vec::new();
        for k in chunk {
            let st = node_style(*k);
            let id = format!("legend:{}", k.slug());
            let mut a = c.node_named(dot_quote(&id));
            set(&mut *a, "label", scene.ui.kind(*k));
            set(&mut *a, "shape", st.shape.graphviz());
            set(&mut *a, "style", st.shape.graphviz_style());
            set(&mut *a, "fillcolor", st.fill);
            set(&mut *a, "color", st.border);
            set(&mut *a, "fontsize", "9");
            if st.shape.peripheries() != 1 {
                set(&mut *a, "peripheries", &st.shape.peripheries().to_string());
            }
            set(&mut *a, "tooltip", k.description());
            column.push(id);
        }
        columns.push(column);
    }
    let mut notes = vec![("legend:stated", scene.ui.stated, "solid", style::EDGE)];
    if scene.any_hedged {
        notes.push(("legend:hedged", scene.ui.hedged, "dashed", style::EDGE));
    }
    if scene.edges.iter().any(|e| e.opposes) {
        notes.push((
            "legend:opposes",
            scene.ui.opposes,
            "solid",
            style::EDGE_OPPOSES,
        ));
    }
    let mut texts = Vec::new();
    for (id, text, line, colour) in notes {
        {
            let mut a = c.node_named(dot_quote(id));
            set(&mut *a, "label", text);
            set(&mut *a, "shape", "plaintext");
            set(&mut *a, "fontsize", "9");
            set(&mut *a, "tooltip", "relation style");
        }
        let end = format!("{id}:end");
        {
            let mut a = c.node_named(dot_quote(&end));
            set(&mut *a, "label", "");
            set(&mut *a, "shape", "point");
            set(&mut *a, "width", "0.05");
            set(&mut *a, "tooltip", "relation style");
        }
        let mut a = c.edge(dot_quote(id), dot_quote(&end)).attributes();
        set(&mut a, "style", line);
        set(&mut a, "color", colour);
        set(&mut a, "tooltip", text);
        texts.push(id.to_string());
    }
    columns.push(texts);
    // Columns of at most LEGEND_ROWS entries (one rank each, as rankdir is LR), kept in order by
    // invisible edges between neighbouring columns. Graphviz stacks a rank bottom-up here, so
    // each column is listed in reverse to read top-down.
    for column in &columns {
        let mut s = c.subgraph();
        set(&mut s, "rank", "same");
        for id in column.iter().rev() {
            s.node_named(dot_quote(id));
        }
    }
    for pair in columns.windows(2) {
        for (a, b) in pair[0].iter().zip(&pair[1]) {
            let mut e = c.edge(dot_quote(a), dot_quote(b)).attributes();
            set(&mut e, "style", "invis");
        }
    }
}

/// Entries per legend column.
const LEGEND_ROWS: usize = 5;
