//! Regression tests, one per checker bug found while writing the fixtures, each named after it.
//! Most pin one line of a golden fixture so the bug is named even when goldens are regenerated.

use std::fs;

use super::golden::case_output;
use crate::util::{copy_dir, root, run, text};

fn assert_has(case: &str, wanted: &[&str]) {
    let out = case_output(case);
    for w in wanted {
        assert!(out.contains(w), "{case}: missing {w:?} in\n{out}");
    }
}

#[test]
fn regression_block_mapping_was_located_at_its_colon() {
    // `missing field` pointed at the `:` after the item's first key, not at the item.
    assert_has(
        "c003-missing-field",
        &[
            "┌─ facts/entities.yaml:18:5\n",
            "18 │   - id: faceprint\n   │     ^ this item needs `name`",
        ],
    );
}

#[test]
fn regression_duplicate_key_was_located_at_its_mapping() {
    assert_has(
        "c001-yaml-duplicate-key",
        &[
            "┌─ facts/entities.yaml:27:5\n",
            "27 │     kind: company\n   │     ^^^^ repeated key",
        ],
    );
}

#[test]
fn regression_not_utf8_had_no_position() {
    assert_has(
        "c015-not-utf8-fact-file",
        &["┌─ facts/entities.yaml:27:21\n", "^ not UTF-8"],
    );
}

#[test]
fn regression_label_language_was_located_at_its_value() {
    assert_has(
        "c022-invalid-language",
        &["error[C022]: invalid language tag `<script>`\n   ┌─ facts/entities.yaml:17:31\n"],
    );
}

#[test]
fn regression_unreadable_file_cascaded_into_unknown_references() {
    // One tab in the registry used to add an unknown-reference error for every reference.
    for case in [
        "c001-yaml-tabs",
        "c015-not-utf8-fact-file",
        "c001-yaml-duplicate-key",
    ] {
        let out = case_output(case);
        assert!(out.contains(": 1 error, 0 warnings"), "{case}:\n{out}");
        assert!(!out.contains("C007"), "{case}:\n{out}");
    }
}

#[test]
fn regression_unusable_source_made_every_entity_unused() {
    // A source with a bad date or no text skipped its statements, so every entity it named was
    // reported unused, and the statements' own errors were hidden.
    for case in [
        "c012-invalid-date-month",
        "c014-missing-source-text",
        "c015-not-utf8-source-text",
        "c016-binary-source-text",
    ] {
        let out = case_output(case);
        assert!(!out.contains("W001"), "{case}:\n{out}");
        assert!(out.contains(": 1 error, 0 warnings"), "{case}:\n{out}");
    }
    assert_has(
        "many-errors-several-files",
        &[
            "error[C007]: unknown entity `open-leter`",
            "error[C010]: quote not found",
        ],
    );
}

#[test]
fn regression_broken_item_made_its_entities_unused() {
    assert_has("c002-unknown-field", &[": 1 error, 0 warnings"]);
    assert_has("c004-invalid-value", &[": 2 errors, 0 warnings"]);
}

#[test]
fn regression_unclosed_quote_was_located_at_end_of_file() {
    assert_has(
        "c001-yaml-unclosed-quote",
        &[
            "┌─ facts/sources/planet-2019-03-letter.yaml:3:10\n",
            "opened here, never closed",
        ],
    );
}

#[test]
fn regression_duplicate_id_hint_named_the_last_declaration() {
    assert_has(
        "c006-duplicate-source-and-quotation",
        &["┌─ facts/sources/planet-2019-03-letter.yaml:41:9\n   │\n41 │   - id: doe-every-resident\n   │         ^^^^^^^^^^^^^^^^^^\n   │\n   = hint: already declared at facts/sources/copy.yaml:41\n"],
    );
}

#[test]
fn regression_kind_hint_said_a_a() {
    assert_has(
        "c008-place-signs-a-letter",
        &["hint: the subject of `signed` must be an organisation or a person"],
    );
    assert_has(
        "c008-object-kind",
        &["hint: the object of `provides` must be a technology"],
    );
}

#[test]
fn regression_bare_year_was_refused_as_a_number() {
    // `date: 2019` and `value: 30` are read by YAML as integers; they are taken as their digits.
    assert_has("ok-bare-numbers", &["exit: 0\n"]);
}

#[test]
fn regression_bom_in_source_text_was_silent() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures/check/ok-baseline/facts"),
        &tmp.path().join("facts"),
    );
    let txt = tmp.path().join("facts/sources/planet-2019-03-letter.txt");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(&txt).unwrap());
    fs::write(&txt, bytes).unwrap();
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.starts_with("warning[W003]: file starts with a byte-order mark\n  ┌─ facts/sources/planet-2019-03-letter.txt\n"),
        "{err}"
    );
    assert!(err.contains("0 errors, 1 warning"), "{err}");
}
