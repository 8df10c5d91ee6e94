//! Curves of the embedded layout: where each relation leaves and enters its shapes (ports spread
//! along the border in the order of where the curves go, so they do not cross at the border),
//! the smooth path through its bends (cubic Béziers with vertical tangents,
//! <https://www.w3.org/TR/SVG11/paths.html#PathDataCubicBezierCommands>), and a free place for
//! its label.

use super::drawing::{Drawing, Link, Rect, Text};
use super::embedded::{Plan, SMALL_FONT};
use super::layered::{Layout, Pt};
use super::style::Shape;
use super::text;

/// Height of an edge label box, px.
pub const LABEL_H: f64 = 14.0;

/// Where a curve leaves or enters a unit: the unit, bottom side or top, link, start or end.
struct End {
    unit: usize,
    bottom: bool,
    toward: f64,
    link: usize,
    start: bool,
}

/// The point on a shape's border above or below `x`.
fn border(rect: Rect, shape: Option<Shape>, x: f64, bottom: bool) -> Pt {
    let c = rect.center();
    let dy = match shape {
        Some(Shape::Ellipse | Shape::DoubleEllipse) => {
            let (rx, ry) = (rect.w / 2.0, rect.h / 2.0);
            let u = ((x - c.x) / rx).clamp(-0.95, 0.95);
            ry * (1.0 - u * u).sqrt()
        }
        _ => rect.h / 2.0,
    };
    Pt::new(x, if bottom { c.y + dy } else { c.y - dy })
}

/// The curves of `plan`'s links, end to end.
pub(super) fn links(
    plan: &Plan,
    rects: &[Rect],
    shapes: &[Option<Shape>],
    l: &Layout,
) -> Vec<Link> {
    let mut ends: Vec<End> = Vec::new();
    for (k, link) in plan.links.iter().enumerate() {
        let (a, b) = (l.centers[link.from], l.centers[link.to]);
        let down = a.y < b.y;
        let bends = &l.bends[k];
        ends.push(End {
            unit: link.from,
            bottom: down,
            toward: bends.first().unwrap_or(&b).x,
            link: k,
            start: true,
        });
        ends.push(End {
            unit: link.to,
            bottom: !down,
            toward: bends.last().unwrap_or(&a).x,
            link: k,
            start: false,
        });
    }
    ends.sort_by(|p, q| {
        (p.unit, p.bottom)
            .cmp(&(q.unit, q.bottom))
            .then(p.toward.total_cmp(&q.toward))
            .then(p.link.cmp(&q.link))
    });
    let mut start = vec![Pt::default(); plan.links.len()];
    let mut end = start.clone();
    let mut i = 0;
    while i < ends.len() {
        let group = ends[i..]
            .iter()
            .take_while(|e| (e.unit, e.bottom) == (ends[i].unit, ends[i].bottom))
            .count();
        let rect = rects[ends[i].unit];
        let spread = (rect.w * 0.5).min(14.0 * group as f64);
        for (k, e) in ends[i..i + group].iter().enumerate() {
            let x = rect.center().x - spread / 2.0 + spread * (k as f64 + 0.5) / group as f64;
            let p = border(rect, shapes[e.unit], x, e.bottom);
            if e.start {
                start[e.link] = p;
            } else {
                end[e.link] = p;
            }
        }
        i += group;
    }
    plan.links
        .iter()
        .enumerate()
        .map(|(k, link)| {
            let mut points = vec![start[k]];
            points.extend(&l.bends[k]);
            points.push(end[k]);
            Link {
                edges: link.edges.clone(),
                points,
                label: None,
                hedged: link.hedged,
                opposes: link.opposes,
            }
        })
        .collect()
}

/// The cubic Bézier from `a` to `b` with vertical tangents, at `t`.
pub fn segment_point(a: Pt, b: Pt, t: f64) -> Pt {
    let m = (a.y + b.y) / 2.0;
    let (c1, c2) = (Pt::new(a.x, m), Pt::new(b.x, m));
    let u = 1.0 - t;
    let (k0, k1, k2, k3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    Pt::new(
        k0 * a.x + k1 * c1.x + k2 * c2.x + k3 * b.x,
        k0 * a.y + k1 * c1.y + k2 * c2.y + k3 * b.y,
    )
}

/// Points along a drawn curve, `per` per segment.
pub fn flatten(points: &[Pt], per: usize) -> Vec<Pt> {
    let mut out = Vec::new();
    for (s, pair) in points.windows(2).enumerate() {
        let from = usize::from(s > 0);
        out.extend((from..=per).map(|k| segment_point(pair[0], pair[1], k as f64 / per as f64)));
    }
    out
}

/// Candidate label centres along `points`: middle segments and middles of segments first.
fn candidates(points: &[Pt]) -> Vec<Pt> {
    let segs = points.len().saturating_sub(1);
    let mid = segs as f64 / 2.0 - 0.5;
    let mut order: Vec<usize> = (0..segs).collect();
    order.sort_by(|a, b| {
        (*a as f64 - mid)
            .abs()
            .total_cmp(&(*b as f64 - mid).abs())
            .then(a.cmp(b))
    });
    let mut out = Vec::new();
    for t in [0.5, 0.35, 0.65, 0.2, 0.8] {
        for &s in &order {
            out.push(segment_point(points[s], points[s + 1], t));
        }
    }
    out
}

/// Gives each link a label box that overlaps no shape, block and other label when it can.
pub(super) fn place_labels(d: &mut Drawing, plan: &Plan) {
    let mut taken: Vec<Rect> = d.nodes.iter().map(|n| n.rect.grow(3.0)).collect();
    taken.extend(d.blocks.iter().map(|b| b.rect.grow(3.0)));
    for (k, link) in d.links.iter_mut().enumerate() {
        let label = &plan.links[k].label;
        if label.is_empty() {
            continue;
        }
        let w = text::width(label, SMALL_FONT, false) + 6.0;
        let mut best: Option<(f64, Rect)> = None;
        'search: for c in candidates(&link.points) {
            let boxes = [
                Rect::around(c, w, LABEL_H),
                Rect::around(Pt::new(c.x + w / 2.0 + 5.0, c.y), w, LABEL_H),
                Rect::around(Pt::new(c.x - w / 2.0 - 5.0, c.y), w, LABEL_H),
            ];
            for r in boxes {
                let cost: f64 = taken.iter().map(|t| t.overlap(&r.grow(1.5))).sum();
                if best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, r));
                }
                if cost == 0.0 {
                    break 'search;
                }
            }
        }
        if let Some((_, r)) = best {
            taken.push(r);
            link.label = Some(Text {
                text: label.clone(),
                rect: r,
                size: SMALL_FONT,
                bold: false,
                centred: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_start_and_end_at_their_points() {
        let (a, b) = (Pt::new(0.0, 0.0), Pt::new(10.0, 40.0));
        assert_eq!(segment_point(a, b, 0.0), a);
        assert_eq!(segment_point(a, b, 1.0), b);
        assert_eq!(flatten(&[a, b, a], 4).len(), 9);
    }
}
