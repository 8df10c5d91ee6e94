//! Fuzz target 1: the fact-file loader and checker, in-process. Each case is a mutated copy of a
//! seed fact file (byte flips, truncation, indentation, huge scalars, long lines, nesting,
//! aliases, non-UTF-8, NUL, BOM, CRLF…) written as `facts/sources/case.yaml` next to a valid
//! registry; `facts::check` and the renderer must return, without panicking, within the limit.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use coalition::facts::{self, diagnostic};

use super::{keep, kept, name, Budget, Rng, Tally};
use crate::util::{copy_dir, root};

/// Longest a case may take (release build; debug builds get four times as long).
const LIMIT: Duration = Duration::from_secs(10);

fn limit() -> Duration {
    if cfg!(debug_assertions) {
        LIMIT * 4
    } else {
        LIMIT
    }
}

/// The facts folder every case runs in: the baseline registry and the source texts.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let facts = tmp.path().join("facts");
    copy_dir(
        &root().join("tests/fixtures/check/ok-baseline/facts"),
        &facts,
    );
    fs::remove_file(facts.join("sources/planet-2019-03-letter.yaml")).unwrap();
    for e in fs::read_dir(root().join("seeds/sources")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            fs::copy(&p, facts.join("sources").join(p.file_name().unwrap())).unwrap();
        }
    }
    tmp
}

/// The seed files mutations start from.
fn bases() -> Vec<Vec<u8>> {
    let mut files = vec![
        root().join("tests/fixtures/check/ok-baseline/facts/sources/planet-2019-03-letter.yaml"),
        root().join("tests/fixtures/check/ok-baseline/facts/entities.yaml"),
        root().join("tests/fixtures/hostile/sources/hostile-2020-01-letter.yaml"),
    ];
    for dir in ["seeds", "seeds/sources"] {
        for e in fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files.iter().map(|p| fs::read(p).unwrap()).collect()
}

const TOKENS: &[&[u8]] = &[
    b"\t",
    b"\"",
    b"'",
    b": ",
    b"- ",
    b"[",
    b"{",
    b"]",
    b"}",
    b",",
    b"&a ",
    b"*a",
    b"!!str ",
    b"!!seq ",
    b"<<: *a\n",
    b"\xc3",
    b"\xff\xfe",
    b"\0",
    b"\r\n",
    b"\r",
    b"\xef\xbb\xbf",
    b"#",
    b"? ",
    b"|\n",
    b">-\n",
    b"---\n",
    b"...\n",
    b"%YAML 1.2\n",
    b"\\",
    b"~",
    b"null",
    b"1e999",
    b"2019-02-30",
    b"../../x.txt",
    b"/etc/hostname",
    b"\xe2\x80\x99",
    b"\xe2\x80\xae",
];

/// One random mutation of `b`.
fn mutate(rng: &mut Rng, b: &mut Vec<u8>) {
    let at = rng.below(b.len() + 1);
    match rng.below(12) {
        0 if !b.is_empty() => {
            let i = at.min(b.len() - 1);
            b[i] = rng.next() as u8;
        }
        1 => b.truncate(at),
        2 => {
            let end = (at + rng.below(200)).min(b.len());
            b.drain(at..end);
        }
        3 => {
            // A long line or a huge scalar: a slice repeated.
            let end = (at + 1 + rng.below(40)).min(b.len());
            let piece = b[at.min(end)..end].to_vec();
            let most = if rng.chance(8) { 200_000 } else { 50 };
            let n = 1 + rng.below(most);
            let long: Vec<u8> = piece
                .iter()
                .copied()
                .cycle()
                .take(piece.len() * n)
                .collect();
            b.splice(at..at, long);
        }
        4 => {
            let t = rng.pick(TOKENS).to_vec();
            b.splice(at..at, t);
        }
        5 => {
            // Indentation: one or two spaces more or fewer at the start of a line.
            let start = b[..at]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1);
            if rng.chance(2) {
                b.splice(start..start, b"  "[..1 + rng.below(2)].iter().copied());
            } else if b.get(start) == Some(&b' ') {
                b.remove(start);
            }
        }
        6 => {
            let open = if rng.chance(2) { b"[" } else { b"{" };
            let most = if rng.chance(4) { 100_000 } else { 200 };
            let n = 1 + rng.below(most);
            let tags: [&[u8]; 4] = [b"", b"&n ", b"!!seq ", b"- "];
            let mut s = rng.pick(&tags).to_vec();
            s.extend(open.repeat(n));
            b.splice(at..at, s);
        }
        7 => {
            let n = 2 + rng.below(12);
            let mut s = b"\nbomb0: &b0 [x, x, x, x, x, x, x, x, x, x]\n".to_vec();
            for i in 1..n {
                let refs = vec![format!("*b{}", i - 1); 10].join(", ");
                s.extend(format!("bomb{i}: &b{i} [{refs}]\n").bytes());
            }
            b.splice(at..at, s);
        }
        8 => {
            let mut v = b"\xef\xbb\xbf".to_vec();
            v.append(b);
            *b = v;
        }
        9 => {
            let crlf: Vec<u8> = b
                .iter()
                .flat_map(|&c| {
                    if c == b'\n' {
                        vec![b'\r', b'\n']
                    } else {
                        vec![c]
                    }
                })
                .collect();
            *b = crlf;
        }
        10 => {
            // A line copied elsewhere (a repeated key, a misplaced item).
            let s = b[..at]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(0, |i| i + 1);
            let e = b[at..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |i| at + i + 1);
            let line = b[s..e].to_vec();
            let to = rng.below(b.len() + 1);
            b.splice(to..to, line);
        }
        _ => {
            let n = rng.below(b.len().min(64) + 1);
            for _ in 0..n {
                let i = rng.below(b.len().max(1));
                if let Some(c) = b.get_mut(i) {
                    *c ^= 1 << rng.below(8);
                }
            }
        }
    }
}

