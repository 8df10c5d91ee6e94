//! `coalition export`: writes the graph for Gephi, yEd, Cytoscape, Kumu, a spreadsheet, or any
//! RDF 1.1 tool (<https://www.w3.org/TR/rdf11-concepts/>).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use super::input::Input;
use crate::export;
use crate::rdf::{self, Base};

/// Output formats. Each maps to one function in the `match` of [`run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GraphML, for Gephi, yEd, Cytoscape and networkx.
    Graphml,
    /// GEXF 1.3, Gephi's own format (colours by entity group).
    Gexf,
    /// nodes.csv, edges.csv and claims.csv in the folder given with -o.
    Csv,
    /// Kumu JSON blueprint.
    Kumu,
    /// Cytoscape.js JSON (also Cytoscape desktop's .cyjs).
    Cytoscape,
    /// RDF 1.1 Turtle: every triple, named graphs merged.
    Turtle,
    /// RDF 1.1 N-Triples: every triple, named graphs merged.
    Ntriples,
    /// RDF 1.1 N-Quads: one named graph per source.
    Nquads,
    /// RDF 1.1 TriG: one named graph per source.
    Trig,
    /// JSON-LD 1.1 (expanded), with named graphs.
    Jsonld,
    /// RDF/XML: every triple, named graphs merged.
    Rdfxml,
}

/// Export the graph of entities and statements for other tools.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    #[command(flatten)]
    pub input: Input,
    /// Base IRI for the RDF formats (ends in `/` or `#`).
    #[arg(long, default_value = crate::rdf::ns::DEFAULT_BASE)]
    pub base: String,
    /// Output file (a folder for csv); standard output when omitted.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.format == Format::Csv && args.output.is_none() {
        bail!("--format csv writes several files: give the output folder with -o DIR");
    }
    let model = args.input.model()?;
    let rdf = |f: rdf::Format| -> anyhow::Result<String> {
        let bytes = rdf::serialize(&model, f, &Base::new(&args.base)?)?;
        Ok(String::from_utf8(bytes)?)
    };
    let text = match args.format {
        Format::Graphml => export::graphml::to_string(&model),
        Format::Gexf => export::gexf::to_string(&model),
        Format::Kumu => export::kumu::to_string(&model),
        Format::Cytoscape => export::cytoscape::to_string(&model),
        Format::Turtle => rdf(rdf::Format::Turtle)?,
        Format::Ntriples => rdf(rdf::Format::NTriples)?,
        Format::Nquads => rdf(rdf::Format::NQuads)?,
        Format::Trig => rdf(rdf::Format::TriG)?,
        Format::Jsonld => rdf(rdf::Format::JsonLd)?,
        Format::Rdfxml => rdf(rdf::Format::RdfXml)?,
        Format::Csv => {
            // Checked above: csv always has an output folder.
            let dir = args.output.unwrap_or_default();
            let written = export::csv::write_dir(&model, &dir)?;
            for p in written {
                eprintln!("wrote {}", p.display());
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    super::write_output(args.output.as_deref(), text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
