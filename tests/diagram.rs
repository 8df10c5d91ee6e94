//! `coalition diagram`: golden DOT for the default, focus and hostile-label views; Graphviz
//! accepts every DOT we emit without a warning; every SVG is well-formed XML whose text and
//! tooltips are exactly the labels and quotes (markup stays inert text).

use std::io::Write;
use std::process::{Command, Stdio};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::util::{assert_golden, edited_seed, require_program, root, run, text, SEED_FACTS};

const HOSTILE: &str = "tests/fixtures/hostile";

/// `tests/fixtures/diagram/<case>/expected.dot`.
fn golden(case: &str) -> std::path::PathBuf {
    root()
        .join("tests/fixtures/diagram")
        .join(case)
        .join("expected.dot")
}

/// Runs `coalition diagram ARGS` at the project root and returns stdout, asserting success.
fn diagram(args: &[&str]) -> String {
    let mut all = vec!["diagram"];
    all.extend_from_slice(args);
    let o = run(&root(), &all);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    out
}

/// What an SVG holds, read with a conforming XML parser.
#[derive(Debug, Default)]
struct Svg {
    elements: Vec<String>,
    /// Character data of `<text>` elements, per element.
    texts: Vec<String>,
    /// Tooltips: `<title>` contents and `xlink:title` attributes.
    tooltips: Vec<String>,
}

