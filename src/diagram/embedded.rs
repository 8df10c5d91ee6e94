//! The embedded SVG renderer (<https://www.w3.org/TR/SVG11/>): layout-rs places the nodes and
//! routes the edges (edge labels become layout nodes, so they get their own room), and our own
//! [`RenderBackend`] draws the result with the shared styling, escaped text, `<title>` tooltips and
//! links. layout-rs has no clusters, so each letter's signatories and its addressees and targets
//! are shown as coloured bands behind their nodes; the legend and the heading are drawn here too.
//!
//! Output is deterministic: layout-rs is, and coordinates are printed rounded.

use std::fmt::Write as _;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::error::DiagramError;
use super::escape::xml;
use super::scene::{Scene, Side};
use super::style::{self, node_style, Shape};
use super::svgdraw::{legend, r, shape};

/// Node label font size, px.
const FONT: f64 = 12.0;
/// Edge label font size, px.
const EDGE_FONT: f64 = 10.5;
/// Average glyph width of a sans-serif font, as a fraction of its size.
const GLYPH: f64 = 0.56;
const LINE: f64 = 15.0;
const MARGIN: f64 = 16.0;

/// An edge route as layout-rs gives it: exit vector, then entry vectors (cubic Bézier controls).
type Route = Vec<(Point, Point)>;

/// What layout-rs asked us to draw.
#[derive(Default)]
struct Canvas {
    /// Node boxes: (scene node index, top-left, size).
    boxes: Vec<(usize, Point, Point)>,
    /// Edge paths: (scene edge index, path, arrowheads at (start, end)).
    paths: Vec<(usize, Route, (bool, bool))>,
    /// Free text (edge labels): position, text.
    texts: Vec<(Point, String)>,
    /// The last call drew a node box, so the next text is its label (drawn from the scene).
    after_box: bool,
}

fn parse_key(p: &Option<String>, prefix: char) -> Option<usize> {
    p.as_deref()?.strip_prefix(prefix)?.parse().ok()
}

impl RenderBackend for Canvas {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(i) = parse_key(&properties, 'n') {
            self.boxes.push((i, xy, size));
            self.after_box = true;
        }
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if std::mem::take(&mut self.after_box) {
            return;
        }
        self.texts.push((xy, text.to_string()));
    }
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        if let Some(i) = parse_key(&properties, 'e') {
            self.paths.push((i, path.to_vec(), head));
        }
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * GLYPH
}

fn node_size(scene: &Scene, i: usize) -> Point {
    let n = &scene.nodes[i];
    let w = n
        .label
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max);
    let h = n.label.len() as f64 * LINE;
    match node_style(n.kind).shape {
        // Round shapes need room for the text in their middle.
        Shape::Ellipse | Shape::DoubleEllipse | Shape::Hexagon | Shape::Octagon => {
            Point::new(w * 1.2 + 30.0, h + 22.0)
        }
        _ => Point::new(w + 22.0, h + 14.0),
    }
}

/// Lays out `scene` with layout-rs and returns the SVG text.
pub fn render(scene: &Scene) -> Result<String, DiagramError> {
    let mut canvas = Canvas::default();
    if !scene.nodes.is_empty() {
        let mut vg = VisualGraph::new(Orientation::LeftToRight);
        let mut handles = Vec::new();
        for i in 0..scene.nodes.len() {
            let look = StyleAttr::new(Color::fast("black"), 1, None, 0, FONT as usize);
            let label = scene.nodes[i].label.join("\n");
            let el = Element::create_with_properties(
                ShapeKind::new_box(&label),
                look,
                Orientation::TopToBottom,
                node_size(scene, i),
                format!("n{i}"),
            );
            handles.push(vg.add_node(el));
        }
        for (j, e) in scene.edges.iter().enumerate() {
            if e.from == e.to {
                continue; // layout-rs draws self-loops poorly; the tooltip of the node suffices.
            }
            // layout-rs sizes a label at one font-size unit per character: pass a size that
            // matches the real glyph width.
            let sizing = (EDGE_FONT * GLYPH).ceil() as usize;
            let look = StyleAttr::new(Color::fast("black"), 1, None, 0, sizing);
            let arrow = Arrow::with_properties(
                LineEndKind::None,
                LineEndKind::Arrow,
                LineStyleKind::Normal,
                &e.label,
                &look,
                format!("e{j}"),
                &None,
                &None,
            );
            vg.add_edge(arrow, handles[e.from], handles[e.to]);
        }
        // layout-rs has no rank constraints: push entities that start a chain of their own
        // (no incoming relation) behind the letter, so the first columns hold only its signatories.
        for l in &scene.letters {
            let starts = (0..scene.nodes.len()).filter(|&i| {
                scene.nodes[i]
                    .side
                    .is_none_or(|(_, s)| s != Side::Signatory)
                    && i != l.letter
                    && !scene.edges.iter().any(|e| e.to == i && e.from != i)
            });
            for i in starts.collect::<Vec<_>>() {
                vg.add_edge(Arrow::invisible(), handles[l.letter], handles[i]);
            }
        }
        // layout-rs asserts its invariants; a failed one must not take the caller down.
        let laid_out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut c = Canvas::default();
            vg.do_it(false, false, false, &mut c);
            c
        }));
        canvas = laid_out.map_err(|_| DiagramError::Layout)?;
    }
    Ok(write_svg(scene, &canvas))
}

