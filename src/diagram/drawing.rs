//! A laid-out diagram before it becomes SVG (<https://www.w3.org/TR/SVG11/>): every box, path
//! and piece of text with its place, so the legibility and layout-quality figures are computed
//! from the same geometry that is drawn.

use super::layered::Pt;
use super::style::Shape;

/// Width of a report page in px (A4 at 150 dpi), the width legibility is judged at.
pub const PAGE_WIDTH: f64 = 1240.0;
/// Smallest readable text on that page, px.
pub const MIN_TEXT_PX: f64 = 8.0;
/// The tallest shape that fits a page (height / width).
pub const MAX_TALL: f64 = 1.6;
/// The widest shape that fits a page (width / height).
pub const MAX_WIDE: f64 = 2.0;

/// An axis-aligned rectangle, px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The rectangle of size (w, h) centred on `c`.
    pub fn around(c: Pt, w: f64, h: f64) -> Rect {
        Rect {
            x: c.x - w / 2.0,
            y: c.y - h / 2.0,
            w,
            h,
        }
    }
    /// Its centre.
    pub fn center(&self) -> Pt {
        Pt::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    /// Grown by `d` on every side.
    pub fn grow(&self, d: f64) -> Rect {
        Rect {
            x: self.x - d,
            y: self.y - d,
            w: self.w + 2.0 * d,
            h: self.h + 2.0 * d,
        }
    }
    /// Area shared with `o`.
    pub fn overlap(&self, o: &Rect) -> f64 {
        let w = (self.x + self.w).min(o.x + o.w) - self.x.max(o.x);
        let h = (self.y + self.h).min(o.y + o.h) - self.y.max(o.y);
        if w > 0.0 && h > 0.0 {
            w * h
        } else {
            0.0
        }
    }
    /// Whether `o` lies inside.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - 0.01
            && o.y >= self.y - 0.01
            && o.x + o.w <= self.x + self.w + 0.01
            && o.y + o.h <= self.y + self.h + 0.01
    }
    /// Moved by (dx, dy).
    pub fn shift(&self, dx: f64, dy: f64) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }
}

/// A line of text: its box, size and weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The text.
    pub text: String,
    /// Its box (the anchor is the box's centre line for centred text, else its left).
    pub rect: Rect,
    /// Font size, px.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Centred on the box (else starts at its left).
    pub centred: bool,
}

/// An entity drawn as a shape.
#[derive(Clone, Debug)]
pub struct NodeBox {
    /// Index into the scene's nodes.
    pub node: usize,
    /// Its shape's box.
    pub rect: Rect,
    /// Shape.
    pub shape: Shape,
    /// Label lines.
    pub lines: Vec<Text>,
    /// Extra hover text (relations inside a block, self-relations).
    pub extra_tooltip: Vec<String>,
}

/// A group drawn as one block: a coalition and its named members, or a letter's signatories.
#[derive(Clone, Debug)]
pub struct Block {
    /// Its box.
    pub rect: Rect,
    /// The coalition heading the block, if any (index into the scene's nodes).
    pub head: Option<usize>,
    /// Caption lines (the coalition's name and count, or "Signatories of …").
    pub caption: Vec<Text>,
    /// Hover text.
    pub tooltip: String,
}

/// One drawn relation: one or several scene edges between the same two places.
#[derive(Clone, Debug)]
pub struct Link {
    /// Indices into the scene's edges.
    pub edges: Vec<usize>,
    /// Points the curve passes through, from the subject's border to the object's.
    pub points: Vec<Pt>,
    /// Its label.
    pub label: Option<Text>,
    /// Dashed (attributed or inferred).
    pub hedged: bool,
    /// Red (opposition).
    pub opposes: bool,
}

