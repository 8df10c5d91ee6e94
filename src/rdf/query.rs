//! SPARQL 1.1 queries over the graph (<https://www.w3.org/TR/sparql11-query/>): the named queries
//! of `queries/`, evaluation on the in-memory store, and results in the SPARQL 1.1 results formats
//! (<https://www.w3.org/TR/sparql11-results-csv-tsv/>, <https://www.w3.org/TR/sparql11-results-json/>,
//! <https://www.w3.org/TR/rdf-sparql-XMLres/>) or as an aligned table.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    PreparedSparqlQuery, QueryDataset, QueryEvaluationError, QueryResults, QuerySolution,
    QuerySolutionIter, SparqlEvaluator,
};
use oxigraph::store::Store;
use spargebra::SparqlParser;

use super::{ns, Base, Format, RdfError};

pub mod order;
pub mod syntax;

/// The named queries shipped with the tool (`queries/*.rq`), built into the binary so that
/// `coalition query who-signed` works from any folder.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "addressed-to",
        include_str!("../../queries/addressed-to.rq"),
    ),
    (
        "agencies-by-state",
        include_str!("../../queries/agencies-by-state.rq"),
    ),
    (
        "evidence-for",
        include_str!("../../queries/evidence-for.rq"),
    ),
    ("targets", include_str!("../../queries/targets.rq")),
    (
        "technologies",
        include_str!("../../queries/technologies.rq"),
    ),
    (
        "who-said-what",
        include_str!("../../queries/who-said-what.rq"),
    ),
    ("who-signed", include_str!("../../queries/who-signed.rq")),
];

/// A named query: its name (file stem), one-line description and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedQuery {
    /// File stem, e.g. `who-signed`.
    pub name: String,
    /// The first `# ` comment line of the file.
    pub description: String,
    /// The SPARQL text.
    pub text: String,
}

impl NamedQuery {
    fn new(name: &str, text: &str) -> NamedQuery {
        NamedQuery {
            name: name.to_string(),
            description: description(text),
            text: text.to_string(),
        }
    }
}

/// The first line of the leading `#` comment block.
pub fn description(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// The named queries: the `.rq` files of `dir` (when it exists), then the built-in ones it does
/// not override, sorted by name.
pub fn named_queries(dir: &Path) -> Result<Vec<NamedQuery>, RdfError> {
    let mut out: Vec<NamedQuery> = Vec::new();
    if dir.is_dir() {
        let entries = std::fs::read_dir(dir).map_err(|source| RdfError::File {
            path: dir.to_path_buf(),
            source,
        })?;
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rq") {
                let text = read(&p)?;
                let name = p.file_stem().unwrap_or_default().to_string_lossy();
                out.push(NamedQuery::new(&name, &text));
            }
        }
    }
    for (name, text) in BUILT_IN {
        if !out.iter().any(|q| q.name == *name) {
            out.push(NamedQuery::new(name, text));
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn read(p: &Path) -> Result<String, RdfError> {
    std::fs::read_to_string(p).map_err(|source| RdfError::File {
        path: p.to_path_buf(),
        source,
    })
}

/// Resolves the `QUERY` argument: a path to an `.rq` file, a named query (looked up in `dir`,
/// then among the built-in ones), or else inline SPARQL.
pub fn resolve(spec: &str, dir: &Path) -> Result<String, RdfError> {
    let path = Path::new(spec);
    if spec.ends_with(".rq") || (path.is_file() && !spec.contains('{')) {
        return read(path);
    }
    let is_name = !spec.is_empty()
        && spec
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if is_name {
        return named_queries(dir)?
            .into_iter()
            .find(|q| q.name == spec)
            .map(|q| q.text)
            .ok_or_else(|| RdfError::UnknownQuery(spec.to_string()));
    }
    Ok(spec.to_string())
}

/// Which graph a query's patterns outside `GRAPH` see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultGraph {
    /// The union of the default graph and every source graph (the CLI's choice).
    Union,
    /// Only the default graph, i.e. the entity registry (what a standard SPARQL server does).
    Registry,
}

/// The parts of a question whose answer may be kept beside a store: the query's text, the
/// dataset its patterns see, the results format and the base (see [`super::persist`]).
pub fn question(
    text: &str,
    dataset: DefaultGraph,
    format: ResultsFormat,
    base: &Base,
) -> [Vec<u8>; 4] {
    [
        text.as_bytes().to_vec(),
        format!("{dataset:?}").into_bytes(),
        format!("{format:?}").into_bytes(),
        base.as_str().as_bytes().to_vec(),
    ]
}

/// A parsed query ready to run: the engine's plan, and the same query without its final
/// `ORDER BY` when its rows may be sorted here instead (see [`order`]).
#[derive(Clone)]
pub struct Prepared {
    full: PreparedSparqlQuery,
    sorted: Option<(PreparedSparqlQuery, order::Plan)>,
}

impl Prepared {
    /// `query` run by `evaluator` (its cancellation token, if any, covers both plans).
    pub fn new(evaluator: SparqlEvaluator, query: spargebra::Query) -> Prepared {
        let sorted = order::Plan::of(&query)
            .map(|plan| (evaluator.clone().for_query(plan.unordered().clone()), plan));
        Prepared {
            full: evaluator.for_query(query),
            sorted,
        }
    }

    /// Changes the dataset the query runs on (`FROM`, `FROM NAMED`, the union default graph).
    pub fn with_dataset(mut self, set: impl Fn(&mut QueryDataset)) -> Prepared {
        set(self.full.dataset_mut());
        if let Some((unordered, _)) = &mut self.sorted {
            set(unordered.dataset_mut());
        }
        self
    }

    /// Makes the patterns outside `GRAPH` see `default_graph`.
    pub fn on(self, default_graph: DefaultGraph) -> Prepared {
        self.with_dataset(|d| {
            if default_graph == DefaultGraph::Union {
                d.set_default_graph_as_union();
            }
        })
    }

    /// Runs the query on `store`.
    pub fn execute(self, store: &Store) -> Result<QueryResults<'static>, QueryEvaluationError> {
        if let Some((unordered, plan)) = self.sorted {
            if let QueryResults::Solutions(solutions) = unordered.on_store(store).execute()? {
                let variables: Arc<[Variable]> = solutions.variables().into();
                let rows = solutions.collect::<Result<Vec<_>, _>>()?;
                if let Some(rows) = plan.sort(&variables, rows) {
                    let rows = rows.into_iter().map(Ok);
                    return Ok(QuerySolutionIter::new(variables, rows).into());
                }
            }
        }
        self.full.on_store(store).execute()
    }
}

