//! `coalition build`: checks the facts, then writes the graph files (`graphs/` by default)
//! atomically and deterministically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::cache::{quads, Cache};
use crate::diagram::{self, DiagramError, Engine, View};
use crate::facts::{self, diagnostic, Checked};
use crate::model::Model;
use crate::progress::Reporter;
use crate::rdf::{build, Base};

/// Check the facts and write the graph (Turtle, N-Quads, TriG, JSON-LD) and its diagram (DOT, SVG, PNG).
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

/// The model of the facts in `dir`, or the exit code when they do not pass the checker (the
/// diagnostics are printed on stderr as `check` prints them, then `not {verb}: …`). Warnings are printed and counted.
pub(super) fn checked_model(
    dir: &Path,
    verb: &str,
) -> anyhow::Result<Result<(Model, usize), ExitCode>> {
    let rep = super::global::reporter();
    let cache = super::global::cache(dir);
    Ok(
        checked(dir, verb, &rep, cache.as_ref())?.map(|(c, warnings)| {
            let model = rep.stage("model", || Model::build(c.corpus));
            (model, warnings)
        }),
    )
}

/// The checked facts (the parses of unchanged files come from `cache`) and their warning count,
/// or the exit code when they do not pass, as for [`checked_model`].
fn checked(
    dir: &Path,
    verb: &str,
    rep: &Reporter,
    cache: Option<&Cache>,
) -> anyhow::Result<Result<(Checked, usize), ExitCode>> {
    let checked = facts::check_with(dir, cache, rep)?;
    let diags = &checked.diagnostics;
    eprint!(
        "{}",
        diagnostic::render(diags, |p| checked.texts.get(p).cloned())
    );
    if checked.has_errors() {
        eprintln!("not {verb}: {}", diagnostic::summary(diags));
        return Ok(Err(ExitCode::from(super::EXIT_INVALID)));
    }
    let warnings = checked.diagnostics.len();
    Ok(Ok((checked, warnings)))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let rep = super::global::reporter();
    let cache = super::global::cache(&args.facts);
    let (checked, warnings) = match checked(&args.facts, "built", &rep, cache.as_ref())? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let texts = checked.texts;
    let model = rep.stage("model", || Model::build(checked.corpus));
    // The default coalition view, drawn with the embedded engine so a machine without Graphviz
    // writes the same bytes. Its layout grows faster than linearly (minutes past a few hundred
    // relations), so a large graph gets a note in the SVG instead, as `serve` does.
    let drawing = rep.stage("diagram", || -> anyhow::Result<_> {
        let view = View::default();
        let mut files = vec![("coalition.dot", diagram::dot(&model, &view)?.into_bytes())];
        match diagram::svg(&model, &view, Engine::Embedded) {
            Ok(svg) => {
                // No PDF here: svg2pdf 0.13 orders page resources by hash, so its bytes change
                // from run to run and graphs/ must be reproducible (`diagram --format pdf`).
                files.push(("coalition.png", diagram::raster::png(&svg)?));
                files.push(("coalition.svg", svg.into_bytes()));
            }
            Err(e @ DiagramError::TooLarge { .. }) => {
                rep.say(format_args!("coalition.svg not drawn: {e}"));
                files.push(("coalition.svg", too_large_svg(&e.to_string()).into_bytes()));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(files)
    })?;
    let out_error = || format!("writing {}", args.out.display());
    let mut staged = build::Staged::new(&args.out).with_context(out_error)?;
    // Mapping, serializing and writing are streamed source by source (see `cache::quads`).
    let quad_count = rep.stage("rdf", || {
        let bar = rep.bar("write", model.corpus.sources.len() as u64);
        quads::write(&model, &base, &texts, cache.as_ref(), &bar, &mut staged)
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
            quads::abort_at("exports");
            Ok(staged.commit()?)
        })
        .with_context(out_error)?;
    if let Some(c) = &cache {
        // Every source was looked at: entries not asked for are of older versions of them.
        let _ = c.sweep(quads::KIND);
    }
    super::global::report_cache(&rep, cache.as_ref());
    rep.say(summary);
    for path in &written {
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        rep.say(format_args!("  wrote {} ({bytes} bytes)", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The SVG written in place of a diagram too large to read on a page.
fn too_large_svg(why: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1240\" height=\"60\">\n  \
         <text x=\"10\" y=\"35\" font-family=\"sans-serif\" font-size=\"12\">{}</text>\n</svg>\n",
        diagram::escape::xml(why)
    )
}