struct Bounds {
    min: Point,
    max: Point,
}

impl Bounds {
    fn new() -> Self {
        Bounds {
            min: Point::new(f64::MAX, f64::MAX),
            max: Point::new(f64::MIN, f64::MIN),
        }
    }
    fn add(&mut self, p: Point) {
        self.min = Point::new(self.min.x.min(p.x), self.min.y.min(p.y));
        self.max = Point::new(self.max.x.max(p.x), self.max.y.max(p.y));
    }
    fn valid(&self) -> bool {
        self.min.x <= self.max.x
    }
}

/// Points along a layout-rs route (`M C S S…` cubic Bézier segments), 16 per segment.
fn curve_points(path: &[(Point, Point)]) -> Vec<Point> {
    let cubic = |p0: Point, c1: Point, c2: Point, p1: Point, t: f64| {
        let u = 1.0 - t;
        p0.scale(u * u * u)
            .add(c1.scale(3.0 * u * u * t))
            .add(c2.scale(3.0 * u * t * t))
            .add(p1.scale(t * t * t))
    };
    let mut out = Vec::new();
    for i in 1..path.len() {
        let (p0, c1) = if i == 1 {
            (path[0].0, path[0].1)
        } else {
            // `S` reflects the previous segment's second control point.
            let (c, p) = path[i - 1];
            (p, p.scale(2.0).sub(c))
        };
        let (c2, p1) = path[i];
        out.extend((0..=16).map(|k| cubic(p0, c1, c2, p1, f64::from(k) / 16.0)));
    }
    out
}

/// Farthest a label may sit from its edge before it is moved onto it, px.
const LABEL_SLACK: f64 = 24.0;

