//! Layout-quality figures measured the same way for our embedded layout and for Graphviz `dot`
//! on the same DOT (read from its JSON output, <https://graphviz.org/docs/outputs/json/>): edge
//! crossings, picture area, total edge length, smallest text at page width, overlapping labels.

use serde_json::Value;

use super::drawing::{count_overlaps, Drawing, Rect, PAGE_WIDTH};
use super::layered::Pt;
use super::route::flatten;

/// The figures of one layout.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quality {
    /// Picture width, px (Graphviz points).
    pub width: f64,
    /// Picture height, px.
    pub height: f64,
    /// Points where two drawn relations cross (away from their ends).
    pub crossings: usize,
    /// Total length of the drawn relations, px.
    pub edge_length: f64,
    /// Smallest text once the picture is scaled to 1240 px wide, px.
    pub min_text_at_page: f64,
    /// Pairs of overlapping labels and shapes.
    pub overlaps: usize,
}

impl Quality {
    /// Width × height, px².
    pub fn area(&self) -> f64 {
        self.width * self.height
    }
}

/// The figures of an embedded drawing.
pub fn of_drawing(d: &Drawing) -> Quality {
    let curves: Vec<Vec<Pt>> = d.links.iter().map(|l| flatten(&l.points, 16)).collect();
    let l = d.legibility();
    Quality {
        width: d.width,
        height: d.height,
        crossings: crossings(&curves),
        edge_length: curves.iter().map(|c| length(c)).sum(),
        min_text_at_page: l.min_text_at_page,
        overlaps: l.overlaps,
    }
}

fn length(c: &[Pt]) -> f64 {
    c.windows(2)
        .map(|p| ((p[1].x - p[0].x).powi(2) + (p[1].y - p[0].y).powi(2)).sqrt())
        .sum()
}

fn cross(a: Pt, b: Pt, c: Pt, d: Pt) -> Option<Pt> {
    let den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
    if den.abs() < 1e-9 {
        return None;
    }
    let t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
    let u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
    ((0.0..1.0).contains(&t) && (0.0..1.0).contains(&u))
        .then(|| Pt::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
}

/// Crossing points between different curves, not counting those within 4 px of an end (curves
/// that share a shape meet at its border).
pub fn crossings(curves: &[Vec<Pt>]) -> usize {
    let near_end = |p: Pt, c: &[Pt]| {
        [c[0], c[c.len() - 1]]
            .iter()
            .any(|e| (e.x - p.x).abs() < 4.0 && (e.y - p.y).abs() < 4.0)
    };
    let mut n = 0;
    for i in 0..curves.len() {
        for j in i + 1..curves.len() {
            let (a, b) = (&curves[i], &curves[j]);
            if a.len() < 2 || b.len() < 2 {
                continue;
            }
            for s in a.windows(2) {
                for t in b.windows(2) {
                    if let Some(p) = cross(s[0], s[1], t[0], t[1]) {
                        if !near_end(p, a) && !near_end(p, b) {
                            n += 1;
                        }
                    }
                }
            }
        }
    }
    n
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0.0)
}

/// Text boxes and font sizes of one Graphviz `_ldraw_` list.
fn texts(ops: Option<&Value>, sizes: &mut Vec<f64>, boxes: &mut Vec<Rect>) {
    let mut size = 14.0;
    for op in ops.and_then(Value::as_array).into_iter().flatten() {
        match op["op"].as_str() {
            Some("F") => {
                size = num(&op["size"]);
                sizes.push(size);
            }
            Some("T") => {
                let w = num(&op["width"]);
                let (x, y) = (num(&op["pt"][0]), num(&op["pt"][1]));
                let left = match op["align"].as_str() {
                    Some("l") => x,
                    Some("r") => x - w,
                    _ => x - w / 2.0,
                };
                boxes.push(Rect {
                    x: left,
                    y: y - size * 0.25,
                    w,
                    h: size * 1.2,
                });
            }
            _ => {}
        }
    }
}

