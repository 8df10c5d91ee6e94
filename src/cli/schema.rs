//! `coalition schema`: prints the JSON Schema of the fact-file format.

use std::process::ExitCode;

/// Print the JSON Schema of the fact-file format (for YAML language servers).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> anyhow::Result<ExitCode> {
    out!("{}", crate::facts::json_schema());
    Ok(ExitCode::SUCCESS)
}
