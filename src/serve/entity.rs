//! Linked data for entities: `/entity/{id}` answers an HTML page (label, kind, aliases, Wikidata
//! link, every statement in and out with its quote marked in its sentence) or the entity's triples
//! in Turtle, N-Triples or JSON-LD, by the `Accept` header (Linked Data principles:
//! <https://www.w3.org/DesignIssues/LinkedData.html>).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNodeRef, Quad, TermRef};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::error::HttpError;
use super::graph::{self, entity_iri};
use super::html::{join, page, quote_in_sentence, url_segment};
use super::negotiate;
use super::pages::{entity_link, entity_ref};
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
        page(&title, state.problem().as_deref(), body),
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

fn html(snap: &Snapshot, n: petgraph::graph::NodeIndex) -> Markup {
    let model = &snap.model;
    let Node::Entity(e) = &model.graph()[n] else {
        return html! {};
    };
    let id = url_segment(&e.id);
    let link = |i| match &model.graph()[i] {
        Node::Entity(x) => entity_link(x),
        _ => html! { (model.label(i, "en")) },
    };
    let statements = model.statements_of(n);
    html! {
        h1 { (e.name) }
        p class="kind" { (e.kind.label()) " " span class="muted" { "— " (e.kind.description()) } }
        dl class="facts" {
            dt { "id" } dd { code { (e.id) } }
            @if !e.aliases.is_empty() {
                dt { "aliases" } dd class="aliases" { (e.aliases.join(", ")) }
            }
            @for (lang, label) in &e.labels {
                dt { "label (" (lang) ")" } dd lang=(lang) { (label) }
            }
            @if let Some(d) = &e.description { dt { "description" } dd { (d) } }
            @if let Some(q) = &e.wikidata {
                dt { "Wikidata" }
                dd {
                    a class="wikidata" href={ "https://www.wikidata.org/wiki/" (url_segment(q)) } {
                        (q)
                    }
                }
            }
            dt { "RDF" }
            dd {
                a href={ "/entity/" (id) "?format=ttl" } { "Turtle" } ", "
                a href={ "/entity/" (id) "?format=nt" } { "N-Triples" } ", "
                a href={ "/entity/" (id) "?format=jsonld" } { "JSON-LD" }
                " (or ask with " code { "Accept: text/turtle" } ")"
            }
        }
        h2 { "Statements (" (statements.len()) ")" }
        @if statements.is_empty() { p class="muted" { "No statement mentions this entity." } }
        ul class="statements" {
            @for &(edge, s, o) in &statements {
                @if let Edge::Statement { predicate, claims } = &model.graph()[edge] {
                    li class="statement" {
                        p class="triple" {
                            (link(s)) " "
                            em title=(predicate.description()) { (predicate.label()) }
                            " " (link(o))
                        }
                        ul { @for c in claims { (claim(snap, c)) } }
                    }
                }
            }
        }
        (quotations(snap, n))
    }
}

/// What a claim says beside its statement: role, date, quantity, certainty, stance.
fn qualifiers(snap: &Snapshot, c: &Claim) -> Markup {
    let st = &c.statement();
    let mut quals = Vec::new();
    if let Some(r) = &st.role {
        quals.push(html! { "role: " (r) });
    }
    if let Some(d) = &c.date() {
        quals.push(html! { "date: " (d) });
    }
    if let Some(q) = &st.quantity {
        quals.push(html! {
            "quantity: " @if q.approximate { "about " } (q.value)
            @if let Some(w) = &q.wording { " (“" (w) "”)" }
        });
    }
    if st.certainty != Certainty::Stated {
        quals.push(html! {
            (format!("{:?}", st.certainty).to_lowercase())
            @if let Some(a) = &st.attributed_to { " to " (entity_ref(&snap.model, a)) }
        });
    }
    if let Some(s) = &st.stance {
        quals.push(html! { "stance: " (format!("{s:?}").to_lowercase()) });
    }
    join(quals, "; ")
}

fn claim(snap: &Snapshot, c: &Claim) -> Markup {
    let src = snap.model.source(c.source());
    let title = src.map_or(c.source(), |s| s.source.title.as_str());
    html! {
        li class="claim" {
            span class="quals" { (qualifiers(snap, c)) }
            @for p in c.evidence() {
                blockquote {
                    @match src {
                        Some(s) => (quote_in_sentence(&s.text, p.byte_start, p.byte_end)),
                        None => (p.exact),
                    }
                }
                p class="cite" {
                    "— "
                    a href={
                        "/source/" (url_segment(c.source())) "#"
                        (passage_anchor(p.byte_start, p.byte_end))
                    } { (title) }
                    ", line " (p.line)
                }
            }
        }
    }
}

/// Quotations said by, written in or about the entity.
fn quotations(snap: &Snapshot, n: petgraph::graph::NodeIndex) -> Markup {
    let model = &snap.model;
    let mut rows: Vec<_> = model
        .graph()
        .edges_directed(n, Direction::Incoming)
        .filter_map(|e| match (&model.graph()[e.source()], e.weight()) {
            (Node::Quotation(q), Edge::SaidBy | Edge::WrittenIn | Edge::About) => Some((
                q.checked().quotation.id.as_str(),
                e.weight().label(),
                q.source(),
                model.source(q.source())?,
                &q.checked().passage,
            )),
            _ => None,
        })
        .collect();
    // One row per quotation, the same one whatever the edge order.
    rows.sort_by_key(|r| (r.0, r.1));
    rows.dedup_by_key(|r| r.0);
    html! {
        @if !rows.is_empty() {
            h2 { "Quotations (" (rows.len()) ")" }
            ul class="quotations" {
                @for (_, how, sid, src, pas) in rows {
                    li class="quotation" {
                        span class="muted" { (how) ":" }
                        blockquote { (quote_in_sentence(&src.text, pas.byte_start, pas.byte_end)) }
                        p class="cite" {
                            "— "
                            a href={
                                "/source/" (url_segment(sid)) "#"
                                (passage_anchor(pas.byte_start, pas.byte_end))
                            } { (src.source.title) }
                        }
                    }
                }
            }
        }
    }
}
