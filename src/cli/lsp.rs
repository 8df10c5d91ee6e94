//! `coalition lsp`: the language server for the fact files, on stdin/stdout (see `docs/EDITORS.md`).

use std::process::ExitCode;

/// Run the language server for the fact files over stdio (started by an editor).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    crate::lsp::run_stdio()?;
    Ok(ExitCode::SUCCESS)
}
