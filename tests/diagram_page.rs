//! Diagrams that read on a report page: the seed's embedded layout meets the page rules
//! (smallest text at 1240 px, shape, no overlapping labels), is at least as good as Graphviz on
//! the layout-quality figures, comes out as PNG and searchable PDF, speaks French on request, and
//! a corpus too large to read asks the user to focus.

use coalition::diagram::drawing::{Drawing, MAX_TALL, MAX_WIDE, MIN_TEXT_PX};
use coalition::diagram::scene::Scene;
use coalition::diagram::{self, embedded, graphviz, quality, View};
use coalition::model::Model;

use crate::util::{require_program, root, run, text};

/// The four signatories the source names, as labelled in seeds/entities.yaml.
const SIGNATORIES: [&str; 4] = [
    "Electronic Frontier Foundation",
    "Black Lives Matter",
    "Freedom of the Press Foundation",
    "Human Rights Watch",
];

fn seed_model() -> Model {
    coalition::load(root().join("seeds")).expect("seed facts load")
}

fn focus(id: &str, depth: usize) -> View {
    View {
        focus: Some(id.to_string()),
        depth,
        ..View::default()
    }
}

fn assert_fits_page(d: &Drawing, what: &str) {
    let l = d.legibility();
    assert!(
        l.min_text_at_page >= MIN_TEXT_PX,
        "{what}: smallest text {:.2} px at page width ({l:?})",
        l.min_text_at_page
    );
    assert!(
        l.aspect <= MAX_WIDE && l.aspect >= 1.0 / MAX_TALL,
        "{what}: aspect {:.2} ({l:?})",
        l.aspect
    );
    assert_eq!(l.overlaps, 0, "{what}: overlapping labels ({l:?})");
    assert!(l.fits_page(), "{what}");
}

#[test]
fn seed_diagram_reads_on_a_page() {
    let model = seed_model();
    let d = diagram::drawing(&model, &View::default()).unwrap();
    assert_fits_page(&d, "default view");
    // The coalition is one block holding its four named members, with the source's count.
    assert_eq!(d.blocks.len(), 1);
    let block = &d.blocks[0];
    let caption: Vec<&str> = block.caption.iter().map(|t| t.text.as_str()).collect();
    assert!(caption.contains(&"une trentaine (≈30)"), "{caption:?}");
    for name in SIGNATORIES {
        let inside = d.nodes.iter().any(|n| {
            n.lines
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
                == name
                && block.rect.contains(&n.rect)
        });
        assert!(inside, "{name} is not inside the coalition block");
    }
    for (what, view) in [
        ("focus eff", focus("eff", 1)),
        ("focus amazon depth 2", focus("amazon", 2)),
        (
            "French",
            View {
                lang: "fr".into(),
                ..View::default()
            },
        ),
    ] {
        assert_fits_page(&diagram::drawing(&model, &view).unwrap(), what);
    }
}

#[test]
fn every_relation_is_drawn_or_in_a_tooltip_once() {
    let model = seed_model();
    for view in [View::default(), focus("amazon", 2)] {
        let scene = Scene::build(&model, &view).unwrap();
        let d = embedded::draw(&scene).unwrap();
        let drawn: usize = d.links.iter().map(|l| l.edges.len()).sum();
        let inside: usize = d.nodes.iter().map(|n| n.extra_tooltip.len()).sum();
        let head: usize = d.blocks.iter().filter(|b| b.head.is_some()).count();
        assert_eq!(drawn + inside, scene.edges.len());
        assert_eq!(d.nodes.len() + head, scene.nodes.len());
    }
}

#[test]
fn embedded_layout_is_at_least_as_good_as_graphviz_on_the_seed() {
    if !require_program("dot", &["-V"]) {
        return;
    }
    let model = seed_model();
    let ours = quality::of_drawing(&diagram::drawing(&model, &View::default()).unwrap());
    let dot_text = diagram::dot(&model, &View::default()).unwrap();
    let theirs = quality::of_graphviz_json(&graphviz::layout_json(&dot_text).unwrap()).unwrap();
    assert!(ours.crossings <= theirs.crossings, "{ours:?} vs {theirs:?}");
    assert!(ours.area() <= theirs.area(), "{ours:?} vs {theirs:?}");
    assert!(
        ours.edge_length <= theirs.edge_length,
        "{ours:?} vs {theirs:?}"
    );
    assert!(
        ours.min_text_at_page >= theirs.min_text_at_page,
        "{ours:?} vs {theirs:?}"
    );
    assert!(ours.overlaps <= theirs.overlaps, "{ours:?} vs {theirs:?}");
}

fn diagram_to(dir: &std::path::Path, name: &str, args: &[&str]) -> Vec<u8> {
    let out = dir.join(name);
    let mut all = vec!["diagram", "-o", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = run(&root(), &all);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    std::fs::read(out).unwrap()
}

#[test]
fn png_and_pdf_come_out_of_diagram() {
    let tmp = tempfile::tempdir().unwrap();
    let svg = String::from_utf8(diagram_to(tmp.path(), "c.svg", &["--format", "svg"])).unwrap();
    let size = |attr: &str| -> u32 {
        let at = svg.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
        svg[at..].split('"').next().unwrap().parse().unwrap()
    };
    let png = diagram_to(tmp.path(), "c.png", &["--format", "png"]);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let dim = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((dim(16), dim(20)), (2 * size("width"), 2 * size("height")));
    let pdf = diagram_to(tmp.path(), "c.pdf", &["--format", "pdf"]);
    assert!(pdf.starts_with(b"%PDF-"));
    // Same bytes on every run: only the bundled font is used.
    assert!(png == diagram_to(tmp.path(), "d.png", &["--format", "png"]));
    if !require_program("pdftotext", &["-v"]) {
        return;
    }
    let o = std::process::Command::new("pdftotext")
        .args(["-raw", "c.pdf", "-"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for name in SIGNATORIES {
        assert!(words.contains(name), "{name} not in PDF text: {words}");
    }
    assert!(words.contains("une trentaine (≈30)"), "{words}");
}

#[test]
fn lang_fr_speaks_french_and_unknown_languages_are_usage_errors() {
    let o = run(&root(), &["diagram", "--format", "svg", "--lang", "fr"]);
    let (svg, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for needle in ["Légende", "affirmé par la source", "a signé", "Source : "] {
        assert!(svg.contains(needle), "{needle} missing");
    }
    let o = run(&root(), &["diagram", "--lang", "de"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("unknown language `de`"), "{err}");
}

#[test]
fn a_corpus_too_large_to_read_asks_to_focus() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let o = run(
        tmp.path(),
        &["synth", "--sources", "50", "--out", dir.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    let facts = dir.to_str().unwrap();
    let o = run(
        tmp.path(),
        &["diagram", "--facts", facts, "--format", "svg"],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(out.is_empty());
    assert!(err.contains("too large to read on a page"), "{err}");
    assert!(err.contains("--focus ID --depth N"), "{err}");
    // A focus view of the same corpus is drawn, and reads on a page.
    let model = coalition::load(&dir).unwrap();
    let id = model.entities().next().unwrap().id.clone();
    let d = diagram::drawing(&model, &focus(&id, 1)).unwrap();
    assert_fits_page(&d, "synthetic focus view");
}
