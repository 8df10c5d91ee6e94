//! The `coalition` binary: everything lives in the library; this only maps errors to exit codes.

fn main() -> std::process::ExitCode {
    coalition::cli::main()
}
