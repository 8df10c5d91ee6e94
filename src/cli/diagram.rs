//! `coalition diagram`: draws the coalition and its targets, or the neighbourhood of one entity,
//! as DOT or SVG.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::input::Input;
use crate::diagram::{self, Engine, View};

/// Output format.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT text.
    Dot,
    /// SVG picture.
    Svg,
}

/// Which renderer draws SVG.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum EngineArg {
    /// Pure-Rust layout, needs nothing installed.
    Embedded,
    /// Graphviz `dot`.
    Graphviz,
    /// Graphviz when `dot` is installed, else embedded.
    Auto,
}

/// Draw the coalition diagram (signatories, letter, addressees and targets) as DOT or SVG.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Show the neighbourhood of this entity id only.
    #[arg(long)]
    pub focus: Option<String>,
    /// Neighbourhood radius around --focus.
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Keep only these relations (predicate slugs, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub relations: Vec<String>,
    /// Keep only entities of these kinds (kind slugs, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Keep only this source's claims.
    #[arg(long)]
    pub source: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    pub format: Format,
    /// SVG renderer.
    #[arg(long, value_enum, default_value_t = EngineArg::Embedded)]
    pub engine: EngineArg,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let view = View {
        focus: args.focus.clone(),
        depth: args.depth,
        relations: (!args.relations.is_empty())
            .then(|| View::parse_relations(&args.relations))
            .transpose()?,
        kinds: (!args.kinds.is_empty())
            .then(|| View::parse_kinds(&args.kinds))
            .transpose()?,
        source: args.source.clone(),
    };
    let model = match args.input.model()? {
        Ok(m) => m,
        Err(code) => return Ok(code),
    };
    let engine = match args.engine {
        EngineArg::Embedded => Engine::Embedded,
        EngineArg::Graphviz => Engine::Graphviz,
        EngineArg::Auto => Engine::Auto,
    };
    let text = match args.format {
        Format::Dot => diagram::dot(&model, &view)?,
        Format::Svg => diagram::svg(&model, &view, engine)?,
    };
    match &args.output {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => out!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
