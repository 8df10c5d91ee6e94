//! The frame of an embedded diagram: the heading (title and sources) above the graph and a
//! compact legend strip below it that lists only the shapes and line styles that appear, one
//! entry per style (kinds drawn alike share an entry). The picture is then padded to a page's
//! proportions (between [`MAX_TALL`] tall and [`MAX_WIDE`] wide).

use super::drawing::{Drawing, Legend, Rect, Swatch, Text, MAX_TALL, MAX_WIDE};
use super::embedded::{shift, MARGIN, SMALL_FONT};
use super::layered::Pt;
use super::scene::Scene;
use super::style::{self, node_style};
use super::text;

const TITLE_FONT: f64 = 16.0;
const SOURCE_FONT: f64 = 12.0;
const SWATCH: (f64, f64) = (26.0, 14.0);
const ROW: f64 = 20.0;

fn line(text_: &str, x: f64, y: f64, size: f64, bold: bool) -> Text {
    Text {
        text: text_.to_string(),
        rect: Rect {
            x,
            y,
            w: text::width(text_, size, bold),
            h: size * 1.25,
        },
        size,
        bold,
        centred: false,
    }
}

/// Bounds of the graph part of `d`.
fn graph_bounds(d: &Drawing) -> Option<Rect> {
    let mut rects: Vec<Rect> = d.nodes.iter().map(|n| n.rect).collect();
    rects.extend(d.blocks.iter().map(|b| b.rect));
    rects.extend(
        d.links
            .iter()
            .filter_map(|l| l.label.as_ref().map(|t| t.rect)),
    );
    rects.extend(
        d.links
            .iter()
            .flat_map(|l| &l.points)
            .map(|p| Rect::around(*p, 0.0, 0.0)),
    );
    let first = *rects.first()?;
    Some(rects.iter().fold(first, |a, r| {
        let (x, y) = (a.x.min(r.x), a.y.min(r.y));
        Rect {
            x,
            y,
            w: (a.x + a.w).max(r.x + r.w) - x,
            h: (a.y + a.h).max(r.y + r.h) - y,
        }
    }))
}

/// The legend entries of `scene`: (swatch, text, hover text).
fn entries(scene: &Scene, d: &Drawing) -> Vec<(Swatch, String, String)> {
    let ui = scene.ui;
    let mut out: Vec<(Swatch, String, String)> = Vec::new();
    for k in &scene.legend {
        let st = node_style(*k);
        let name = ui.kind(*k);
        let same = out.iter_mut().find(
            |(s, _, _)| matches!(s, Swatch::Shape(sh, f, _) if *sh == st.shape && *f == st.fill),
        );
        match same {
            Some((_, t, tip)) => {
                t.push_str(", ");
                t.push_str(name);
                tip.push('\n');
                tip.push_str(k.description());
            }
            None => out.push((
                Swatch::Shape(st.shape, st.fill, st.border),
                name.to_string(),
                k.description().to_string(),
            )),
        }
    }
    if !d.blocks.is_empty() {
        out.push((Swatch::Block, ui.block.to_string(), ui.block.to_string()));
    }
    if d.links.iter().any(|l| !l.hedged && !l.opposes) {
        out.push((
            Swatch::Line(false, style::EDGE),
            ui.stated.into(),
            ui.stated.into(),
        ));
    }
    if d.links.iter().any(|l| l.hedged) {
        out.push((
            Swatch::Line(true, style::EDGE),
            ui.hedged.into(),
            ui.hedged.into(),
        ));
    }
    if d.links.iter().any(|l| l.opposes) {
        let t = ui.opposes;
        out.push((Swatch::Line(false, style::EDGE_OPPOSES), t.into(), t.into()));
    }
    out
}

/// Lays the legend out in rows at most `width` wide, from (x, y).
fn legend(scene: &Scene, d: &Drawing, x: f64, y: f64, width: f64) -> Legend {
    let caption = line(scene.ui.legend, x, y, SMALL_FONT, true);
    let mut at = Pt::new(x + caption.rect.w + 14.0, y);
    let mut placed = Vec::new();
    let mut right: f64 = 0.0;
    for (swatch, t, tip) in entries(scene, d) {
        let w = SWATCH.0 + 6.0 + text::width(&t, SMALL_FONT, false);
        if at.x + w > x + width && !placed.is_empty() {
            at = Pt::new(x + caption.rect.w + 14.0, at.y + ROW);
        }
        let sw = Rect {
            x: at.x,
            y: at.y,
            w: SWATCH.0,
            h: SWATCH.1,
        };
        let label = line(&t, at.x + SWATCH.0 + 6.0, at.y, SMALL_FONT, false);
        right = right.max(label.rect.x + label.rect.w);
        placed.push((sw, swatch, label, tip));
        at.x += w + 18.0;
    }
    Legend {
        rect: Rect {
            x,
            y,
            w: right - x,
            h: at.y + ROW - y,
        },
        caption: Some(caption),
        entries: placed,
    }
}

/// Adds heading and legend around the laid-out graph of `d` and sets the picture's size.
pub(super) fn frame(scene: &Scene, d: &mut Drawing) {
    let g = graph_bounds(d).unwrap_or_default();
    let mut heading = vec![line(&scene.title, MARGIN, MARGIN, TITLE_FONT, true)];
    let mut y = MARGIN + TITLE_FONT * 1.25 + 6.0;
    for s in &scene.sources {
        heading.push(line(
            &format!("{}{s}", scene.ui.source),
            MARGIN,
            y,
            SOURCE_FONT,
            false,
        ));
        y += SOURCE_FONT * 1.25 + 2.0;
    }
    let heading_w = heading.iter().map(|t| t.rect.w).fold(0.0, f64::max);
    let inner_w = g.w.max(heading_w).max(560.0);
    let legend_top_gap = 24.0;
    let mut lg = legend(scene, d, MARGIN, 0.0, inner_w);
    let mut width = inner_w.max(lg.rect.w) + 2.0 * MARGIN;
    let graph_top = y + 18.0;
    let mut height = graph_top + g.h + legend_top_gap + lg.rect.h + MARGIN;
    // Pad to a page's proportions, keeping the graph centred.
    let mut extra_y = 0.0;
    if width / height > MAX_WIDE {
        extra_y = width / MAX_WIDE - height;
        height += extra_y;
    }
    if height / width > MAX_TALL {
        width = height / MAX_TALL;
    }
    shift(
        d,
        (width - g.w) / 2.0 - g.x,
        graph_top + extra_y / 2.0 - g.y,
    );
    let legend_y = graph_top + extra_y + g.h + legend_top_gap;
    lg.rect.y += legend_y;
    for t in lg.caption.iter_mut() {
        t.rect.y += legend_y;
    }
    for e in &mut lg.entries {
        e.0.y += legend_y;
        e.2.rect.y += legend_y;
    }
    d.heading = heading;
    d.legend = lg;
    d.width = width.ceil();
    d.height = height.ceil();
}
