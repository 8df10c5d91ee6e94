//! The fact-file format: the typed Rust structs that `serde_yaml` reads and `schemars` turns into
//! the JSON Schema (`coalition schema`, committed as `schema/facts.schema.json`).
//!
//! One YAML file may hold any of the sections below. The entity registry is shared by all files, so
//! several sources can refer to the same `aclu`. Statements, quotations and ignored passages belong to
//! the one `source` declared in the same file. Field names and enum values are `snake_case`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::vocab::{EntityKind, Predicate};

/// One fact file: a source with its statements and quotations, entities of the shared registry, or both.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactFile {
    /// The article, letter or record set this file's statements and quotations come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Entities of the registry shared by every fact file (organisations, people, places, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    /// Relations the source states between entities, each backed by verbatim evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    /// Who said or wrote what, quoted verbatim from the source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotations: Vec<Quotation>,
    /// Passages of the source deliberately left without facts, with the curator's reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<Ignored>,
}

/// A stored source text and its bibliographic metadata.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Readable slug, unique across all sources and entities (e.g. `afp-2018-05-rekognition-letter`).
    pub id: String,
    /// Title of the article or document (the curator's, when the text has none).
    pub title: String,
    /// Entity id of the publisher (e.g. `afp`).
    pub publisher: String,
    /// Publication date, possibly partial: `2018`, `2018-05` or `2018-05-22`.
    #[serde(deserialize_with = "scalar::text")]
    #[schemars(schema_with = "scalar::text_schema")]
    pub date: String,
    /// BCP 47 language tag of the text (`fr`, `en`).
    pub language: String,
    /// Path of the stored source text, relative to this fact file.
    pub text: String,
    /// Where the source was published, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Curator's remarks about the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An actor, place, technology, document or community of the shared registry.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Readable slug, unique across the registry (lowercase letters, digits and `-`), e.g. `eff`.
    pub id: String,
    /// What sort of thing this is; decides which predicates may use it.
    pub kind: EntityKind,
    /// Preferred name, in the language the entity is usually named in.
    pub name: String,
    /// Labels per language tag, e.g. `{en: Florida, fr: Floride}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Other names and abbreviations (`ACLU`), used by search and by the `explain` command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Wikidata item id (`Q` followed by digits).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scalar::optional_text"
    )]
    #[schemars(schema_with = "scalar::optional_text_schema")]
    pub wikidata: Option<String>,
    /// One or two sentences saying who or what this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Entity {
    /// An entity with only its id, kind and name.
    pub fn new(id: impl Into<String>, kind: EntityKind, name: impl Into<String>) -> Entity {
        Entity {
            id: id.into(),
            kind,
            name: name.into(),
            labels: BTreeMap::new(),
            aliases: Vec::new(),
            wikidata: None,
            description: None,
        }
    }
}

/// A relation stated by the source: `subject predicate object`, with qualifiers and evidence.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Stable identity used by `diff`; defaults to `subject.predicate.object`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Entity id of the subject.
    pub subject: String,
    /// Relation from the closed vocabulary (see `docs/AUTHORING.md`).
    pub predicate: Predicate,
    /// Entity id of the object. Exactly one of `object` and `value` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Literal object, for predicates whose object is a value rather than an entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Literal>,
    /// When the relation held or happened, possibly partial (`2018-05`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "scalar::optional_text"
    )]
    #[schemars(schema_with = "scalar::optional_text_schema")]
    pub date: Option<String>,
    /// The subject's role in the relation, in words (`founder`, `chief executive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// How many, when the source gives a number or an approximate one ("about thirty").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// How the source supports the statement; defaults to `stated`.
    #[serde(default)]
    pub certainty: Certainty,
    /// Entity id of whoever the source attributes the claim to (with `certainty: attributed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// Position of the subject towards the object, where the source states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// One or more passages of the source text, quoted verbatim, that back the statement.
    pub evidence: Vec<Evidence>,
    /// Curator's remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A verbatim passage of the source text. `prefix`/`suffix` pick one occurrence when it repeats.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The exact text, character for character, as it appears in the source.
    pub quote: String,
    /// Text immediately before the quote in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Text immediately after the quote in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// A typed literal object.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Literal {
    /// The lexical value, e.g. `30` or `2018-05-22`.
    #[serde(deserialize_with = "scalar::text")]
    #[schemars(schema_with = "scalar::text_schema")]
    pub value: String,
    /// XML Schema datatype of the value; defaults to `string`.
    #[serde(default)]
    pub datatype: Datatype,
    /// Language tag, for `string` values only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// Datatypes a literal may have (mapped onto `xsd:` types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Datatype {
    /// `xsd:string` (or `rdf:langString` with `lang`).
    #[default]
    String,
    /// `xsd:integer`.
    Integer,
    /// `xsd:decimal`.
    Decimal,
    /// `xsd:boolean`.
    Boolean,
    /// `xsd:date`, `xsd:gYearMonth` or `xsd:gYear`, after the precision of the value.
    Date,
}

