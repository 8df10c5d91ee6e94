//! Rule codes of the checker. Each rule has a stable code, a kebab-case name and a one-line
//! summary; `docs/RULES.md` explains each one (what it checks, why, how to fix) and a test keeps
//! that page in step with this table.

/// A checker rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The file is not valid YAML.
    YamlSyntax,
    /// A field that the format does not know.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong type or an unknown enum value.
    InvalidValue,
    /// A predicate outside the closed vocabulary.
    UnknownPredicate,
    /// The same id is declared twice.
    DuplicateId,
    /// A reference to an entity that the registry does not have.
    UnknownReference,
    /// A subject or object whose kind the predicate does not allow.
    KindMismatch,
    /// A statement with both or neither of `object` and `value`, or the wrong one.
    ObjectShape,
    /// A quote that does not occur in the source text.
    QuoteNotFound,
    /// A quote that occurs more than once, without prefix/suffix to pick one.
    QuoteAmbiguous,
    /// A malformed or impossible date.
    InvalidDate,
    /// A malformed Wikidata id.
    InvalidWikidata,
    /// A source whose text file is missing or unreadable.
    MissingSourceText,
    /// A file that is not UTF-8.
    NotUtf8,
    /// A file that looks binary.
    BinaryFile,
    /// A file larger than the size limit.
    FileTooLarge,
    /// An empty fact file.
    EmptyFile,
    /// Statements or quotations in a file without a `source`.
    NoSource,
    /// An id that is not a readable slug.
    InvalidId,
    /// Quantity bounds that contradict the value.
    InvalidQuantity,
    /// A malformed language tag.
    InvalidLanguage,
    /// `attributed_to` without `certainty: attributed`, or the reverse.
    AttributionMismatch,
    /// A statement without evidence.
    MissingEvidence,
    /// A literal whose value does not fit its datatype.
    InvalidLiteral,
    /// An entity that nothing refers to.
    UnusedEntity,
    /// A source with no statements and no quotations.
    EmptySource,
    /// A byte-order mark at the start of a file.
    ByteOrderMark,
    /// A `stance` on a statement that cannot carry one (non-actor subject, literal object) or
    /// that contradicts its predicate (`criticizes` with `supports`).
    InvalidStance,
    /// A source text path (`../x.txt`, `/etc/x`) or a linked fact file that leads outside the
    /// facts folder.
    PathOutsideFacts,
    /// More errors in one file than are shown: the rest are counted, not listed.
    TooManyErrors,
    /// More warnings in one file than are shown: the rest are counted, not listed.
    TooManyWarnings,
}

impl Rule {
    /// Every rule, in code order.
    pub const ALL: &'static [Rule] = &[
        Rule::YamlSyntax,
        Rule::UnknownField,
        Rule::MissingField,
        Rule::InvalidValue,
        Rule::UnknownPredicate,
        Rule::DuplicateId,
        Rule::UnknownReference,
        Rule::KindMismatch,
        Rule::ObjectShape,
        Rule::QuoteNotFound,
        Rule::QuoteAmbiguous,
        Rule::InvalidDate,
        Rule::InvalidWikidata,
        Rule::MissingSourceText,
        Rule::NotUtf8,
        Rule::BinaryFile,
        Rule::FileTooLarge,
        Rule::EmptyFile,
        Rule::NoSource,
        Rule::InvalidId,
        Rule::InvalidQuantity,
        Rule::InvalidLanguage,
        Rule::AttributionMismatch,
        Rule::MissingEvidence,
        Rule::InvalidLiteral,
        Rule::UnusedEntity,
        Rule::EmptySource,
        Rule::ByteOrderMark,
        Rule::InvalidStance,
        Rule::PathOutsideFacts,
        Rule::TooManyErrors,
        Rule::TooManyWarnings,
    ];

    /// Stable code: `C0xx` for errors, `W0xx` for warnings.
    pub fn code(self) -> &'static str {
        self.meta().0
    }

    /// Kebab-case name.
    pub fn name(self) -> &'static str {
        self.meta().1
    }

    /// Whether the rule reports a warning rather than an error.
    pub fn is_warning(self) -> bool {
        self.code().starts_with('W')
    }

    fn meta(self) -> (&'static str, &'static str) {
        match self {
            Rule::YamlSyntax => ("C001", "yaml-syntax"),
            Rule::UnknownField => ("C002", "unknown-field"),
            Rule::MissingField => ("C003", "missing-field"),
            Rule::InvalidValue => ("C004", "invalid-value"),
            Rule::UnknownPredicate => ("C005", "unknown-predicate"),
            Rule::DuplicateId => ("C006", "duplicate-id"),
            Rule::UnknownReference => ("C007", "unknown-reference"),
            Rule::KindMismatch => ("C008", "kind-mismatch"),
            Rule::ObjectShape => ("C009", "object-shape"),
            Rule::QuoteNotFound => ("C010", "quote-not-found"),
            Rule::QuoteAmbiguous => ("C011", "quote-ambiguous"),
            Rule::InvalidDate => ("C012", "invalid-date"),
            Rule::InvalidWikidata => ("C013", "invalid-wikidata"),
            Rule::MissingSourceText => ("C014", "missing-source-text"),
            Rule::NotUtf8 => ("C015", "not-utf8"),
            Rule::BinaryFile => ("C016", "binary-file"),
            Rule::FileTooLarge => ("C017", "file-too-large"),
            Rule::EmptyFile => ("C018", "empty-file"),
            Rule::NoSource => ("C019", "no-source"),
            Rule::InvalidId => ("C020", "invalid-id"),
            Rule::InvalidQuantity => ("C021", "invalid-quantity"),
            Rule::InvalidLanguage => ("C022", "invalid-language"),
            Rule::AttributionMismatch => ("C023", "attribution-mismatch"),
            Rule::MissingEvidence => ("C024", "missing-evidence"),
            Rule::InvalidLiteral => ("C025", "invalid-literal"),
            Rule::UnusedEntity => ("W001", "unused-entity"),
            Rule::EmptySource => ("W002", "empty-source"),
            Rule::ByteOrderMark => ("W003", "byte-order-mark"),
            Rule::InvalidStance => ("C026", "invalid-stance"),
            Rule::PathOutsideFacts => ("C027", "path-outside-facts"),
            Rule::TooManyErrors => ("C028", "too-many-errors"),
            Rule::TooManyWarnings => ("W004", "too-many-warnings"),
        }
    }
}