/// Cubic B-spline control points of a Graphviz `b`/`B` draw op, flattened.
fn spline(ops: Option<&Value>) -> Vec<Pt> {
    let mut out = Vec::new();
    for op in ops.and_then(Value::as_array).into_iter().flatten() {
        if !matches!(op["op"].as_str(), Some("b" | "B")) {
            continue;
        }
        let pts: Vec<Pt> = op["points"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| Pt::new(num(&p[0]), num(&p[1])))
            .collect();
        for k in (0..pts.len().saturating_sub(3)).step_by(3) {
            let (p0, p1, p2, p3) = (pts[k], pts[k + 1], pts[k + 2], pts[k + 3]);
            for i in 0..=16 {
                let t = f64::from(i) / 16.0;
                let u = 1.0 - t;
                let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
                out.push(Pt::new(
                    a * p0.x + b * p1.x + c * p2.x + d * p3.x,
                    a * p0.y + b * p1.y + c * p2.y + d * p3.y,
                ));
            }
        }
    }
    out
}

/// The figures of Graphviz's layout, from `dot -Tjson` output. The legend's own nodes and
/// edges (ids starting `legend:`) are left out of crossings and length, as our legend has none.
pub fn of_graphviz_json(json: &str) -> Result<Quality, serde_json::Error> {
    let g: Value = serde_json::from_str(json)?;
    let bb: Vec<f64> = g["bb"]
        .as_str()
        .unwrap_or("0,0,0,0")
        .split(',')
        .map(|s| s.parse().unwrap_or(0.0))
        .collect();
    let (width, height) = (bb[2] - bb[0], bb[3] - bb[1]);
    let mut sizes = Vec::new();
    let mut boxes = Vec::new();
    texts(g.get("_ldraw_"), &mut sizes, &mut boxes);
    let objects = g["objects"].as_array().cloned().unwrap_or_default();
    let is_legend = |o: &Value| o["name"].as_str().is_some_and(|n| n.starts_with("legend:"));
    for o in &objects {
        let mut inner = Vec::new();
        texts(o.get("_ldraw_"), &mut sizes, &mut inner);
        if o.get("nodes").is_some() {
            boxes.extend(inner); // cluster captions
        } else if o.get("pos").is_some() && !is_legend(o) {
            let p: Vec<f64> = o["pos"]
                .as_str()
                .unwrap_or("0,0")
                .split(',')
                .map(|s| s.parse().unwrap_or(0.0))
                .collect();
            let (w, h) = (num(&o["width"]) * 72.0, num(&o["height"]) * 72.0);
            boxes.push(Rect::around(Pt::new(p[0], p[1]), w, h));
        }
    }
    let mut curves = Vec::new();
    for e in g["edges"].as_array().into_iter().flatten() {
        let end = |k: &str| {
            e[k].as_u64()
                .and_then(|i| objects.get(i as usize))
                .is_some_and(is_legend)
        };
        texts(e.get("_ldraw_"), &mut sizes, &mut boxes);
        if !end("tail") && !end("head") {
            curves.push(spline(e.get("_draw_")));
        }
    }
    let min_font = sizes.iter().copied().fold(f64::MAX, f64::min);
    Ok(Quality {
        width,
        height,
        crossings: crossings(&curves),
        edge_length: curves.iter().map(|c| length(c)).sum(),
        min_text_at_page: min_font * PAGE_WIDTH / width.max(1.0),
        overlaps: count_overlaps(&boxes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_lines_count_once() {
        let a = vec![Pt::new(0.0, 0.0), Pt::new(100.0, 100.0)];
        let b = vec![Pt::new(0.0, 100.0), Pt::new(100.0, 0.0)];
        let c = vec![Pt::new(200.0, 0.0), Pt::new(300.0, 0.0)];
        assert_eq!(crossings(&[a, b, c]), 1);
    }
}
