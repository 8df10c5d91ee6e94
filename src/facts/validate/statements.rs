//! Checks of a source's statements and quotations: references and kinds, the shape of the object,
//! qualifiers, literals, and the quotes located in the source text.

use std::collections::HashMap;

use super::{is_slug, Ctx};
use crate::facts::corpus::{CheckedQuotation, CheckedStatement, SourceFacts};
use crate::facts::date::PartialDate;
use crate::facts::diagnostic::Diagnostic;
use crate::facts::load::LoadedFile;
use crate::facts::locate::{Seg, YamlPath};
use crate::facts::quote::{Passage, TextIndex};
use crate::facts::rules::Rule;
use crate::facts::schema::{Certainty, Datatype, Entity, Literal, Quantity, Stance, Statement};
use crate::facts::vocab::{Group, ObjectRange, Predicate};

impl Ctx<'_> {
    pub(super) fn statements(&mut self, fi: usize, mut sf: SourceFacts) -> SourceFacts {
        let file = &self.files[fi];
        // Indexed once for all its quotes; moved out meanwhile so that `sf` can take results.
        let text = std::mem::take(&mut sf.text);
        let index = TextIndex::new(&text);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, st) in &file.statements {
            let at = YamlPath::item("statements", *i);
            if let Some(c) = self.statement(file, &at, st, &index) {
                if let Some(prev) = seen.insert(c.id.clone(), *i) {
                    self.diags.push_with(&file.path, Rule::DuplicateId, || {
                        Diagnostic::new(
                            Rule::DuplicateId,
                            &file.path,
                            format!("duplicate statement `{}`", c.id),
                        )
                        .at(file.find(&at))
                        .hint(format!(
                            "{} says the same; merge their evidence, or give one an `id:`",
                            file.position(&YamlPath::item("statements", prev))
                        ))
                    });
                    continue;
                }
                sf.statements.push(c);
            }
        }
        for (i, ig) in &file.ignored {
            let at = YamlPath::item("ignored", *i).key("text");
            if let Some(p) = self.locate(file, &at, &index, &ig.text, None, None) {
                sf.ignored.push((ig.clone(), p));
            }
        }
        if file.statements.is_empty() && file.quotations.is_empty() {
            self.diags.push_with(&file.path, Rule::EmptySource, || {
                Diagnostic::new(
                    Rule::EmptySource,
                    &file.path,
                    format!(
                        "source `{}` has no statements or quotations yet",
                        sf.source.id
                    ),
                )
                .at(file.find(&YamlPath(vec![Seg::Key("source".into())]).key("id")))
                .hint("add what the source states under `statements:` and `quotations:`")
            });
        }
        drop(index);
        sf.text = text;
        sf
    }

    fn statement(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        st: &Statement,
        text: &TextIndex<'_>,
    ) -> Option<CheckedStatement> {
        let before = self.diags.errors();
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
        self.object(file, at, st);
        if st.stance.is_some() {
            self.stance(file, at, st, subject);
        }
        self.attribution(file, at, st);
        let date = st
            .date
            .as_ref()
            .and_then(|d| self.date(file, &at.key("date"), d));
        if let Some(q) = &st.quantity {
            self.quantity(file, at, q, text);
        }
        let evidence = self.evidence(file, at, st, text);
        let id = self.statement_id(file, at, st);
        (self.diags.errors() == before).then(|| CheckedStatement {
            id,
            statement: st.clone(),
            date,
            evidence,
        })
    }

    /// The object is an entity of an allowed kind, or a literal, as the predicate wants.
    fn object(&mut self, file: &LoadedFile, at: &YamlPath, st: &Statement) {
        let pred = st.predicate;
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
                self.diags.push_with(&file.path, Rule::ObjectShape, || {
                    Diagnostic::new(
                        Rule::ObjectShape,
                        &file.path,
                        format!("statement has {what}"),
                    )
                    .at(file.find(at))
                    .hint(format!("`{}` takes {want}", pred.slug()))
                });
            }
        }
    }

    /// `attributed_to` names an entity and goes with `certainty: attributed`.
    fn attribution(&mut self, file: &LoadedFile, at: &YamlPath, st: &Statement) {
        if let Some(a) = &st.attributed_to {
            self.entity(file, &at.key("attributed_to"), a);
            if st.certainty != Certainty::Attributed {
                self.diags
                    .push_with(&file.path, Rule::AttributionMismatch, || {
                        Diagnostic::new(
                            Rule::AttributionMismatch,
                            &file.path,
                            "`attributed_to` on a statement that is not `certainty: attributed`",
                        )
                        .at(file.find(&at.key("attributed_to")))
                        .hint("set `certainty: attributed`, or remove `attributed_to`")
                    });
            }
        }
    }

    /// The bounds hold the value, and the source's wording is in its text.
    fn quantity(&mut self, file: &LoadedFile, at: &YamlPath, q: &Quantity, text: &TextIndex<'_>) {
        let bad = q.lower.is_some_and(|l| l > q.value) || q.upper.is_some_and(|u| u < q.value);
        if bad {
            self.diags.push_with(&file.path, Rule::InvalidQuantity, || {
                Diagnostic::new(
                    Rule::InvalidQuantity,
                    &file.path,
                    format!("quantity {} lies outside its bounds", q.value),
                )
                .at(file.find(&at.key("quantity")))
                .hint("make `lower` ≤ `value` ≤ `upper`")
            });
        }
        if let Some(w) = &q.wording {
            if !text.text().contains(w.as_str()) {
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

    /// Every evidence quote, located in the source text.
    fn evidence(
        &mut self,
        file: &LoadedFile,
        at: &YamlPath,
        st: &Statement,
        text: &TextIndex<'_>,
    ) -> Vec<Passage> {
        if st.evidence.is_empty() {
            self.diags.push_with(&file.path, Rule::MissingEvidence, || {
                Diagnostic::new(
                    Rule::MissingEvidence,
                    &file.path,
                    "statement has no evidence",
                )
                .at(file.find(&at.key("evidence")).or_else(|| file.find(at)))
                .hint("add `evidence:` with at least one `- quote:` copied from the source text")
            });
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
        evidence
    }

    /// The statement's id: its own (checked) or the one derived from its content.
    fn statement_id(&mut self, file: &LoadedFile, at: &YamlPath, st: &Statement) -> String {
        let id = st.id.clone().unwrap_or_else(|| st.default_id());
        if st.id.is_some() && !is_slug(&id, &['.', '_']) {
            self.diags.push_with(&file.path, Rule::InvalidId, || {
                Diagnostic::new(
                    Rule::InvalidId,
                    &file.path,
                    format!("invalid statement id `{id}`"),
                )
                .at(file.find(&at.key("id")))
                .hint("use lowercase letters, digits, `-`, `_` and `.`")
            });
        }
        id
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
        } else if st.predicate == Predicate::Criticizes && st.stance == Some(Stance::Supports) {
            Some((
                "`criticizes` with `stance: supports` contradicts itself",
                "use `stance: opposes`, or another predicate",
            ))
        } else {
            None
        };
        if let Some((message, hint)) = problem {
            self.diags.push_with(&file.path, Rule::InvalidStance, || {
                Diagnostic::new(Rule::InvalidStance, &file.path, message)
                    .at(file.find(&at.key("stance")))
                    .hint(hint)
            });
        }
    }

    fn literal(&mut self, file: &LoadedFile, at: &YamlPath, v: &Literal) {
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
            self.diags.push_with(&file.path, Rule::InvalidLiteral, || {
                Diagnostic::new(
                    Rule::InvalidLiteral,
                    &file.path,
                    format!("`{}` is not a valid {:?} literal", v.value, v.datatype).to_lowercase(),
                )
                .at(file.find(at))
                .hint("fix the value or its `datatype`; only strings take `lang`")
            });
        }
        if let Some(l) = &v.lang {
            self.language(file, || file.find(&at.key("lang")), l);
        }
    }

    pub(super) fn quotations(
        &mut self,
        fi: usize,
        mut sf: SourceFacts,
        ids: &mut HashMap<String, (usize, YamlPath)>,
    ) -> SourceFacts {
        let file = &self.files[fi];
        let text = std::mem::take(&mut sf.text);
        let index = TextIndex::new(&text);
        for (i, q) in &file.quotations {
            let at = YamlPath::item("quotations", *i);
            let before = self.diags.count();
            self.declare_id(
                fi,
                ids,
                "quotation",
                &q.id,
                &at.key("id"),
                "use lowercase letters, digits and `-`",
            );
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
                self.language(file, || file.find_key(&at.key("translations"), lang), lang);
            }
            let passage = self.locate(
                file,
                &at.key("text"),
                &index,
                &q.text,
                q.prefix.as_deref(),
                q.suffix.as_deref(),
            );
            if let (Some(passage), true) = (passage, self.diags.count() == before) {
                sf.quotations.push(CheckedQuotation {
                    quotation: q.clone(),
                    passage,
                });
            }
        }
        drop(index);
        sf.text = text;
        sf
    }
}
