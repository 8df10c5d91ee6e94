//! `coalition build`: checks the facts, then writes the graph files (`graphs/` by default)
//! deterministically, switching to them all-or-nothing (see [`crate::rdf::build::Staged`]).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::diagram::{self, Engine, View};
use crate::model::Model;
use crate::rdf::pieces;
use crate::rdf::{build, Base};
use crate::serve::state::MAX_DIAGRAM_RELATIONS;

/// Check the facts and write the graph (Turtle, N-Quads, TriG, JSON-LD) and its diagram (DOT, SVG).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Folder the graph files are written to.
    #[arg(long, default_value = "graphs")]
    pub out: PathBuf,
    /// Base IRI of entities, sources, statements and quotations (ends in `/` or `#`).
    #[arg(long, default_value = crate::rdf::ns::DEFAULT_BASE)]
    pub base: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let rep = super::global::reporter();
    let cache = super::global::cache(&args.facts);
    let checked = match super::input::load_checked(&args.facts, "built", true)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let warnings = checked.diagnostics.len();
    let texts = checked.texts;
    let model = rep.stage("model", || Model::build(checked.corpus));
    // The default coalition view, drawn with the embedded engine so a machine without Graphviz
    // writes the same bytes. Its layout grows faster than linearly (minutes past a few hundred
    // relations), so a large graph gets a note in the SVG instead, as `serve` does.
    let relations = model.statement_edges().count();
    let drawing = rep.stage("diagram", || -> anyhow::Result<_> {
        let view = View::default();
        let svg = if relations > MAX_DIAGRAM_RELATIONS {
            rep.say(format_args!(
                "coalition.svg not drawn: {relations} relations are too many for the embedded \
                 layout (at most {MAX_DIAGRAM_RELATIONS}); render coalition.dot with Graphviz, \
                 or draw a part with `coalition diagram --focus ID`"
            ));
            too_large_svg(relations)
        } else {
            diagram::svg(&model, &view, Engine::Embedded)?
        };
        Ok([
            ("coalition.dot", diagram::dot(&model, &view)?.into_bytes()),
            ("coalition.svg", svg.into_bytes()),
        ])
    })?;
    let out_error = || format!("writing {}", args.out.display());
    let mut staged = build::Staged::new(&args.out).with_context(out_error)?;
    // Mapping, serializing and writing are streamed source by source (see `rdf::pieces`).
    let quad_count = rep.stage("rdf", || {
        let bar = rep.bar("write", model.corpus.sources.len() as u64);
        pieces::write(&model, &base, &texts, cache.as_ref(), &bar, &mut staged)
    })?;
    let c = &model.corpus;
    let summary = format!(
        "built {} sources, {} entities, {} statements, {} quotations: {quad_count} quads in {} graphs, {warnings} warning{}",
        c.sources.len(),
        c.entities.len(),
        c.statement_count(),
        c.quotation_count(),
        1 + c.sources.len(),
        if warnings == 1 { "" } else { "s" },
    );
    let written = rep
        .stage("write", || -> anyhow::Result<_> {
            for (name, bytes) in &drawing {
                staged.write(name, bytes)?;
            }
            pieces::abort_at("exports");
            Ok(staged.commit()?)
        })
        .with_context(out_error)?;
    if let Some(c) = &cache {
        // Every source was looked at: entries not asked for are of older versions of them.
        let _ = c.sweep(pieces::KIND);
    }
    super::global::report_cache(&rep, cache.as_ref());
    rep.say(summary);
    for path in &written {
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        rep.say(format_args!("  wrote {} ({bytes} bytes)", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The SVG written in place of a diagram too large for the embedded layout.
fn too_large_svg(relations: usize) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"60\">\n  \
         <text x=\"10\" y=\"35\" font-family=\"sans-serif\" font-size=\"14\">{relations} \
         relations: too many to draw here; render coalition.dot with Graphviz.</text>\n</svg>\n"
    )
}
