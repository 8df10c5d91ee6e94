//! `coalition check` on the seed, on golden bad-input fixtures, on hostile input, and on mutated
//! copies of the seed; plus the tests that keep the rule and authoring docs in step with the code.

mod docs;
mod golden;
mod hostile;
mod mutations;
mod regressions;

use crate::util::{edited_seed, root, run, text, SEED_FACTS};

#[test]
fn seed_is_clean() {
    let o = run(&root(), &["check", "--deny-warnings"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}

#[test]
fn missing_facts_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["check", "--facts", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn renamed_reference_is_located_with_a_hint() {
    let tmp = edited_seed(SEED_FACTS, "  - subject: eff\n", "  - subject: efff\n");
    let o = run(tmp.path(), &["check"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[C007]: unknown entity `efff`"), "{err}");
    assert!(
        err.contains("afp-2018-05-rekognition-letter.yaml:30:14"),
        "{err}"
    );
    assert!(err.contains("did you mean `eff`?"), "{err}");
}
