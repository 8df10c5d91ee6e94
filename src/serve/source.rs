//! `/source/{id}`: a source's stored text with every quoted passage marked and linked to the
//! statements and quotations it backs. The id is only looked up among the loaded sources, never
//! used as a path, so `..` and encoded variants find nothing (404).

use std::collections::BTreeMap;
use std::fmt::Write;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};

use super::error::HttpError;
use super::html::{esc, page, url_segment};
use super::pages::entity_link;
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
    Html(page(&src.source.title, state.problem().as_deref(), &body)).into_response()
}

/// What a passage backs, as HTML, keyed by passage range.
type Uses = BTreeMap<(usize, usize), (usize, Vec<String>)>;

fn uses(snap: &Snapshot, src: &SourceFacts) -> Uses {
    let ents = &snap.model;
    let link = |id: &str| ents.entity_record(id).map_or_else(|| esc(id), entity_link);
    let mut out: Uses = BTreeMap::new();
    for c in &src.statements {
        let st = &c.statement;
        let object = match (&st.object, &st.value) {
            (Some(o), _) => link(o),
            (None, Some(v)) => format!("“{}”", esc(&v.value)),
            (None, None) => String::new(),
        };
        let item = format!(
            "<li class=\"use\" id=\"st-{}\">{} <em>{}</em> {}</li>",
            esc(&url_segment(&c.id)),
            link(&st.subject),
            esc(st.predicate.label()),
            object
        );
        for p in &c.evidence {
            let e = out
                .entry((p.byte_start, p.byte_end))
                .or_insert((p.line, Vec::new()));
            e.1.push(item.clone());
        }
    }
    for q in &src.quotations {
        let p = &q.passage;
        let item = format!(
            "<li class=\"use\">quotation by {}</li>",
            link(&q.quotation.speaker)
        );
        out.entry((p.byte_start, p.byte_end))
            .or_insert((p.line, Vec::new()))
            .1
            .push(item);
    }
    out
}

fn render(snap: &Snapshot, src: &SourceFacts) -> String {
    let s = &src.source;
    let ents = &snap.model;
    let mut out = format!("<h1>{}</h1>\n<dl class=\"facts\">\n", esc(&s.title));
    let publisher = ents
        .entity_record(&s.publisher)
        .map_or_else(|| esc(&s.publisher), entity_link);
    let _ = writeln!(out, "<dt>publisher</dt><dd>{publisher}</dd>");
    let _ = writeln!(out, "<dt>date</dt><dd>{}</dd>", esc(&s.date));
    let _ = writeln!(out, "<dt>language</dt><dd>{}</dd>", esc(&s.language));
    if let Some(u) = &s.url {
        if u.starts_with("https://") || u.starts_with("http://") {
            let _ = writeln!(out, "<dt>URL</dt><dd><a href=\"{0}\">{0}</a></dd>", esc(u));
        } else {
            let _ = writeln!(out, "<dt>URL</dt><dd>{}</dd>", esc(u));
        }
    }
    if let Some(n) = &s.note {
        let _ = writeln!(out, "<dt>note</dt><dd>{}</dd>", esc(n));
    }
    out.push_str("</dl>\n");
    let uses = uses(snap, src);
    let cov = source_coverage(src, &EntityNames::new(ents.entities()));
    let uncited: Vec<(usize, usize)> = cov.uncited_sentences.iter().map(|u| u.bytes).collect();
    out.push_str(&coverage_summary(&cov));
    out.push_str("<h2>Text</h2>\n<div class=\"source-text\" lang=\"");
    out.push_str(&esc(&s.language));
    out.push_str("\">");
    out.push_str(&highlight(&src.text, &uses, &uncited));
    out.push_str("</div>\n");
    out.push_str(&coverage_lists(&cov, ents));
    let _ = writeln!(
        out,
        "<h2>Quoted passages ({})</h2>\n<ol class=\"passages\">",
        uses.len()
    );
    for (&(a, b), (line, items)) in &uses {
        let anchor = passage_anchor(a, b);
        let exact = src.text.get(a..b).unwrap_or_default();
        let _ = writeln!(
            out,
            "<li id=\"ref-{anchor}\"><a href=\"#{anchor}\">line {line}</a> <q>{}</q>\n<ul>{}</ul></li>",
            esc(exact),
            items.concat()
        );
    }
    out.push_str("</ol>\n");
    out
}

