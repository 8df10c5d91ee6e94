//! `new source`: stores a source text next to a fact file that declares it, with one commented
//! example of each section, so a curator starts from a file that already passes `check`.
//!
//! Nothing is overwritten: if either file exists, nothing is written. A publisher missing from the
//! registry is added to it (a slug id from the name given, kind `news_agency`), unless it looks
//! like a typo of a registered one, which is refused with a did-you-mean.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::CurationError;
use super::sentences;
use crate::facts::date::PartialDate;
use crate::facts::load::{did_you_mean, read_text};
use crate::facts::schema::{Entity, FactFile, Source};
use crate::facts::vocab::{EntityKind, Group};
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
    /// The publisher entity added to the registry, and the registry file it went into.
    pub new_publisher: Option<(Entity, PathBuf)>,
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
    let (publisher, new_entity) = resolve_publisher(&ns.publisher, &corpus, &ns.id)?;
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
        publisher: publisher.clone(),
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
    let registry = facts_dir.join("entities.yaml");
    write_verified(
        facts_dir,
        &[(&text_path, &text), (&fact_file, &yaml)],
        &registry,
        new_entity.as_ref(),
    )?;
    Ok(Created {
        text_path,
        fact_file,
        source,
        language_guessed,
        title_guessed,
        new_publisher: new_entity.map(|e| (e, registry)),
    })
}

/// Writes the new `files` (and the new publisher into `registry`), then checks the folder: the
/// promise is files that pass `check`, so on an error everything written is taken back.
fn write_verified(
    facts_dir: &Path,
    files: &[(&PathBuf, &String); 2],
    registry: &Path,
    publisher: Option<&Entity>,
) -> Result<(), CurationError> {
    let [(text_path, text), (fact_file, yaml)] = *files;
    let dir = fact_file.parent().unwrap_or(facts_dir);
    fs::create_dir_all(dir).map_err(|e| CurationError::io(dir, e))?;
    write_new(text_path, text.as_bytes())?;
    let undo_files = || {
        let _ = fs::remove_file(fact_file);
        let _ = fs::remove_file(text_path);
    };
    if let Err(e) = write_new(fact_file, yaml.as_bytes()) {
        let _ = fs::remove_file(text_path);
        return Err(e);
    }
    let before = match publisher.map(|e| add_to_registry(registry, e)).transpose() {
        Ok(before) => before,
        Err(err) => {
            undo_files();
            return Err(err);
        }
    };
    let problems: Vec<String> = facts::check(facts_dir)
        .map(|c| {
            c.diagnostics
                .iter()
                .filter(|d| !d.is_warning() && (d.file == *fact_file || d.file == registry))
                .map(|d| format!("[{}] {}", d.rule.code(), d.message))
                .collect()
        })
        .unwrap_or_default();
    if problems.is_empty() {
        return Ok(());
    }
    undo_files();
    match before {
        Some(Some(text)) => drop(fs::write(registry, text)),
        Some(None) => drop(fs::remove_file(registry)),
        None => {}
    }
    Err(CurationError::Invalid(format!(
        "the new fact file would not pass `check` ({}); nothing was written",
        problems.join("; ")
    )))
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

/// The publisher's id, and the entity to add to the registry when `given` names none there.
///
/// `given` may be an id or a name (`Le Monde`); a name or alias of a registered organisation or
/// person resolves to it. Something close to a registered id or name is taken for a typo and
/// refused with a did-you-mean, so that a slip does not create a second `afp`.
fn resolve_publisher(
    given: &str,
    corpus: &facts::Corpus,
    source_id: &str,
) -> Result<(String, Option<Entity>), CurationError> {
    let entities = &corpus.entities;
    let lower = given.trim().to_lowercase();
    let by_name = entities.values().find(|e| {
        e.name.to_lowercase() == lower
            || e.aliases.iter().any(|a| a.to_lowercase() == lower)
            || e.labels.values().any(|l| l.to_lowercase() == lower)
    });
    let id = slug(given);
    if let Some(e) = entities
        .get(given)
        .or(by_name)
        .or_else(|| entities.get(&id))
    {
        return match e.kind.group() {
            Group::Organisation | Group::Person => Ok((e.id.clone(), None)),
            g => Err(CurationError::Invalid(format!(
                "publisher `{}` is a {} ({}); a publisher is an organisation or a person",
                e.id,
                e.kind.slug(),
                g.name()
            ))),
        };
    }
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
    if let Some(hint) = did_you_mean(&id, entities.keys().map(String::as_str)).or_else(containing) {
        return Err(CurationError::Invalid(format!(
            "unknown publisher `{given}` (not in the entity registry); {hint} To add a new \
             publisher instead, pass its full name"
        )));
    }
    if id.is_empty() {
        return Err(CurationError::Invalid(format!(
            "cannot make an id out of the publisher `{given}`; pass a name with Latin letters or \
             digits, or add the publisher to the registry first"
        )));
    }
    if id == source_id || corpus.sources.contains_key(&id) {
        return Err(CurationError::Invalid(format!(
            "the publisher `{given}` would get the id `{id}`, which a source has; add the \
             publisher to the registry first under another id"
        )));
    }
    let entity = Entity::new(id, EntityKind::NewsAgency, given.trim());
    Ok((entity.id.clone(), Some(entity)))
}

/// A registry id for `name`: lower-case ASCII letters and digits joined by `-`, accents dropped
/// (`Le Monde diplomatique` → `le-monde-diplomatique`). Empty when nothing usable is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
            'ý' | 'ÿ' => "y",
            'š' | 'ś' => "s",
            'ž' | 'ź' | 'ż' => "z",
            'ł' => "l",
            'ř' => "r",
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(folded);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    parts.join("-")
}

