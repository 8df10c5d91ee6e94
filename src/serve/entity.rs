//! Linked data for entities: `/entity/{id}` answers an HTML page (label, kind, aliases, Wikidata
//! link, every statement in and out with its quote marked in its sentence) or the entity's triples
//! in Turtle, N-Triples or JSON-LD, by the `Accept` header (Linked Data principles:
//! <https://www.w3.org/DesignIssues/LinkedData.html>).

use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNodeRef, Quad, TermRef};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::error::HttpError;
use super::graph::{self, entity_iri};
use super::html::{esc, page, quote_in_sentence, url_segment};
use super::negotiate;
use super::pages::entity_link;
use super::source::passage_anchor;
use super::state::{AppState, Snapshot};
use crate::facts::schema::Certainty;
use crate::model::{Claim, Edge, Node};
use crate::rdf;

const TYPES: &[&str] = &[
    "text/html",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
];

/// Query string of `/entity/{id}`.
#[derive(Debug, serde::Deserialize)]
pub struct FormatParam {
    /// `ttl`, `nt`, `jsonld` or `html`.
    format: Option<String>,
}

/// `GET /entity/{id}`.
pub async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<FormatParam>,
    headers: HeaderMap,
) -> Response {
    let snap = state.snapshot();
    let Some(n) = snap.model.entity(&id) else {
        return HttpError::not_found("entity").into_response();
    };
    // `?format=` overrides the header, for links a browser can follow.
    let accept = match params.format.as_deref() {
        Some("ttl" | "turtle") => Some("text/turtle"),
        Some("nt") => Some("application/n-triples"),
        Some("jsonld") => Some("application/ld+json"),
        Some("html") => Some("text/html"),
        Some(other) => {
            return HttpError::bad_request(format!(
                "unknown format `{other}`: use ttl, nt, jsonld or html"
            ))
            .into_response()
        }
        None => headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
    };
    let Some(media) = negotiate::choose(accept, TYPES) else {
        return HttpError::new(
            axum::http::StatusCode::NOT_ACCEPTABLE,
            format!("ask for one of: {}", TYPES.join(", ")),
        )
        .into_response();
    };
    if media != "text/html" {
        return match rdf(&snap, &id, media) {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, media.to_string()),
                    (header::VARY, "Accept".to_string()),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => e.into_response(),
        };
    }
    let body = html(&snap, n);
    let title = snap.model.label(n, "en");
    (
        [(header::VARY, "Accept")],
        Html(page(&title, state.problem().as_deref(), &body)),
    )
        .into_response()
}

/// The triples whose subject or object is the entity, from every graph of the store, merged.
fn rdf(snap: &Snapshot, id: &str, media: &str) -> Result<Vec<u8>, HttpError> {
    let node = NamedNode::new(entity_iri(&snap.base, id)).map_err(HttpError::internal)?;
    let format = match media {
        "application/n-triples" => rdf::Format::NTriples,
        "application/ld+json" => rdf::Format::JsonLd,
        _ => rdf::Format::Turtle,
    };
    let out =
        snap.store
            .quads_for_pattern(Some(NamedOrBlankNodeRef::from(&node)), None, None, None);
    let inc = snap
        .store
        .quads_for_pattern(None, None, Some(TermRef::from(&node)), None);
    let quads = out
        .chain(inc)
        .collect::<Result<Vec<Quad>, _>>()
        .map_err(HttpError::internal)?;
    let merged: Vec<Quad> = rdf::merged_triples(&quads)
        .into_iter()
        .map(|t| t.in_graph(GraphName::DefaultGraph))
        .collect();
    graph::write_triples(&merged, format, &snap.base).map_err(HttpError::internal)
}

