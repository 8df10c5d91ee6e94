//! `/source/{id}`: a source's stored text with every quoted passage marked and linked to the
//! statements and quotations it backs. The id is only looked up among the loaded sources, never
//! used as a path, so `..` and encoded variants find nothing (404).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped};

use super::error::HttpError;
use super::html::{join, page, url_segment};
use super::pages::entity_ref;
use super::state::{AppState, Snapshot};
use crate::curation::coverage::{source_coverage, EntityNames, SourceCoverage};
use crate::model::{Model, SourceFacts};

/// The fragment id of a passage in its source page.
pub fn passage_anchor(byte_start: usize, byte_end: usize) -> String {
    format!("q{byte_start}-{byte_end}")
}

/// `GET /source/{id}`.
pub async fn source(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let snap = state.snapshot();
    let Some(src) = snap.model.source(&id) else {
        return HttpError::not_found("source").into_response();
    };
    let body = render(&snap, src);
    page(&src.source.title, state.problem().as_deref(), body).into_response()
}

/// What a passage backs, as list items, keyed by passage range.
type Uses = BTreeMap<(usize, usize), (usize, Vec<Markup>)>;

fn uses(snap: &Snapshot, src: &SourceFacts) -> Uses {
    let ents = &snap.model;
    let mut out: Uses = BTreeMap::new();
    for c in &src.statements {
        let st = &c.statement;
        let item = html! {
            li class="use" id={ "st-" (url_segment(&c.id)) } {
                (entity_ref(ents, &st.subject)) " " em { (st.predicate.label()) } " "
                @match (&st.object, &st.value) {
                    (Some(o), _) => (entity_ref(ents, o)),
                    (None, Some(v)) => { "“" (v.value) "”" }
                    (None, None) => {}
                }
            }
        };
        for p in &c.evidence {
            let e = out
                .entry((p.byte_start, p.byte_end))
                .or_insert((p.line, Vec::new()));
            e.1.push(item.clone());
        }
    }
    for q in &src.quotations {
        let p = &q.passage;
        let item =
            html! { li class="use" { "quotation by " (entity_ref(ents, &q.quotation.speaker)) } };
        out.entry((p.byte_start, p.byte_end))
            .or_insert((p.line, Vec::new()))
            .1
            .push(item);
    }
    out
}

fn render(snap: &Snapshot, src: &SourceFacts) -> Markup {
    let s = &src.source;
    let ents = &snap.model;
    let uses = uses(snap, src);
    let cov = source_coverage(src, &EntityNames::new(ents.entities()));
    let uncited: Vec<(usize, usize)> = cov.uncited_sentences.iter().map(|u| u.bytes).collect();
    html! {
        h1 { (s.title) }
        dl class="facts" {
            dt { "publisher" } dd { (entity_ref(ents, &s.publisher)) }
            dt { "date" } dd { (s.date) }
            dt { "language" } dd { (s.language) }
            @if let Some(u) = &s.url {
                dt { "URL" }
                dd {
                    @if u.starts_with("https://") || u.starts_with("http://") {
                        a href=(u) { (u) }
                    } @else {
                        (u)
                    }
                }
            }
            @if let Some(n) = &s.note { dt { "note" } dd { (n) } }
        }
        (coverage_summary(&cov))
        h2 { "Text" }
        div class="source-text" lang=(s.language) { (highlight(&src.text, &uses, &uncited)) }
        (coverage_lists(&cov, ents))
        h2 { "Quoted passages (" (uses.len()) ")" }
        ol class="passages" {
            @for (&(a, b), (line, items)) in &uses {
                @let anchor = passage_anchor(a, b);
                li id={ "ref-" (anchor) } {
                    a href={ "#" (anchor) } { "line " (line) }
                    " " q { (src.text.get(a..b).unwrap_or_default()) }
                    ul { @for item in items { (item) } }
                }
            }
        }
    }
}