/// What to append to the registry file `text` so that it declares `entity`, matching the
/// indentation of the entries there. `None` when the file's `entities:` section is not the last
/// block of the file (appending would put the entry in another section).
pub fn registry_append(text: &str, entity: &Entity) -> Option<String> {
    let entry = serde_yaml::to_string(&[entity]).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let top = |l: &str| !l.is_empty() && !l.starts_with([' ', '#', '-', '\t']);
    let at = lines.iter().position(|l| l.trim_end() == "entities:");
    let indent = match at {
        None => {
            if lines.iter().any(|l| top(l) && l.starts_with("entities")) {
                return None;
            }
            let sep = if text.is_empty() || text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            return Some(format!("{sep}entities:\n{}", indented(&entry, "  ")));
        }
        Some(i) => {
            if lines[i + 1..].iter().any(|l| top(l)) {
                return None;
            }
            lines[i + 1..]
                .iter()
                .find(|l| l.trim_start().starts_with("- "))
                .map_or("  ".to_string(), |l| {
                    l[..l.len() - l.trim_start().len()].to_string()
                })
        }
    };
    let sep = if text.ends_with('\n') { "\n" } else { "\n\n" };
    Some(format!("{sep}{}", indented(&entry, &indent)))
}

fn indented(block: &str, indent: &str) -> String {
    block.lines().map(|l| format!("{indent}{l}\n")).collect()
}

/// Appends `entity` to the registry file at `path` (created when missing); returns the file's
/// previous text, to restore it, or `None` when there was no file.
fn add_to_registry(path: &Path, entity: &Entity) -> Result<Option<String>, CurationError> {
    let before = match fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(CurationError::io(path, e)),
    };
    let text = before.clone().unwrap_or_default();
    let Some(add) = registry_append(&text, entity) else {
        return Err(CurationError::Invalid(format!(
            "cannot add the publisher to {}: its `entities:` list is not the last section; add \
             `{}` there by hand",
            path.display(),
            entity.id
        )));
    };
    fs::write(path, text + &add).map_err(|e| CurationError::io(path, e))?;
    Ok(before)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(slug("Le Monde diplomatique"), "le-monde-diplomatique");
        assert_eq!(slug("L'Écho  Républicain !"), "l-echo-republicain");
        assert_eq!(slug("Œuvre & Straße"), "oeuvre-strasse");
        assert_eq!(slug("日本"), "");
    }

    #[test]
    fn registry_entries_follow_the_file() {
        let e = Entity::new("le-monde", EntityKind::NewsAgency, "Le Monde: le quotidien");
        let entry = "  - id: le-monde\n    kind: news_agency\n    name: 'Le Monde: le quotidien'\n";
        let text = "entities:\n  - id: afp\n    kind: news_agency\n    name: AFP\n";
        assert_eq!(registry_append(text, &e).unwrap(), format!("\n{entry}"));
        let flush = "entities:\n- id: afp\n  kind: news_agency\n  name: AFP";
        let added = registry_append(flush, &e).unwrap();
        assert!(
            added.starts_with("\n\n- id: le-monde\n  kind: news_agency\n"),
            "{added}"
        );
        let none = "# registry\n";
        assert_eq!(
            registry_append(none, &e).unwrap(),
            format!("\nentities:\n{entry}")
        );
        // Appending would land in another section, or in a flow list: refused.
        assert!(registry_append("entities:\n  - id: a\nstatements: []\n", &e).is_none());
        assert!(registry_append("entities: []\n", &e).is_none());
        // The result reads back as one more entity.
        let grown = format!("{text}{}", registry_append(text, &e).unwrap());
        let v: serde_yaml::Value = serde_yaml::from_str(&grown).unwrap();
        assert_eq!(
            v["entities"][1]["name"].as_str(),
            Some("Le Monde: le quotidien")
        );
    }
}
