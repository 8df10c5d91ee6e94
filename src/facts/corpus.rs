//! The validated corpus: what the checker hands to the model once the fact files are clean.
//! Every statement and quotation here has its evidence located in its source text.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::date::PartialDate;
use super::quote::Passage;
use super::schema::{Entity, Ignored, Quotation, Source, Statement};

/// All validated facts, sorted by id for deterministic output.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The entity registry.
    pub entities: BTreeMap<String, Entity>,
    /// Sources with their statements and quotations, shared: the model and a `serve --watch`
    /// reload keep an unchanged source without copying it.
    pub sources: BTreeMap<String, Arc<SourceFacts>>,
}

/// One source and what the curators recorded from it.
#[derive(Clone, Debug)]
pub struct SourceFacts {
    /// Metadata as written.
    pub source: Source,
    /// Its parsed date.
    pub date: PartialDate,
    /// The fact file that declares it.
    pub fact_file: PathBuf,
    /// The stored text file.
    pub text_path: PathBuf,
    /// The stored text.
    pub text: String,
    /// Statements in file order.
    pub statements: Vec<CheckedStatement>,
    /// Quotations in file order.
    pub quotations: Vec<CheckedQuotation>,
    /// Passages deliberately left without facts, located.
    pub ignored: Vec<(Ignored, Passage)>,
}

/// A statement whose references resolved and whose evidence was found.
#[derive(Clone, Debug)]
pub struct CheckedStatement {
    /// Stable id, unique within its source (`subject.predicate.object` unless given).
    pub id: String,
    /// The statement as written.
    pub statement: Statement,
    /// Its parsed date qualifier.
    pub date: Option<PartialDate>,
    /// Each evidence quote, located.
    pub evidence: Vec<Passage>,
}

/// A quotation whose text was found in its source.
#[derive(Clone, Debug)]
pub struct CheckedQuotation {
    /// The quotation as written.
    pub quotation: Quotation,
    /// Where its text is.
    pub passage: Passage,
}

impl Statement {
    /// The id a statement gets when the file gives none: `subject.predicate.object`.
    pub fn default_id(&self) -> String {
        let object = match (&self.object, &self.value) {
            (Some(o), _) => o.clone(),
            (None, Some(v)) => v.value.clone(),
            (None, None) => String::new(),
        };
        format!("{}.{}.{}", self.subject, self.predicate.slug(), object)
    }
}

impl Corpus {
    /// Number of statements across sources.
    pub fn statement_count(&self) -> usize {
        self.sources.values().map(|s| s.statements.len()).sum()
    }

    /// Number of quotations across sources.
    pub fn quotation_count(&self) -> usize {
        self.sources.values().map(|s| s.quotations.len()).sum()
    }
}
