//! `coalition check` on the seed, on golden bad-input fixtures, on hostile input, and on mutated
//! copies of the seed; plus the tests that keep the rule and authoring docs in step with the code.

mod bounded;
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

/// `coalition … | head` must end quietly with 0 (as ripgrep does), not panic or report an error.
#[test]
fn closed_output_pipe_ends_quietly() {
    for args in [
        &["export", "--format", "nquads"][..],
        &["diagram", "--format", "dot"][..],
        &["schema"][..],
    ] {
        let mut child = crate::util::coalition(&root())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("error"),
            "{args:?}: {err}"
        );
    }
}
