//! `coalition export`: writes the graph for Gephi, yEd, Cytoscape, Kumu or a spreadsheet.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::export;
use crate::facts::{self, diagnostic};
use crate::model::Model;

/// Output formats. Each maps to one function in the `match` of [`run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GraphML, for Gephi, yEd, Cytoscape and networkx.
    Graphml,
    /// GEXF 1.3, Gephi's own format (colours by entity group).
    Gexf,
    /// nodes.csv, edges.csv and claims.csv in the folder given with -o.
    Csv,
    /// Kumu JSON blueprint.
    Kumu,
    /// Cytoscape.js JSON (also Cytoscape desktop's .cyjs).
    Cytoscape,
}

/// Export the graph of entities and statements for other tools.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
    /// Output file (a folder for csv); standard output when omitted.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.format == Format::Csv && args.output.is_none() {
        bail!("--format csv writes several files: give the output folder with -o DIR");
    }
    let checked = facts::check(&args.facts)?;
    if !checked.diagnostics.is_empty() {
        eprint!(
            "{}",
            diagnostic::render(&checked.diagnostics, |p| checked.texts.get(p).cloned())
        );
    }
    if checked.has_errors() {
        eprintln!(
            "error: nothing exported: {}",
            diagnostic::summary(&checked.diagnostics)
        );
        return Ok(ExitCode::from(super::EXIT_INVALID));
    }
    let model = Model::build(checked.corpus);
    let text = match args.format {
        Format::Graphml => export::graphml::to_string(&model),
        Format::Gexf => export::gexf::to_string(&model),
        Format::Kumu => export::kumu::to_string(&model),
        Format::Cytoscape => export::cytoscape::to_string(&model),
        Format::Csv => {
            // Checked above: csv always has an output folder.
            let dir = args.output.unwrap_or_default();
            let written = export::csv::write_dir(&model, &dir)?;
            for p in written {
                eprintln!("wrote {}", p.display());
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
