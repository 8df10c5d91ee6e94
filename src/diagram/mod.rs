//! Coalition diagrams: the signatories of a letter set against its addressees and targets, as
//! Graphviz DOT (<https://graphviz.org/doc/info/lang.html>) and as SVG, drawn either by the
//! embedded pure-Rust layout or by Graphviz `dot`.
//!
//! Pipeline: [`View`] → [`scene::Scene`] (what to show) → [`dot`] or [`svg`]. Every node and edge
//! carries a tooltip with its evidence and a link (`/entity/{id}`) for the web explorer.

mod dot;
pub mod embedded;
pub mod error;
pub mod escape;
pub mod graphviz;
pub mod scene;
pub mod style;
mod svgdraw;

pub use error::DiagramError;
pub use scene::View;

use crate::model::Model;

/// Which renderer draws the SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Engine {
    /// The pure-Rust layout (layout-rs); deterministic, needs nothing installed.
    #[default]
    Embedded,
    /// Graphviz `dot -Tsvg`.
    Graphviz,
    /// Graphviz when `dot` is on the PATH, else embedded.
    Auto,
}

/// The DOT text of `view`.
pub fn dot(model: &Model, view: &View) -> Result<String, DiagramError> {
    Ok(dot::write(&scene::Scene::build(model, view)?))
}

/// The SVG picture of `view`, drawn by `engine`.
pub fn svg(model: &Model, view: &View, engine: Engine) -> Result<String, DiagramError> {
    let scene = scene::Scene::build(model, view)?;
    let use_graphviz = match engine {
        Engine::Embedded => false,
        Engine::Graphviz => true,
        Engine::Auto => graphviz::available(),
    };
    if use_graphviz {
        graphviz::render(&dot::write(&scene))
    } else {
        embedded::render(&scene)
    }
}
