//! Mutation tests: one small edit to a copy of the curated seed must give exactly the expected
//! diagnostic, at the exact `file:line:col`. Positions are computed here by plain text search,
//! independently of the checker's locator, so a test fails if either drifts.

use std::path::Path;

use serde_json::Value;

use crate::util::{run, seed_copy, text};

const SOURCE: &str = "seeds/sources/afp-2018-05-rekognition-letter.yaml";
const ENTITIES: &str = "seeds/entities.yaml";

/// Replaces the first `old` with `new` in `file` under `dir`; the test fails if `old` is absent.
fn edit(dir: &Path, file: &str, old: &str, new: &str) -> String {
    let path = dir.join(file);
    let s = std::fs::read_to_string(&path).unwrap();
    assert!(s.contains(old), "{file} no longer contains {old:?}");
    let s = s.replacen(old, new, 1);
    std::fs::write(&path, &s).unwrap();
    s
}

/// 1-based line and character column of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line as u64, col as u64)
}

/// Runs `coalition check --json` and returns the exit code and the errors (warnings dropped).
fn errors(dir: &Path) -> (Option<i32>, Vec<Value>) {
    let o = run(dir, &["check", "--json"]);
    let (out, err) = text(&o);
    let all: Vec<Value> = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let errors = all
        .into_iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with('C')))
        .collect();
    (o.status.code(), errors)
}

fn at(d: &Value) -> (String, u64, u64) {
    (
        d["file"].as_str().unwrap().to_string(),
        d["line"].as_u64().unwrap(),
        d["column"].as_u64().unwrap(),
    )
}

#[test]
fn renamed_entity_id_reports_every_reference() {
    let tmp = seed_copy();
    edit(
        tmp.path(),
        ENTITIES,
        "  - id: human-rights-watch\n",
        "  - id: human-rights-wach\n",
    );
    let source = std::fs::read_to_string(tmp.path().join(SOURCE)).unwrap();
    let expected: Vec<(String, u64, u64)> = source
        .match_indices(": human-rights-watch")
        .map(|(i, _)| {
            let (l, c) = line_col(&source, i + 2);
            (SOURCE.to_string(), l, c)
        })
        .collect();
    assert!(expected.len() >= 2, "the seed refers to human-rights-watch");
    let (code, errors) = errors(tmp.path());
    assert_eq!(code, Some(1));
    assert_eq!(errors.iter().map(at).collect::<Vec<_>>(), expected);
    for e in &errors {
        assert_eq!(e["rule"], "C007");
        assert_eq!(e["message"], "unknown entity `human-rights-watch`");
        assert_eq!(e["hint"], "did you mean `human-rights-wach`?");
    }
}

#[test]
fn broken_quote_is_located_with_where_it_diverges() {
    let tmp = seed_copy();
    let old = "      - quote: a été signée par une trentaine de groupes militants\n";
    let s = edit(
        tmp.path(),
        SOURCE,
        old,
        "      - quote: a été signé par une trentaine de groupes militants\n",
    );
    let i = s.find("a été signé par").unwrap();
    let (l, c) = line_col(&s, i);
    let (code, errors) = errors(tmp.path());
    assert_eq!(code, Some(1));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["rule"], "C010");
    assert_eq!(at(&errors[0]), (SOURCE.to_string(), l, c));
    assert!(
        errors[0]["hint"]
            .as_str()
            .unwrap()
            .starts_with("the source has `a été signé` but then differs from ` par une"),
        "{errors:#?}"
    );
}

#[test]
fn duplicated_entity_id_points_at_both_declarations() {
    let tmp = seed_copy();
    let path = tmp.path().join(ENTITIES);
    let mut s = std::fs::read_to_string(&path).unwrap();
    let first = line_col(&s, s.find("  - id: aclu\n").unwrap()).0;
    s.push_str("\n  - id: aclu\n    kind: advocacy_group\n    name: ACLU again\n");
    std::fs::write(&path, &s).unwrap();
    let (l, c) = line_col(&s, s.rfind("aclu\n    kind").unwrap());
    let (code, errors) = errors(tmp.path());
    assert_eq!(code, Some(1));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["rule"], "C006");
    assert_eq!(errors[0]["message"], "duplicate entity id `aclu`");
    assert_eq!(at(&errors[0]), (ENTITIES.to_string(), l, c));
    assert_eq!(
        errors[0]["hint"],
        format!("already declared at {ENTITIES}:{first}; merge the two or rename one")
    );
}

#[test]
fn unknown_field_is_located_with_did_you_mean() {
    let tmp = seed_copy();
    let s = edit(
        tmp.path(),
        SOURCE,
        "    object: letter-to-bezos\n",
        "    object: letter-to-bezos\n    stnace: supports\n",
    );
    let (l, c) = line_col(&s, s.find("stnace").unwrap());
    let (code, errors) = errors(tmp.path());
    assert_eq!(code, Some(1));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["rule"], "C002");
    assert_eq!(errors[0]["message"], "unknown field `stnace`");
    assert_eq!(errors[0]["hint"], "did you mean `stance`?");
    assert_eq!(at(&errors[0]), (SOURCE.to_string(), l, c));
    // The text rendering shows the same place.
    let o = run(tmp.path(), &["check"]);
    let (_, err) = text(&o);
    assert!(err.contains(&format!("┌─ {SOURCE}:{l}:{c}\n")), "{err}");
}

#[test]
fn json_output_is_one_object_per_diagnostic() {
    let tmp = seed_copy();
    edit(tmp.path(), SOURCE, "  date: 2018-05\n", "  date: 2018-5\n");
    edit(tmp.path(), ENTITIES, "wikidata: Q40464", "wikidata: 40464");
    let o = run(tmp.path(), &["check", "--json"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.is_empty(), "--json writes nothing else: {err}");
    let all: Vec<Value> = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = all.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["C013", "C012"], "{out}");
    for d in &all {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["column", "file", "hint", "label", "line", "message", "rule"]
        );
    }
    // A clean run prints an empty list.
    let o = run(&crate::util::root(), &["check", "--json"]);
    let (out, _) = text(&o);
    assert_eq!(out.trim(), "[]");
    assert_eq!(o.status.code(), Some(0));
}
