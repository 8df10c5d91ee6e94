//! Semantic checks across all fact files: ids, references, kinds, dates, quotes. Produces the
//! validated [`Corpus`] and every diagnostic, so one run reports all problems.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::corpus::{CheckedQuotation, CheckedStatement, Corpus, SourceFacts};
use super::date::PartialDate;
use super::diagnostic::Diagnostic;
use super::load::{did_you_mean, read_text, LoadedFile};
use super::locate::YamlPath;
use super::quote::{self, Passage, QuoteError};
use super::rules::Rule;
use super::schema::{Certainty, Datatype, Entity, Statement};
use super::vocab::{Group, ObjectRange};

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
    diags: Vec<Diagnostic>,
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
        used: BTreeSet::new(),
        diags: Vec::new(),
    };
    ctx.registry();
    let mut corpus = Corpus::default();
    let mut source_ids: HashMap<String, PathBuf> = HashMap::new();
    let mut quotation_ids: HashMap<String, PathBuf> = HashMap::new();
    let mut texts = HashMap::new();
    for (fi, file) in files.iter().enumerate() {
        if let Some(sf) = ctx.source(fi, &mut source_ids, &mut texts) {
            let sf = ctx.statements(fi, sf);
            let sf = ctx.quotations(fi, sf, &mut quotation_ids);
            corpus.sources.insert(sf.source.id.clone(), sf);
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
    diags.append(&mut ctx.diags);
    for f in &files {
        texts.insert(f.path.clone(), f.text.clone());
    }
    for d in &mut diags {
        if let Some(t) = texts.get(&d.file) {
            d.resolve_position(t);
        }
    }
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule.code()).cmp(&(&b.file, b.line, b.column, b.rule.code()))
    });
    diags.dedup();
    Checked {
        corpus,
        diagnostics: diags,
        texts,
    }
}