/// Parses `svg`, panicking on any well-formedness error.
fn parse_svg(svg: &str) -> Svg {
    let mut reader = Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut out = Svg::default();
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                attributes(&e, &mut out);
                if stack.is_empty() {
                    roots += 1;
                }
                if name == "text" {
                    out.texts.push(String::new());
                }
                out.elements.push(name.clone());
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                attributes(&e, &mut out);
                out.elements.push(name);
            }
            Event::End(_) => {
                stack.pop().expect("balanced tags");
            }
            Event::Text(t) => {
                let s = t.unescape().expect("valid character references");
                match stack.last().map(String::as_str) {
                    Some("text" | "textPath" | "tspan") => {
                        out.texts.last_mut().unwrap().push_str(&s)
                    }
                    Some("title") => out.tooltips.push(s.into_owned()),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements {stack:?}");
    assert_eq!(roots, 1, "one root element");
    out
}

fn attributes(e: &quick_xml::events::BytesStart, out: &mut Svg) {
    for a in e.attributes().with_checks(true) {
        let a = a.expect("well-formed attribute");
        let v = a.unescape_value().expect("valid attribute value");
        if a.key.as_ref() == b"xlink:title" {
            out.tooltips.push(v.into_owned());
        }
    }
}

/// Runs `dot -Tsvg` on `dot_text`, asserting it exits 0 with an empty stderr; returns the SVG.
fn graphviz(dot_text: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot_text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let (out, err) = text(&o);
    assert!(o.status.success(), "dot failed: {err}");
    assert!(err.trim().is_empty(), "dot warned: {err}");
    out
}

#[test]
fn golden_default_view() {
    assert_golden(&golden("default"), &diagram(&[]));
}

#[test]
fn golden_focus_view() {
    let dot = diagram(&["--focus", "eff"]);
    assert!(dot.contains("\"eff\" -> \"letter-to-bezos\""), "{dot}");
    assert!(
        !dot.contains("\"jeff-bezos\" ["),
        "depth 1 stops at the letter"
    );
    assert_golden(&golden("focus-eff"), &dot);
}

#[test]
fn golden_hostile_labels() {
    let dot = diagram(&["--facts", HOSTILE]);
    // Quotes and backslashes escaped, `&` as an entity, markup and non-ASCII kept as text.
    assert!(
        dot.contains(r#""acme" [label="ACME <b>Corp</b> &amp;\nSons \\ \"quoted\"""#),
        "{dot}"
    );
    assert!(dot.contains(r"backslash \\\\N and a tab here"), "{dot}");
    assert_golden(&golden("hostile"), &dot);
}

#[test]
fn hostile_fixture_passes_the_checker() {
    let o = run(&root(), &["check", "--facts", HOSTILE, "--deny-warnings"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
}

/// Every view we test, as `diagram` arguments.
fn views() -> Vec<Vec<&'static str>> {
    vec![
        vec![],
        vec!["--focus", "eff"],
        vec!["--focus", "amazon", "--depth", "2"],
        vec!["--relations", "signed,member_of,addressed_to"],
        vec!["--kinds", "advocacy_group,coalition,letter,person"],
        vec!["--source", "afp-2018-05-rekognition-letter"],
        vec!["--facts", HOSTILE],
        vec!["--facts", HOSTILE, "--focus", "acme", "--depth", "3"],
    ]
}

#[test]
fn graphviz_accepts_every_dot_without_warnings_and_keeps_tooltips() {
    if !require_program("dot", &["-V"]) {
        return;
    }
    for v in views() {
        let svg = graphviz(&diagram(&v));
        let parsed = parse_svg(&svg);
        assert!(!parsed.tooltips.is_empty(), "{v:?}");
    }
    // Through the CLI engine too; edge tooltips carry the evidence.
    let svg = diagram(&["--format", "svg", "--engine", "graphviz"]);
    let parsed = parse_svg(&svg);
    assert!(
        parsed
            .tooltips
            .iter()
            .any(|t| t.contains("«a été signée par une trentaine de groupes militants»")),
        "{:?}",
        parsed.tooltips
    );
}

#[test]
fn embedded_svg_is_well_formed_for_every_view() {
    for v in views() {
        let mut args = v.clone();
        args.extend(["--format", "svg", "--engine", "embedded"]);
        let parsed = parse_svg(&diagram(&args));
        assert!(parsed.elements.iter().any(|e| e == "path"), "{v:?}");
    }
}

#[test]
fn seed_svg_shows_the_coalition_and_its_targets() {
    let svg = diagram(&["--format", "svg"]);
    let parsed = parse_svg(&svg);
    let all = parsed.texts.join("\n");
    for needle in [
        "Electronic Frontier",
        "Black Lives Matter",
        "Freedom of the Press",
        "Human Rights Watch",
        "thirty advocacy groups",
        "une trentaine (≈30)",
        "signed (≈30)",
        "Letter of advocacy",
        "Jeff Bezos",
        "Amazon",
        "Amazon Rekognition",
        "Amazon Web Services",
        "American Civil",
        "Nicole Ozer",
        "Florida police",
        "Arizona police",
        "Agence France-Presse",
        "people of colour",
        "immigrants",
        "American communities",
        "signatories of a letter",
        "Legend",
        "Source: Une trentaine de groupes militants écrivent à Jeff Bezos au sujet d'Amazon Rekognition (AFP, 2018-05)",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in\n{all}");
    }
    // Hovering an edge shows its quote and source.
    assert!(parsed.tooltips.iter().any(|t| t.starts_with(
        "Coalition of about thirty advocacy groups signed Letter of advocacy groups to Jeff Bezos\n«a été signée par une trentaine de groupes militants»\n— Une trentaine"
    )));
    assert!(svg.contains("href=\"/entity/eff\""));
}

#[test]
fn hostile_labels_are_inert_text_in_both_svgs() {
    let mut svgs = vec![diagram(&["--facts", HOSTILE, "--format", "svg"])];
    if require_program("dot", &["-V"]) {
        svgs.push(diagram(&[
            "--facts", HOSTILE, "--format", "svg", "--engine", "graphviz",
        ]));
    }
    for svg in svgs {
        let parsed = parse_svg(&svg);
        assert!(
            !parsed
                .elements
                .iter()
                .any(|e| e == "script" || e == "b" || e == "i"),
            "markup became elements: {:?}",
            parsed.elements
        );
        let texts = &parsed.texts;
        for line in [
            "<script>alert(1)</script>",
            "</text><script>alert(2)</script>",
            "Groupe «Liberté» &",
            "\"Égalité\"",
            "Sons \\ \"quoted\"",
            "François « Fanfan »",
            "signed (≈20)",
        ] {
            assert!(texts.iter().any(|t| t == line), "{line:?} not in {texts:?}");
        }
        assert!(
            parsed
                .tooltips
                .iter()
                .any(|t| t.contains("«C'est \\N un <script>alert(1)</script> scandale»")),
            "{:?}",
            parsed.tooltips
        );
        assert!(parsed
            .tooltips
            .iter()
            .any(|t| t.contains("Invented group, first line.\nSecond line")));
    }
}

#[test]
fn embedded_svg_is_byte_identical_across_runs() {
    let a = diagram(&["--format", "svg"]);
    let b = diagram(&["--format", "svg"]);
    assert!(a == b, "embedded SVG differs between runs");
}

#[test]
fn writes_to_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c.svg");
    let o = run(
        &root(),
        &["diagram", "--format", "svg", "-o", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0));
    parse_svg(&std::fs::read_to_string(out).unwrap());
}

#[test]
fn unknown_names_are_usage_errors_with_hints() {
    for (args, expected) in [
        (
            vec!["--focus", "efff"],
            "unknown entity `efff` (did you mean `eff`?)",
        ),
        (
            vec!["--kinds", "advocacy_grup"],
            "unknown entity kind `advocacy_grup` (did you mean `advocacy_group`?)",
        ),
        (
            vec!["--relations", "signed,adressed_to"],
            "unknown relation `adressed_to` (did you mean `addressed_to`?)",
        ),
        (
            vec!["--source", "afp-2018-05-rekognition"],
            "unknown source `afp-2018-05-rekognition`",
        ),
    ] {
        let mut all = vec!["diagram"];
        all.extend(args);
        let o = run(&root(), &all);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {err}");
        assert!(err.contains(expected), "{all:?}: {err}");
    }
}

#[test]
fn invalid_facts_give_diagnostics_and_exit_1() {
    let tmp = edited_seed(SEED_FACTS, "  - subject: eff\n", "  - subject: efff\n");
    let o = run(tmp.path(), &["diagram"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.is_empty());
    assert!(err.contains("error[C007]: unknown entity `efff`"), "{err}");
}

#[test]
fn kinds_filter_keeps_entities_of_those_kinds_only() {
    let dot = diagram(&["--kinds", "person"]);
    assert!(
        dot.contains("\"jeff-bezos\" [label=\"Jeff Bezos\""),
        "{dot}"
    );
    assert!(
        dot.contains("\"nicole-ozer\" [label=\"Nicole Ozer\""),
        "{dot}"
    );
    assert!(!dot.contains("\"amazon\""), "{dot}");
    assert!(!dot.contains(" -> \"jeff-bezos\""), "{dot}");
}

#[test]
fn relations_filter_keeps_those_predicates_only() {
    let dot = diagram(&["--relations", "member_of"]);
    assert_eq!(dot.matches("label=\"member of\"").count(), 5, "{dot}");
    assert!(!dot.contains("label=\"signed"), "{dot}");
}

#[test]
fn embedded_svg_draws_every_node_and_edge_with_a_tooltip() {
    for v in views() {
        let dot = diagram(&v);
        let edges = dot
            .lines()
            .filter(|l| l.contains(" -> ") && !l.trim_start().starts_with("\"legend:"))
            .count();
        let nodes = dot
            .lines()
            .filter(|l| !l.contains(" -> ") && l.contains("URL=\"/entity/"))
            .count();
        let mut args = v.clone();
        args.extend(["--format", "svg"]);
        let svg = diagram(&args);
        // Relations between the same two places share one curve (every tooltip kept; see
        // diagram_page::every_relation_is_drawn_or_in_a_tooltip_once).
        let curves = svg.matches("<g class=\"edge\"><title>").count();
        assert!(curves <= edges && (curves > 0) == (edges > 0), "{v:?}");
        assert_eq!(svg.matches("<g class=\"node").count(), nodes, "{v:?}");
    }
}
