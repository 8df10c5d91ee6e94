//! Tests that keep the documentation, the JSON Schema and the seed headers in step with the code,
//! and that check the claims `docs/DECISIONS.md` makes about the YAML parser.

use std::path::Path;

use coalition::facts::rules::Rule;
use coalition::facts::vocab::{EntityKind, ObjectRange, Predicate};

use crate::util::{root, run, text};

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn rules_md_explains_every_rule() {
    let doc = read("docs/RULES.md");
    let sections: Vec<&str> = doc.split("\n## ").skip(1).collect();
    let codes: Vec<&str> = sections
        .iter()
        .map(|s| s.split_whitespace().next().unwrap_or(""))
        .collect();
    let want: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes, want,
        "one `## CODE name` section per rule, in code order"
    );
    for (rule, section) in Rule::ALL.iter().zip(&sections) {
        let title = section.lines().next().unwrap();
        assert_eq!(
            title,
            format!("{} {}", rule.code(), rule.name()),
            "section title"
        );
        for part in [
            "### What it does",
            "### Why is this bad?",
            "### Example",
            "### Use instead",
        ] {
            assert!(section.contains(part), "{}: no `{part}`", rule.code());
        }
    }
}

/// The tables `docs/AUTHORING.md` copies from `vocab.rs`, rendered as Markdown.
fn kinds_table() -> String {
    let mut s = String::from("| kind | group | meaning |\n|---|---|---|\n");
    for k in EntityKind::ALL {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            k.slug(),
            k.group().name(),
            k.description()
        ));
    }
    s
}

fn predicates_table() -> String {
    let groups = |g: &[coalition::facts::vocab::Group]| {
        g.iter().map(|g| g.name()).collect::<Vec<_>>().join(", ")
    };
    let mut s = String::from("| predicate | subject | object | meaning |\n|---|---|---|---|\n");
    for p in Predicate::ALL {
        let object = match p.objects() {
            ObjectRange::Entities(g) => groups(g),
            ObjectRange::Literal => "a literal `value:`".to_string(),
        };
        s.push_str(&format!(
            "| `{}` | {} | {object} | {} |\n",
            p.slug(),
            groups(p.subjects()),
            p.description()
        ));
    }
    s
}

/// Checks (or with `UPDATE_GOLDEN=1` rewrites) the block between `<!-- NAME:start -->` and
/// `<!-- NAME:end -->` in `docs/AUTHORING.md`.
fn generated_block(name: &str, body: &str) {
    let path = root().join("docs/AUTHORING.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (start, end) = (
        format!("<!-- {name}:start -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let a = doc.find(&start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let b = a + doc[a..].find(&end).unwrap_or_else(|| panic!("no {end}"));
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        let new = format!("{}{body}{}", &doc[..a], &doc[b..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        &doc[a..b],
        body,
        "docs/AUTHORING.md `{name}` table is stale (UPDATE_GOLDEN=1 rewrites it)"
    );
}

#[test]
fn authoring_md_tables_match_the_vocabulary() {
    generated_block("kinds", &kinds_table());
    generated_block("predicates", &predicates_table());
    let doc = read("docs/AUTHORING.md");
    for k in EntityKind::ALL {
        assert!(doc.contains(&format!("`{}`", k.slug())), "{}", k.slug());
    }
    for p in Predicate::ALL {
        assert!(doc.contains(&format!("`{}`", p.slug())), "{}", p.slug());
    }
}

#[test]
fn committed_schema_is_fresh() {
    let o = run(&root(), &["schema"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out == read("schema/facts.schema.json"),
        "schema/facts.schema.json is stale: run `coalition schema > schema/facts.schema.json`"
    );
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

#[test]
fn seed_fact_files_point_the_editor_at_the_schema() {
    const HEADER: &str = "# yaml-language-server: $schema=";
    let mut files = Vec::new();
    yaml_files(&root().join("seeds"), &mut files);
    assert!(!files.is_empty());
    let schema = std::fs::canonicalize(root().join("schema/facts.schema.json")).unwrap();
    for f in files {
        let s = std::fs::read_to_string(&f).unwrap();
        let first = s.lines().next().unwrap_or("");
        let target = first
            .strip_prefix(HEADER)
            .unwrap_or_else(|| panic!("{} does not start with `{HEADER}`", f.display()));
        let resolved = f.parent().unwrap().join(target.trim());
        assert_eq!(
            std::fs::canonicalize(&resolved).ok().as_ref(),
            Some(&schema),
            "{}: {} is not schema/facts.schema.json",
            f.display(),
            resolved.display()
        );
    }
}

#[test]
fn decision_serde_yaml_refuses_duplicate_keys_with_a_position() {
    // docs/DECISIONS.md relies on this: parsing to a `Value` refuses a repeated key.
    let e = serde_yaml::from_str::<serde_yaml::Value>("a: 1\nb:\n  c: 2\n  c: 3\n").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("b: duplicate entry with key \"c\""),
        "{e}"
    );
    let at = e.location().expect("a position");
    assert_eq!((at.line(), at.column()), (3, 3));
}

#[test]
fn decision_serde_yaml_bounds_aliases_and_depth() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    let e = serde_yaml::from_str::<serde_yaml::Value>(bomb).unwrap_err();
    assert!(e.to_string().contains("repetition limit exceeded"), "{e}");
    let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
    let e = serde_yaml::from_str::<serde_yaml::Value>(&deep).unwrap_err();
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
    let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(serde_yaml::from_str::<serde_yaml::Value>(&ok).is_ok());
}
