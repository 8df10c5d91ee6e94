//! Semantic checks across all fact files: ids, references, kinds, dates, quotes. Produces the
//! validated [`Corpus`] and every diagnostic, so one run reports all problems.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::confine;
use super::corpus::{Corpus, SourceFacts};
use super::date::PartialDate;
use super::diagnostic::{Diagnostic, Sink};
use super::load::{read_text, LoadedFile};
use super::locate::{Span, YamlPath};
use super::quote::{self, Passage, QuoteError};
use super::rules::Rule;
use super::schema::Entity;
use super::vocab::Group;

mod statements;

/// Everything the checker found, plus the facts that passed.
#[derive(Debug, Default)]
pub struct Checked {
    /// Facts that passed (complete only when there are no errors).
    pub corpus: Corpus,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Texts of the files read, for rendering diagnostics.
    pub texts: HashMap<PathBuf, String>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| !d.is_warning())
    }
}

struct Ctx<'a> {
    files: &'a [LoadedFile],
    entities: BTreeMap<&'a str, (&'a Entity, usize, usize)>,
    broken: BTreeSet<&'a str>,
    used: BTreeSet<String>,
    diags: Sink,
    /// Every fact file was read whole; otherwise a reference may point into the unread part, so
    /// unknown references and unused entities are not reported (they would only be noise).
    registry_complete: bool,
    /// The current source's text could be read, so quotes can be looked up in it.
    text_ok: bool,
    /// Registry searches made for the hints of unknown references (see [`MAX_SEARCHES`]).
    searches: usize,
}

/// Validates loaded files; `diags` holds what loading already found.
pub fn validate(files: Vec<LoadedFile>, mut diags: Vec<Diagnostic>) -> Checked {
    let mut ctx = Ctx {
        files: &files,
        entities: BTreeMap::new(),
        broken: files
            .iter()
            .flat_map(|f| f.broken_ids.iter().map(String::as_str))
            .collect(),
        used: files
            .iter()
            .flat_map(|f| f.references())
            .map(str::to_owned)
            .collect(),
        diags: Sink::default(),
        registry_complete: files.iter().all(|f| f.complete),
        text_ok: false,
        searches: 0,
    };
    ctx.registry();
    let mut corpus = Corpus::default();
    let mut source_ids: HashMap<String, (usize, YamlPath)> = HashMap::new();
    let mut quotation_ids: HashMap<String, (usize, YamlPath)> = HashMap::new();
    let mut texts = HashMap::new();
    for (fi, file) in files.iter().enumerate() {
        if let Some((sf, usable)) = ctx.source(fi, &mut source_ids, &mut texts) {
            // A source with a bad date or an unreadable text still has its statements checked,
            // so that one run reports everything; it just does not enter the corpus.
            let sf = ctx.statements(fi, sf);
            let sf = ctx.quotations(fi, sf, &mut quotation_ids);
            if usable {
                corpus
                    .sources
                    .insert(sf.source.id.clone(), std::sync::Arc::new(sf));
            }
        } else if !file.has_source_block
            && (!file.statements.is_empty() || !file.quotations.is_empty())
        {
            ctx.diags.push(
                Diagnostic::new(
                    Rule::NoSource,
                    &file.path,
                    "statements and quotations need a `source:` block in the same file",
                )
                .at(file.find(&YamlPath::item("statements", 0)))
                .hint("add `source:` with the id, title, publisher, date, language and text path"),
            );
        }
    }
    ctx.unused();
    for (id, (e, ..)) in &ctx.entities {
        corpus.entities.insert(id.to_string(), (*e).clone());
    }
    diags.extend(std::mem::take(&mut ctx.diags).finish());
    for f in &files {
        texts.insert(f.path.clone(), f.text.clone());
    }
    super::diagnostic::settle(&mut diags, |p| texts.get(p).map(String::as_str));
    Checked {
        corpus,
        diagnostics: diags,
        texts,
    }
}

/// Most unknown references whose hint searches the registry (for a name or a close id): each
/// search reads every entity, so without a budget a corpus of many files with many unknown
/// references would cost references × entities.
const MAX_SEARCHES: usize = 1000;

