//! Writes a laid-out [`Drawing`] as SVG (<https://www.w3.org/TR/SVG11/>): the node shapes shared
//! with the Graphviz styling, the signatories' blocks, curves with their labels, the legend, and
//! every entity and relation with its `<title>` tooltip and its `/entity/{id}` link.

use std::fmt::Write as _;

use super::drawing::{Drawing, Link, Rect, Swatch, Text};
use super::escape::xml;
use super::layered::Pt;
use super::scene::Scene;
use super::style::{self, node_style, Shape};
use super::text::FAMILY;

pub(super) fn r(x: f64) -> String {
    let v = (x * 10.0).round() / 10.0;
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    }
}

pub(super) fn shape_path(shape: Shape, x: f64, y: f64, w: f64, h: f64) -> String {
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let poly = |pts: &[(f64, f64)]| {
        let p: Vec<String> = pts
            .iter()
            .map(|(a, b)| format!("{},{}", r(*a), r(*b)))
            .collect();
        format!("<polygon points=\"{}\"", p.join(" "))
    };
    match shape {
        Shape::Rounded => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"",
            r(x),
            r(y),
            r(w),
            r(h)
        ),
        Shape::Box | Shape::Component => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            r(x),
            r(y),
            r(w),
            r(h)
        ),
        Shape::Ellipse | Shape::DoubleEllipse => format!(
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"",
            r(cx),
            r(cy),
            r(w / 2.0),
            r(h / 2.0)
        ),
        Shape::Hexagon => {
            let k = (h / 2.0).min(w / 4.0);
            poly(&[
                (x + k, y),
                (x + w - k, y),
                (x + w, cy),
                (x + w - k, y + h),
                (x + k, y + h),
                (x, cy),
            ])
        }
        Shape::Octagon => {
            let k = (h / 3.0).min(w / 4.0);
            poly(&[
                (x + k, y),
                (x + w - k, y),
                (x + w, y + k),
                (x + w, y + h - k),
                (x + w - k, y + h),
                (x + k, y + h),
                (x, y + h - k),
                (x, y + k),
            ])
        }
        Shape::Note => {
            let k = 9.0_f64.min(h / 3.0);
            poly(&[
                (x, y),
                (x + w - k, y),
                (x + w, y + k),
                (x + w, y + h),
                (x, y + h),
            ])
        }
    }
}

pub(super) fn shape(s: &mut String, shape: Shape, fill: &str, border: &str, rect: Rect) {
    let (x, y, w, h) = (rect.x, rect.y, rect.w, rect.h);
    let _ = write!(
        s,
        "{} fill=\"{fill}\" stroke=\"{border}\" stroke-width=\"1.2\"/>",
        shape_path(shape, x, y, w, h)
    );
    match shape {
        Shape::DoubleEllipse => {
            let _ = write!(
                s,
                "{} fill=\"none\" stroke=\"{border}\"/>",
                shape_path(shape, x + 3.0, y + 3.0, w - 6.0, h - 6.0)
            );
        }
        Shape::Component => {
            for dy in [h * 0.25, h * 0.6] {
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"5\" fill=\"{fill}\" stroke=\"{border}\"/>",
                    r(x - 4.0),
                    r(y + dy)
                );
            }
        }
        _ => {}
    }
}

/// The SVG text of `d`.
pub(super) fn write(scene: &Scene, d: &Drawing) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"{FAMILY}, Arial, Helvetica, sans-serif\">\n\
         <title>{t}</title>\n<defs>{m1}{m2}</defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        w = r(d.width),
        h = r(d.height),
        t = xml(&scene.title),
        m1 = marker("head", style::EDGE),
        m2 = marker("head-opposes", style::EDGE_OPPOSES),
    );
    for t in &d.heading {
        let fill = if t.bold { "#000000" } else { "#444444" };
        text(&mut s, t, fill);
        s.push('\n');
    }
    for b in &d.blocks {
        block(&mut s, scene, b);
    }
    for l in &d.links {
        link(&mut s, scene, l);
    }
    for n in &d.nodes {
        node(&mut s, scene, n);
    }
    legend(&mut s, d);
    s.push_str("</svg>\n");
    s
}

fn marker(id: &str, colour: &str) -> String {
    format!(
        "<marker id=\"{id}\" markerWidth=\"8\" markerHeight=\"6\" refX=\"8\" refY=\"3\" \
         orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L8,3 L0,6 z\" fill=\"{colour}\"/></marker>"
    )
}

/// A `<text>` element for `t`, its baseline set from its box (no `dominant-baseline`, which
/// renderers treat differently).
fn text(s: &mut String, t: &Text, fill: &str) {
    let baseline = t.rect.y + t.rect.h / 2.0 + t.size * 0.35;
    let (x, anchor) = if t.centred {
        (t.rect.x + t.rect.w / 2.0, " text-anchor=\"middle\"")
    } else {
        (t.rect.x, "")
    };
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{anchor}{} fill=\"{fill}\">{}</text>",
        r(x),
        r(baseline),
        t.size,
        if t.bold { " font-weight=\"bold\"" } else { "" },
        xml(&t.text)
    );
}

