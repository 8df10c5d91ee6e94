//! `coalition diagram`: draws the coalition and its targets, or the neighbourhood of one entity,
//! as DOT, SVG, PNG or PDF.

use std::path::PathBuf;
use std::process::ExitCode;

use super::input::Input;
use crate::diagram::{self, Engine, View};

/// Output format.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT text.
    Dot,
    /// SVG picture.
    Svg,
    /// PNG image at 2× (for slides), from the SVG.
    Png,
    /// Vector PDF with searchable text, from the SVG.
    Pdf,
}

/// Draw the coalition diagram (signatories, letter, addressees and targets) as DOT, SVG, PNG or PDF.
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
    #[arg(long, value_enum, default_value_t = Engine::Embedded)]
    pub engine: Engine,
    /// Language of headings and legend, and of curated labels where they exist (en, fr).
    #[arg(long, default_value = "en")]
    pub lang: String,
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
        lang: args.lang.clone(),
    };
    let model = args.input.model()?;
    let bytes = match args.format {
        Format::Dot => diagram::dot(&model, &view)?.into_bytes(),
        Format::Svg => diagram::svg(&model, &view, args.engine)?.into_bytes(),
        Format::Png => diagram::raster::png(&diagram::svg(&model, &view, args.engine)?)?,
        Format::Pdf => diagram::raster::pdf(&diagram::svg(&model, &view, args.engine)?)?,
    };
    super::write_output(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