/// A SPARQL parser; with `base`, relative IRIs (`<s>`) resolve against the base IRI of the data
/// and queries may use the `coalition:`, `entity:`, `prov:`... prefixes without declaring them.
pub fn parser(base: Option<&Base>) -> Result<SparqlParser, RdfError> {
    let mut parser = SparqlParser::new();
    if let Some(base) = base {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|e| invalid_iri(base.as_str(), e))?;
        for (name, iri) in all_prefixes(base) {
            parser = parser
                .with_prefix(name, iri.clone())
                .map_err(|e| invalid_iri(&iri, e))?;
        }
    }
    Ok(parser)
}

fn invalid_iri(value: &str, e: impl std::fmt::Display) -> RdfError {
    RdfError::InvalidIri {
        value: value.to_string(),
        reason: e.to_string(),
    }
}

/// Parses `query` (see [`parser`] for `base`).
pub fn parse(query: &str, base: Option<&Base>) -> Result<Prepared, RdfError> {
    let query = parser(base)?.parse_query(query)?;
    Ok(Prepared::new(SparqlEvaluator::new(), query))
}

/// Parses and runs `query` on `store` (see [`parser`] for `base`).
pub fn execute(
    store: &Store,
    query: &str,
    default_graph: DefaultGraph,
    base: Option<&Base>,
) -> Result<QueryResults<'static>, RdfError> {
    Ok(parse(query, base)?.on(default_graph).execute(store)?)
}

/// The built-in prefixes plus the data prefixes of `base`.
pub fn all_prefixes(base: &Base) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = base
        .prefixes()
        .into_iter()
        .map(|(n, i)| (n.to_string(), i))
        .collect();
    v.extend(
        ns::PREFIXES
            .iter()
            .map(|(n, i)| (n.to_string(), i.to_string())),
    );
    v
}

/// How query results are written (`table` with prefixed names, for reading on a terminal). The
/// variants' lines are `coalition query --format`'s help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    /// Aligned columns.
    Table,
    /// SPARQL 1.1 CSV.
    Csv,
    /// SPARQL 1.1 TSV.
    Tsv,
    /// SPARQL 1.1 JSON.
    Json,
    /// SPARQL XML.
    Xml,
}