/// Checks the facts with `case` as a fact file; `Err` says what went wrong.
fn run_case(dir: &Path, case: &[u8]) -> Result<Duration, String> {
    let file = dir.join("facts/sources/case.yaml");
    fs::write(&file, case).unwrap();
    let facts = dir.join("facts");
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| {
            // A folder error (none here) is a clean outcome too.
            if let Ok(checked) = facts::check(&facts) {
                let _ = diagnostic::render(&checked.diagnostics, |p| checked.texts.get(p).cloned());
                for d in &checked.diagnostics {
                    assert_eq!(d.span.is_some(), d.line.is_some(), "{d:?}");
                }
            }
        });
        let _ = tx.send(result.is_ok());
    });
    match rx.recv_timeout(limit()) {
        Ok(true) => Ok(started.elapsed()),
        Ok(false) => Err("panicked".into()),
        Err(_) => Err(format!("took over {:?}", limit())),
    }
}

#[test]
fn fuzz_loader() {
    let budget = Budget::from_env(150);
    let tmp = workspace();
    let mut tally = Tally::default();
    // Every input ever found first.
    for p in kept("loader") {
        let case = fs::read(&p).unwrap();
        match run_case(tmp.path(), &case) {
            Ok(t) => tally.record(&name(&p), t),
            Err(e) => tally.failures.push(format!("{}: {e}", name(&p))),
        }
    }
    let bases = bases();
    let mut rng = Rng::new(budget.seed);
    let since = Instant::now();
    let mut n = 0;
    while budget.more(n, since) && tally.failures.len() < 5 {
        n += 1;
        let mut case = rng.pick(&bases).clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut case);
        }
        match run_case(tmp.path(), &case) {
            Ok(t) => tally.record(&format!("seed {} case {n}", budget.seed), t),
            Err(e) => {
                let at = if budget.save {
                    keep("loader", "fact", &case).display().to_string()
                } else {
                    "not kept (FUZZ_SAVE=1 keeps it)".into()
                };
                tally.failures.push(format!("case {n} {e}: {at}"));
                if e.starts_with("took") {
                    // The case still runs on its thread: stop here.
                    break;
                }
            }
        }
    }
    tally.finish("loader");
}
