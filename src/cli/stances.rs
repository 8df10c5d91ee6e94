//! `coalition stances`: actor × concept and actor × actor (congruence, conflict) networks built
//! from the statements' `stance`, as CSV edge lists or GraphML.

use std::process::ExitCode;

use crate::analysis::export::{to_csv, to_graphml};
use crate::analysis::stances::{network, NetworkKind, Normalization};

use super::input::Input;

/// Output formats of `stances`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Edge list.
    Csv,
    /// GraphML document (nodes with attributes, undirected weighted edges).
    Graphml,
}

/// Stance networks: who takes which stance on what, who agrees and who disagrees.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: Input,
    /// Which network.
    #[arg(long, value_enum, default_value_t = NetworkKind::Congruence)]
    pub network: NetworkKind,
    /// Edge weight scaling (congruence and conflict only).
    #[arg(long, value_enum, default_value_t = Normalization::None)]
    pub normalize: Normalization,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let model = args.input.model()?;
    let net = network(&model, args.network, args.normalize)?;
    out!(
        "{}",
        match args.format {
            Format::Csv => to_csv(&net),
            Format::Graphml => to_graphml(&net),
        }
    );
    Ok(ExitCode::SUCCESS)
}
