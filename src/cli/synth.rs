//! `coalition synth`: writes a deterministic synthetic corpus for benchmarks and scale tests.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::synth::{self, Config};

/// Generate a synthetic corpus (same format as seeds/) for benchmarks.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of sources to generate.
    #[arg(long)]
    pub sources: usize,
    /// Seed of the generator (same seed, same corpus).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (created).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (sources, statements) = synth::write(&Config::new(args.sources, args.seed), &args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {sources} sources, {statements} statements to {}",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
