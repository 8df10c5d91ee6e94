//! The command line: one small file per command, on top of the pipeline modules. Exit codes:
//! 0 success, 1 invalid data, 2 usage or I/O error.

mod build;
mod check;
mod diagram;
mod query;
mod schema;
mod serve;
mod synth;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for invalid data.
pub const EXIT_INVALID: u8 = 1;
/// Exit code for a usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Turn quote-backed facts about news articles into a knowledge graph of an advocacy campaign.
#[derive(Debug, Parser)]
#[command(name = "coalition", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::Args),
    Check(check::Args),
    Diagram(diagram::Args),
    Query(query::Args),
    Schema(schema::Args),
    Serve(serve::Args),
    Synth(synth::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Diagram(a) => diagram::run(a),
        Command::Query(a) => query::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Synth(a) => synth::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
