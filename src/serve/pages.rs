//! The explorer's pages: home (search, diagram, questions, SPARQL editor, entity index), search
//! results, a named question's results, and the embedded assets. Entity and source pages are in
//! [`super::entity`] and [`super::source`].

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped};
use oxigraph::model::Term;
use serde::Deserialize;

use super::error::HttpError;
use super::html::{page, url_segment};
use super::sparql::{self, Table};
use super::state::{AppState, Snapshot};
use crate::facts::schema::Entity;
use crate::model::Model;

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// `GET /assets/{name}`: the stylesheet and script, embedded in the binary.
pub async fn asset(Path(name): Path<String>) -> Response {
    let (ty, body) = match name.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLE),
        "app.js" => ("text/javascript; charset=utf-8", SCRIPT),
        _ => return HttpError::not_found("asset").into_response(),
    };
    ([(header::CONTENT_TYPE, ty)], body).into_response()
}

/// `GET /`: the home page.
pub async fn home(State(state): State<AppState>) -> Markup {
    let snap = state.snapshot();
    let m = &snap.model;
    let example = snap
        .queries
        .first()
        .map_or("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20", |q| {
            q.text.as_str()
        });
    let body = html! {
        h1 { "Coalition explorer" }
        p class="lead" {
            (m.source_count()) " sources, " (m.entity_count()) " entities, "
            (m.statement_count()) " statements, " (m.quotation_count()) " quotations. Every \
            statement links to the passage of its source that backs it."
        }
        form action="/search" method="get" id="search-form" {
            input type="search" name="q" id="search" placeholder="EFF, Amazon, Rekognition…"
                aria-label="Search names and aliases";
            " " button id="search-button" { "Search" }
        }
        (diagram_section(&snap))
        section id="questions" {
            h2 { "Questions" }
            ul class="questions" {
                @for q in &snap.queries {
                    @let n = url_segment(&q.name);
                    li {
                        a class="question" href={ "/query/" (n) } data-query=(n) { (q.title) }
                        " " span class="muted" { (q.description) }
                        pre hidden id={ "query-" (n) } { (q.text) }
                    }
                }
            }
            div id="answer" class="results" {}
        }
        section id="sparql" {
            h2 { "SPARQL" }
            p class="muted" {
                "Read-only SPARQL 1.1 endpoint at " code { "/sparql" } " (GET or POST)."
            }
            form id="sparql-form" action="/sparql" method="post" {
                textarea name="query" id="query" rows="12" spellcheck="false" { (example) }
                br;
                button id="run" { "Run" }
            }
            div id="results" class="results" {}
        }
        (entity_index(&snap))
    };
    page("Explorer", state.problem().as_deref(), body)
}

/// The coalition diagram drawn by [`crate::diagram`] when the snapshot was loaded; its nodes link
/// to `/entity/{id}`.
fn diagram_section(snap: &Snapshot) -> Markup {
    html! {
        section id="diagram" {
            h2 { "Diagram" }
            @match &snap.diagram {
                // Our SVG writer escapes every label; inline SVG in HTML takes no XML declaration
                // or doctype.
                Ok(svg) => figure class="diagram" {
                    (PreEscaped(&svg[svg.find("<svg").unwrap_or(0)..]))
                },
                Err(e) => p class="muted" { "No diagram: " (e) },
            }
        }
    }
}

fn entity_index(snap: &Snapshot) -> Markup {
    let mut entities: Vec<&Entity> = snap.model.entities().collect();
    entities.sort_by(|a, b| (a.kind.label(), &a.name).cmp(&(b.kind.label(), &b.name)));
    html! {
        section id="entities" {
            h2 { "Entities" }
            dl {
                @for kind in entities.chunk_by(|a, b| a.kind.label() == b.kind.label()) {
                    dt { (kind[0].kind.label()) }
                    @for e in kind { dd { (entity_link(e)) } }
                }
            }
        }
    }
}

/// A link to an entity's page.
pub fn entity_link(e: &Entity) -> Markup {
    html! { a href={ "/entity/" (url_segment(&e.id)) } { (e.name) } }
}