/// A number as the source gives it: exact, or approximate with the curator's bounds.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// The number, or its central estimate when `approximate`.
    pub value: u64,
    /// The source gives an approximate number ("une trentaine", "about thirty").
    #[serde(default)]
    pub approximate: bool,
    /// Lowest value the wording allows, in the curator's reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<u64>,
    /// Highest value the wording allows, in the curator's reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<u64>,
    /// The source's own words for the number (must occur in the source text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
}

/// How the source supports a statement.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// The source states it in its own voice.
    #[default]
    Stated,
    /// The source reports it as someone's claim or finding (see `attributed_to`).
    Attributed,
    /// The curator infers it from what the source says; the evidence shows the basis.
    Inferred,
}

impl Certainty {
    /// The name used in fact files and in the exports (`stated`, `attributed`, `inferred`).
    pub fn slug(self) -> &'static str {
        match self {
            Certainty::Stated => "stated",
            Certainty::Attributed => "attributed",
            Certainty::Inferred => "inferred",
        }
    }
}

/// Position of an actor towards a concept or target.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// The actor supports the object.
    Supports,
    /// The actor opposes the object.
    Opposes,
}

impl Stance {
    /// The name used in fact files and in the exports (`supports`, `opposes`).
    pub fn slug(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Opposes => "opposes",
        }
    }
}

/// Who said or wrote what, verbatim.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quotation {
    /// Readable slug, unique across all files.
    pub id: String,
    /// Entity id of who said or wrote it: a person, an organisation, a coalition.
    pub speaker: String,
    /// Entity id of the document it was written in (e.g. the letter), when not said aloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The words in the original language, exactly as they appear in the source text.
    pub text: String,
    /// Text immediately before the quotation in the source (to pick one occurrence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Text immediately after the quotation in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Translations by language tag, marked as the curator's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    /// Entity ids the quotation is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<String>,
    /// Curator's remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A passage the curators decided not to turn into facts, and why.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ignored {
    /// The passage, verbatim.
    pub text: String,
    /// Why it carries no facts.
    pub reason: String,
}

/// Fields that hold text but that researchers naturally write as bare numbers (`date: 2018`,
/// `value: 30`, `wikidata: 40464`). YAML reads those as integers; they are taken as their digits,
/// so that the checker judges the text (a year is a fine date; `40464` lacks its `Q`).
mod scalar {
    use std::fmt;

    use schemars::{json_schema, Schema, SchemaGenerator};
    use serde::de::{self, Deserializer, Visitor};

    struct Text;

    impl Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }

    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_any(Text)
    }

    struct OptionalText;

    impl<'de> Visitor<'de> for OptionalText {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            text(d).map(Some)
        }
    }

    pub fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_option(OptionalText)
    }

    /// A string, or an integer taken as its digits.
    pub fn text_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "integer"] })
    }

    /// The same, or nothing.
    pub fn optional_text_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "integer", "null"] })
    }
}