fn html(snap: &Snapshot, n: petgraph::graph::NodeIndex) -> String {
    let model = &snap.model;
    let Node::Entity(e) = &model.graph()[n] else {
        return String::new();
    };
    let mut out = format!(
        "<h1>{}</h1>\n<p class=\"kind\">{} <span class=\"muted\">— {}</span></p>\n<dl class=\"facts\">\n",
        esc(&e.name),
        esc(e.kind.label()),
        esc(e.kind.description())
    );
    let _ = writeln!(out, "<dt>id</dt><dd><code>{}</code></dd>", esc(&e.id));
    if !e.aliases.is_empty() {
        let _ = writeln!(
            out,
            "<dt>aliases</dt><dd class=\"aliases\">{}</dd>",
            esc(&e.aliases.join(", "))
        );
    }
    for (lang, label) in &e.labels {
        let _ = writeln!(
            out,
            "<dt>label ({})</dt><dd lang=\"{0}\">{}</dd>",
            esc(lang),
            esc(label)
        );
    }
    if let Some(d) = &e.description {
        let _ = writeln!(out, "<dt>description</dt><dd>{}</dd>", esc(d));
    }
    if let Some(q) = &e.wikidata {
        let _ = writeln!(
            out,
            "<dt>Wikidata</dt><dd><a class=\"wikidata\" href=\"https://www.wikidata.org/wiki/{}\">{}</a></dd>",
            esc(&url_segment(q)),
            esc(q)
        );
    }
    let _ = writeln!(
        out,
        "<dt>RDF</dt><dd><a href=\"/entity/{0}?format=ttl\">Turtle</a>, <a href=\"/entity/{0}?format=nt\">N-Triples</a>, <a href=\"/entity/{0}?format=jsonld\">JSON-LD</a> (or ask with <code>Accept: text/turtle</code>)</dd>\n</dl>",
        esc(&url_segment(&e.id))
    );
    let statements = model.statements_of(n);
    let _ = writeln!(out, "<h2>Statements ({})</h2>", statements.len());
    if statements.is_empty() {
        out.push_str("<p class=\"muted\">No statement mentions this entity.</p>\n");
    }
    out.push_str("<ul class=\"statements\">\n");
    for (edge, s, o) in statements {
        let Edge::Statement { predicate, claims } = &model.graph()[edge] else {
            continue;
        };
        let link = |i| match &model.graph()[i] {
            Node::Entity(x) => entity_link(x),
            _ => esc(&model.label(i, "en")),
        };
        let _ = writeln!(
            out,
            "<li class=\"statement\"><p class=\"triple\">{} <em title=\"{}\">{}</em> {}</p>\n<ul>",
            link(s),
            esc(predicate.description()),
            esc(predicate.label()),
            link(o)
        );
        for c in claims {
            out.push_str(&claim(snap, c));
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n");
    out.push_str(&quotations(snap, n));
    out
}

fn claim(snap: &Snapshot, c: &Claim) -> String {
    let st = &c.statement;
    let mut quals = Vec::new();
    if let Some(r) = &st.role {
        quals.push(format!("role: {}", esc(r)));
    }
    if let Some(d) = &c.date {
        quals.push(format!("date: {}", esc(&d.to_string())));
    }
    if let Some(q) = &st.quantity {
        let approx = if q.approximate { "about " } else { "" };
        let wording = q
            .wording
            .as_ref()
            .map_or_else(String::new, |w| format!(" (“{}”)", esc(w)));
        quals.push(format!("quantity: {approx}{}{wording}", q.value));
    }
    match st.certainty {
        Certainty::Stated => {}
        other => {
            let by = st.attributed_to.as_ref().map_or_else(String::new, |a| {
                match snap.model.entity_record(a) {
                    Some(e) => format!(" to {}", entity_link(e)),
                    None => format!(" to {}", esc(a)),
                }
            });
            quals.push(format!("{}{by}", esc(&format!("{other:?}").to_lowercase())));
        }
    }
    if let Some(s) = &st.stance {
        quals.push(format!("stance: {}", esc(&format!("{s:?}").to_lowercase())));
    }
    let src = snap.model.source(&c.source);
    let title = src.map_or(c.source.as_str(), |s| s.source.title.as_str());
    let mut out = format!(
        "<li class=\"claim\"><span class=\"quals\">{}</span>",
        quals.join("; ")
    );
    for p in &c.evidence {
        let sentence = src.map_or_else(
            || esc(&p.exact),
            |s| quote_in_sentence(&s.text, p.byte_start, p.byte_end),
        );
        let _ = write!(
            out,
            "<blockquote>{sentence}</blockquote><p class=\"cite\">— <a href=\"/source/{}#{}\">{}</a>, line {}</p>",
            esc(&url_segment(&c.source)),
            passage_anchor(p.byte_start, p.byte_end),
            esc(title),
            p.line
        );
    }
    out.push_str("</li>\n");
    out
}

/// Quotations said by, written in or about the entity.
fn quotations(snap: &Snapshot, n: petgraph::graph::NodeIndex) -> String {
    let model = &snap.model;
    let mut rows: Vec<(String, String)> = model
        .graph()
        .edges_directed(n, Direction::Incoming)
        .filter_map(|e| match (&model.graph()[e.source()], e.weight()) {
            (Node::Quotation(sid, q), Edge::SaidBy | Edge::WrittenIn | Edge::About) => {
                let src = model.source(sid)?;
                let p = &q.passage;
                Some((
                    q.quotation.id.clone(),
                    format!(
                        "<li class=\"quotation\"><span class=\"muted\">{}:</span><blockquote>{}</blockquote><p class=\"cite\">— <a href=\"/source/{}#{}\">{}</a></p></li>\n",
                        esc(e.weight().label()),
                        quote_in_sentence(&src.text, p.byte_start, p.byte_end),
                        esc(&url_segment(sid)),
                        passage_anchor(p.byte_start, p.byte_end),
                        esc(&src.source.title)
                    ),
                ))
            }
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    rows.sort();
    rows.dedup_by(|a, b| a.0 == b.0);
    let mut out = format!(
        "<h2>Quotations ({})</h2>\n<ul class=\"quotations\">\n",
        rows.len()
    );
    for (_, r) in rows {
        out.push_str(&r);
    }
    out.push_str("</ul>\n");
    out
}
