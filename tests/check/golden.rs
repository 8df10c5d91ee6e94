//! Golden tests: each folder under `tests/fixtures/check/` is one bad (or good) facts folder and
//! its `expected.txt` holds the exit code and the rendered diagnostics of `coalition check`.
//!
//! A case runs `coalition check --facts facts` in its folder, or the arguments in its `args` file
//! (one per line). `UPDATE_GOLDEN=1 cargo test --test tests check::golden` rewrites the goldens.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use coalition::facts::rules::Rule;

use crate::util::{assert_golden, root, run, text};

/// Rules that no committed fixture can show, with the test that covers them instead.
const NOT_IN_FIXTURES: &[(&str, &str)] = &[
    (
        "C017",
        "check::hostile::huge_fact_file_is_refused_unread (a 100 MB file is generated, not committed)",
    ),
    (
        "C028",
        "check::bounded::errors_beyond_the_cap_are_counted_not_listed (hundreds of errors)",
    ),
    (
        "W004",
        "check::bounded::errors_beyond_the_cap_are_counted_not_listed (hundreds of warnings)",
    ),
];

fn cases() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/check");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn args_of(case: &Path) -> Vec<String> {
    match std::fs::read_to_string(case.join("args")) {
        Ok(s) => s.lines().map(str::to_owned).collect(),
        Err(_) => vec!["check".into(), "--facts".into(), "facts".into()],
    }
}

/// Runs one case and renders what `expected.txt` must hold.
pub fn render_case(case: &Path) -> String {
    let args = args_of(case);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(case, &args);
    let (out, err) = text(&o);
    assert!(
        !err.contains("panicked"),
        "{}: the checker panicked:\n{err}",
        case.display()
    );
    let mut s = format!(
        "$ coalition {}\nexit: {}\n--- stderr\n{err}",
        args.join(" "),
        o.status.code().map_or("signal".into(), |c| c.to_string())
    );
    if !out.is_empty() {
        s.push_str("--- stdout\n");
        s.push_str(&out);
    }
    s
}

#[test]
fn every_fixture_matches_its_golden_output() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} fixtures", cases.len());
    let mut failed = Vec::new();
    for case in &cases {
        let actual = render_case(case);
        let golden = case.join("expected.txt");
        if std::panic::catch_unwind(|| assert_golden(&golden, &actual)).is_err() {
            failed.push(case.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(
        failed.is_empty(),
        "{} fixture(s) differ from their golden output: {failed:?}",
        failed.len()
    );
}

#[test]
fn fixture_names_state_their_exit_code() {
    // `ok-*` and `w00x-*` cases pass; error cases fail with 1; `usage-*` cases with 2.
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let golden = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        let want = if name.starts_with("usage-") {
            "exit: 2"
        } else if name.starts_with("ok-") || (name.starts_with('w') && !name.ends_with("-denied")) {
            "exit: 0"
        } else {
            "exit: 1"
        };
        assert!(
            golden.lines().nth(1) == Some(want),
            "{name}: expected `{want}` in its golden output"
        );
    }
}

#[test]
fn every_rule_is_shown_by_a_fixture() {
    let mut seen = BTreeSet::new();
    for case in cases() {
        let golden = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        for rule in Rule::ALL {
            if golden.contains(&format!("[{}]", rule.code()))
                || golden.contains(&format!("\"rule\": \"{}\"", rule.code()))
            {
                seen.insert(rule.code());
            }
        }
    }
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.code())
        .filter(|c| !seen.contains(c) && !NOT_IN_FIXTURES.iter().any(|(n, _)| n == c))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

/// The rendered case, for the regression tests that pin one detail of a fixture.
pub fn case_output(name: &str) -> String {
    render_case(&root().join("tests/fixtures/check").join(name))
}
