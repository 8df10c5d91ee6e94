//! `coalition synth` writes a corpus that the checker accepts unchanged, the same for the same seed.

use crate::util::{run, text};

#[test]
fn synthetic_corpus_is_valid_and_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let o = run(
            tmp.path(),
            &["synth", "--sources", "6", "--seed", "3", "--out", out],
        );
        assert!(o.status.success(), "{:?}", text(&o));
    }
    let a = std::fs::read_to_string(tmp.path().join("a/sources/synth-00004.yaml")).unwrap();
    let b = std::fs::read_to_string(tmp.path().join("b/sources/synth-00004.yaml")).unwrap();
    assert_eq!(a, b);
    let o = run(tmp.path(), &["check", "--facts", "a", "--deny-warnings"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("checked 6 sources"), "{err}");
    assert!(err.contains("240 statements, 60 quotations"), "{err}");
}