/// The hint for an unknown entity `id`: the entity it names, a close id, or what to do.
fn unknown_entity_hint(
    entities: &BTreeMap<&str, (&Entity, usize, usize)>,
    id: &str,
    searches: &mut usize,
) -> String {
    let fallback = || "declare it under `entities:` (in any fact file) or fix the id".to_string();
    if *searches >= MAX_SEARCHES {
        return fallback();
    }
    *searches += 1;
    let lower = id.to_lowercase();
    let by_name = entities.values().find(|(e, ..)| {
        e.name.to_lowercase() == lower
            || e.aliases.iter().any(|a| a.to_lowercase() == lower)
            || e.labels.values().any(|l| l.to_lowercase() == lower)
    });
    match by_name {
        Some((e, ..)) => format!("`{id}` is a name of `{}`; refer to entities by id", e.id),
        // Only well-formed ids are proposed: a hint must never lead to another error.
        None => {
            crate::suggest::did_you_mean(id, entities.keys().copied().filter(|k| is_slug(k, &[])))
                .unwrap_or_else(fallback)
        }
    }
}

/// "an organisation", "a person".
fn with_article(noun: &str) -> String {
    let an = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if an { "an" } else { "a" })
}

fn is_slug(id: &str, extra: &[char]) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || extra.contains(&c))
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// A BCP 47 tag as RDF reads it (`oxilangtag`, which the RDF literals use too), with a lowercase
/// two- or three-letter language first: `English` is well-formed BCP 47 but not what is meant.
fn is_language_tag(tag: &str) -> bool {
    oxilangtag::LanguageTag::parse(tag).is_ok_and(|t| {
        let primary = t.primary_language();
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase())
    })
}

impl<'a> Ctx<'a> {
    fn registry(&mut self) {
        for (fi, file) in self.files.iter().enumerate() {
            for (i, e) in &file.entities {
                let at = YamlPath::item("entities", *i);
                if !is_slug(&e.id, &[]) {
                    self.diags.push_with(&file.path, Rule::InvalidId, || {
                        Diagnostic::new(
                            Rule::InvalidId,
                            &file.path,
                            format!("invalid id `{}`", e.id),
                        )
                        .at(file.find(&at.key("id")))
                        .label("not a slug")
                        .hint("use lowercase letters, digits and `-`, e.g. `human-rights-watch`")
                    });
                }
                if let Some((_, pfi, pi)) = self.entities.get(e.id.as_str()) {
                    let prev = &self.files[*pfi];
                    let prev = prev.position(&YamlPath::item("entities", *pi).key("id"));
                    self.diags.push_with(&file.path, Rule::DuplicateId, || {
                        Diagnostic::new(
                            Rule::DuplicateId,
                            &file.path,
                            format!("duplicate entity id `{}`", e.id),
                        )
                        .at(file.find(&at.key("id")))
                        .label("declared again here")
                        .hint(format!(
                            "already declared at {prev}; merge the two or rename one"
                        ))
                    });
                    continue;
                }
                self.entities.insert(&e.id, (e, fi, *i));
                if let Some(q) = &e.wikidata {
                    let ok = q.len() > 1
                        && q.starts_with('Q')
                        && q[1..].bytes().all(|b| b.is_ascii_digit())
                        && !q[1..].starts_with('0');
                    if !ok {
                        self.diags.push_with(&file.path, Rule::InvalidWikidata, || {
                            Diagnostic::new(
                                Rule::InvalidWikidata,
                                &file.path,
                                format!("invalid Wikidata id `{q}`"),
                            )
                            .at(file.find(&at.key("wikidata")))
                            .label("expected `Q` and digits")
                            .hint(
                                "copy the item id from the Wikidata page, e.g. `Q3884` for Amazon",
                            )
                        });
                    }
                }
                for lang in e.labels.keys() {
                    self.language(file, || file.find_key(&at.key("labels"), lang), lang);
                }
            }
        }
    }

    /// Checks a language tag; `span` finds where it is written (a value, or a key of `labels`),
    /// only when there is something to report: locating re-reads the file.
    fn language(&mut self, file: &LoadedFile, span: impl FnOnce() -> Option<Span>, tag: &str) {
        if !is_language_tag(tag) {
            self.diags.push_with(&file.path, Rule::InvalidLanguage, || {
                Diagnostic::new(
                    Rule::InvalidLanguage,
                    &file.path,
                    format!("invalid language tag `{tag}`"),
                )
                .at(span())
                .hint("use a BCP 47 tag such as `en`, `fr` or `pt-BR`")
            });
        }
    }

    fn date(&mut self, file: &LoadedFile, at: &YamlPath, s: &str) -> Option<PartialDate> {
        match PartialDate::parse(s) {
            Ok(d) => Some(d),
            Err(why) => {
                self.diags.push_with(&file.path, Rule::InvalidDate, || {
                    Diagnostic::new(
                        Rule::InvalidDate,
                        &file.path,
                        format!("invalid date `{s}`: {why}"),
                    )
                    .at(file.find(at))
                    .hint("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `2018-05`")
                });
                None
            }
        }
    }

