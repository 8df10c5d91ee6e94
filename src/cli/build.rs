//! `coalition build`: checks the facts, then writes the graph files (`graphs/` by default)
//! atomically and deterministically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::diagram::{self, Engine, View};
use crate::facts::{self, diagnostic};
use crate::model::Model;
use crate::rdf::{build, Base};

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

/// The model of the facts in `dir`, or the exit code when they do not pass the checker (the
/// diagnostics are printed on stderr as `check` prints them, then `not {verb}: …`). Warnings are printed and counted.
pub(super) fn checked_model(
    dir: &Path,
    verb: &str,
) -> anyhow::Result<Result<(Model, usize), ExitCode>> {
    let checked = facts::check(dir)?;
    let diags = &checked.diagnostics;
    eprint!(
        "{}",
        diagnostic::render(diags, |p| checked.texts.get(p).cloned())
    );
    if checked.has_errors() {
        eprintln!("not {verb}: {}", diagnostic::summary(diags));
        return Ok(Err(ExitCode::from(super::EXIT_INVALID)));
    }
    let warnings = diags.len();
    Ok(Ok((Model::build(checked.corpus), warnings)))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    let (model, warnings) = match checked_model(&args.facts, "built")? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let mut outputs = build::outputs(&model, &base)?;
    // The default coalition view, drawn with the embedded engine so a machine without Graphviz
    // writes the same bytes.
    let view = View::default();
    outputs.files.push((
        "coalition.dot".into(),
        diagram::dot(&model, &view)?.into_bytes(),
    ));
    outputs.files.push((
        "coalition.svg".into(),
        diagram::svg(&model, &view, Engine::Embedded)?.into_bytes(),
    ));
    let written = build::write_atomically(&args.out, &outputs.files)
        .with_context(|| format!("writing {}", args.out.display()))?;
    let c = &model.corpus;
    let graphs = 1 + c.sources.len();
    eprintln!(
        "built {} sources, {} entities, {} statements, {} quotations: {} quads in {graphs} graphs, {warnings} warning{}",
        c.sources.len(),
        c.entities.len(),
        c.statement_count(),
        c.quotation_count(),
        outputs.quads.len(),
        if warnings == 1 { "" } else { "s" },
    );
    for (path, (_, bytes)) in written.iter().zip(&outputs.files) {
        eprintln!("  wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}