/// A link to the entity `id` when the model knows it, else the id as text.
pub fn entity_ref(model: &Model, id: &str) -> Markup {
    html! {
        @match model.entity_record(id) {
            Some(e) => (entity_link(e)),
            None => (id),
        }
    }
}

/// Query string of `/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// The search text.
    #[serde(default)]
    q: String,
}

/// `GET /search?q=`: entities whose id, name, labels or aliases contain the text (any case).
pub async fn search(State(state): State<AppState>, Query(p): Query<SearchParams>) -> Markup {
    let snap = state.snapshot();
    let needle = p.q.trim().to_lowercase();
    let mut hits: Vec<(u8, &Entity)> = snap
        .model
        .entities()
        .filter_map(|e| rank(e, &needle).map(|r| (r, e)))
        .collect();
    hits.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    let body = html! {
        h1 { "Search: " (p.q.trim()) }
        @if needle.is_empty() {
            p { "Type a name or an alias." }
        } @else if hits.is_empty() {
            p { "No entity matches." }
        } @else {
            ul class="hits" {
                @for (_, e) in &hits {
                    li {
                        (entity_link(e))
                        @if !e.aliases.is_empty() { " (" (e.aliases.join(", ")) ")" }
                        " " span class="muted" { (e.kind.label()) }
                    }
                }
            }
        }
    };
    page("Search", state.problem().as_deref(), body)
}

/// Match quality: 0 exact name or alias, 1 prefix, 2 substring; `None` when nothing matches.
fn rank(e: &Entity, needle: &str) -> Option<u8> {
    if needle.is_empty() {
        return None;
    }
    let names = std::iter::once(&e.name)
        .chain(std::iter::once(&e.id))
        .chain(e.labels.values())
        .chain(e.aliases.iter())
        .map(|s| s.to_lowercase());
    names
        .filter_map(|n| {
            if n == needle {
                Some(0)
            } else if n.starts_with(needle) {
                Some(1)
            } else if n.contains(needle) {
                Some(2)
            } else {
                None
            }
        })
        .min()
}

/// `GET /query/{name}`: a named question and its results as a table (works without JavaScript).
pub async fn question(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let snap = state.snapshot();
    let Some(q) = snap.queries.iter().find(|q| q.name == name) else {
        return HttpError::not_found("question").into_response();
    };
    let (status, results) = match sparql::table(&state, &q.text).await {
        Ok(t) => (StatusCode::OK, render_table(&t, &state.base)),
        Err(e) => (e.status, html! { p class="error" { (e.message) } }),
    };
    let body = html! {
        h1 { (q.title) }
        p class="muted" { (q.description) }
        pre class="query" { (q.text) }
        (results)
    };
    (status, page(&q.title, state.problem().as_deref(), body)).into_response()
}

/// Renders query results as an HTML table; IRIs under `base` link to this server's pages.
pub fn render_table(t: &Table, base: &str) -> Markup {
    html! {
        table class="results" {
            @match t {
                Table::Solutions(vars, rows) => {
                    thead { tr { @for v in vars { th { (v) } } } }
                    tbody {
                        @for row in rows {
                            tr {
                                @for cell in row {
                                    td { @if let Some(t) = cell { (term(t, base)) } }
                                }
                            }
                        }
                    }
                }
                Table::Boolean(b) => tbody { tr { td { (b) } } },
                Table::Triples(triples) => {
                    thead { tr { th { "subject" } th { "predicate" } th { "object" } } }
                    tbody {
                        @for t in triples {
                            tr {
                                td { (term(&Term::from(t.subject.clone()), base)) }
                                td { (term(&Term::from(t.predicate.clone()), base)) }
                                td { (term(&t.object, base)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn term(t: &Term, base: &str) -> Markup {
    let text = match t {
        Term::NamedNode(n) => n.as_str(),
        Term::Literal(l) => return html! { (l.value()) },
        other => return html! { (other) },
    };
    let href = match text.strip_prefix(base) {
        Some(path) => format!("/{path}"),
        None if text.starts_with("http://") || text.starts_with("https://") => text.to_string(),
        // Other schemes (`javascript:` among them) are shown, not linked.
        None => return html! { (text) },
    };
    html! { a href=(href) { (text) } }
}