impl ResultsFormat {
    /// The RDF format CONSTRUCT and DESCRIBE results are written in: Turtle for tables,
    /// N-Triples for CSV/TSV, JSON-LD for JSON, RDF/XML for XML.
    pub fn graph_format(self) -> Format {
        match self {
            ResultsFormat::Table => Format::Turtle,
            ResultsFormat::Csv | ResultsFormat::Tsv => Format::NTriples,
            ResultsFormat::Json => Format::JsonLd,
            ResultsFormat::Xml => Format::RdfXml,
        }
    }

    fn sparql(self) -> Option<QueryResultsFormat> {
        match self {
            ResultsFormat::Table => None,
            ResultsFormat::Csv => Some(QueryResultsFormat::Csv),
            ResultsFormat::Tsv => Some(QueryResultsFormat::Tsv),
            ResultsFormat::Json => Some(QueryResultsFormat::Json),
            ResultsFormat::Xml => Some(QueryResultsFormat::Xml),
        }
    }
}

/// Writes `results` to `out` in `format`; `base` gives the prefixes of tables and graphs.
pub fn write_results(
    results: QueryResults<'_>,
    format: ResultsFormat,
    base: &Base,
    out: &mut dyn Write,
) -> Result<(), RdfError> {
    match (results, format.sparql()) {
        (QueryResults::Boolean(b), Some(f)) => {
            QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, b)?;
        }
        (QueryResults::Boolean(b), None) => writeln!(out, "{b}")?,
        (QueryResults::Solutions(solutions), f) => {
            let vars: Vec<Variable> = solutions.variables().to_vec();
            let rows = solutions.collect::<Result<Vec<QuerySolution>, _>>()?;
            match f {
                Some(f) => {
                    let mut w = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(out, vars)?;
                    for r in &rows {
                        w.serialize(r)?;
                    }
                    w.finish()?;
                }
                None => table(&vars, &rows, &all_prefixes(base), out)?,
            }
        }
        (QueryResults::Graph(triples), _) => {
            let triples = triples.collect::<Result<Vec<_>, _>>()?;
            let quads: Vec<_> = triples
                .into_iter()
                .map(|t| t.in_graph(oxigraph::model::GraphName::DefaultGraph))
                .collect();
            out.write_all(&super::serialize_quads(
                &quads,
                format.graph_format(),
                base,
            )?)?;
        }
    }
    Ok(())
}

fn table(
    vars: &[Variable],
    rows: &[QuerySolution],
    prefixes: &[(String, String)],
    out: &mut dyn Write,
) -> Result<(), RdfError> {
    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vars.iter()
                .map(|v| r.get(v).map(|t| compact(t, prefixes)).unwrap_or_default())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: &[String], out: &mut dyn Write| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, (c, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < row.len() {
                s.extend(std::iter::repeat_n(' ', w - c.chars().count()));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(&header, out)?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    line(&rule, out)?;
    for row in &cells {
        line(row, out)?;
    }
    writeln!(
        out,
        "({} row{})",
        cells.len(),
        if cells.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}

/// A term for a table cell: prefixed name for IRIs, the lexical form for literals.
fn compact(t: &Term, prefixes: &[(String, String)]) -> String {
    match t {
        Term::NamedNode(n) => prefixes
            .iter()
            .filter(|(_, iri)| n.as_str().starts_with(iri.as_str()))
            .max_by_key(|(_, iri)| iri.len())
            .map_or_else(
                || format!("<{}>", n.as_str()),
                |(p, iri)| format!("{p}:{}", &n.as_str()[iri.len()..]),
            ),
        Term::Literal(l) => l.value().replace(['\n', '\t'], " "),
        other => other.to_string(),
    }
}

/// Line and column (1-based) of a SPARQL syntax error, read from its message.
pub fn error_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find(" at ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_position_of_a_syntax_error() {
        assert_eq!(
            error_position("error at 3:2: expected OPTIONAL"),
            Some((3, 2))
        );
        assert_eq!(error_position("no position"), None);
    }

    #[test]
    fn description_is_the_first_comment_line() {
        assert_eq!(
            description("#\n# Who signed.\n# More.\nSELECT"),
            "Who signed."
        );
        assert_eq!(description("SELECT * {}"), "");
    }
}
