//! Drawing primitives of the embedded SVG renderer (<https://www.w3.org/TR/SVG11/shapes.html>):
//! the node shapes shared with the Graphviz styling, the legend, and coordinate formatting.

use std::fmt::Write as _;

use layout::core::geometry::Point;

use super::escape::xml;
use super::scene::Scene;
use super::style::{self, node_style, Shape};

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

pub(super) fn shape(
    s: &mut String,
    shape: Shape,
    fill: &str,
    border: &str,
    xy: Point,
    size: Point,
) {
    let (x, y, w, h) = (xy.x, xy.y, size.x, size.y);
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

pub(super) fn legend(s: &mut String, scene: &Scene, x: f64, y: f64) {
    let _ = writeln!(
        s,
        "<g class=\"legend\"><title>Legend</title>\
         <text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\">Legend</text>",
        r(x),
        r(y + 4.0)
    );
    let mut row = y + 16.0;
    for k in &scene.legend {
        let st = node_style(*k);
        let _ = write!(s, "<g><title>{}</title>", xml(k.description()));
        shape(
            s,
            st.shape,
            st.fill,
            st.border,
            Point::new(x + 4.0, row),
            Point::new(44.0, 22.0),
        );
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" dominant-baseline=\"central\">{}</text></g>",
            r(x + 58.0),
            r(row + 11.0),
            xml(k.label())
        );
        row += 30.0;
    }
    if !scene.letters.is_empty() {
        for ((fill, border), text) in [
            (style::SIGNATORY_BAND, "signatory side of a letter"),
            (style::TARGET_BAND, "addressee or criticised target"),
        ] {
            let _ = writeln!(
                s,
                "<g><title>{t}</title><rect x=\"{}\" y=\"{}\" width=\"44\" height=\"22\" rx=\"6\" fill=\"{fill}\" \
                 stroke=\"{border}\" stroke-width=\"2\" stroke-dasharray=\"2,2\"/><text x=\"{}\" y=\"{}\" \
                 font-size=\"11\" dominant-baseline=\"central\">{t}</text></g>",
                r(x + 4.0),
                r(row),
                r(x + 58.0),
                r(row + 11.0),
                t = text
            );
            row += 30.0;
        }
    }
    let mut lines = vec![("stated by the source", false, style::EDGE)];
    if scene.any_hedged {
        lines.push(("attributed to someone, or inferred", true, style::EDGE));
    }
    if scene.edges.iter().any(|e| e.opposes) {
        lines.push(("opposition", false, style::EDGE_OPPOSES));
    }
    for (text, dashed, colour) in lines {
        let _ = writeln!(
            s,
            "<g><title>relation style</title><path d=\"M{} {} h44\" stroke=\"{}\" stroke-width=\"1.2\"{} \
             marker-end=\"url(#head)\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" dominant-baseline=\"central\">{}</text></g>",
            r(x + 4.0),
            r(row + 11.0),
            colour,
            if dashed { " stroke-dasharray=\"5,4\"" } else { "" },
            r(x + 58.0),
            r(row + 11.0),
            xml(text)
        );
        row += 30.0;
    }
    s.push_str("</g>\n");
}
