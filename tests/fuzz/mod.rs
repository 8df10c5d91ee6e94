//! A stable-Rust fuzz harness (cargo-fuzz needs nightly): a seeded mutation loop over the fact
//! loader ([`loader`]) and over the SPARQL endpoint's request handling ([`endpoint`]).
//!
//! `cargo test` replays every input kept under `tests/fixtures/hostile/fuzz/` and runs a few
//! hundred fresh cases. `FUZZ_SECONDS=N` runs each target for N seconds instead (see
//! `benches/fuzz.sh`), `FUZZ_SEED` picks the seed (the default is fixed, so runs repeat), and
//! `FUZZ_SAVE=1` writes each failing input into that folder as a new regression fixture. Each
//! target prints one `fuzz:` line: cases, failures, slowest case, peak RSS.

mod endpoint;
mod loader;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::root;

/// xorshift64*: small, seeded, good enough to pick mutations.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// How long and from which seed a target runs.
pub struct Budget {
    pub seed: u64,
    /// Fresh cases to run when no time is given.
    pub cases: usize,
    pub time: Option<Duration>,
    pub save: bool,
}

impl Budget {
    pub fn from_env(default_cases: usize) -> Budget {
        let var = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
        Budget {
            seed: var("FUZZ_SEED").unwrap_or(0x5eed_c0a1),
            cases: default_cases,
            time: var("FUZZ_SECONDS").map(Duration::from_secs),
            save: std::env::var("FUZZ_SAVE").is_ok_and(|v| v == "1"),
        }
    }

    /// Whether case number `n` (started at `since`) still runs.
    pub fn more(&self, n: usize, since: Instant) -> bool {
        match self.time {
            Some(t) => since.elapsed() < t,
            None => n < self.cases,
        }
    }
}

/// The folder of kept inputs.
pub fn corpus_dir() -> PathBuf {
    root().join("tests/fixtures/hostile/fuzz")
}

/// The kept inputs of a target (files named `PREFIX-*`), sorted.
pub fn kept(prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(prefix) && n.contains('-'))
    });
    out.sort();
    out
}

/// Writes a failing input as `PREFIX-<hash>.EXT` in the kept folder; returns its path.
pub fn keep(prefix: &str, ext: &str, bytes: &[u8]) -> PathBuf {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(bytes);
    let name: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let path = corpus_dir().join(format!("{prefix}-{name}.{ext}"));
    std::fs::create_dir_all(corpus_dir()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Peak resident memory of this process so far, in MiB (Linux; 0 elsewhere).
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// What one target reports.
#[derive(Default)]
pub struct Tally {
    pub cases: usize,
    pub failures: Vec<String>,
    pub slowest: Duration,
    pub slowest_case: String,
}

impl Tally {
    pub fn record(&mut self, what: &str, took: Duration) {
        self.cases += 1;
        if took > self.slowest {
            self.slowest = took;
            self.slowest_case = what.to_string();
        }
    }

    /// Prints the summary line `benches/fuzz.sh` reads, and fails on any failure.
    pub fn finish(&self, target: &str) {
        println!(
            "fuzz: target={target} cases={} failures={} slowest_ms={:.0} slowest_case={:?} peak_rss_mib={:.0}",
            self.cases,
            self.failures.len(),
            self.slowest.as_secs_f64() * 1000.0,
            self.slowest_case,
            peak_rss_mib()
        );
        assert!(
            self.failures.is_empty(),
            "{target}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// A file's name for messages.
pub fn name(p: &Path) -> String {
    p.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}
