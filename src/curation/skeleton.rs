//! `new source`: stores a source text next to a fact file that declares it, with one commented
//! example of each section, so a curator starts from a file that already passes `check`.
//!
//! Nothing is overwritten: if either file exists, nothing is written. A publisher missing from the
//! registry is refused with a did-you-mean and the entity to add, rather than invented.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CurationError;
use super::sentences;
use crate::facts::date::PartialDate;
use crate::facts::load::{did_you_mean, read_text};
use crate::facts::schema::{Entity, FactFile, Source};
use crate::facts::vocab::Group;
use crate::facts::{self, FactsError};

/// What the curator gives for a new source.
#[derive(Clone, Debug)]
pub struct NewSource {
    /// Source id (a slug).
    pub id: String,
    /// The text file to copy.
    pub text: PathBuf,
    /// Title; defaults to the text's first sentence, marked as such in a note.
    pub title: Option<String>,
    /// Entity id of the publisher.
    pub publisher: String,
    /// Publication date, possibly partial.
    pub date: String,
    /// Language tag; guessed (French or English) when absent.
    pub language: Option<String>,
}

/// The files `create` wrote, and the guesses it made.
#[derive(Clone, Debug)]
pub struct Created {
    /// The copied text.
    pub text_path: PathBuf,
    /// The new fact file.
    pub fact_file: PathBuf,
    /// The source block as written.
    pub source: Source,
    /// Whether the language was guessed.
    pub language_guessed: bool,
    /// Whether the title was taken from the text.
    pub title_guessed: bool,
}