/// Edge label positions. layout-rs draws labels as free text: match each to the nearest edge with
/// that label, and move it onto the edge when layout-rs left it far away.
fn edge_labels(scene: &Scene, canvas: &Canvas) -> Vec<Option<Point>> {
    let curves: Vec<(usize, Vec<Point>)> = canvas
        .paths
        .iter()
        .map(|(j, path, _)| (*j, curve_points(path)))
        .collect();
    let mut pairs = Vec::new();
    for (t, (pos, text)) in canvas.texts.iter().enumerate() {
        for (j, curve) in &curves {
            if scene.edges[*j].label != *text {
                continue;
            }
            let nearest = curve
                .iter()
                .map(|p| (p.distance_to(*pos), *p))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((d, p)) = nearest {
                pairs.push((d, t, *j, p));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut out = vec![None; scene.edges.len()];
    let mut used = vec![false; canvas.texts.len()];
    for (d, t, j, on_curve) in pairs {
        if used[t] || out[j].is_some() {
            continue;
        }
        used[t] = true;
        out[j] = Some(if d > LABEL_SLACK {
            on_curve
        } else {
            canvas.texts[t].0
        });
    }
    out
}

fn write_svg(scene: &Scene, canvas: &Canvas) -> String {
    let labels = edge_labels(scene, canvas);
    let mut b = Bounds::new();
    for (_, xy, size) in &canvas.boxes {
        b.add(*xy);
        b.add(xy.add(*size));
    }
    for (_, path, _) in &canvas.paths {
        for (p, q) in path {
            b.add(*p);
            b.add(*q);
        }
    }
    for (j, p) in labels.iter().enumerate() {
        if let Some(p) = p {
            let half = text_width(&scene.edges[j].label, EDGE_FONT) / 2.0;
            b.add(Point::new(p.x - half, p.y - LINE));
            b.add(Point::new(p.x + half, p.y + LINE));
        }
    }
    if !b.valid() {
        b.add(Point::zero());
    }
    let band_pad = 14.0;
    let heading_h = 30.0 + LINE * scene.sources.len() as f64 + 10.0;
    // Shift the drawing so it starts below the heading, with room for the bands.
    let dx = MARGIN + band_pad - b.min.x;
    let dy = heading_h + band_pad + 18.0 - b.min.y;
    let graph_w = b.max.x - b.min.x + 2.0 * band_pad;
    let legend_x = MARGIN + graph_w + 30.0;
    let legend_rows = scene.legend.len()
        + 1
        + usize::from(scene.any_hedged)
        + usize::from(scene.edges.iter().any(|e| e.opposes))
        + if scene.letters.is_empty() { 0 } else { 2 };
    let legend_h = 30.0 + legend_rows as f64 * 30.0;
    let heading_w = std::iter::once(text_width(&scene.title, 16.0))
        .chain(scene.sources.iter().map(|s| text_width(s, 12.0)))
        .fold(0.0, f64::max);
    let legend_w = 58.0 + text_width("attributed to someone, or inferred", 11.0) + MARGIN;
    let width = (legend_x + legend_w).max(MARGIN * 2.0 + heading_w);
    let height = (dy + b.max.y + band_pad + MARGIN).max(heading_h + legend_h + MARGIN);

    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"Helvetica, Arial, sans-serif\">\n\
         <title>{t}</title>\n\
         <defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"6\" refX=\"8\" refY=\"3\" orient=\"auto\">\
         <path d=\"M0,0 L8,3 L0,6 z\" fill=\"context-stroke\"/></marker>\
         <marker id=\"tail\" markerWidth=\"8\" markerHeight=\"6\" refX=\"0\" refY=\"3\" orient=\"auto\">\
         <path d=\"M8,0 L0,3 L8,6 z\" fill=\"context-stroke\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        w = r(width),
        h = r(height),
        t = xml(&scene.title),
    );
    // Heading.
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"16\" font-weight=\"bold\">{}</text>",
        r(MARGIN),
        r(MARGIN + 12.0),
        xml(&scene.title)
    );
    for (k, src) in scene.sources.iter().enumerate() {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#444444\">Source: {}</text>",
            r(MARGIN),
            r(MARGIN + 34.0 + LINE * k as f64),
            xml(src)
        );
    }
    let _ = writeln!(s, "<g transform=\"translate({} {})\">", r(dx), r(dy));
    bands(&mut s, scene, canvas, band_pad);
    for (j, path, head) in &canvas.paths {
        edge(&mut s, scene, *j, path, *head, labels[*j]);
    }
    for (i, xy, size) in &canvas.boxes {
        node(&mut s, scene, *i, *xy, *size);
    }
    s.push_str("</g>\n");
    legend(&mut s, scene, legend_x, heading_h);
    s.push_str("</svg>\n");
    s
}

fn overlaps(a: &Bounds, xy: Point, size: Point) -> bool {
    xy.x < a.max.x && xy.x + size.x > a.min.x && xy.y < a.max.y && xy.y + size.y > a.min.y
}