fn block(s: &mut String, scene: &Scene, b: &super::drawing::Block) {
    let (fill, border) = style::SIGNATORY_BAND;
    match b.head {
        Some(h) => {
            let n = &scene.nodes[h];
            let _ = write!(
                s,
                "<g class=\"node block\" id=\"node-{}\"><title>{}</title><a href=\"{}\">",
                xml(&n.id),
                xml(&b.tooltip),
                xml(&n.url)
            );
        }
        None => {
            let _ = write!(
                s,
                "<g class=\"group\"><title>{}</title><a>",
                xml(&b.tooltip)
            );
        }
    }
    let _ = write!(
        s,
        "{} rx=\"10\" fill=\"{fill}\" stroke=\"{border}\" stroke-width=\"1.5\"/>",
        shape_path(Shape::Box, b.rect.x, b.rect.y, b.rect.w, b.rect.h)
    );
    for t in &b.caption {
        text(s, t, if t.bold { border } else { "#1b5e20" });
    }
    s.push_str("</a></g>\n");
}

/// The SVG path data of a curve through `points`.
fn path_data(points: &[Pt]) -> String {
    let mut d = format!("M{} {}", r(points[0].x), r(points[0].y));
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let m = (a.y + b.y) / 2.0;
        let _ = write!(
            d,
            " C{} {} {} {} {} {}",
            r(a.x),
            r(m),
            r(b.x),
            r(m),
            r(b.x),
            r(b.y)
        );
    }
    d
}

fn link(s: &mut String, scene: &Scene, l: &Link) {
    if l.points.len() < 2 {
        return;
    }
    let (colour, head) = if l.opposes {
        (style::EDGE_OPPOSES, "head-opposes")
    } else {
        (style::EDGE, "head")
    };
    let tooltip: Vec<&str> = l
        .edges
        .iter()
        .map(|&j| scene.edges[j].tooltip.as_str())
        .collect();
    let url = l.edges.first().map_or("", |&j| scene.edges[j].url.as_str());
    let _ = write!(
        s,
        "<g class=\"edge\"><title>{}</title><a href=\"{}\"><path d=\"{}\" fill=\"none\" \
         stroke=\"{colour}\" stroke-width=\"1.2\"{} marker-end=\"url(#{head})\"/>",
        xml(&tooltip.join("\n\n")),
        xml(url),
        path_data(&l.points),
        if l.hedged {
            " stroke-dasharray=\"5,4\""
        } else {
            ""
        },
    );
    if let Some(t) = &l.label {
        let b = t.rect;
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"white\" fill-opacity=\"0.9\"/>",
            r(b.x),
            r(b.y),
            r(b.w),
            r(b.h)
        );
        text(s, t, if l.opposes { colour } else { "#333333" });
    }
    s.push_str("</a></g>\n");
}

fn node(s: &mut String, scene: &Scene, nb: &super::drawing::NodeBox) {
    let n = &scene.nodes[nb.node];
    let st = node_style(n.kind);
    let mut tooltip = n.tooltip.clone();
    for t in &nb.extra_tooltip {
        tooltip.push_str("\n\n");
        tooltip.push_str(t);
    }
    let _ = write!(
        s,
        "<g class=\"node\" id=\"node-{}\"><title>{}</title><a href=\"{}\">",
        xml(&n.id),
        xml(&tooltip),
        xml(&n.url)
    );
    shape(s, nb.shape, st.fill, st.border, nb.rect);
    for t in &nb.lines {
        text(s, t, "#000000");
    }
    s.push_str("</a></g>\n");
}

fn legend(s: &mut String, d: &Drawing) {
    let lg = &d.legend;
    let Some(caption) = &lg.caption else {
        return;
    };
    s.push_str("<g class=\"legend\">");
    text(s, caption, "#000000");
    for (sw, swatch, t, tip) in &lg.entries {
        let _ = write!(s, "<g><title>{}</title>", xml(tip));
        match swatch {
            Swatch::Shape(shape_, fill, border) => shape(s, *shape_, fill, border, *sw),
            Swatch::Block => {
                let (fill, border) = style::SIGNATORY_BAND;
                let _ = write!(
                    s,
                    "{} rx=\"5\" fill=\"{fill}\" stroke=\"{border}\" stroke-width=\"1.5\"/>",
                    shape_path(Shape::Box, sw.x, sw.y, sw.w, sw.h)
                );
            }
            Swatch::Line(dashed, colour) => {
                let _ = write!(
                    s,
                    "<path d=\"M{} {} h{}\" stroke=\"{colour}\" stroke-width=\"1.2\"{}/>",
                    r(sw.x),
                    r(sw.y + sw.h / 2.0),
                    r(sw.w),
                    if *dashed {
                        " stroke-dasharray=\"5,4\""
                    } else {
                        ""
                    }
                );
            }
        }
        text(s, t, "#222222");
        s.push_str("</g>");
    }
    s.push_str("</g>\n");
}