/// Creates `<facts>/sources/<id>.txt` and `<facts>/sources/<id>.yaml`.
pub fn create(facts_dir: &Path, ns: &NewSource) -> Result<Created, CurationError> {
    let checked = match facts::check(facts_dir) {
        Ok(c) => Some(c),
        Err(FactsError::NoFactFiles(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let corpus = checked.map(|c| c.corpus).unwrap_or_default();
    check_id(&ns.id, &corpus)?;
    check_publisher(&ns.publisher, &corpus.entities, facts_dir)?;
    PartialDate::parse(&ns.date)
        .map_err(|e| CurationError::Invalid(format!("invalid --date `{}`: {e}", ns.date)))?;
    let (text, _) = read_text(&ns.text).map_err(|d| {
        CurationError::Invalid(format!("cannot use {}: {}", ns.text.display(), d.message))
    })?;
    let (language, language_guessed) = match &ns.language {
        Some(l) => (l.clone(), false),
        None => match guess_language(&text) {
            Some(l) => (l.to_string(), true),
            None => {
                return Err(CurationError::Invalid(
                    "cannot tell whether the text is French or English; pass --lang".into(),
                ))
            }
        },
    };
    let (title, title_guessed) = match &ns.title {
        Some(t) => (t.clone(), false),
        None => (first_sentence(&text), true),
    };
    let source = Source {
        id: ns.id.clone(),
        title,
        publisher: ns.publisher.clone(),
        date: ns.date.clone(),
        language,
        text: format!("{}.txt", ns.id),
        url: None,
        note: title_guessed.then(|| {
            "The title is the text's first sentence, set by `coalition new source`; replace it \
             with the headline."
                .to_string()
        }),
    };
    let dir = facts_dir.join("sources");
    let text_path = dir.join(&source.text);
    let fact_file = dir.join(format!("{}.yaml", ns.id));
    for p in [&text_path, &fact_file] {
        if p.exists() {
            return Err(CurationError::Exists(p.clone()));
        }
    }
    let yaml = skeleton(&source)?;
    fs::create_dir_all(&dir).map_err(|e| CurationError::io(&dir, e))?;
    write_new(&text_path, text.as_bytes())?;
    if let Err(e) = write_new(&fact_file, yaml.as_bytes()) {
        let _ = fs::remove_file(&text_path);
        return Err(e);
    }
    // The promise is a file that passes `check`: verify it, and take both files back if not.
    let problems: Vec<String> = facts::check(facts_dir)
        .map(|c| {
            c.diagnostics
                .iter()
                .filter(|d| !d.is_warning() && d.file == fact_file)
                .map(|d| format!("[{}] {}", d.rule.code(), d.message))
                .collect()
        })
        .unwrap_or_default();
    if !problems.is_empty() {
        let _ = fs::remove_file(&fact_file);
        let _ = fs::remove_file(&text_path);
        return Err(CurationError::Invalid(format!(
            "the new fact file would not pass `check` ({}); nothing was written",
            problems.join("; ")
        )));
    }
    Ok(Created {
        text_path,
        fact_file,
        source,
        language_guessed,
        title_guessed,
    })
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CurationError> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => CurationError::Exists(path.to_path_buf()),
            _ => CurationError::io(path, e),
        })?;
    f.write_all(bytes).map_err(|e| CurationError::io(path, e))
}

fn check_id(id: &str, corpus: &facts::Corpus) -> Result<(), CurationError> {
    let slug = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    let invalid = |reason: &str| CurationError::InvalidId {
        id: id.to_string(),
        reason: reason.to_string(),
    };
    if !slug {
        return Err(invalid(
            "use lowercase letters, digits and `-`, e.g. `afp-2018-05-rekognition-letter`",
        ));
    }
    if corpus.sources.contains_key(id) {
        return Err(invalid("a source with this id exists"));
    }
    if corpus.entities.contains_key(id) {
        return Err(invalid("an entity of the registry has this id"));
    }
    Ok(())
}

fn check_publisher(
    id: &str,
    entities: &std::collections::BTreeMap<String, Entity>,
    facts_dir: &Path,
) -> Result<(), CurationError> {
    if let Some(e) = entities.get(id) {
        return match e.kind.group() {
            Group::Organisation | Group::Person => Ok(()),
            g => Err(CurationError::Invalid(format!(
                "publisher `{id}` is a {} ({}); a publisher is an organisation or a person",
                e.kind.slug(),
                g.name()
            ))),
        };
    }
    let lower = id.to_lowercase();
    let by_name = entities.values().find(|e| {
        e.name.to_lowercase() == lower || e.aliases.iter().any(|a| a.to_lowercase() == lower)
    });
    // `lumen` for `lumen-press`: a part of an id or name is too far for an edit distance.
    let containing = || {
        (lower.chars().count() >= 3)
            .then(|| {
                entities.values().find(|e| {
                    matches!(e.kind.group(), Group::Organisation | Group::Person)
                        && (e.id.contains(&lower) || e.name.to_lowercase().contains(&lower))
                })
            })
            .flatten()
            .map(|e| format!("did you mean `{}` ({})?", e.id, e.name))
    };
    let hint = match by_name {
        Some(e) => format!("`{id}` is a name of `{}`; pass its id", e.id),
        None => did_you_mean(id, entities.keys().map(String::as_str))
            .or_else(containing)
            .unwrap_or_else(|| {
                format!(
                "add it to the registry first, e.g. under `entities:` in {}:\n\n  - id: {id}\n    \
                 kind: news_agency\n    name: Full name of the publisher\n",
                facts_dir.join("entities.yaml").display()
            )
            }),
    };
    Err(CurationError::Invalid(format!(
        "unknown publisher `{id}` (not in the entity registry); {hint}"
    )))
}

/// The text's first sentence, cut at a word boundary to at most 100 characters.
fn first_sentence(text: &str) -> String {
    let s = sentences::split(text)
        .first()
        .map(|s| s.text(text).to_string())
        .unwrap_or_default();
    if s.chars().count() <= 100 {
        return if s.is_empty() { "Untitled".into() } else { s };
    }
    let cut: String = s.chars().take(100).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// `fr` or `en` from the commonest short words, when one clearly wins.
pub fn guess_language(text: &str) -> Option<&'static str> {
    const FR: &[&str] = &[
        "le", "la", "les", "des", "est", "et", "une", "un", "que", "dans", "pour", "du", "qui",
        "sur",
    ];
    const EN: &[&str] = &[
        "the", "and", "is", "of", "to", "that", "in", "for", "with", "on", "was", "are", "it", "by",
    ];
    let (mut fr, mut en) = (0usize, 0usize);
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        fr += usize::from(FR.contains(&w.as_str()));
        en += usize::from(EN.contains(&w.as_str()));
    }
    if fr >= 3 && fr >= 2 * en {
        Some("fr")
    } else if en >= 3 && en >= 2 * fr {
        Some("en")
    } else {
        None
    }
}

/// The fact file for `source`: schema header, source block, one commented example per section.
pub fn skeleton(source: &Source) -> Result<String, CurationError> {
    let block = serde_yaml::to_string(&FactFile {
        source: Some(source.clone()),
        ..FactFile::default()
    })
    .map_err(|e| CurationError::Invalid(format!("cannot write the source block: {e}")))?;
    let id = &source.id;
    Ok(format!(
        "# yaml-language-server: $schema=../../schema/facts.schema.json
#
# Facts from `{id}.txt`. Copy every quote character for character from that text:
# `coalition check` verifies each one, and `coalition coverage --source {id}`
# lists the sentences no fact accounts for yet. Uncomment and adapt the examples below;
# see docs/CURATION.md and docs/AUTHORING.md.

{block}
# statements:
#   - subject: some-organisation        # entity ids from the registry
#     predicate: signed                 # closed vocabulary: see `coalition schema`
#     object: some-letter
#     evidence:
#       - quote: words copied verbatim from the text

# quotations:
#   - id: {id}-speaker-topic
#     speaker: some-person
#     text: words copied verbatim from the text
#     translations:
#       en: The curators' translation.

# ignored:
#   - text: a sentence copied verbatim from the text
#     reason: why it carries no facts (e.g. the agency's request for comment)

# entities:
#   - id: some-person
#     kind: person
#     name: Full Name
#     description: Who this is, in one sentence.
"
    ))
}
