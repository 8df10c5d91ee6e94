//! The explorer's pages, in-process: entity HTML and Turtle, source page, search, questions,
//! escaping of hostile labels, and path traversal.

use super::{app_with, get, limits, send, SIGNATORIES};

fn app() -> axum::Router {
    app_with("seeds", limits())
}

const SOURCE: &str = "afp-2018-05-rekognition-letter";

#[tokio::test]
async fn entity_page_shows_statements_with_marked_quotes() {
    let (s, ty, body) = send(app(), get("/entity/eff", Some("text/html"))).await;
    assert_eq!(s, 200);
    assert!(ty.starts_with("text/html"));
    assert!(body.contains("<h1>Electronic Frontier Foundation</h1>"));
    assert!(body.contains("advocacy group"));
    assert!(body.contains("<dd class=\"aliases\">EFF</dd>"));
    assert!(body.contains("<em title=\"The subject (an organisation or a person) signed the object document.\">signed</em> <a href=\"/entity/letter-to-bezos\">"));
    // The quote, marked inside its sentence, and a link to the passage in the source.
    assert!(
        body.contains(
            "<blockquote>La lettre au fondateur et dirigeant d&#39;Amazon, Jeff Bezos, <mark>"
        ) || body.contains("<blockquote><mark>La lettre au fondateur"),
        "{body}"
    );
    assert!(body.contains(&format!("<a href=\"/source/{SOURCE}#q")));
    let (s, _, body) = send(app(), get("/entity/aclu", None)).await;
    assert_eq!(s, 200);
    assert!(body.contains("https://www.wikidata.org/wiki/Q21637"));
    let (_, _, body) = send(app(), get("/entity/nicole-ozer", None)).await;
    assert!(body.contains("<h2>Quotations (1)</h2>"), "{body}");
    assert!(body.contains("<mark>Quand un dangereux système"), "{body}");
}

#[tokio::test]
async fn entity_turtle_by_accept_header() {
    let (s, ty, body) = send(app(), get("/entity/eff", Some("text/turtle"))).await;
    assert_eq!((s, ty.as_str()), (200, "text/turtle"));
    assert!(
        body.contains("@prefix coalition: <https://coalition.example/ontology#>"),
        "{body}"
    );
    assert!(
        body.contains("@prefix entity: <http://127.0.0.1:7878/entity/>"),
        "{body}"
    );
    assert!(
        body.contains("\nentity:eff a coalition:AdvocacyGroup ;"),
        "{body}"
    );
    assert!(
        body.contains("\tcoalition:signed entity:letter-to-bezos"),
        "{body}"
    );
    // Incoming links too: the statement nodes about the entity.
    assert!(
        body.contains("coalition:statementSubject entity:eff ."),
        "{body}"
    );
    let (s, ty, body) = send(app(), get("/entity/eff", Some("application/ld+json"))).await;
    assert_eq!((s, ty.as_str()), (200, "application/ld+json"));
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_ok(),
        "{body}"
    );
    let (s, ty, via_param) = send(app(), get("/entity/eff?format=ttl", Some("text/html"))).await;
    assert_eq!((s, ty.as_str()), (200, "text/turtle"));
    assert!(via_param.contains("\nentity:eff a coalition:AdvocacyGroup ;"));
    let (s, _, _) = send(app(), get("/entity/eff?format=png", None)).await;
    assert_eq!(s, 400);
    let (s, _, _) = send(app(), get("/entity/nobody", Some("text/turtle"))).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn source_page_marks_every_passage() {
    let (s, _, body) = send(app(), get(&format!("/source/{SOURCE}"), None)).await;
    assert_eq!(s, 200);
    assert!(body.contains("<h1>Une trentaine de groupes militants"));
    let marks = body.matches("<mark>").count();
    assert!(marks >= 20, "{marks} marks");
    assert!(body.contains("<a class=\"hl\" href=\"#ref-q"));
    // Each passage lists what it backs, with links to the entities.
    assert!(
        body.contains("<a href=\"/entity/eff\">Electronic Frontier Foundation</a> <em>signed</em>")
    );
    assert!(body.contains("quotation by <a href=\"/entity/nicole-ozer\">"));
}

#[tokio::test]
async fn search_finds_names_and_aliases() {
    let (s, _, body) = send(app(), get("/search?q=EFF", None)).await;
    assert_eq!(s, 200);
    let first = body
        .find("<li><a href=\"/entity/eff\">")
        .expect("EFF found");
    assert!(
        body.find("<li>").unwrap() == first,
        "the exact alias ranks first"
    );
    let (_, _, body) = send(app(), get("/search?q=zzzz", None)).await;
    assert!(body.contains("No entity matches."));
}