/// An entry of the legend.
#[derive(Clone, Debug)]
pub enum Swatch {
    /// A node shape with its colours.
    Shape(Shape, &'static str, &'static str),
    /// The signatories' block.
    Block,
    /// A relation line: dashed, colour.
    Line(bool, &'static str),
}

/// The legend, as placed swatches and texts.
#[derive(Clone, Debug, Default)]
pub struct Legend {
    /// Its frame.
    pub rect: Rect,
    /// Caption.
    pub caption: Option<Text>,
    /// Swatch box, kind, its text and hover text.
    pub entries: Vec<(Rect, Swatch, Text, String)>,
}

/// The whole picture.
#[derive(Clone, Debug, Default)]
pub struct Drawing {
    /// Width, px.
    pub width: f64,
    /// Height, px.
    pub height: f64,
    /// Title and source lines.
    pub heading: Vec<Text>,
    /// Blocks (drawn first).
    pub blocks: Vec<Block>,
    /// Relations.
    pub links: Vec<Link>,
    /// Entities.
    pub nodes: Vec<NodeBox>,
    /// Legend.
    pub legend: Legend,
}

/// How well a drawing reads on a page.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Legibility {
    /// Picture width, px.
    pub width: f64,
    /// Picture height, px.
    pub height: f64,
    /// Smallest font size drawn, px.
    pub min_font: f64,
    /// Smallest text once the picture is scaled to [`PAGE_WIDTH`], px.
    pub min_text_at_page: f64,
    /// Width / height.
    pub aspect: f64,
    /// Pairs of labels (edge labels, node shapes, captions) that overlap.
    pub overlaps: usize,
}

impl Legibility {
    /// Whether the picture meets the page rules.
    pub fn fits_page(&self) -> bool {
        self.min_text_at_page >= MIN_TEXT_PX
            && self.aspect <= MAX_WIDE
            && self.aspect >= 1.0 / MAX_TALL
            && self.overlaps == 0
    }
}

impl Drawing {
    /// Every text drawn.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.heading
            .iter()
            .chain(self.blocks.iter().flat_map(|b| &b.caption))
            .chain(self.nodes.iter().flat_map(|n| &n.lines))
            .chain(self.links.iter().filter_map(|l| l.label.as_ref()))
            .chain(self.legend.caption.iter())
            .chain(self.legend.entries.iter().map(|e| &e.2))
    }

    /// Boxes that must not overlap: node shapes, block captions, edge labels, heading lines and
    /// the legend. A node inside its block does not count against the block.
    pub fn label_boxes(&self) -> Vec<Rect> {
        let mut out: Vec<Rect> = self.nodes.iter().map(|n| n.rect).collect();
        out.extend(
            self.blocks
                .iter()
                .flat_map(|b| b.caption.iter().map(|t| t.rect)),
        );
        out.extend(
            self.links
                .iter()
                .filter_map(|l| l.label.as_ref().map(|t| t.rect)),
        );
        out.extend(self.heading.iter().map(|t| t.rect));
        if self.legend.rect.w > 0.0 {
            out.push(self.legend.rect);
        }
        out
    }

    /// The legibility figures of this drawing.
    pub fn legibility(&self) -> Legibility {
        let min_font = self.texts().map(|t| t.size).fold(f64::MAX, f64::min);
        let min_font = if min_font == f64::MAX { 0.0 } else { min_font };
        let boxes = self.label_boxes();
        let mut overlaps = count_overlaps(&boxes);
        let blocks: Vec<Rect> = self.blocks.iter().map(|b| b.rect).collect();
        overlaps += count_overlaps(&blocks);
        for b in &blocks {
            // Inside a block only its members and caption may be.
            overlaps += boxes
                .iter()
                .filter(|r| b.overlap(r) > 0.5 && !b.contains(r))
                .count();
            overlaps += self
                .links
                .iter()
                .filter_map(|l| l.label.as_ref())
                .filter(|t| b.contains(&t.rect))
                .count();
        }
        Legibility {
            width: self.width,
            height: self.height,
            min_font,
            min_text_at_page: min_font * PAGE_WIDTH / self.width.max(1.0),
            aspect: self.width / self.height.max(1.0),
            overlaps,
        }
    }
}

/// Pairs of rectangles sharing more than half a px².
pub fn count_overlaps(boxes: &[Rect]) -> usize {
    let mut n = 0;
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            if boxes[i].overlap(&boxes[j]) > 0.5 {
                n += 1;
            }
        }
    }
    n
}
