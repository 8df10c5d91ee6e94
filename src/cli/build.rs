//! `coalition build`: checks the facts, then writes the graph files (`graphs/` by default)
//! deterministically, switching to them all-or-nothing (see [`crate::rdf::build::Staged`]).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::diagram::{self, DiagramError, Engine, View};
use crate::model::Model;
use crate::rdf::pieces;
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
    /// Named query answered once the store is up to date (repeatable; `--answer ''` for none),
    /// so that the first `coalition query NAME` after the build reads its answer (CSV or table)
    /// instead of evaluating it. Looked up in `queries/`, then among the built-in ones.
    #[cfg(feature = "persistent")]
    #[arg(long = "answer", value_name = "NAME", default_values = KEPT_AHEAD)]
    pub answers: Vec<String>,
}

/// The named queries answered ahead by default: the cheap ones on a large store (see
/// docs/DECISIONS.md, "Answers kept ahead by build").
#[cfg(feature = "persistent")]
const KEPT_AHEAD: [&str; 1] = ["who-signed"];

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let rep = super::global::reporter();
    let cache = super::global::cache(&args.facts);
    #[cfg(feature = "persistent")]
    let started = crate::cache::stat::now();
    #[cfg(feature = "persistent")]
    let ahead = resolve_ahead(&args.answers)?;
    // The incremental check's index, so that `query` after an edit reads only the changed
    // files; its parses are cached for the full check below.
    #[cfg(feature = "persistent")]
    if let Some(cache) = &cache {
        let silent = crate::progress::Reporter::silent();
        let _ = rep.stage("index", || {
            crate::facts::incremental::check(&args.facts, cache, &silent)
        });
    }
    let checked = super::input::load_checked(&args.facts, "built", true)?;
    let warnings = checked.diagnostics.len();
    let texts = checked.texts;
    let model = rep.stage("model", || Model::build(checked.corpus));
    let drawing = rep.stage("diagram", || draw(&model))?;
    let out_error = || format!("writing {}", args.out.display());
    let mut staged = build::Staged::new(&args.out).with_context(out_error)?;
    // Mapping, serializing and writing are streamed source by source (see `rdf::pieces`).
    let quad_count = rep.stage("rdf", || {
        let bar = rep.bar("write", model.source_count() as u64);
        pieces::write(&model, &base, &texts, cache.as_ref(), &bar, &mut staged)
    })?;
    let m = &model;
    let summary = format!(
        "built {} sources, {} entities, {} statements, {} quotations: {quad_count} quads in {} graphs, {warnings} warning{}",
        m.source_count(),
        m.entity_count(),
        m.statement_count(),
        m.quotation_count(),
        1 + m.source_count(),
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
    #[cfg(feature = "persistent")]
    if let Some(c) = &cache {
        keep_store(c, &args.facts, &ahead, (&model, &texts), &base, started)?;
    }
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

/// The default coalition view, drawn with the embedded engine so a machine without Graphviz
/// writes the same bytes. Its layout grows faster than linearly (minutes past a few hundred
/// relations), so a large graph gets a note in the SVG instead, as `serve` does.
fn draw(model: &Model) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    let view = View::default();
    let mut files = vec![("coalition.dot", diagram::dot(model, &view)?.into_bytes())];
    match diagram::svg(model, &view, Engine::Embedded) {
        Ok(svg) => {
            // No PDF here: svg2pdf 0.13 orders page resources by hash, so its bytes change
            // from run to run and graphs/ must be reproducible (`diagram --format pdf`).
            files.push(("coalition.png", diagram::raster::png(&svg)?));
            files.push(("coalition.svg", svg.into_bytes()));
        }
        Err(e @ DiagramError::TooLarge { .. }) => {
            super::global::reporter().say(format_args!("coalition.svg not drawn: {e}"));
            files.push(("coalition.svg", too_large_svg(&e.to_string()).into_bytes()));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(files)
}

/// The text of each named query to answer ahead; an unknown name is a usage error, found before
/// the work starts.
#[cfg(feature = "persistent")]
fn resolve_ahead(names: &[String]) -> anyhow::Result<Vec<(&str, String)>> {
    let dir = std::path::Path::new("queries");
    names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| Ok((n.as_str(), crate::rdf::query::resolve(n, dir)?)))
        .collect()
}

/// Brings the persistent store `query` answers from in step with the model (see
/// [`crate::rdf::persist`]).
#[cfg(feature = "persistent")]
fn keep_store(
    cache: &crate::cache::Cache,
    facts: &std::path::Path,
    ahead: &[(&str, String)],
    (model, texts): (&Model, &std::collections::HashMap<PathBuf, String>),
    base: &Base,
    started: i64,
) -> anyhow::Result<()> {
    use crate::rdf::persist::{self, Persisted};
    let rep = super::global::reporter();
    let p = Persisted::new(cache, base);
    let (store, changes) = rep.stage("store", || {
        persist::update(&p, cache, facts, model, texts, base, started)
    })?;
    rep.detail(format_args!("store {}: {changes}", p.dir().display()));
    if let Some(answers) = p.answers() {
        rep.stage("answers", || {
            for (name, text) in ahead {
                answer_ahead(&answers, cache, &store, (name, text), base);
            }
        });
    }
    Ok(())
}

/// Answers the named query `name` (`text`) on `store` and keeps its answer, as CSV and as a
/// table (the formats `query` writes by default). A failure is reported and leaves the build as it is: the
/// answer is then evaluated when asked.
#[cfg(feature = "persistent")]
fn answer_ahead(
    answers: &crate::rdf::persist::Answers,
    cache: &crate::cache::Cache,
    store: &oxigraph::store::Store,
    (name, text): (&str, &str),
    base: &Base,
) {
    use crate::rdf::query::ResultsFormat;
    let rep = super::global::reporter();
    let formats = [ResultsFormat::Csv, ResultsFormat::Table];
    // The engine can panic on some queries (ORDER BY over mixed types): never fail the build.
    let ran = crate::serve::guard::catch(|| answers.keep_to(cache, store, text, &formats, base));
    match ran {
        Ok(Ok(Some(rows))) => rep.detail(format_args!("answer to {name} kept ({rows} rows)")),
        Ok(Ok(None)) => rep.detail(format_args!("{name}: only a SELECT query's answer is kept")),
        Ok(Err(e)) => eprintln!("warning: {name} not answered ahead: {e:#}"),
        Err(message) => eprintln!("warning: {name} not answered ahead: {message}"),
    }
}

/// The SVG written in place of a diagram too large to read on a page.
fn too_large_svg(why: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1240\" height=\"60\">\n  \
         <text x=\"10\" y=\"35\" font-family=\"sans-serif\" font-size=\"12\">{}</text>\n</svg>\n",
        diagram::escape::xml(why)
    )
}
