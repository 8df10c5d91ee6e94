//! `coalition new source`: a stored text and a fact file skeleton that passes `check` at once.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::curation::skeleton::{self, NewSource};

/// Create files for curation.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Store a source text and write its fact file skeleton (never overwrites).
    Source(SourceArgs),
}

/// Arguments of `new source`.
#[derive(Debug, clap::Args)]
pub struct SourceArgs {
    /// The source text to store (plain UTF-8, one paragraph per line).
    #[arg(long)]
    pub text: PathBuf,
    /// Source id: a slug such as `afp-2018-05-rekognition-letter`.
    #[arg(long)]
    pub id: String,
    /// Title (default: the text's first sentence, with a note to replace it).
    #[arg(long)]
    pub title: Option<String>,
    /// The publisher: an entity id, or a name or alias of a registered entity; a publisher not
    /// in the registry is added to it (id made from the name, kind `news_agency`).
    #[arg(long)]
    pub publisher: String,
    /// Publication date: `2018`, `2018-05` or `2018-05-22`.
    #[arg(long)]
    pub date: String,
    /// Language tag of the text (default: guessed, French or English).
    #[arg(long)]
    pub lang: Option<String>,
    /// Folder of fact files.
    #[arg(long, default_value = "seeds")]
    pub facts: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let What::Source(a) = args.what;
    let ns_publisher = a.publisher.clone();
    let ns = NewSource {
        id: a.id,
        text: a.text,
        title: a.title,
        publisher: a.publisher,
        date: a.date,
        language: a.lang,
    };
    let created = match skeleton::create(&a.facts, &ns) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(super::EXIT_USAGE));
        }
    };
    if let Some((e, registry)) = &created.new_publisher {
        outln!(
            "added publisher `{}` ({}, kind {}) to {}; check its kind and add its Wikidata id",
            e.id,
            e.name,
            e.kind.slug(),
            registry.display()
        );
    } else if created.source.publisher != ns_publisher {
        outln!("publisher: `{}`", created.source.publisher);
    }
    outln!("created {}", created.text_path.display());
    outln!("created {}", created.fact_file.display());
    if created.language_guessed {
        outln!(
            "language guessed as `{}` (pass --lang to set it)",
            created.source.language
        );
    }
    if created.title_guessed {
        outln!("title taken from the first sentence (pass --title, or edit the file)");
    }
    let facts = a.facts.display();
    outln!(
        "next: write statements in {}, then `coalition check --facts {facts}` and \
         `coalition coverage --facts {facts} --source {}`",
        created.fact_file.display(),
        created.source.id
    );
    Ok(ExitCode::SUCCESS)
}