#[tokio::test]
async fn home_and_question_pages() {
    let (s, _, body) = send(app(), get("/", None)).await;
    assert_eq!(s, 200);
    assert!(body.contains("<a class=\"question\" href=\"/query/who-signed\""));
    assert!(body.contains("<textarea name=\"query\""));
    assert!(body.contains("<a href=\"/entity/eff\">Electronic Frontier Foundation</a>"));
    assert!(
        !body.contains("src=\"http") && !body.contains("href=\"http"),
        "no CDN"
    );
    let (s, _, body) = send(app(), get("/query/who-signed", None)).await;
    assert_eq!(s, 200);
    for name in SIGNATORIES {
        assert!(body.contains(&format!("<td>{name}</td>")), "{name}: {body}");
    }
    let (s, ty, js) = send(app(), get("/assets/app.js", None)).await;
    assert_eq!((s, ty.as_str()), (200, "text/javascript; charset=utf-8"));
    assert!(js.contains("runQuery"));
}

#[tokio::test]
async fn hostile_labels_are_escaped_everywhere() {
    let app = || app_with("tests/fixtures/serve/script-label", limits());
    for uri in [
        "/",
        "/entity/evil",
        "/entity/letter",
        "/search?q=script",
        "/source/s1",
    ] {
        let (s, _, body) = send(app(), get(uri, None)).await;
        assert_eq!(s, 200, "{uri}");
        assert!(body.contains("&lt;script&gt;alert("), "{uri}: {body}");
        assert!(
            !body.contains("<script>alert"),
            "{uri} has a live script: {body}"
        );
        assert!(!body.contains("<img src=x"), "{uri}");
        // The only scripts are the embedded one.
        assert_eq!(body.matches("<script").count(), 1, "{uri}");
    }
}

#[tokio::test]
async fn path_traversal_finds_nothing() {
    for uri in [
        "/source/../../etc/passwd",
        "/source/..%2F..%2Fetc%2Fpasswd",
        "/source/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/source/..%252F..%252Fetc%252Fpasswd",
        "/source/afp-2018-05-rekognition-letter.txt",
        "/entity/..%2F..%2FCargo.toml",
        "/assets/..%2F..%2F..%2FCargo.toml",
        "/assets/../../Cargo.toml",
        "/query/..%2Fseeds%2Fentities",
        "/etc/passwd",
    ] {
        let (s, _, body) = send(app(), get(uri, None)).await;
        assert_eq!(s, 404, "{uri}: {body}");
        assert!(
            !body.contains("root:") && !body.contains("[package]"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn overview_diagram_is_drawn_for_small_graphs_only() {
    let (_, _, body) = send(app(), get("/", None)).await;
    let svg = body
        .find("<figure class=\"diagram\"><svg")
        .expect("the seed's diagram");
    assert!(
        body[svg..].contains("href=\"/entity/eff\""),
        "nodes link to entity pages"
    );
    // A synthetic corpus past the limit gets a note instead of a layout that would take minutes.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("facts");
    let o = crate::util::run(tmp.path(), &["synth", "--sources", "4", "--out", "facts"]);
    assert!(o.status.success(), "{:?}", crate::util::text(&o));
    let big = app_with(out.to_str().unwrap(), limits());
    let (s, _, body) = send(big, get("/", None)).await;
    assert_eq!(s, 200);
    assert!(body.contains("<p class=\"muted\">No diagram: "), "{body}");
    assert!(!body.contains("<svg"));
}

#[tokio::test]
async fn source_page_shows_coverage_and_marks_uncited_sentences() {
    let (s, _, seed) = send(app(), get(&format!("/source/{SOURCE}"), None)).await;
    assert_eq!(s, 200);
    assert!(
        seed.contains("Coverage: <strong>100&#8239;%</strong>"),
        "{seed}"
    );
    assert!(!seed.contains("class=\"uncited\""));
    // The invented coverage fixture: 6 uncited sentences, one set aside with a reason.
    let fixture = app_with("tests/fixtures/coverage/invented", limits());
    let (s, _, body) = send(fixture, get("/source/lumen-2020-03-drones-fr", None)).await;
    assert_eq!(s, 200);
    assert!(
        body.contains("Coverage: <strong>40&#8239;%</strong> of 10 sentences"),
        "{body}"
    );
    assert_eq!(body.matches("<span class=\"uncited\"").count(), 6, "{body}");
    assert!(body.contains("<h2>Sentences not yet cited (6)</h2>"));
    assert!(
        body.contains("names <a href=\"/entity/ada-okafor\">"),
        "{body}"
    );
    assert!(
        body.contains("The agency&#39;s own request for comment")
            || body.contains("The agency's own request for comment"),
        "{body}"
    );
}

#[tokio::test]
async fn hostile_labels_are_escaped_in_question_results() {
    let app = app_with("tests/fixtures/serve/script-label", limits());
    let (s, _, body) = send(app, get("/query/who-signed", None)).await;
    assert_eq!(s, 200, "{body}");
    for cell in [
        "<td>&lt;script&gt;alert('label')&lt;/script&gt;</td>",
        "<td>&lt;script&gt;alert('quote')&lt;/script&gt; signed the letter</td>",
    ] {
        assert!(body.contains(cell), "{cell}: {body}");
    }
    assert!(!body.contains("<script>alert"), "a live script: {body}");
    assert_eq!(body.matches("<script").count(), 1);
}
