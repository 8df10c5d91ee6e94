//! The `coalition` binary: everything lives in the library; this only maps errors to exit codes.

// glibc's allocator spent a third of a large build in malloc and free (millions of small terms);
// mimalloc halves that. The limits in `examples/scale_limit.rs` use the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    coalition::cli::main()
}
