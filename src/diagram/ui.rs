//! The diagrams' own words (headings, legend, group captions) in English and French; entity names
//! come from the curated facts and relation names from the vocabulary.

use crate::facts::vocab::{EntityKind, Predicate};

/// The words of one language.
#[derive(Debug)]
pub struct Ui {
    /// Language tag (`en`, `fr`), also used to pick curated entity labels.
    pub lang: &'static str,
    /// Heading of the whole picture when there is no single letter.
    pub all: &'static str,
    /// Heading of a letter's picture: `{}` is the letter.
    pub letter: &'static str,
    /// Heading of a focus view: `{0}` entity, `{1}` depth.
    pub around: &'static str,
    /// Prefix of a source line.
    pub source: &'static str,
    /// `… and {} more sources`.
    pub more_sources: &'static str,
    /// Legend caption.
    pub legend: &'static str,
    /// Caption of a signatories' block without a coalition: `{}` is the letter.
    pub signatories_of: &'static str,
    /// Count line without the source's wording: `{}` is the quantity.
    pub signatories: &'static str,
    /// Caption of a letter's addressees and targets (Graphviz cluster).
    pub targets: &'static str,
    /// Legend: the signatories' block.
    pub block: &'static str,
    /// Legend: stated relations.
    pub stated: &'static str,
    /// Legend: attributed or inferred relations.
    pub hedged: &'static str,
    /// Legend: opposition.
    pub opposes: &'static str,
}

/// English.
pub const EN: Ui = Ui {
    lang: "en",
    all: "Coalitions and their targets",
    letter: "{}: signatories, addressees and targets",
    around: "Around {0} (depth {1})",
    source: "Source: ",
    more_sources: "… and {} more sources",
    legend: "Legend",
    signatories_of: "Signatories of: {}",
    signatories: "{} signatories",
    targets: "Addressees and criticised targets",
    block: "signatories of a letter",
    stated: "stated by the source",
    hedged: "attributed to someone, or inferred",
    opposes: "opposition",
};

/// French.
pub const FR: Ui = Ui {
    lang: "fr",
    all: "Les coalitions et leurs cibles",
    letter: "{} : signataires, destinataires et cibles",
    around: "Autour de {0} (profondeur {1})",
    source: "Source : ",
    more_sources: "… et {} autres sources",
    legend: "Légende",
    signatories_of: "Signataires de : {}",
    signatories: "{} signataires",
    targets: "Destinataires et cibles critiquées",
    block: "signataires d'une lettre",
    stated: "affirmé par la source",
    hedged: "attribué à quelqu'un, ou déduit",
    opposes: "opposition",
};

impl Ui {
    /// The words for `lang` (`en` or `fr`), if we have them.
    pub fn for_lang(lang: &str) -> Option<&'static Ui> {
        match lang {
            "en" => Some(&EN),
            "fr" => Some(&FR),
            _ => None,
        }
    }

    /// `template` with `{}`/`{0}` replaced by `a` and `{1}` by `b`.
    pub fn fill(template: &str, a: &str, b: &str) -> String {
        template
            .replace("{0}", a)
            .replace("{}", a)
            .replace("{1}", b)
    }

    /// The name of an entity kind.
    pub fn kind(&self, k: EntityKind) -> &'static str {
        if self.lang == "fr" {
            k.label_fr()
        } else {
            k.label()
        }
    }

    /// The name of a relation.
    pub fn predicate(&self, p: Predicate) -> &'static str {
        if self.lang == "fr" {
            p.label_fr()
        } else {
            p.label()
        }
    }
}
