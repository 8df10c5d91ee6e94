//! The embedded renderer's layout: a [`Scene`] becomes a [`Drawing`] that reads on a report page.
//! Each letter's signatories become one block (the coalition with its named members inside), the
//! relations between the same two places are drawn as one curve, and [`layered`] places the
//! blocks and entities top to bottom in reading order; then [`route`] attaches and labels the
//! curves and [`legend`] adds the heading and a legend of what appears.
//!
//! Deterministic: no hashing, no clock, every tie broken by index.

use super::drawing::{Block, Drawing, NodeBox, Rect, Text};
use super::error::DiagramError;
use super::layered::{self, Pt};
use super::scene::{Scene, Side};
use super::style::{node_style, Shape};
use super::ui::Ui;
use super::{legend, route, text, MAX_DIAGRAM_RELATIONS};

/// Node label font size, px.
pub const FONT: f64 = 12.0;
/// Edge label, legend and count font size, px.
pub const SMALL_FONT: f64 = 11.0;
/// Line height of node labels, px.
pub const LINE: f64 = 15.0;
/// Room around the picture, px.
pub const MARGIN: f64 = 20.0;
/// Padding inside a block, px.
const PAD: f64 = 10.0;
/// Room between members of a block, px.
const CELL_GAP: f64 = 8.0;
/// Widest member label kept on one line, px.
const ONE_LINE: f64 = 210.0;

/// What the layout places: one entity, or a block of them.
#[derive(Clone, Debug)]
pub(super) enum Unit {
    /// A scene node.
    Node(usize),
    /// A block (index into [`Plan::blocks`]).
    Block(usize),
}

/// A letter's signatories drawn as one block.
#[derive(Clone, Debug)]
pub(super) struct BlockPlan {
    head: Option<usize>,
    members: Vec<usize>,
    /// Member labels: on one line when it is short enough.
    lines: Vec<Vec<String>>,
    caption: Vec<(String, f64, bool)>,
    cols: usize,
    cell: (f64, f64),
    size: (f64, f64),
    tooltip: String,
}

/// Relations between the same two units, drawn as one curve.
#[derive(Clone, Debug)]
pub(super) struct LinkPlan {
    pub(super) edges: Vec<usize>,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) label: String,
    pub(super) hedged: bool,
    pub(super) opposes: bool,
}

/// The units, blocks and links of a scene.
pub(super) struct Plan {
    pub(super) units: Vec<Unit>,
    pub(super) sizes: Vec<(f64, f64)>,
    blocks: Vec<BlockPlan>,
    pub(super) links: Vec<LinkPlan>,
    /// Hover text of relations not drawn as curves (inside a block, or to itself), per node.
    extra: Vec<Vec<String>>,
}

/// Lays `scene` out for a page. Too many relations is an error that says to focus.
pub fn draw(scene: &Scene) -> Result<Drawing, DiagramError> {
    if scene.edges.len() > MAX_DIAGRAM_RELATIONS {
        return Err(DiagramError::TooLarge {
            what: format!(
                "{} relations (at most {MAX_DIAGRAM_RELATIONS})",
                scene.edges.len()
            ),
        });
    }
    let plan = plan(scene);
    let mut best: Option<Drawing> = None;
    // Room between ranks grows until every edge label finds a free place.
    for gap in [48.0, 64.0, 80.0, 100.0] {
        let d = lay_out(scene, &plan, gap);
        let overlaps = d.legibility().overlaps;
        let better = best
            .as_ref()
            .is_none_or(|b| overlaps < b.legibility().overlaps);
        if better {
            best = Some(d);
        }
        if overlaps == 0 {
            break;
        }
    }
    Ok(best.unwrap_or_default())
}

/// Size of a label of `lines` at `size`, with `pad` around.
fn text_box(lines: &[String], size: f64, pad: (f64, f64)) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| text::width(l, size, false))
        .fold(0.0, f64::max);
    (w + 2.0 * pad.0, lines.len() as f64 * LINE + 2.0 * pad.1)
}

/// The size of node `i`'s shape.
pub(super) fn node_size(scene: &Scene, i: usize) -> (f64, f64) {
    let n = &scene.nodes[i];
    let (w, h) = text_box(&n.label, FONT, (0.0, 0.0));
    match node_style(n.kind).shape {
        // Round shapes need room for the text in their middle.
        Shape::Ellipse | Shape::DoubleEllipse => (w * 1.2 + 26.0, h + 18.0),
        Shape::Hexagon | Shape::Octagon => (w + 34.0, h + 14.0),
        Shape::Component => (w + 24.0, h + 12.0),
        _ => (w + 18.0, h + 12.0),
    }
}

