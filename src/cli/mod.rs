//! The command line: one small file per command, on top of the pipeline modules. Exit codes:
//! 0 success, 1 invalid data, 2 usage or I/O error. A closed output pipe (`coalition … | head`)
//! ends a command quietly with 0, as in ripgrep.

/// `print!` that returns the write error (with `?`) instead of panicking on a closed pipe.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($t)*)?
    }};
}

/// `println!` that returns the write error (with `?`) instead of panicking on a closed pipe.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*)?
    }};
}

mod analyze;
mod bench;
mod build;
mod check;
mod conflicts;
mod coverage;
mod diagram;
mod diff;
mod explain;
mod export;
mod global;
mod input;
mod lsp;
mod new;
mod push;
mod query;
mod schema;
mod serve;
mod stances;
mod synth;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

/// Exit code for invalid data.
pub const EXIT_INVALID: u8 = 1;
/// Exit code for a usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Turn quote-backed facts about news articles into a knowledge graph of an advocacy campaign.
#[derive(Debug, Parser)]
#[command(name = "coalition", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: global::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(name = "bench-queries", hide = true)]
    BenchQueries(bench::Args),
    Analyze(analyze::Args),
    Check(check::Args),
    Coverage(coverage::Args),
    Diff(diff::Args),
    New(new::Args),
    Export(export::Args),
    Diagram(diagram::Args),
    Build(build::Args),
    Push(push::Args),
    Query(query::Args),
    Schema(schema::Args),
    Serve(serve::Args),
    Synth(synth::Args),
    Conflicts(conflicts::Args),
    Explain(explain::Args),
    Stances(stances::Args),
    Lsp(lsp::Args),
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
    global::set(cli.global);
    let result = match cli.command {
        Command::BenchQueries(a) => bench::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Check(a) => check::run(a),
        Command::Coverage(a) => coverage::run(a),
        Command::Diff(a) => diff::run(a),
        Command::New(a) => new::run(a),
        Command::Export(a) => export::run(a),
        Command::Diagram(a) => diagram::run(a),
        Command::Build(a) => build::run(a),
        Command::Push(a) => push::run(a),
        Command::Query(a) => query::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Conflicts(a) => conflicts::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Stances(a) => stances::run(a),
        Command::Lsp(a) => lsp::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.is::<input::Invalid>() => ExitCode::from(EXIT_INVALID),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Writes `bytes` to the file `output`, or to standard output when there is none.
fn write_output(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(path) = output else {
        let mut out = std::io::stdout().lock();
        let written = out.write_all(bytes).and_then(|()| out.flush());
        return written.context("cannot write to standard output");
    };
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