/// Draws each letter's sides: one band around all members when no other node falls inside it,
/// else a coloured halo behind each member.
fn bands(s: &mut String, scene: &Scene, canvas: &Canvas, pad: f64) {
    for (li, letter) in scene.letters.iter().enumerate() {
        for side in [Side::Signatory, Side::Target] {
            let member = |i: usize| scene.nodes[i].side == Some((li, side));
            let mut b = Bounds::new();
            for (i, xy, size) in &canvas.boxes {
                if member(*i) {
                    b.add(*xy);
                    b.add(xy.add(*size));
                }
            }
            if !b.valid() {
                continue;
            }
            let ((fill, border), caption) = match side {
                Side::Signatory => (
                    style::SIGNATORY_BAND,
                    format!("Signatories of: {}", letter.name),
                ),
                Side::Target => (
                    style::TARGET_BAND,
                    format!("Addressees and criticised targets of: {}", letter.name),
                ),
            };
            let padded = Bounds {
                min: Point::new(b.min.x - pad, b.min.y - pad),
                max: Point::new(b.max.x + pad, b.max.y + pad),
            };
            let clean = canvas
                .boxes
                .iter()
                .all(|(i, xy, size)| member(*i) || !overlaps(&padded, *xy, *size));
            let _ = write!(s, "<g class=\"group\"><title>{}</title>", xml(&caption));
            if clean {
                let _ = write!(
                    s,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"10\" \
                     fill=\"{fill}\" stroke=\"{border}\" stroke-width=\"1.2\"/>\
                     <text x=\"{x}\" y=\"{ty}\" font-size=\"12\" font-weight=\"bold\" fill=\"{border}\">{t}</text>",
                    t = xml(&caption),
                    x = r(padded.min.x),
                    y = r(padded.min.y),
                    w = r(padded.max.x - padded.min.x),
                    h = r(padded.max.y - padded.min.y),
                    ty = r(padded.min.y - 5.0),
                );
            } else {
                for (_, xy, size) in canvas.boxes.iter().filter(|(i, _, _)| member(*i)) {
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"9\" fill=\"{fill}\" \
                         stroke=\"{border}\" stroke-width=\"2.5\" stroke-dasharray=\"2,2\"/>",
                        r(xy.x - 7.0),
                        r(xy.y - 7.0),
                        r(size.x + 14.0),
                        r(size.y + 14.0)
                    );
                }
            }
            s.push_str("</g>\n");
        }
    }
}

fn edge(
    s: &mut String,
    scene: &Scene,
    j: usize,
    path: &[(Point, Point)],
    head: (bool, bool),
    label: Option<Point>,
) {
    if path.len() < 2 {
        return;
    }
    let e = &scene.edges[j];
    let colour = if e.opposes {
        style::EDGE_OPPOSES
    } else {
        style::EDGE
    };
    let mut d = format!(
        "M{} {} C{} {} {} {} {} {}",
        r(path[0].0.x),
        r(path[0].0.y),
        r(path[0].1.x),
        r(path[0].1.y),
        r(path[1].0.x),
        r(path[1].0.y),
        r(path[1].1.x),
        r(path[1].1.y)
    );
    for (a, b) in path.iter().skip(2) {
        let _ = write!(d, " S{} {} {} {}", r(a.x), r(a.y), r(b.x), r(b.y));
    }
    let _ = write!(
        s,
        "<g class=\"edge\"><title>{}</title><a href=\"{}\"><path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" \
         stroke-width=\"1.2\"{}{}{}/>",
        xml(&e.tooltip),
        xml(&e.url),
        if e.hedged { " stroke-dasharray=\"5,4\"" } else { "" },
        if head.0 { " marker-start=\"url(#tail)\"" } else { "" },
        if head.1 { " marker-end=\"url(#head)\"" } else { "" },
    );
    if let Some(p) = label {
        let w = text_width(&e.label, EDGE_FONT) + 6.0;
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"white\" fill-opacity=\"0.85\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"{colour}\">{}</text>",
            r(p.x - w / 2.0),
            r(p.y - 8.0),
            r(w),
            r(15.0),
            r(p.x),
            r(p.y + 3.5),
            EDGE_FONT,
            xml(&e.label)
        );
    }
    s.push_str("</a></g>\n");
}

fn node(s: &mut String, scene: &Scene, i: usize, xy: Point, size: Point) {
    let n = &scene.nodes[i];
    let st = node_style(n.kind);
    let _ = write!(
        s,
        "<g class=\"node\" id=\"node-{}\"><title>{}</title><a href=\"{}\">",
        xml(&n.id),
        xml(&n.tooltip),
        xml(&n.url)
    );
    shape(s, st.shape, st.fill, st.border, xy, size);
    let top = xy.y + size.y / 2.0 - (n.label.len() as f64 - 1.0) * LINE / 2.0;
    for (k, line) in n.label.iter().enumerate() {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text>",
            r(xy.x + size.x / 2.0),
            r(top + k as f64 * LINE),
            xml(line)
        );
    }
    s.push_str("</a></g>\n");
}