fn block_plan(scene: &Scene, letter: usize, signatories: Vec<usize>) -> BlockPlan {
    let ui = scene.ui;
    let head = signatories
        .iter()
        .copied()
        .find(|&i| scene.nodes[i].count.is_some());
    let members: Vec<usize> = signatories
        .into_iter()
        .filter(|&i| Some(i) != head)
        .collect();
    let mut caption: Vec<(String, f64, bool)> = Vec::new();
    let mut tooltip = String::new();
    match head {
        Some(h) => {
            let n = &scene.nodes[h];
            caption.extend(n.label.iter().map(|l| (l.clone(), FONT, true)));
            caption.extend(n.count.iter().map(|c| (c.clone(), SMALL_FONT, false)));
            tooltip.push_str(&n.tooltip);
        }
        None => {
            let name = &scene.letters[letter];
            let t = Ui::fill(ui.signatories_of, name, "");
            caption.extend(
                super::escape::wrap(&t, 34)
                    .into_iter()
                    .map(|l| (l, FONT, true)),
            );
            tooltip = t;
        }
    }
    let lines: Vec<Vec<String>> = members
        .iter()
        .map(|&i| {
            let one = scene.nodes[i].label.join(" ");
            if text::width(&one, FONT, false) <= ONE_LINE {
                vec![one]
            } else {
                scene.nodes[i].label.clone()
            }
        })
        .collect();
    let cell = lines
        .iter()
        .map(|l| text_box(l, FONT, (9.0, 5.0)))
        .fold((0.0, 0.0), |a, b| (f64::max(a.0, b.0), f64::max(a.1, b.1)));
    let cols = match members.len() {
        0..=2 => members.len().max(1),
        3..=8 => 2,
        n => (n as f64).sqrt().ceil() as usize,
    };
    let rows = members.len().div_ceil(cols);
    let caption_w = caption
        .iter()
        .map(|(t, s, b)| text::width(t, *s, *b))
        .fold(0.0, f64::max);
    let grid_w = cols as f64 * cell.0 + (cols as f64 - 1.0) * CELL_GAP;
    let grid_h = rows as f64 * (cell.1 + CELL_GAP);
    let size = (
        caption_w.max(grid_w) + 2.0 * PAD,
        caption.len() as f64 * LINE + 6.0 + grid_h + 2.0 * PAD - CELL_GAP,
    );
    BlockPlan {
        head,
        members,
        lines,
        caption,
        cols,
        cell,
        size,
        tooltip,
    }
}

/// Blocks, units and links of `scene`.
pub(super) fn plan(scene: &Scene) -> Plan {
    let n = scene.nodes.len();
    let mut unit_of: Vec<Option<usize>> = vec![None; n];
    let mut units = Vec::new();
    let mut sizes = Vec::new();
    let mut blocks = Vec::new();
    for li in 0..scene.letters.len() {
        let signatories: Vec<usize> = (0..n)
            .filter(|&i| scene.nodes[i].side == Some((li, Side::Signatory)))
            .collect();
        if signatories.len() < 2 {
            continue;
        }
        let b = block_plan(scene, li, signatories);
        for &i in b.members.iter().chain(&b.head) {
            unit_of[i] = Some(units.len());
        }
        sizes.push(b.size);
        units.push(Unit::Block(blocks.len()));
        blocks.push(b);
    }
    for (i, u) in unit_of.iter_mut().enumerate() {
        if u.is_none() {
            *u = Some(units.len());
            sizes.push(node_size(scene, i));
            units.push(Unit::Node(i));
        }
    }
    let unit_of: Vec<usize> = unit_of.into_iter().map(|u| u.unwrap_or(0)).collect();
    let (links, extra) = links(scene, &unit_of, &blocks);
    Plan {
        units,
        sizes,
        blocks,
        links,
        extra,
    }
}

/// Groups the scene's edges into drawn curves; edges inside a unit become hover text.
fn links(
    scene: &Scene,
    unit_of: &[usize],
    blocks: &[BlockPlan],
) -> (Vec<LinkPlan>, Vec<Vec<String>>) {
    let heads: Vec<usize> = blocks.iter().filter_map(|b| b.head).collect();
    let mut extra = vec![Vec::new(); scene.nodes.len()];
    let mut links: Vec<LinkPlan> = Vec::new();
    // The head's own relation leads its bundle, so its label (with the count) is the one shown.
    let mut order: Vec<usize> = (0..scene.edges.len()).collect();
    order.sort_by_key(|&j| (!heads.contains(&scene.edges[j].from), j));
    for j in order {
        let e = &scene.edges[j];
        let (a, b) = (unit_of[e.from], unit_of[e.to]);
        if a == b {
            extra[e.from].push(e.tooltip.clone());
            continue;
        }
        // One curve per pair of places: dashed only when every relation on it is hedged, red
        // when one is opposition.
        match links.iter_mut().find(|l| (l.from, l.to) == (a, b)) {
            Some(l) => {
                let shown = l
                    .edges
                    .iter()
                    .any(|&k| scene.edges[k].predicate == e.predicate);
                if !shown {
                    l.label.push_str(", ");
                    l.label.push_str(&e.label);
                }
                l.hedged &= e.hedged;
                l.opposes |= e.opposes;
                l.edges.push(j);
            }
            None => links.push(LinkPlan {
                edges: vec![j],
                from: a,
                to: b,
                label: e.label.clone(),
                hedged: e.hedged,
                opposes: e.opposes,
            }),
        }
    }
    links.sort_by_key(|l| l.edges.iter().min().copied());
    (links, extra)
}

