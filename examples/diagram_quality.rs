//! Layout-quality figures of coalition diagrams: our embedded layout against Graphviz `dot` on the
//! same DOT (<https://graphviz.org/docs/outputs/json/>), measured the same way (see
//! `coalition::diagram::quality`). Prints a Markdown table; `benches/diagram-quality.sh` writes it
//! into docs/BENCHMARKS.md.
//!
//! `cargo run --example diagram_quality -- [FACTS_DIR]` (default `seeds`; needs Graphviz).

use coalition::diagram::quality::{self, Quality};
use coalition::diagram::{self, graphviz, View};

fn row(view: &str, engine: &str, q: &Quality) -> String {
    format!(
        "| {view} | {engine} | {:.0} × {:.0} | {:.2} | {} | {:.0} | {:.1} | {} |",
        q.width,
        q.height,
        q.area() / 1e6,
        q.crossings,
        q.edge_length,
        q.min_text_at_page,
        q.overlaps
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "seeds".to_string());
    let model = coalition::load(&dir)?;
    let focus = |id: &str, depth: usize| View {
        focus: Some(id.to_string()),
        depth,
        ..View::default()
    };
    let views = [
        ("whole picture", View::default()),
        ("`--focus eff`", focus("eff", 1)),
        ("`--focus amazon --depth 2`", focus("amazon", 2)),
    ];
    println!(
        "| view | layout | picture (px) | area (Mpx²) | edge crossings | total edge length (px) \
         | smallest text at 1240 px (px) | overlapping labels |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, view) in &views {
        let ours = quality::of_drawing(&diagram::drawing(&model, view)?);
        let json = graphviz::layout_json(&diagram::dot(&model, view)?)?;
        let theirs = quality::of_graphviz_json(&json)?;
        println!("{}", row(name, "embedded", &ours));
        println!("{}", row(name, "Graphviz `dot`", &theirs));
    }
    Ok(())
}
