//! The curation tools, end to end: `coverage` on the seed and on invented fixtures, `diff` between
//! fixture folders and against a real temporary git repository, and `new source`.

use std::path::Path;
use std::process::Command;

use crate::util::{assert_golden, copy_dir, require_program, root, run, seed_copy, text};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures")
}

// --- coverage -------------------------------------------------------------------------------

#[test]
fn coverage_of_the_seed_is_complete() {
    let o = run(&root(), &["coverage", "--min", "100"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_golden(&fixtures().join("coverage/seed/expected.txt"), &out);
    assert!(
        out.contains(" 13     13        0        0    100.0 %"),
        "{out}"
    );
}

#[test]
fn coverage_lists_uncited_and_ignored_sentences() {
    let o = run(
        &fixtures().join("coverage/invented"),
        &["coverage", "--facts", "."],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_golden(&fixtures().join("coverage/invented/expected.txt"), &out);
    // The splitter keeps abbreviations, initialisms and elisions inside their sentence.
    assert!(out.contains("line 2: M. Durand, adjoint au maire, l'a présenté aux habitants.\n"));
    assert!(out.contains("in the U.S. Senate on Tuesday.\n      names: civic-watch\n"));
    assert!(out.contains("line 5: Selon la Dr. Ada Okafor, les drones filment aussi les cours privées.\n      names: ada-okafor\n"));
    assert!(out.contains("reason: The agency's own request for comment"));
}

#[test]
fn coverage_as_json_for_one_source() {
    let dir = fixtures().join("coverage/invented");
    let args = ["coverage", "--facts", ".", "--format", "json"];
    let o = run(
        &dir,
        &[&args[..], &["--source", "lumen-2020-03-drones-fr"]].concat(),
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_golden(&dir.join("expected-fr.json"), &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["sentences"], 10);
    assert_eq!(v[0]["coverage"], 40.0);
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn coverage_min_fails_below_the_threshold() {
    let dir = fixtures().join("coverage/invented");
    let o = run(&dir, &["coverage", "--facts", ".", "--min", "30"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("coverage of `lumen-2020-04-drones-en` is 28.5 %"),
        "{err}"
    );
    assert!(!err.contains("lumen-2020-03-drones-fr"), "{err}");
    let o = run(&dir, &["coverage", "--facts", ".", "--min", "28"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn coverage_of_an_unknown_source_is_a_usage_error() {
    let o = run(
        &root(),
        &["coverage", "--source", "afp-2018-05-rekognition-leter"],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("did you mean `afp-2018-05-rekognition-letter`?"),
        "{err}"
    );
}

#[test]
fn coverage_refuses_invalid_facts() {
    let tmp = seed_copy();
    let f = tmp
        .path()
        .join("seeds/sources/afp-2018-05-rekognition-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, s.replacen("subject: eff\n", "subject: efff\n", 1)).unwrap();
    let o = run(tmp.path(), &["coverage"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        out.is_empty() && err.contains("the facts are invalid") && err.contains("efff"),
        "{err}"
    );
}

#[test]
fn ignored_entries_account_for_sentences() {
    // Drop the seed's last statement: its sentence becomes uncited, then an `ignored:` entry
    // accounts for it again.
    let tmp = seed_copy();
    let f = tmp
        .path()
        .join("seeds/sources/afp-2018-05-rekognition-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    let start = s
        .find("  - subject: afp\n    predicate: sought_comment_from")
        .unwrap();
    let end = s.find("quotations:").unwrap();
    let cut = format!("{}{}", &s[..start], &s[end..]);
    std::fs::write(&f, &cut).unwrap();
    let o = run(tmp.path(), &["coverage", "--min", "100"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("    line 19: Sollicité par l'AFP, Amazon n'était pas immédiatement disponible pour réagir à l'envoi de cette lettre.\n      names: afp, amazon\n"), "{out}");
    let ignored = "\nignored:\n  - text: Sollicité par l'AFP, Amazon n'était pas immédiatement disponible\n    reason: The agency's request for comment.\n";
    std::fs::write(&f, format!("{cut}{ignored}")).unwrap();
    let o = run(tmp.path(), &["coverage", "--min", "100"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("  ignored by the curators:\n    line 19: Sollicité"),
        "{out}"
    );
    assert!(
        out.contains("      reason: The agency's request for comment.\n"),
        "{out}"
    );
}

// --- diff -----------------------------------------------------------------------------------

#[test]
fn diff_between_folders_as_text_and_json() {
    let dir = fixtures().join("diff/before-after");
    let o = run(&dir, &["diff", "--against", "before", "--facts", "after"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_golden(&dir.join("expected.txt"), &out);
    assert!(out.contains("  > open-streets-alliance (was open-streets): Open Streets Alliance (advocacy_group) [3 references moved]\n"));
    // The references that moved to the renamed entity change no statement.
    assert!(!out.contains("criticizes"), "{out}");

    let o = run(
        &dir,
        &[
            "diff",
            "--against",
            "before",
            "--facts",
            "after",
            "--format",
            "json",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_golden(&dir.join("expected.json"), &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds = |section: &str| -> Vec<String> {
        v[section]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["change"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        kinds("statements"),
        ["added", "added", "removed", "changed"]
    );
    assert_eq!(
        kinds("entities"),
        ["added", "removed", "renamed", "changed"]
    );
    assert_eq!(v["entities"][2]["renamed_from"], "open-streets");
}

#[test]
fn diff_of_identical_folders_is_empty() {
    let dir = fixtures().join("diff/before-after");
    let o = run(&dir, &["diff", "--against", "after", "--facts", "after"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(out.ends_with("no change to the graph\n"), "{out}");
}

#[test]
fn diff_needs_a_revision_or_a_folder() {
    let o = run(&root(), &["diff"]);
    assert_eq!(o.status.code(), Some(2));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn diff_against_a_git_revision() {
    if !require_program("git", &["--version"]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q"]);
    let facts = repo.join("data/facts");
    copy_dir(&fixtures().join("diff/before-after/before"), &facts);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "before"]);
    // The working tree now holds the new side; HEAD still the old one.
    std::fs::remove_dir_all(&facts).unwrap();
    copy_dir(&fixtures().join("diff/before-after/after"), &facts);

    let o = run(repo, &["diff", "HEAD", "--facts", "data/facts"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let body = |s: &str| s.lines().skip(2).collect::<Vec<_>>().join("\n");
    let expected =
        std::fs::read_to_string(fixtures().join("diff/before-after/expected.txt")).unwrap();
    assert_eq!(body(&out), body(&expected));
    assert!(out.starts_with("--- data/facts at HEAD ("), "{out}");

    // From inside the facts folder, with the new side committed too: nothing changed since HEAD.
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "after"]);
    let o = run(&facts, &["diff", "HEAD", "--facts", "."]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.ends_with("no change to the graph\n"), "{out}");
    let o = run(&facts, &["diff", "HEAD~1", "--facts", "."]);
    assert_eq!(body(&text(&o).0), body(&expected));

    let o = run(repo, &["diff", "no-such-rev", "--facts", "data/facts"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown revision `no-such-rev`"), "{err}");
}

// --- new source -----------------------------------------------------------------------------

fn new_source(dir: &Path, id: &str, publisher: &str) -> std::process::Output {
    run(
        dir,
        &[
            "new",
            "source",
            "--text",
            "article.txt",
            "--id",
            id,
            "--publisher",
            publisher,
            "--date",
            "2021-03-04",
            "--title",
            "Un titre : avec « guillemets »",
        ],
    )
}

#[test]
fn new_source_writes_a_skeleton_that_passes_check() {
    let tmp = seed_copy();
    let dir = tmp.path();
    let article = "Texte inventé pour les tests. La mairie a lancé un programme de drones et les \
                   habitants sont inquiets pour la vie privée.\n";
    std::fs::write(dir.join("article.txt"), article).unwrap();
    let o = new_source(dir, "afp-2021-03-drones", "afp");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("language guessed as `fr`"), "{out}");
    let sources = dir.join("seeds/sources");
    let yaml = std::fs::read_to_string(sources.join("afp-2021-03-drones.yaml")).unwrap();
    assert_golden(
        &fixtures().join("new-source/afp-2021-03-drones.yaml"),
        &yaml,
    );
    assert_eq!(
        std::fs::read_to_string(sources.join("afp-2021-03-drones.txt")).unwrap(),
        article
    );

    let o = run(dir, &["check"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("0 errors, 1 warning"), "{err}");
    assert!(err.contains("warning[W002]"), "{err}");
    // Uncommenting the examples gives the sections the format expects.
    let uncommented = yaml.replace("\n# ", "\n").replace("\n#   ", "\n  ");
    assert!(
        uncommented.contains("\nstatements:\n  - subject: some-organisation"),
        "{uncommented}"
    );

    // A second run refuses to overwrite anything.
    std::fs::write(dir.join("article.txt"), "Autre texte.\n").unwrap();
    let o = new_source(dir, "afp-2021-03-drones", "afp");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("nothing was written") || err.contains("exists"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(sources.join("afp-2021-03-drones.txt")).unwrap(),
        article
    );
    assert_eq!(
        std::fs::read_to_string(sources.join("afp-2021-03-drones.yaml")).unwrap(),
        yaml
    );
}

#[test]
fn new_source_refuses_to_overwrite_a_lone_text() {
    let tmp = seed_copy();
    let dir = tmp.path();
    std::fs::write(
        dir.join("article.txt"),
        "Texte inventé. Il est dans la ville.\n",
    )
    .unwrap();
    let stray = dir.join("seeds/sources/afp-2021-03-drones.txt");
    std::fs::write(&stray, "already here\n").unwrap();
    let o = new_source(dir, "afp-2021-03-drones", "afp");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("already exists; nothing was written"), "{err}");
    assert_eq!(std::fs::read_to_string(&stray).unwrap(), "already here\n");
    assert!(!dir.join("seeds/sources/afp-2021-03-drones.yaml").exists());
}

#[test]
fn new_source_refuses_a_publisher_that_looks_like_a_typo() {
    let tmp = seed_copy();
    let dir = tmp.path();
    std::fs::write(
        dir.join("article.txt"),
        "Texte inventé. Il est dans la ville.\n",
    )
    .unwrap();
    let o = new_source(dir, "apf-2021-03-drones", "apf");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown publisher `apf`"), "{err}");
    assert!(err.contains("did you mean `afp`?"), "{err}");
    let o = new_source(dir, "x-2021-03-drones", "agence");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("did you mean `afp` (Agence France-Presse)?"),
        "{err}"
    );
    let mut left: Vec<_> = std::fs::read_dir(dir.join("seeds/sources"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "afp-2018-05-rekognition-letter.txt",
            "afp-2018-05-rekognition-letter.yaml"
        ]
    );
}

#[test]
fn new_source_refuses_a_taken_or_malformed_id() {
    let tmp = seed_copy();
    let dir = tmp.path();
    std::fs::write(
        dir.join("article.txt"),
        "Texte inventé. Il est dans la ville.\n",
    )
    .unwrap();
    for id in ["afp-2018-05-rekognition-letter", "eff", "Bad_Id"] {
        let o = new_source(dir, id, "afp");
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{id}: {err}");
        assert!(err.contains(&format!("invalid source id `{id}`")), "{err}");
    }
}

#[test]
fn new_source_in_a_fresh_facts_folder_starts_the_registry() {
    // A facts folder without fact files has no registry yet: the publisher starts one.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("article.txt"),
        "Texte inventé. Il est là.\n",
    )
    .unwrap();
    std::fs::create_dir(tmp.path().join("facts")).unwrap();
    let o = run(
        tmp.path(),
        &[
            "new",
            "source",
            "--text",
            "article.txt",
            "--id",
            "x-1",
            "--publisher",
            "afp",
            "--date",
            "2021",
            "--lang",
            "fr",
            "--facts",
            "facts",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("to facts/entities.yaml"), "{out}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("facts/entities.yaml")).unwrap(),
        "entities:\n  - id: afp\n    kind: news_agency\n    name: afp\n"
    );
    let o = run(tmp.path(), &["check", "--facts", "facts"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
}

#[test]
fn new_source_adds_an_unknown_publisher_to_the_registry() {
    let tmp = seed_copy();
    let dir = tmp.path();
    std::fs::write(
        dir.join("article.txt"),
        "Texte inventé. Il est dans la ville.\n",
    )
    .unwrap();
    let o = new_source(dir, "le-monde-2021-03-drones", "Le Monde diplomatique");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains(
            "added publisher `le-monde-diplomatique` (Le Monde diplomatique, kind news_agency)"
        ),
        "{out}"
    );
    let registry = std::fs::read_to_string(dir.join("seeds/entities.yaml")).unwrap();
    assert!(
        registry.ends_with(
            "\n  - id: le-monde-diplomatique\n    kind: news_agency\n    name: Le Monde diplomatique\n"
        ),
        "{registry}"
    );
    let yaml =
        std::fs::read_to_string(dir.join("seeds/sources/le-monde-2021-03-drones.yaml")).unwrap();
    assert!(
        yaml.contains("publisher: le-monde-diplomatique\n"),
        "{yaml}"
    );
    // The new file and the grown registry pass `check` at once (the skeleton's one warning aside).
    let o = run(dir, &["check"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("0 errors"), "{err}");
    // A name of a registered entity resolves to it; nothing is added a second time.
    let o = new_source(dir, "afp-2021-03-drones", "Agence France-Presse");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("publisher: `afp`"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("seeds/entities.yaml")).unwrap(),
        registry
    );
    // Accents and punctuation fold into a valid slug.
    let o = new_source(dir, "x-2021-03-drones", "L'Écho Républicain !");
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("`l-echo-republicain`"), "{out}");
    let o = run(dir, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
}

#[test]
fn new_source_never_proposes_an_invalid_id() {
    let tmp = seed_copy();
    let dir = tmp.path();
    std::fs::write(dir.join("article.txt"), "Texte inventé. Il est là.\n").unwrap();
    let o = new_source(dir, "x-2021-03-drones", "日本");
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot make an id"), "{err}");
    assert!(!err.contains("id: 日本"), "{err}");
}

#[test]
fn diff_refuses_invalid_or_missing_sides() {
    let tmp = seed_copy();
    let f = tmp
        .path()
        .join("seeds/sources/afp-2018-05-rekognition-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    copy_dir(&tmp.path().join("seeds"), &tmp.path().join("old"));
    std::fs::write(&f, s.replacen("object: amazon\n", "object: amazn\n", 1)).unwrap();
    let o = run(tmp.path(), &["diff", "--against", "old"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        out.is_empty() && err.contains("not compared (seeds): 1 error,") && err.contains("amazn"),
        "{err}"
    );
    let o = run(tmp.path(), &["diff", "--against", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    // Outside a git repository, a revision cannot be read.
    let o = run(tmp.path(), &["diff", "HEAD", "--facts", "old"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("git rev-parse"), "{err}");
}

#[test]
fn diff_reports_changed_sources_and_removed_quotations() {
    let tmp = seed_copy();
    copy_dir(&tmp.path().join("seeds"), &tmp.path().join("old"));
    let f = tmp
        .path()
        .join("seeds/sources/afp-2018-05-rekognition-letter.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    let start = s.find("  - id: letter-free-to-walk").unwrap();
    let end = s.find("  - id: letter-federal-government").unwrap();
    let s = format!("{}{}", &s[..start], &s[end..]).replacen(
        "  date: 2018-05\n",
        "  date: 2018-05-22\n",
        1,
    );
    std::fs::write(&f, s).unwrap();
    let o = run(tmp.path(), &["diff", "--against", "old"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("sources: 1 changed\n  ~ afp-2018-05-rekognition-letter: "),
        "{out}"
    );
    assert!(
        out.contains("      date: \"2018-05\" → \"2018-05-22\"\n"),
        "{out}"
    );
    assert!(out.contains("quotations: 1 removed\n  - letter-free-to-walk: advocacy-coalition in afp-2018-05-rekognition-letter: \"La population devrait"), "{out}");
    assert!(!out.contains("statements:"), "{out}");
}
