//! Coalition diagrams: the signatories of a letter set against its addressees and targets, as
//! Graphviz DOT (<https://graphviz.org/doc/info/lang.html>) and as SVG, PNG or PDF, drawn either
//! by the embedded layout (legible on a report page, see [`drawing::Legibility`]) or by Graphviz.
//!
//! Pipeline: [`View`] → [`scene::Scene`] (what to show) → [`dot`] or [`embedded::draw`] (a
//! [`drawing::Drawing`]) → SVG → [`raster`] PNG and PDF. Every node and edge carries a tooltip
//! with its evidence and a link (`/entity/{id}`) for the web explorer.

mod dot;
pub mod drawing;
pub mod embedded;
pub mod error;
pub mod escape;
pub mod graphviz;
pub mod layered;
mod legend;
pub mod quality;
pub mod raster;
mod route;
pub mod scene;
pub mod style;
mod svgdraw;
pub mod text;
pub mod ui;

pub use error::DiagramError;
pub use scene::View;

use crate::model::Model;

/// Most relations the embedded layout draws; a larger view is an error that says to focus, since
/// its picture would not be legible on a page (and its layout would take long).
pub const MAX_DIAGRAM_RELATIONS: usize = 100;

/// Which renderer draws the SVG (the embedded layered layout is deterministic). The variants'
/// lines are `coalition diagram --engine`'s help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Engine {
    /// Pure-Rust layout, needs nothing installed.
    #[default]
    Embedded,
    /// Graphviz `dot`.
    Graphviz,
    /// Graphviz when `dot` is installed, else embedded.
    Auto,
}

/// The DOT text of `view`.
pub fn dot(model: &Model, view: &View) -> Result<String, DiagramError> {
    Ok(dot::write(&scene::Scene::build(model, view)?))
}

/// The embedded layout of `view`, checked to read on a page.
pub fn drawing(model: &Model, view: &View) -> Result<drawing::Drawing, DiagramError> {
    let scene = scene::Scene::build(model, view)?;
    legible(embedded::draw(&scene)?)
}

fn legible(d: drawing::Drawing) -> Result<drawing::Drawing, DiagramError> {
    let l = d.legibility();
    if l.min_text_at_page < drawing::MIN_TEXT_PX {
        return Err(DiagramError::TooLarge {
            what: format!(
                "a drawing {:.0} px wide (its smallest text would be {:.1} px at {} px)",
                l.width,
                l.min_text_at_page,
                drawing::PAGE_WIDTH
            ),
        });
    }
    Ok(d)
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
        let d = legible(embedded::draw(&scene)?)?;
        Ok(svgdraw::write(&scene, &d))
    }
}
