//! `coalition query`: runs a SPARQL 1.1 query (inline, from a `.rq` file, or named in `queries/`)
//! on the graph of the facts.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::input::Input;

use oxigraph::store::Store;

use crate::rdf::query::{self, DefaultGraph, ResultsFormat};
use crate::rdf::{store, Base, RdfError};

/// Run a SPARQL query on the graph: inline text, a `.rq` file, or a named query.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inline SPARQL, a path to a `.rq` file, or the name of a query in `queries/` (`who-signed`).
    #[arg(required_unless_present = "list")]
    pub query: Option<String>,
    /// List the named queries with their descriptions.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub input: Input,
    /// Folder of named queries (the built-in ones are always available).
    #[arg(long, default_value = "queries")]
    pub queries: PathBuf,
    /// Output format; `table` on a terminal, `csv` otherwise. CONSTRUCT and DESCRIBE results are
    /// Turtle (table), N-Triples (csv, tsv), JSON-LD (json) or RDF/XML (xml).
    #[arg(long, value_enum)]
    pub format: Option<ResultsFormat>,
    /// Patterns outside `GRAPH` see only the default graph (the entity registry), as on a
    /// standard SPARQL server, instead of the union of all graphs.
    #[arg(long)]
    pub no_union: bool,
    /// Base IRI of the data (ends in `/` or `#`); relative IRIs in the query, such as `<s>`,
    /// resolve against it.
    #[arg(long, default_value = crate::rdf::ns::DEFAULT_BASE)]
    pub base: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let base = Base::new(&args.base)?;
    if args.list {
        let named = query::named_queries(&args.queries)?;
        let width = named.iter().map(|q| q.name.len()).max().unwrap_or(0);
        for q in named {
            outln!("{:width$}  {}", q.name, q.description);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let spec = args.query.unwrap_or_default();
    let text = query::resolve(&spec, &args.queries)?;
    // Parse first, so a bad query is reported before the facts are checked.
    let prepared = match query::parse(&text, Some(&base)) {
        Err(RdfError::Syntax(e)) => {
            report_syntax_error(&text, &e.to_string());
            return Ok(ExitCode::from(super::EXIT_USAGE));
        }
        Err(e) => return Err(e.into()),
        Ok(prepared) => prepared,
    };
    let (target, kept) = open_store(&args.input, &base)?;
    let dataset = if args.no_union {
        DefaultGraph::Registry
    } else {
        DefaultGraph::Union
    };
    let format = match args.format {
        Some(f) => f,
        None if std::io::stdout().is_terminal() => ResultsFormat::Table,
        None => ResultsFormat::Csv,
    };
    // A table's layout depends on its rows alone (not on the terminal), so it is kept too.
    let parts = query::question(&text, dataset, format, &base);
    let question = parts.each_ref().map(Vec::as_slice);
    if let Some(bytes) = kept.as_ref().and_then(|k| k.get(&question)) {
        super::global::reporter().detail("answered from the answers kept beside the store");
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    // The engine can panic on some queries (ORDER BY over mixed types): report it, never exit 101.
    let store = target.store()?;
    let ran = crate::serve::guard::catch(|| -> anyhow::Result<()> {
        let results = prepared.on(dataset).execute(&store)?;
        let mut bytes = Vec::new();
        query::write_results(results, format, &base, &mut bytes)?;
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
        if let Some(k) = &kept {
            k.put(&question, &bytes);
        }
        Ok(())
    });
    match ran {
        Ok(done) => done.map(|()| ExitCode::SUCCESS),
        Err(message) => {
            eprintln!("error: {message}");
            Ok(ExitCode::from(super::EXIT_USAGE))
        }
    }
}

/// The answers kept for the on-disk store being queried (feature `persistent`).
#[cfg(feature = "persistent")]
struct Kept {
    cache: crate::cache::Cache,
    answers: crate::rdf::persist::Answers,
}

/// No answers are kept without the on-disk store: this type has no value.
#[cfg(not(feature = "persistent"))]
enum Kept {}

#[cfg(feature = "persistent")]
impl Kept {
    /// The answer kept for `question` (its parts), if any.
    fn get(&self, question: &[&[u8]]) -> Option<Vec<u8>> {
        self.answers.get(&self.cache, question)
    }

    /// Keeps `answer` for `question`.
    fn put(&self, question: &[&[u8]], answer: &[u8]) {
        self.answers.put(&self.cache, question, answer);
    }
}

#[cfg(not(feature = "persistent"))]
impl Kept {
    fn get(&self, _: &[&[u8]]) -> Option<Vec<u8>> {
        match *self {}
    }

    fn put(&self, _: &[&[u8]], _: &[u8]) {
        match *self {}
    }
}

/// The store to query; one found fresh on disk is opened only if the answer is not kept.
enum Target {
    Ready(Store),
    #[cfg(feature = "persistent")]
    Fresh(crate::rdf::persist::Fresh),
}

impl Target {
    fn store(self) -> anyhow::Result<Store> {
        match self {
            Target::Ready(store) => Ok(store),
            #[cfg(feature = "persistent")]
            Target::Fresh(fresh) => Ok(fresh.open()?),
        }
    }
}

/// The store to query: made in memory from the facts (checked first); it keeps no answers.
#[cfg(not(feature = "persistent"))]
fn open_store(input: &Input, base: &Base) -> anyhow::Result<(Target, Option<Kept>)> {
    let store = store::from_model(&input.model()?, base)?;
    Ok((Target::Ready(store), None))
}

/// The store to query: the one `build` left on disk when the facts are unchanged since; else
/// the facts are checked again (incrementally when the cache allows) and that store brought up
/// to date (only the changed sources' graphs). Answers are kept beside it. A period (`--from`, `--to`) or `--no-cache` queries a
/// store made in memory.
#[cfg(feature = "persistent")]
fn open_store(input: &Input, base: &Base) -> anyhow::Result<(Target, Option<Kept>)> {
    use crate::rdf::persist::{self, Persisted};
    let cache = super::global::cache(&input.facts);
    let Some(cache) = cache.filter(|_| input.from.is_none() && input.to.is_none()) else {
        let store = store::from_model(&input.model()?, base)?;
        return Ok((Target::Ready(store), None));
    };
    let rep = super::global::reporter();
    let p = Persisted::new(&cache, base);
    if let Some(fresh) = persist::fresh(&p, &input.facts) {
        rep.detail(format!("answering from {}", p.dir().display()));
        let kept = p.answers().map(|answers| Kept { cache, answers });
        return Ok((Target::Fresh(fresh), kept));
    }
    let started = crate::cache::stat::now();
    match persist::patch(&p, &cache, &input.facts, base, started, &rep)? {
        Some(persist::Patched::Done(store, changes)) => {
            rep.say(format_args!(
                "store {}: {changes} (checked incrementally)",
                p.dir().display()
            ));
            let kept = p.answers().map(|answers| Kept { cache, answers });
            return Ok((Target::Ready(store), kept));
        }
        Some(persist::Patched::Invalid(report)) => {
            super::input::show(&report.diagnostics, &report.texts, "queried", false)?;
        }
        None => {}
    }
    let checked = super::input::load_checked(&input.facts, "queried", false)?;
    let texts = checked.texts;
    let model = rep.stage("model", || crate::model::Model::build(checked.corpus));
    let (store, changes) = rep.stage("store", || {
        persist::update(&p, &cache, &input.facts, &model, &texts, base, started)
    })?;
    rep.say(format_args!("store {}: {changes}", p.dir().display()));
    let kept = p.answers().map(|answers| Kept { cache, answers });
    Ok((Target::Ready(store), kept))
}

/// Prints the error as a sentence, with the offending line of the query and a caret under the
/// column.
fn report_syntax_error(text: &str, message: &str) {
    eprintln!("error: {}", query::syntax::sentence(text, message));
    if let Some((line, col)) = query::error_position(message) {
        if let Some(l) = text.lines().nth(line.saturating_sub(1)) {
            eprintln!("  --> query:{line}:{col}");
            eprintln!("{line:>4} | {l}");
            let pad: String = l
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            eprintln!("     | {pad}^");
        }
    }
}