    /// Resolves an entity reference, reporting it when unknown. Marks it used.
    fn entity(&mut self, file: &LoadedFile, at: &YamlPath, id: &str) -> Option<&'a Entity> {
        self.used.insert(id.to_string());
        if let Some((e, ..)) = self.entities.get(id) {
            return Some(e);
        }
        if self.broken.contains(id) || !self.registry_complete {
            return None;
        }
        let (entities, searches) = (&self.entities, &mut self.searches);
        self.diags
            .push_with(&file.path, Rule::UnknownReference, || {
                Diagnostic::new(
                    Rule::UnknownReference,
                    &file.path,
                    format!("unknown entity `{id}`"),
                )
                .at(file.find(at))
                .label("not in the entity registry")
                .hint(unknown_entity_hint(entities, id, searches))
            });
        None
    }

    fn kind_check(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        e: &Entity,
        allowed: &[Group],
        role: &str,
        pred: &str,
    ) {
        if !allowed.contains(&e.kind.group()) {
            let names: Vec<String> = allowed.iter().map(|g| with_article(g.name())).collect();
            self.diags.push_with(&file.path, Rule::KindMismatch, || {
                Diagnostic::new(
                    Rule::KindMismatch,
                    &file.path,
                    format!(
                        "`{pred}` does not take {} (`{}`) as its {role}",
                        with_article(e.kind.label()),
                        e.id
                    ),
                )
                .at(file.find(at))
                .label(with_article(e.kind.label()))
                .hint(format!(
                    "the {role} of `{pred}` must be {}",
                    names.join(" or ")
                ))
            });
        }
    }

    fn locate(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        text: &quote::TextIndex<'_>,
        q: &str,
        prefix: Option<&str>,
        suffix: Option<&str>,
    ) -> Option<Passage> {
        if !self.text_ok {
            return None;
        }
        match quote::find_in(text, q, prefix, suffix) {
            Ok(p) => Some(p),
            Err(QuoteError::NotFound(_)) => {
                self.diags.push_with(&file.path, Rule::QuoteNotFound, || {
                    Diagnostic::new(
                        Rule::QuoteNotFound,
                        &file.path,
                        "quote not found in the source text",
                    )
                    .at(file.find(at))
                    .label("does not occur verbatim")
                    .hint(
                        quote::near_miss(text, q, prefix, suffix).unwrap_or_else(|| {
                            "copy the passage from the source text exactly".into()
                        }),
                    )
                });
                None
            }
            Err(QuoteError::Ambiguous { count, lines }) => {
                let on = if lines.len() == 1 { "line" } else { "lines" };
                let mut listed: Vec<String> = lines.iter().map(usize::to_string).collect();
                if lines.len() == quote::MAX_LINES {
                    listed.push("…".into());
                }
                let place = match listed.is_empty() {
                    true => String::new(),
                    false => format!(" ({on} {})", listed.join(", ")),
                };
                self.diags.push_with(&file.path, Rule::QuoteAmbiguous, || {
                    Diagnostic::new(
                        Rule::QuoteAmbiguous,
                        &file.path,
                        format!("quote occurs {count} times in the source text{place}"),
                    )
                    .at(file.find(at))
                    .label("ambiguous")
                    .hint("add `prefix:` or `suffix:` with the text just before or after the occurrence you mean")
});
                None
            }
        }
    }

    /// Checks a source or quotation id: a slug (C020) declared once across all files (C006).
    /// Records it on first sight; returns false for a duplicate.
    pub(super) fn declare_id(
        &mut self,
        fi: usize,
        ids: &mut HashMap<String, (usize, YamlPath)>,
        what: &str,
        id: &str,
        at: &YamlPath,
        slug_hint: &str,
    ) -> bool {
        let file = &self.files[fi];
        if !is_slug(id, &[]) {
            self.diags.push_with(&file.path, Rule::InvalidId, || {
                Diagnostic::new(
                    Rule::InvalidId,
                    &file.path,
                    format!("invalid {what} id `{id}`"),
                )
                .at(file.find(at))
                .hint(slug_hint)
            });
        }
        if let Some((pfi, ppath)) = ids.get(id) {
            let prev = self.files[*pfi].position(ppath);
            self.diags.push_with(&file.path, Rule::DuplicateId, || {
                Diagnostic::new(
                    Rule::DuplicateId,
                    &file.path,
                    format!("duplicate {what} id `{id}`"),
                )
                .at(file.find(at))
                .hint(format!("already declared at {prev}"))
            });
            return false;
        }
        ids.insert(id.to_string(), (fi, at.clone()));
        true
    }

    fn source(
        &mut self,
        fi: usize,
        ids: &mut HashMap<String, (usize, YamlPath)>,
        texts: &mut HashMap<PathBuf, String>,
    ) -> Option<(SourceFacts, bool)> {
        let file = &self.files[fi];
        let s = file.source.as_ref()?;
        let at = YamlPath(vec![super::locate::Seg::Key("source".into())]);
        let ok = self.declare_id(
            fi,
            ids,
            "source",
            &s.id,
            &at.key("id"),
            "use lowercase letters, digits and `-`, e.g. `afp-2018-05-rekognition-letter`",
        );
        if let Some(p) = self.entity(file, &at.key("publisher"), &s.publisher) {
            self.kind_check(
                file,
                &at.key("publisher"),
                p,
                &[Group::Organisation, Group::Person],
                "subject",
                "publisher",
            );
        }
        let date = self.date(file, &at.key("date"), &s.date);
        self.language(file, || file.find(&at.key("language")), &s.language);
        let text_path = file.path.parent().unwrap_or(Path::new(".")).join(&s.text);
        let text = self.source_text(file, &at.key("text"), &s.text, &text_path);
        self.text_ok = text.is_some();
        let usable = text.is_some() && date.is_some() && ok;
        if let Some(text) = &text {
            texts.insert(text_path.clone(), text.clone());
        }
        let text = text.unwrap_or_default();
        // A placeholder date for a source that is checked but not kept.
        let date = date.unwrap_or(PartialDate {
            year: 0,
            month: None,
            day: None,
        });
        Some((
            SourceFacts {
                source: s.clone(),
                date,
                fact_file: file.path.clone(),
                text_path,
                text,
                statements: Vec::new(),
                quotations: Vec::new(),
                ignored: Vec::new(),
            },
            usable,
        ))
    }

    /// Reads the text of the source in `file`, named `name` at `at` and found at `path`, or
    /// says why it cannot be used.
    fn source_text(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        name: &str,
        path: &Path,
    ) -> Option<String> {
        if let Err(why) = confine::inside_folder_of(&file.path, name) {
            self.diags
                .push_with(&file.path, Rule::PathOutsideFacts, || {
                    Diagnostic::new(
                    Rule::PathOutsideFacts,
                    &file.path,
                    format!("source text `{name}` is outside the facts folder: {why}"),
                )
                .at(file.find(at))
                .label("leads outside this fact file's folder")
                .hint(
                    "keep the text next to the fact file (or below it) and give its relative path",
                )
                });
            return None;
        }
        match read_text(path) {
            Ok((t, bom)) => {
                // A byte-order mark in the text is dropped; say so, as for fact files.
                bom.into_iter().for_each(|d| self.diags.push(d));
                Some(t)
            }
            Err(d) => {
                let msg = match d.rule {
                    Rule::MissingSourceText => {
                        let why = d.message.trim_start_matches("cannot read file: ");
                        format!("source text `{}` cannot be read: {why}", path.display())
                    }
                    _ => format!("source text `{}`: {}", path.display(), d.message),
                };
                self.diags.push(
                    Diagnostic::new(d.rule, &file.path, msg)
                        .at(file.find(at))
                        .label("path relative to this fact file")
                        .hint(
                            "store the article's text next to the fact file and give its relative path",
                        ),
                );
                None
            }
        }
    }

    fn unused(&mut self) {
        if !self.registry_complete {
            return;
        }
        let unused: Vec<_> = self
            .entities
            .iter()
            .filter(|(id, _)| !self.used.contains(**id))
            .map(|(id, (_, fi, i))| (id.to_string(), *fi, *i))
            .collect();
        for (id, fi, i) in unused {
            let file = &self.files[fi];
            self.diags.push_with(&file.path, Rule::UnusedEntity, || {
                Diagnostic::new(
                    Rule::UnusedEntity,
                    &file.path,
                    format!("entity `{id}` is declared but never used"),
                )
                .at(file.find(&YamlPath::item("entities", i).key("id")))
                .hint("use it in a statement or quotation, or remove it")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_language_tag;

    #[test]
    fn language_tags_are_bcp47_with_a_short_lowercase_language() {
        for ok in ["fr", "en", "pt-BR", "zh-Hant-TW", "en-x-private"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        // `fr-a` passed the old subtag-length rule but is not BCP 47 (nor accepted by Oxigraph).
        for bad in ["English", "EN", "<script>", "", "fr-a", "en-US-", "f"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