/// One line of coverage figures, as `coalition coverage` computes them.
fn coverage_summary(cov: &SourceCoverage) -> String {
    format!(
        "<p class=\"coverage\">Coverage: <strong>{}&#8239;%</strong> of {} sentences \
         ({} cited, {} set aside by the curators, {} not yet cited{}).</p>\n",
        cov.coverage,
        cov.sentences,
        cov.cited,
        cov.ignored,
        cov.uncited,
        if cov.uncited > 0 {
            ", marked below"
        } else {
            ""
        }
    )
}

/// The uncited sentences (with the known entities they name) and the ignored ones (with reasons).
fn coverage_lists(cov: &SourceCoverage, ents: &Model) -> String {
    let mut out = String::new();
    if !cov.uncited_sentences.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Sentences not yet cited ({})</h2>\n<ol class=\"uncited-list\">",
            cov.uncited
        );
        for u in &cov.uncited_sentences {
            let named: Vec<String> = u
                .entities
                .iter()
                .map(|id| ents.entity_record(id).map_or_else(|| esc(id), entity_link))
                .collect();
            let names = if named.is_empty() {
                String::new()
            } else {
                format!(" <small>names {}</small>", named.join(", "))
            };
            let _ = writeln!(
                out,
                "<li>line {}: <q>{}</q>{names}</li>",
                u.line,
                esc(&u.text)
            );
        }
        out.push_str("</ol>\n");
    }
    if !cov.ignored_sentences.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Set aside by the curators ({})</h2>\n<ol class=\"ignored-list\">",
            cov.ignored
        );
        for i in &cov.ignored_sentences {
            let _ = writeln!(
                out,
                "<li>line {}: <q>{}</q> — {}</li>",
                i.line,
                esc(&i.text),
                esc(&i.reasons.join("; "))
            );
        }
        out.push_str("</ol>\n");
    }
    out
}

/// The text with each passage marked (where passages overlap, a piece links to the shortest) and
/// each sentence in `uncited` flagged as not yet cited.
fn highlight(text: &str, uses: &Uses, uncited: &[(usize, usize)]) -> String {
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
    let mut out = String::with_capacity(text.len() * 2);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        for &(s, e) in ranges.iter().filter(|r| r.0 == a) {
            let _ = write!(out, "<span id=\"{}\"></span>", passage_anchor(s, e));
        }
        let piece = esc(&text[a..b]);
        let inner = ranges
            .iter()
            .filter(|&&(s, e)| s <= a && b <= e)
            .min_by_key(|&&(s, e)| (e - s, s));
        match inner {
            Some(&(s, e)) => {
                let _ = write!(
                    out,
                    "<a class=\"hl\" href=\"#ref-{}\"><mark>{piece}</mark></a>",
                    passage_anchor(s, e)
                );
            }
            None if uncited.iter().any(|&(s, e)| s <= a && b <= e) => {
                let _ = write!(
                    out,
                    "<span class=\"uncited\" title=\"not cited by any statement or quotation\">{piece}</span>"
                );
            }
            None => out.push_str(&piece),
        }
    }
    out
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
        let h = highlight(text, &uses, &[]);
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
        let h = highlight(text, &uses, &[(7, 17)]);
        assert!(h.ends_with(
            " <span class=\"uncited\" title=\"not cited by any statement or quotation\">Not &lt;yet&gt;.</span>"
        ), "{h}");
    }
}
