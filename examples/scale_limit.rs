//! The limits `benches/scale.sh` compares `coalition build` with: the two steps no
//! implementation of it can skip, each measured alone.
//!
//! * `scale_limit yaml DIR`: parse every `*.yaml` under DIR with `serde_yaml` (into a generic
//!   value, no checking), one thread per core, as `coalition check` parses.
//! * `scale_limit load FILE.nq`: bulk-load an N-Quads file (<https://www.w3.org/TR/n-quads/>)
//!   into an in-memory Oxigraph store.
//!
//! Each prints `limit: <what> <seconds> s <count>`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::store::Store;

// The allocator of the `coalition` binary, so that the comparison is of code, not allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1..3) {
        Some([mode, path]) if mode == "yaml" => {
            let t = Instant::now();
            let mut files = Vec::new();
            yaml_files(Path::new(path), &mut files);
            let next = AtomicUsize::new(0);
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            std::thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| loop {
                        let Some(p) = files.get(next.fetch_add(1, Ordering::Relaxed)) else {
                            return;
                        };
                        let text = std::fs::read_to_string(p).expect("UTF-8 file");
                        let v: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
                        std::hint::black_box(v);
                    });
                }
            });
            println!(
                "limit: yaml {:.3} s {} files",
                t.elapsed().as_secs_f64(),
                files.len()
            );
        }
        Some([mode, path]) if mode == "load" => {
            let t = Instant::now();
            let store = Store::new().expect("in-memory store");
            let bytes = std::fs::read(path).expect("readable N-Quads");
            let mut loader = store.bulk_loader();
            loader
                .load_from_slice(RdfParser::from_format(RdfFormat::NQuads), &bytes)
                .expect("valid N-Quads");
            loader.commit().expect("loaded");
            println!(
                "limit: load {:.3} s {} quads",
                t.elapsed().as_secs_f64(),
                store.len().expect("countable store")
            );
        }
        _ => {
            eprintln!("usage: scale_limit yaml DIR | scale_limit load FILE.nq");
            std::process::exit(2);
        }
    }
}
