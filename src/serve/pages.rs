//! The explorer's pages: home (search, diagram, questions, SPARQL editor, entity index), search
//! results, a named question's results, and the embedded assets. Entity and source pages are in
//! [`super::entity`] and [`super::source`].

use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use oxigraph::model::Term;
use serde::Deserialize;

use super::error::HttpError;
use super::html::{esc, page, url_segment};
use super::sparql::{self, Table};
use super::state::{AppState, Snapshot};
use crate::facts::schema::Entity;

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
pub async fn home(State(state): State<AppState>) -> Html<String> {
    let snap = state.snapshot();
    let m = &snap.model;
    let mut body = format!(
        "<h1>Coalition explorer</h1>\n<p class=\"lead\">{} sources, {} entities, {} statements, \
         {} quotations. Every statement links to the passage of its source that backs it.</p>\n\
         <form action=\"/search\" method=\"get\" id=\"search-form\"><input type=\"search\" \
         name=\"q\" id=\"search\" placeholder=\"EFF, Amazon, Rekognition…\" aria-label=\"Search \
         names and aliases\"> <button id=\"search-button\">Search</button></form>\n",
        m.source_count(),
        m.entity_count(),
        m.statement_count(),
        m.quotation_count()
    );
    body.push_str(&diagram_section(&snap));
    body.push_str("<section id=\"questions\"><h2>Questions</h2>\n<ul class=\"questions\">\n");
    for q in &snap.queries {
        let _ = writeln!(
            body,
            "<li><a class=\"question\" href=\"/query/{n}\" data-query=\"{n}\">{}</a> \
             <span class=\"muted\">{}</span><pre hidden id=\"query-{n}\">{}</pre></li>",
            esc(&q.title),
            esc(&q.description),
            esc(&q.text),
            n = esc(&url_segment(&q.name)),
        );
    }
    body.push_str("</ul>\n<div id=\"answer\" class=\"results\"></div></section>\n");
    let example = snap
        .queries
        .first()
        .map_or("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20", |q| {
            q.text.as_str()
        });
    let _ = write!(
        body,
        "<section id=\"sparql\"><h2>SPARQL</h2>\n<p class=\"muted\">Read-only SPARQL 1.1 \
         endpoint at <code>/sparql</code> (GET or POST).</p>\n<form id=\"sparql-form\" \
         action=\"/sparql\" method=\"post\"><textarea name=\"query\" id=\"query\" rows=\"12\" \
         spellcheck=\"false\">{}</textarea><br><button id=\"run\">Run</button></form>\n\
         <div id=\"results\" class=\"results\"></div></section>\n",
        esc(example)
    );
    body.push_str(&entity_index(&snap));
    Html(page("Explorer", state.problem().as_deref(), &body))
}

/// The coalition diagram drawn by [`crate::diagram`] when the snapshot was loaded; its nodes link
/// to `/entity/{id}`.
fn diagram_section(snap: &Snapshot) -> String {
    match &snap.diagram {
        Ok(svg) => {
            // Inline SVG in HTML takes no XML declaration or doctype.
            let start = svg.find("<svg").unwrap_or(0);
            format!(
                "<section id=\"diagram\"><h2>Diagram</h2>\n<figure class=\"diagram\">{}</figure></section>\n",
                &svg[start..]
            )
        }
        Err(e) => format!(
            "<section id=\"diagram\"><h2>Diagram</h2>\n<p class=\"muted\">No diagram: {}</p></section>\n",
            esc(e)
        ),
    }
}

fn entity_index(snap: &Snapshot) -> String {
    let mut entities: Vec<&Entity> = snap.model.entities().collect();
    entities.sort_by(|a, b| (a.kind.label(), &a.name).cmp(&(b.kind.label(), &b.name)));
    let mut out = String::from("<section id=\"entities\"><h2>Entities</h2>\n<dl>\n");
    let mut last = "";
    for e in entities {
        if e.kind.label() != last {
            last = e.kind.label();
            let _ = writeln!(out, "<dt>{}</dt>", esc(last));
        }
        let _ = writeln!(out, "<dd>{}</dd>", entity_link(e));
    }
    out.push_str("</dl></section>\n");
    out
}

