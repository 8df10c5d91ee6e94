//! Shapes and colours of entity kinds and relations, shared by the Graphviz and embedded
//! renderers so both pictures read the same way. Shape names are Graphviz's
//! (<https://graphviz.org/doc/info/shapes.html>).

use crate::facts::vocab::{EntityKind, Group};

/// How the entities of one family are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeStyle {
    /// Graphviz shape.
    pub shape: Shape,
    /// Fill colour.
    pub fill: &'static str,
    /// Border colour.
    pub border: &'static str,
}

/// Node shapes used by both renderers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Rectangle with rounded corners (advocacy groups).
    Rounded,
    /// Plain rectangle (companies, news organisations).
    Box,
    /// Hexagon (government and police bodies).
    Hexagon,
    /// Ellipse (people).
    Ellipse,
    /// Octagon (places).
    Octagon,
    /// Component box (technologies).
    Component,
    /// Folded-corner note (documents).
    Note,
    /// Double ellipse (communities).
    DoubleEllipse,
}

impl Shape {
    /// Graphviz `shape` value.
    pub fn graphviz(self) -> &'static str {
        match self {
            Shape::Rounded | Shape::Box => "box",
            Shape::Hexagon => "hexagon",
            Shape::Ellipse => "ellipse",
            Shape::Octagon => "octagon",
            Shape::Component => "component",
            Shape::Note => "note",
            Shape::DoubleEllipse => "ellipse",
        }
    }

    /// Graphviz `style` value.
    pub fn graphviz_style(self) -> &'static str {
        match self {
            Shape::Rounded => "rounded,filled",
            _ => "filled",
        }
    }

    /// Graphviz `peripheries` value.
    pub fn peripheries(self) -> u8 {
        if self == Shape::DoubleEllipse {
            2
        } else {
            1
        }
    }
}

/// The drawing style of an entity kind: by family, with government and police bodies, companies
/// and news organisations told apart within the organisations.
pub fn node_style(kind: EntityKind) -> NodeStyle {
    use EntityKind as K;
    let (shape, fill, border) = match (kind.group(), kind) {
        (_, K::AdvocacyGroup | K::Coalition | K::OrganisationUnit) => {
            (Shape::Rounded, "#d8f0d2", "#2e7d32")
        }
        (_, K::Company) => (Shape::Box, "#ffe0b2", "#e65100"),
        (_, K::GovernmentBody | K::LawEnforcementAgency) => (Shape::Hexagon, "#d6dcf5", "#283593"),
        (_, K::NewsAgency) => (Shape::Box, "#eeeeee", "#616161"),
        (Group::Person, _) => (Shape::Ellipse, "#fff6bf", "#9e7c00"),
        (Group::Place, _) => (Shape::Octagon, "#e0f2f1", "#00695c"),
        (Group::Technology, _) => (Shape::Component, "#eddcf5", "#6a1b9a"),
        (Group::Document, _) => (Shape::Note, "#fffbe6", "#8d6e00"),
        (Group::Community, _) => (Shape::DoubleEllipse, "#ffd9dc", "#b71c1c"),
        (Group::Organisation, _) => (Shape::Box, "#eeeeee", "#616161"),
    };
    NodeStyle {
        shape,
        fill,
        border,
    }
}

/// Background and border of the signatories' group.
pub const SIGNATORY_BAND: (&str, &str) = ("#f1f8ee", "#2e7d32");
/// Background and border of the addressees-and-targets group.
pub const TARGET_BAND: (&str, &str) = ("#fdf0ee", "#b71c1c");
/// Colour of ordinary relations.
pub const EDGE: &str = "#4a4a4a";
/// Colour of relations where the subject opposes the object.
pub const EDGE_OPPOSES: &str = "#c62828";
/// Font for every label.
pub const FONT: &str = "Helvetica";