/// One line of coverage figures, as `coalition coverage` computes them.
fn coverage_summary(cov: &SourceCoverage) -> Markup {
    html! {
        p class="coverage" {
            "Coverage: " strong { (cov.coverage) (PreEscaped("&#8239;%")) } " of "
            (cov.sentences) " sentences (" (cov.cited) " cited, " (cov.ignored)
            " set aside by the curators, " (cov.uncited) " not yet cited"
            @if cov.uncited > 0 { ", marked below" } ")."
        }
    }
}

/// The uncited sentences (with the known entities they name) and the ignored ones (with reasons).
fn coverage_lists(cov: &SourceCoverage, ents: &Model) -> Markup {
    html! {
        @if !cov.uncited_sentences.is_empty() {
            h2 { "Sentences not yet cited (" (cov.uncited) ")" }
            ol class="uncited-list" {
                @for u in &cov.uncited_sentences {
                    li {
                        "line " (u.line) ": " q { (u.text) }
                        @if !u.entities.is_empty() {
                            @let named = u.entities.iter().map(|id| entity_ref(ents, id));
                            " " small { "names " (join(named, ", ")) }
                        }
                    }
                }
            }
        }
        @if !cov.ignored_sentences.is_empty() {
            h2 { "Set aside by the curators (" (cov.ignored) ")" }
            ol class="ignored-list" {
                @for i in &cov.ignored_sentences {
                    li { "line " (i.line) ": " q { (i.text) } " — " (i.reasons.join("; ")) }
                }
            }
        }
    }
}

/// The text with each passage marked (where passages overlap, a piece links to the shortest) and
/// each sentence in `uncited` flagged as not yet cited.
fn highlight(text: &str, uses: &Uses, uncited: &[(usize, usize)]) -> Markup {
    let ranges: Vec<(usize, usize)> = uses
        .keys()
        .copied()
        .filter(|&(a, b)| a < b && text.is_char_boundary(a) && text.get(a..b).is_some())
        .collect();
    let mut cuts: Vec<usize> = ranges
        .iter()
        .chain(uncited)
        .flat_map(|&(a, b)| [a, b])
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    cuts.extend([0, text.len()]);
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for w in cuts.windows(2) {
            @let (a, b) = (w[0], w[1]);
            @for &(s, e) in ranges.iter().filter(|r| r.0 == a) {
                span id=(passage_anchor(s, e)) {}
            }
            @let piece = &text[a..b];
            @let inner = ranges
                .iter()
                .filter(|&&(s, e)| s <= a && b <= e)
                .min_by_key(|&&(s, e)| (e - s, s));
            @if let Some(&(s, e)) = inner {
                a class="hl" href={ "#ref-" (passage_anchor(s, e)) } { mark { (piece) } }
            } @else if uncited.iter().any(|&(s, e)| s <= a && b <= e) {
                span class="uncited" title="not cited by any statement or quotation" { (piece) }
            } @else {
                (piece)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_passages_are_all_marked() {
        let text = "a <b> c d";
        let mut uses = Uses::new();
        uses.insert((2, 7), (1, vec![]));
        uses.insert((4, 9), (1, vec![]));
        let h = highlight(text, &uses, &[]).0;
        assert!(h.starts_with(
            "a <span id=\"q2-7\"></span><a class=\"hl\" href=\"#ref-q2-7\"><mark>&lt;b</mark>"
        ));
        assert!(h.contains("<span id=\"q4-9\"></span>"));
        assert!(h.ends_with("href=\"#ref-q4-9\"><mark> d</mark></a>"));
        assert!(!h.contains("<b>"));
    }

    #[test]
    fn uncited_sentences_are_flagged() {
        let text = "Cited. Not <yet>.";
        let mut uses = Uses::new();
        uses.insert((0, 6), (1, vec![]));
        let h = highlight(text, &uses, &[(7, 17)]).0;
        assert!(h.ends_with(
            " <span class=\"uncited\" title=\"not cited by any statement or quotation\">Not &lt;yet&gt;.</span>"
        ), "{h}");
    }
}