fn label_lines(lines: &[String], rect: Rect, size: f64, bold: bool) -> Vec<Text> {
    let top = rect.center().y - lines.len() as f64 * LINE / 2.0;
    lines
        .iter()
        .enumerate()
        .map(|(k, l)| Text {
            text: l.clone(),
            rect: Rect {
                x: rect.x,
                y: top + k as f64 * LINE,
                w: rect.w,
                h: LINE,
            },
            size,
            bold,
            centred: true,
        })
        .collect()
}

fn node_box(plan: &Plan, i: usize, lines: &[String], rect: Rect, shape: Shape) -> NodeBox {
    let w = text_box(lines, FONT, (0.0, 0.0)).0;
    let inner = Rect::around(rect.center(), w, rect.h);
    NodeBox {
        node: i,
        rect,
        shape,
        lines: label_lines(lines, inner, FONT, false),
        extra_tooltip: plan.extra[i].clone(),
    }
}

/// The block `b` placed at `rect`, with its members.
fn block(plan: &Plan, b: &BlockPlan, rect: Rect) -> (Block, Vec<NodeBox>) {
    let mut caption = Vec::new();
    let mut y = rect.y + PAD;
    for (t, size, bold) in &b.caption {
        let w = text::width(t, *size, *bold);
        caption.push(Text {
            text: t.clone(),
            rect: Rect {
                x: rect.center().x - w / 2.0,
                y,
                w,
                h: LINE,
            },
            size: *size,
            bold: *bold,
            centred: true,
        });
        y += LINE;
    }
    y += 6.0;
    let cols = b.cols;
    let grid_w = cols as f64 * b.cell.0 + (cols as f64 - 1.0) * CELL_GAP;
    let left = rect.center().x - grid_w / 2.0;
    let members = b
        .members
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let r = Rect {
                x: left + (k % cols) as f64 * (b.cell.0 + CELL_GAP),
                y: y + (k / cols) as f64 * (b.cell.1 + CELL_GAP),
                w: b.cell.0,
                h: b.cell.1,
            };
            node_box(plan, i, &b.lines[k], r, Shape::Rounded)
        })
        .collect();
    let mut tooltip = b.tooltip.clone();
    for t in b.head.iter().flat_map(|&h| &plan.extra[h]) {
        tooltip.push('\n');
        tooltip.push_str(t);
    }
    let placed = Block {
        rect,
        head: b.head,
        caption,
        tooltip,
    };
    (placed, members)
}

/// One layout of `plan` with `rank_gap` between ranks.
fn lay_out(scene: &Scene, plan: &Plan, rank_gap: f64) -> Drawing {
    let g = layered::Graph {
        sizes: plan.sizes.clone(),
        edges: plan.links.iter().map(|l| (l.from, l.to)).collect(),
        rank_gap,
        node_gap: 26.0,
    };
    let l = layered::layout(&g);
    let rects: Vec<Rect> = (0..plan.units.len())
        .map(|u| Rect::around(l.centers[u], plan.sizes[u].0, plan.sizes[u].1))
        .collect();
    let mut d = Drawing::default();
    let mut shapes = Vec::new();
    for (u, unit) in plan.units.iter().enumerate() {
        match unit {
            Unit::Node(i) => {
                let shape = node_style(scene.nodes[*i].kind).shape;
                shapes.push(Some(shape));
                let lines = &scene.nodes[*i].label;
                d.nodes.push(node_box(plan, *i, lines, rects[u], shape));
            }
            Unit::Block(b) => {
                shapes.push(None);
                let (placed, members) = block(plan, &plan.blocks[*b], rects[u]);
                d.blocks.push(placed);
                d.nodes.extend(members);
            }
        }
    }
    d.links = route::links(plan, &rects, &shapes, &l);
    route::place_labels(&mut d, plan);
    legend::frame(scene, &mut d);
    d
}

/// Moves every part of the graph (not heading or legend) by (dx, dy).
pub(super) fn shift(d: &mut Drawing, dx: f64, dy: f64) {
    let text = |t: &mut Text| t.rect = t.rect.shift(dx, dy);
    for b in &mut d.blocks {
        b.rect = b.rect.shift(dx, dy);
        b.caption.iter_mut().for_each(text);
    }
    for n in &mut d.nodes {
        n.rect = n.rect.shift(dx, dy);
        n.lines.iter_mut().for_each(text);
    }
    for l in &mut d.links {
        l.points
            .iter_mut()
            .for_each(|p| *p = Pt::new(p.x + dx, p.y + dy));
        l.label.iter_mut().for_each(text);
    }
}