fn is_slug(id: &str, extra: &[char]) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || extra.contains(&c))
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl<'a> Ctx<'a> {
    fn registry(&mut self) {
        for (fi, file) in self.files.iter().enumerate() {
            for (i, e) in &file.entities {
                let at = YamlPath::item("entities", *i);
                if !is_slug(&e.id, &[]) {
                    self.diags.push(
                        Diagnostic::new(
                            Rule::InvalidId,
                            &file.path,
                            format!("invalid id `{}`", e.id),
                        )
                        .at(file.find(&at.key("id")))
                        .label("not a slug")
                        .hint("use lowercase letters, digits and `-`, e.g. `human-rights-watch`"),
                    );
                }
                if let Some((_, pfi, pi)) = self.entities.get(e.id.as_str()) {
                    let prev = &self.files[*pfi];
                    let line = prev
                        .find(&YamlPath::item("entities", *pi))
                        .map(|s| prev.text[..s.start].matches('\n').count() + 1)
                        .unwrap_or(0);
                    self.diags.push(
                        Diagnostic::new(
                            Rule::DuplicateId,
                            &file.path,
                            format!("duplicate entity id `{}`", e.id),
                        )
                        .at(file.find(&at.key("id")))
                        .label("declared again here")
                        .hint(format!(
                            "already declared at {}:{line}; merge the two or rename one",
                            prev.path.display()
                        )),
                    );
                    continue;
                }
                self.entities.insert(&e.id, (e, fi, *i));
                if let Some(q) = &e.wikidata {
                    let ok = q.len() > 1
                        && q.starts_with('Q')
                        && q[1..].bytes().all(|b| b.is_ascii_digit())
                        && !q[1..].starts_with('0');
                    if !ok {
                        self.diags.push(
                            Diagnostic::new(
                                Rule::InvalidWikidata,
                                &file.path,
                                format!("invalid Wikidata id `{q}`"),
                            )
                            .at(file.find(&at.key("wikidata")))
                            .label("expected `Q` and digits")
                            .hint(
                                "copy the item id from the Wikidata page, e.g. `Q3884` for Amazon",
                            ),
                        );
                    }
                }
                for lang in e.labels.keys() {
                    self.language(file, &at.key("labels").key(lang), lang);
                }
            }
        }
    }

    fn language(&mut self, file: &LoadedFile, at: &YamlPath, tag: &str) {
        if !is_language_tag(tag) {
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidLanguage,
                    &file.path,
                    format!("invalid language tag `{tag}`"),
                )
                .at(file.find(at))
                .hint("use a BCP 47 tag such as `en`, `fr` or `pt-BR`"),
            );
        }
    }

    fn date(&mut self, file: &LoadedFile, at: &YamlPath, s: &str) -> Option<PartialDate> {
        match PartialDate::parse(s) {
            Ok(d) => Some(d),
            Err(why) => {
                self.diags.push(
                    Diagnostic::new(
                        Rule::InvalidDate,
                        &file.path,
                        format!("invalid date `{s}`: {why}"),
                    )
                    .at(file.find(at))
                    .hint("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, e.g. `2018-05`"),
                );
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
        if self.broken.contains(id) {
            return None;
        }
        let lower = id.to_lowercase();
        let by_name = self.entities.values().find(|(e, ..)| {
            e.name.to_lowercase() == lower
                || e.aliases.iter().any(|a| a.to_lowercase() == lower)
                || e.labels.values().any(|l| l.to_lowercase() == lower)
        });
        let hint = match by_name {
            Some((e, ..)) => Some(format!(
                "`{id}` is a name of `{}`; refer to entities by id",
                e.id
            )),
            None => did_you_mean(id, self.entities.keys().copied()).or_else(|| {
                Some("declare it under `entities:` (in any fact file) or fix the id".into())
            }),
        };
        self.diags.push(
            Diagnostic::new(
                Rule::UnknownReference,
                &file.path,
                format!("unknown entity `{id}`"),
            )
            .at(file.find(at))
            .label("not in the entity registry")
            .maybe_hint(hint),
        );
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
            let names: Vec<&str> = allowed.iter().map(|g| g.name()).collect();
            self.diags.push(
                Diagnostic::new(
                    Rule::KindMismatch,
                    &file.path,
                    format!(
                        "`{pred}` does not take a {} (`{}`) as its {role}",
                        e.kind.label(),
                        e.id
                    ),
                )
                .at(file.find(at))
                .label(format!("a {}", e.kind.label()))
                .hint(format!(
                    "the {role} of `{pred}` must be a {}",
                    names.join(" or ")
                )),
            );
        }
    }

    fn locate(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        text: &str,
        q: &str,
        prefix: Option<&str>,
        suffix: Option<&str>,
    ) -> Option<Passage> {
        match quote::find(text, q, prefix, suffix) {
            Ok(p) => Some(p),
            Err(QuoteError::NotFound(hint)) => {
                self.diags.push(
                    Diagnostic::new(
                        Rule::QuoteNotFound,
                        &file.path,
                        "quote not found in the source text",
                    )
                    .at(file.find(at))
                    .label("does not occur verbatim")
                    .hint(
                        hint.unwrap_or_else(|| {
                            "copy the passage from the source text exactly".into()
                        }),
                    ),
                );
                None
            }
            Err(QuoteError::Ambiguous(lines)) => {
                let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
                self.diags.push(
                    Diagnostic::new(
                        Rule::QuoteAmbiguous,
                        &file.path,
                        format!("quote occurs {} times in the source text (lines {})", lines.len(), lines.join(", ")),
                    )
                    .at(file.find(at))
                    .label("ambiguous")
                    .hint("add `prefix:` or `suffix:` with the text just before or after the occurrence you mean"),
                );
                None
            }
        }
    }

    fn source(
        &mut self,
        fi: usize,
        ids: &mut HashMap<String, PathBuf>,
        texts: &mut HashMap<PathBuf, String>,
    ) -> Option<SourceFacts> {
        let file = &self.files[fi];
        let s = file.source.as_ref()?;
        let at = YamlPath(vec![super::locate::Seg::Key("source".into())]);
        let mut ok = true;
        if !is_slug(&s.id, &[]) {
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidId,
                    &file.path,
                    format!("invalid source id `{}`", s.id),
                )
                .at(file.find(&at.key("id")))
                .hint(
                    "use lowercase letters, digits and `-`, e.g. `afp-2018-05-rekognition-letter`",
                ),
            );
        }
        if let Some(prev) = ids.insert(s.id.clone(), file.path.clone()) {
            self.diags.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    &file.path,
                    format!("duplicate source id `{}`", s.id),
                )
                .at(file.find(&at.key("id")))
                .hint(format!("already declared in {}", prev.display())),
            );
            ok = false;
        }
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
        self.language(file, &at.key("language"), &s.language);
        let text_path = file.path.parent().unwrap_or(Path::new(".")).join(&s.text);
        let text = match read_text(&text_path) {
            Ok((t, _)) => Some(t),
            Err(d) => {
                let msg = match d.rule {
                    Rule::MissingSourceText => {
                        format!("source text `{}` cannot be read", text_path.display())
                    }
                    _ => format!("source text `{}`: {}", text_path.display(), d.message),
                };
                self.diags.push(
                    Diagnostic::new(
                        if d.rule == Rule::MissingSourceText {
                            Rule::MissingSourceText
                        } else {
                            d.rule
                        },
                        &file.path,
                        msg,
                    )
                    .at(file.find(&at.key("text")))
                    .label("path relative to this fact file")
                    .hint(
                        "store the article's text next to the fact file and give its relative path",
                    ),
                );
                None
            }
        };
        let (Some(text), Some(date), true) = (text, date, ok) else {
            return None;
        };
        texts.insert(text_path.clone(), text.clone());
        Some(SourceFacts {
            source: s.clone(),
            date,
            fact_file: file.path.clone(),
            text_path,
            text,
            statements: Vec::new(),
            quotations: Vec::new(),
            ignored: Vec::new(),
        })
    }

    fn statements(&mut self, fi: usize, mut sf: SourceFacts) -> SourceFacts {
        let file = &self.files[fi];
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, st) in &file.statements {
            let at = YamlPath::item("statements", *i);
            if let Some(c) = self.statement(file, &at, st, &sf.text) {
                if let Some(prev) = seen.insert(c.id.clone(), *i) {
                    self.diags.push(
                        Diagnostic::new(Rule::DuplicateId, &file.path, format!("duplicate statement `{}`", c.id))
                            .at(file.find(&at))
                            .hint(format!("statements[{prev}] says the same; merge their evidence, or give one an `id:`")),
                    );
                    continue;
                }
                sf.statements.push(c);
            }
        }
        for (i, ig) in &file.ignored {
            let at = YamlPath::item("ignored", *i).key("text");
            if let Some(p) = self.locate(file, &at, &sf.text.clone(), &ig.text, None, None) {
                sf.ignored.push((ig.clone(), p));
            }
        }
        if file.statements.is_empty() && file.quotations.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Rule::EmptySource,
                    &file.path,
                    format!(
                        "source `{}` has no statements or quotations yet",
                        sf.source.id
                    ),
                )
                .at(file.find(&YamlPath(vec![super::locate::Seg::Key("source".into())]).key("id")))
                .hint("add what the source states under `statements:` and `quotations:`"),
            );
        }
        sf
    }

    fn statement(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        st: &Statement,
        text: &str,
    ) -> Option<CheckedStatement> {
        let before = self.diags.len();
        let pred = st.predicate;
        let subject = self.entity(file, &at.key("subject"), &st.subject);
        if let Some(e) = subject {
            self.kind_check(
                file,
                &at.key("subject"),
                e,
                pred.subjects(),
                "subject",
                pred.slug(),
            );
        }
        match (pred.objects(), &st.object, &st.value) {
            (ObjectRange::Entities(groups), Some(o), None) => {
                if let Some(e) = self.entity(file, &at.key("object"), o) {
                    self.kind_check(file, &at.key("object"), e, groups, "object", pred.slug());
                }
            }
            (ObjectRange::Literal, None, Some(v)) => self.literal(file, &at.key("value"), v),
            (range, o, v) => {
                let want = if range == ObjectRange::Literal {
                    "`value:` (a literal)"
                } else {
                    "`object:` (an entity id)"
                };
                let what = match (o, v) {
                    (Some(_), Some(_)) => "both `object` and `value`",
                    (None, None) => "neither `object` nor `value`",
                    (Some(_), None) => "an entity `object`",
                    (None, Some(_)) => "a literal `value`",
                };
                self.diags.push(
                    Diagnostic::new(
                        Rule::ObjectShape,
                        &file.path,
                        format!("statement has {what}"),
                    )
                    .at(file.find(at))
                    .hint(format!("`{}` takes {want}", pred.slug())),
                );
            }
        }
        if st.stance.is_some() {
            self.stance(file, at, st, subject);
        }
        if let Some(a) = &st.attributed_to {
            self.entity(file, &at.key("attributed_to"), a);
            if st.certainty != Certainty::Attributed {
                self.diags.push(
                    Diagnostic::new(
                        Rule::AttributionMismatch,
                        &file.path,
                        "`attributed_to` on a statement that is not `certainty: attributed`",
                    )
                    .at(file.find(&at.key("attributed_to")))
                    .hint("set `certainty: attributed`, or remove `attributed_to`"),
                );
            }
        }
        let date = st
            .date
            .as_ref()
            .and_then(|d| self.date(file, &at.key("date"), d));
        if let Some(q) = &st.quantity {
            let bad = q.lower.is_some_and(|l| l > q.value) || q.upper.is_some_and(|u| u < q.value);
            if bad {
                self.diags.push(
                    Diagnostic::new(
                        Rule::InvalidQuantity,
                        &file.path,
                        format!("quantity {} lies outside its bounds", q.value),
                    )
                    .at(file.find(&at.key("quantity")))
                    .hint("make `lower` ≤ `value` ≤ `upper`"),
                );
            }
            if let Some(w) = &q.wording {
                if !text.contains(w.as_str()) {
                    self.locate(
                        file,
                        &at.key("quantity").key("wording"),
                        text,
                        w,
                        None,
                        None,
                    );
                }
            }
        }
        if st.evidence.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Rule::MissingEvidence,
                    &file.path,
                    "statement has no evidence",
                )
                .at(file.find(&at.key("evidence")).or_else(|| file.find(at)))
                .hint("add `evidence:` with at least one `- quote:` copied from the source text"),
            );
        }
        let mut evidence = Vec::new();
        for (k, ev) in st.evidence.iter().enumerate() {
            let eat = at.key("evidence").index(k).key("quote");
            if let Some(p) = self.locate(
                file,
                &eat,
                text,
                &ev.quote,
                ev.prefix.as_deref(),
                ev.suffix.as_deref(),
            ) {
                evidence.push(p);
            }
        }
        let id = st.id.clone().unwrap_or_else(|| st.default_id());
        if st.id.is_some() && !is_slug(&id, &['.', '_']) {
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidId,
                    &file.path,
                    format!("invalid statement id `{id}`"),
                )
                .at(file.find(&at.key("id")))
                .hint("use lowercase letters, digits, `-`, `_` and `.`"),
            );
        }
        (self.diags.len() == before || self.diags[before..].iter().all(|d| d.is_warning())).then(
            || CheckedStatement {
                id,
                statement: st.clone(),
                date,
                evidence,
            },
        )
    }

    /// A stance is an actor's position on an entity, and must not contradict the predicate.
    fn stance(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        st: &Statement,
        subject: Option<&Entity>,
    ) {
        let problem = if subject
            .is_some_and(|e| !matches!(e.kind.group(), Group::Organisation | Group::Person))
        {
            Some((
                "a stance needs an actor as subject",
                "only organisations and people take stances; remove `stance`",
            ))
        } else if st.object.is_none() {
            Some((
                "a stance needs an entity object",
                "a stance is a position on an entity; remove `stance`",
            ))
        } else if st.predicate == super::vocab::Predicate::Criticizes
            && st.stance == Some(super::schema::Stance::Supports)
        {
            Some((
                "`criticizes` with `stance: supports` contradicts itself",
                "use `stance: opposes`, or another predicate",
            ))
        } else {
            None
        };
        if let Some((message, hint)) = problem {
            self.diags.push(
                Diagnostic::new(Rule::InvalidStance, &file.path, message)
                    .at(file.find(&at.key("stance")))
                    .hint(hint),
            );
        }
    }

    fn literal(&mut self, file: &LoadedFile, at: &YamlPath, v: &super::schema::Literal) {
        let ok = match v.datatype {
            Datatype::String => true,
            Datatype::Integer => v
                .value
                .trim_start_matches(['-', '+'])
                .parse::<u64>()
                .is_ok(),
            Datatype::Decimal => v.value.parse::<f64>().is_ok() && !v.value.contains(['e', 'E']),
            Datatype::Boolean => matches!(v.value.as_str(), "true" | "false"),
            Datatype::Date => PartialDate::parse(&v.value).is_ok(),
        };
        if !ok || (v.lang.is_some() && v.datatype != Datatype::String) {
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidLiteral,
                    &file.path,
                    format!("`{}` is not a valid {:?} literal", v.value, v.datatype).to_lowercase(),
                )
                .at(file.find(at))
                .hint("fix the value or its `datatype`; only strings take `lang`"),
            );
        }
        if let Some(l) = &v.lang {
            self.language(file, &at.key("lang"), l);
        }
    }

    fn quotations(
        &mut self,
        fi: usize,
        mut sf: SourceFacts,
        ids: &mut HashMap<String, PathBuf>,
    ) -> SourceFacts {
        let file = &self.files[fi];
        for (i, q) in &file.quotations {
            let at = YamlPath::item("quotations", *i);
            let before = self.diags.len();
            if !is_slug(&q.id, &[]) {
                self.diags.push(
                    Diagnostic::new(
                        Rule::InvalidId,
                        &file.path,
                        format!("invalid quotation id `{}`", q.id),
                    )
                    .at(file.find(&at.key("id")))
                    .hint("use lowercase letters, digits and `-`"),
                );
            }
            if let Some(prev) = ids.insert(q.id.clone(), file.path.clone()) {
                self.diags.push(
                    Diagnostic::new(
                        Rule::DuplicateId,
                        &file.path,
                        format!("duplicate quotation id `{}`", q.id),
                    )
                    .at(file.find(&at.key("id")))
                    .hint(format!("already declared in {}", prev.display())),
                );
            }
            if let Some(e) = self.entity(file, &at.key("speaker"), &q.speaker) {
                self.kind_check(
                    file,
                    &at.key("speaker"),
                    e,
                    &[Group::Organisation, Group::Person],
                    "speaker",
                    "quotation",
                );
            }
            if let Some(d) = &q.document {
                if let Some(e) = self.entity(file, &at.key("document"), d) {
                    self.kind_check(
                        file,
                        &at.key("document"),
                        e,
                        &[Group::Document],
                        "document",
                        "quotation",
                    );
                }
            }
            for (k, a) in q.about.iter().enumerate() {
                self.entity(file, &at.key("about").index(k), a);
            }
            for lang in q.translations.keys() {
                self.language(file, &at.key("translations").key(lang), lang);
            }
            let passage = self.locate(
                file,
                &at.key("text"),
                &sf.text.clone(),
                &q.text,
                q.prefix.as_deref(),
                q.suffix.as_deref(),
            );
            if let (Some(passage), true) = (passage, self.diags.len() == before) {
                sf.quotations.push(CheckedQuotation {
                    quotation: q.clone(),
                    passage,
                });
            }
        }
        sf
    }

    fn unused(&mut self) {
        let unused: Vec<_> = self
            .entities
            .iter()
            .filter(|(id, _)| !self.used.contains(**id))
            .map(|(id, (_, fi, i))| (id.to_string(), *fi, *i))
            .collect();
        for (id, fi, i) in unused {
            let file = &self.files[fi];
            self.diags.push(
                Diagnostic::new(
                    Rule::UnusedEntity,
                    &file.path,
                    format!("entity `{id}` is declared but never used"),
                )
                .at(file.find(&YamlPath::item("entities", i).key("id")))
                .hint("use it in a statement or quotation, or remove it"),
            );
        }
    }
}