/// A link to an entity's page.
pub fn entity_link(e: &Entity) -> String {
    format!(
        "<a href=\"/entity/{}\">{}</a>",
        esc(&url_segment(&e.id)),
        esc(&e.name)
    )
}

/// Query string of `/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// The search text.
    #[serde(default)]
    q: String,
}

/// `GET /search?q=`: entities whose id, name, labels or aliases contain the text (any case).
pub async fn search(State(state): State<AppState>, Query(p): Query<SearchParams>) -> Html<String> {
    let snap = state.snapshot();
    let needle = p.q.trim().to_lowercase();
    let mut hits: Vec<(u8, &Entity)> = snap
        .model
        .entities()
        .filter_map(|e| rank(e, &needle).map(|r| (r, e)))
        .collect();
    hits.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    let mut body = format!("<h1>Search: {}</h1>\n", esc(p.q.trim()));
    if needle.is_empty() {
        body.push_str("<p>Type a name or an alias.</p>\n");
    } else if hits.is_empty() {
        body.push_str("<p>No entity matches.</p>\n");
    } else {
        body.push_str("<ul class=\"hits\">\n");
        for (_, e) in &hits {
            let aliases = if e.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", esc(&e.aliases.join(", ")))
            };
            let _ = writeln!(
                body,
                "<li>{}{aliases} <span class=\"muted\">{}</span></li>",
                entity_link(e),
                esc(e.kind.label())
            );
        }
        body.push_str("</ul>\n");
    }
    Html(page("Search", state.problem().as_deref(), &body))
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
        Err(e) => (
            e.status,
            format!("<p class=\"error\">{}</p>", esc(&e.message)),
        ),
    };
    let body = format!(
        "<h1>{}</h1>\n<p class=\"muted\">{}</p>\n<pre class=\"query\">{}</pre>\n{results}",
        esc(&q.title),
        esc(&q.description),
        esc(&q.text)
    );
    (
        status,
        Html(page(&q.title, state.problem().as_deref(), &body)),
    )
        .into_response()
}

/// Renders query results as an HTML table; IRIs under `base` link to this server's pages.
pub fn render_table(t: &Table, base: &str) -> String {
    let mut out = String::from("<table class=\"results\">\n");
    match t {
        Table::Solutions(vars, rows) => {
            out.push_str("<thead><tr>");
            for v in vars {
                let _ = write!(out, "<th>{}</th>", esc(v));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    let _ = write!(
                        out,
                        "<td>{}</td>",
                        cell.as_ref().map_or_else(String::new, |t| term(t, base))
                    );
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n");
        }
        Table::Boolean(b) => {
            let _ = writeln!(out, "<tbody><tr><td>{b}</td></tr></tbody>");
        }
        Table::Triples(triples) => {
            out.push_str("<thead><tr><th>subject</th><th>predicate</th><th>object</th></tr></thead>\n<tbody>\n");
            for tr in triples {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    term(&Term::from(tr.subject.clone()), base),
                    term(&Term::from(tr.predicate.clone()), base),
                    term(&tr.object, base)
                );
            }
            out.push_str("</tbody>\n");
        }
    }
    out.push_str("</table>\n");
    out
}

fn term(t: &Term, base: &str) -> String {
    match t {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            let href = match iri.strip_prefix(base) {
                Some(path) => format!("/{path}"),
                None if iri.starts_with("http://") || iri.starts_with("https://") => {
                    iri.to_string()
                }
                // Other schemes (`javascript:` among them) are shown, not linked.
                None => return esc(iri),
            };
            format!("<a href=\"{}\">{}</a>", esc(&href), esc(iri))
        }
        Term::Literal(l) => esc(l.value()),
        other => esc(&other.to_string()),
    }
}
