//! What reading a large fact file costs: the fast path (`serde_yaml` → `Value` → one `serde` pass
//! per item) against the span-aware `yaml-rust2` locator that runs only when a file has something
//! to report. Numbers are recorded in `docs/DECISIONS.md`.
//!
//! Run: `cargo run --release --example parse_cost -- [statements]` (default 20000). The whole
//! `facts::check` is timed on the same statements spread over sources of 100 (quote lookup is
//! linear in the source text per quote, so one giant source would measure that instead).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use coalition::facts::{self, load, locate::Locator};

const ENTITIES: usize = 200;
const LETTERS: usize = 50;

/// Writes the registry and `statements` statements into `dir`, in one fact file when
/// `per_source` is `statements`, or spread over several sources of `per_source` statements each.
fn fact_files(dir: &Path, statements: usize, per_source: usize, broken: bool) {
    let mut entities = String::from(
        "entities:\n  - id: daily-planet\n    kind: news_agency\n    name: Daily Planet\n",
    );
    for g in 0..ENTITIES {
        writeln!(
            entities,
            "  - id: group-{g}\n    kind: advocacy_group\n    name: Group {g}\n    aliases: [G{g}]"
        )
        .unwrap();
    }
    for l in 0..LETTERS {
        writeln!(
            entities,
            "  - id: letter-{l}\n    kind: letter\n    name: Letter {l}"
        )
        .unwrap();
    }
    std::fs::write(dir.join("entities.yaml"), entities).unwrap();
    for (k, start) in (0..statements).step_by(per_source).enumerate() {
        let mut text = String::new();
        let mut facts = format!(
            "source:\n  id: big-{k}\n  title: A long invented record\n  publisher: daily-planet\n  \
             date: 2019-03\n  language: en\n  text: big-{k}.txt\nstatements:\n"
        );
        for i in start..(start + per_source).min(statements) {
            let (g, l) = (i % ENTITIES, (i / ENTITIES) % LETTERS);
            writeln!(text, "Group {g} signed letter {l} (entry {i}).").unwrap();
            let object = if broken && i + 1 == statements {
                "letter-x".to_string()
            } else {
                format!("letter-{l}")
            };
            writeln!(
                facts,
                "  - id: s-{i}\n    subject: group-{g}\n    predicate: signed\n    object: {object}\n    \
                 evidence:\n      - quote: Group {g} signed letter {l} (entry {i})."
            )
            .unwrap();
        }
        std::fs::write(dir.join(format!("big-{k}.yaml")), facts).unwrap();
        std::fs::write(dir.join(format!("big-{k}.txt")), text).unwrap();
    }
}

/// Median of `runs` timings of `f`.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut all: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    all.sort();
    all[runs / 2]
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let runs = 5;
    let one = tempfile::tempdir().unwrap();
    let clean = tempfile::tempdir().unwrap();
    let broken = tempfile::tempdir().unwrap();
    fact_files(one.path(), n, n, false);
    fact_files(clean.path(), n, 100, false);
    fact_files(broken.path(), n, 100, true);
    let file = one.path().join("big-0.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    println!(
        "fact file: {n} statements, {:.1} MiB; median of {runs} runs",
        yaml.len() as f64 / 1048576.0
    );
    let rows = [
        (
            "serde_yaml::from_str::<Value>",
            time(runs, || {
                serde_yaml::from_str::<serde_yaml::Value>(&yaml).unwrap()
            }),
        ),
        (
            "load_file (parse + per-item serde)",
            time(runs, || load::load_file(&file)),
        ),
        (
            "Locator::new (yaml-rust2 events)",
            time(runs, || Locator::new(&yaml)),
        ),
    ];
    for (what, t) in rows {
        println!("{what:<44} {:>9.1} ms", t.as_secs_f64() * 1000.0);
    }
    println!("the same statements as {} sources of 100:", n.div_ceil(100));
    let rows = [
        (
            "facts::check, clean (no locator)",
            time(runs, || facts::check(clean.path()).unwrap()),
        ),
        (
            "facts::check, one error (one file located)",
            time(runs, || facts::check(broken.path()).unwrap()),
        ),
    ];
    for (what, t) in rows {
        println!("{what:<44} {:>9.1} ms", t.as_secs_f64() * 1000.0);
    }
}
