//! Coverage of each source text by the facts: which sentences a statement's evidence or a
//! quotation cites, which the curators set aside under `ignored:`, and which nobody accounted for,
//! with the registry entities those name (likely missing facts).
//!
//! Rule: a sentence is *cited* when at least one located passage (evidence quote or quotation text)
//! overlaps it by one byte or more; *ignored* when it is not cited and an `ignored:` passage
//! overlaps it; *uncited* otherwise. A cited sentence of which passages quote less than half is
//! also listed as *partly cited*, for information: it does not lower the score.

use serde::Serialize;

use super::sentences::{self, Sentence};
use crate::facts::schema::Entity;
use crate::model::{Model, SourceFacts};

/// Below this share of quoted characters, a cited sentence is listed as partly cited.
pub const PARTLY_CITED_BELOW: f64 = 0.5;

/// The coverage of one source.
#[derive(Clone, Debug, Serialize)]
pub struct SourceCoverage {
    /// Source id.
    pub source: String,
    /// Number of sentences in the text.
    pub sentences: usize,
    /// Sentences that evidence or a quotation cites.
    pub cited: usize,
    /// Sentences the curators set aside.
    pub ignored: usize,
    /// Sentences nobody accounted for.
    pub uncited: usize,
    /// Share of sentences cited or ignored, in percent (100 for a text without sentences).
    pub coverage: f64,
    /// The uncited sentences, in text order.
    pub uncited_sentences: Vec<Uncited>,
    /// The ignored sentences with the curators' reasons, in text order.
    pub ignored_sentences: Vec<IgnoredSentence>,
    /// Cited sentences that passages quote less than half of.
    pub partly_cited_sentences: Vec<PartlyCited>,
}

/// A sentence no fact accounts for.
#[derive(Clone, Debug, Serialize)]
pub struct Uncited {
    /// 1-based line in the source text.
    pub line: usize,
    /// Byte range of the sentence in the source text (for marking it on the source page).
    #[serde(skip)]
    pub bytes: (usize, usize),
    /// The sentence.
    pub text: String,
    /// Ids of the registry entities it names, sorted.
    pub entities: Vec<String>,
}

/// A sentence set aside by an `ignored:` entry.
#[derive(Clone, Debug, Serialize)]
pub struct IgnoredSentence {
    /// 1-based line in the source text.
    pub line: usize,
    /// The sentence.
    pub text: String,
    /// The curators' reasons (one per overlapping entry).
    pub reasons: Vec<String>,
}

/// A cited sentence that passages only partly quote.
#[derive(Clone, Debug, Serialize)]
pub struct PartlyCited {
    /// 1-based line in the source text.
    pub line: usize,
    /// The sentence.
    pub text: String,
    /// Share of its characters that passages quote, in percent.
    pub quoted: f64,
}

/// Computes the coverage of every source of the model, sorted by source id.
pub fn coverage(model: &Model) -> Vec<SourceCoverage> {
    let names = EntityNames::new(model.entities());
    model
        .sources()
        .map(|(_, sf)| source_coverage(sf, &names))
        .collect()
}

/// Computes the coverage of one source; `names` finds registry entities in uncited sentences.
pub fn source_coverage(sf: &SourceFacts, names: &EntityNames) -> SourceCoverage {
    let text = sf.text.as_str();
    let cited: Vec<(usize, usize)> = sf
        .statements
        .iter()
        .flat_map(|s| s.evidence.iter())
        .chain(sf.quotations.iter().map(|q| &q.passage))
        .map(|p| (p.byte_start, p.byte_end))
        .collect();
    let mut out = SourceCoverage {
        source: sf.source.id.clone(),
        sentences: 0,
        cited: 0,
        ignored: 0,
        uncited: 0,
        coverage: 100.0,
        uncited_sentences: Vec::new(),
        ignored_sentences: Vec::new(),
        partly_cited_sentences: Vec::new(),
    };
    for s in sentences::split(text) {
        out.sentences += 1;
        let body = s.text(text).to_string();
        if cited.iter().any(|r| overlaps(&s, *r)) {
            out.cited += 1;
            let share = quoted_share(text, &s, &cited);
            if share < PARTLY_CITED_BELOW {
                out.partly_cited_sentences.push(PartlyCited {
                    line: s.line,
                    text: body,
                    quoted: round1(share * 100.0),
                });
            }
            continue;
        }
        let reasons: Vec<String> = sf
            .ignored
            .iter()
            .filter(|(_, p)| overlaps(&s, (p.byte_start, p.byte_end)))
            .map(|(ig, _)| ig.reason.trim().to_string())
            .collect();
        if reasons.is_empty() {
            out.uncited += 1;
            out.uncited_sentences.push(Uncited {
                line: s.line,
                bytes: (s.byte_start, s.byte_end),
                entities: names.find(&body),
                text: body,
            });
        } else {
            out.ignored += 1;
            out.ignored_sentences.push(IgnoredSentence {
                line: s.line,
                text: body,
                reasons,
            });
        }
    }
    if out.sentences > 0 {
        out.coverage = round1((out.cited + out.ignored) as f64 * 100.0 / out.sentences as f64);
    }
    out
}

fn overlaps(s: &Sentence, (start, end): (usize, usize)) -> bool {
    start < s.byte_end && s.byte_start < end
}

/// Share of the sentence's non-space characters inside at least one of `ranges`.
fn quoted_share(text: &str, s: &Sentence, ranges: &[(usize, usize)]) -> f64 {
    let mut total = 0usize;
    let mut quoted = 0usize;
    for (i, c) in text[s.byte_start..s.byte_end].char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let at = s.byte_start + i;
        total += 1;
        if ranges.iter().any(|&(a, b)| a <= at && at < b) {
            quoted += 1;
        }
    }
    if total == 0 {
        1.0
    } else {
        quoted as f64 / total as f64
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).floor() / 10.0
}

/// Names, labels and aliases of the registry, to spot entities in a sentence.
#[derive(Clone, Debug, Default)]
pub struct EntityNames {
    /// (normalised name, case-sensitive?, entity id)
    names: Vec<(String, bool, String)>,
}

impl EntityNames {
    /// Collects the names of `entities`.
    pub fn new<'a>(entities: impl Iterator<Item = &'a Entity>) -> Self {
        let mut names = Vec::new();
        for e in entities {
            let all = std::iter::once(&e.name)
                .chain(e.labels.values())
                .chain(e.aliases.iter());
            for n in all {
                let n = n.trim();
                if n.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                    continue;
                }
                // Acronyms (`AFP`, `ACLU`) match only in capitals, so `aws` in a word does not count.
                let acronym = n.chars().all(|c| !c.is_lowercase());
                let key = if acronym {
                    fold(n)
                } else {
                    fold(n).to_lowercase()
                };
                names.push((key, acronym, e.id.clone()));
            }
        }
        EntityNames { names }
    }

    /// Ids of the entities named in `sentence`, sorted and without repeats.
    pub fn find(&self, sentence: &str) -> Vec<String> {
        let exact = fold(sentence);
        let lower = exact.to_lowercase();
        let mut ids: Vec<String> = self
            .names
            .iter()
            .filter(|(n, acronym, _)| contains_word(if *acronym { &exact } else { &lower }, n))
            .map(|(_, _, id)| id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Unifies apostrophes and spaces, which vary between a registry and a text.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            '\u{00A0}' | '\u{202F}' => ' ',
            c => c,
        })
        .collect()
}

/// Whether `needle` occurs in `hay` between word boundaries.
fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, m)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + m.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::vocab::EntityKind;

    fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        Entity {
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            ..Entity::new(id, EntityKind::AdvocacyGroup, name)
        }
    }

    #[test]
    fn finds_names_between_word_boundaries() {
        let es = [
            entity("aclu", "American Civil Liberties Union", &["ACLU"]),
            entity("amazon", "Amazon", &[]),
            entity("aws", "Amazon Web Services", &["AWS"]),
        ];
        let names = EntityNames::new(es.iter());
        assert_eq!(
            names.find("l’ACLU et amazon web services"),
            ["aclu", "amazon", "aws"]
        );
        assert_eq!(names.find("Amazonie, aclu, laws"), Vec::<String>::new());
    }

    #[test]
    fn overlap_is_at_least_one_byte() {
        let s = Sentence {
            byte_start: 10,
            byte_end: 20,
            line: 1,
        };
        assert!(overlaps(&s, (19, 30)));
        assert!(!overlaps(&s, (20, 30)));
        assert!(!overlaps(&s, (0, 10)));
    }
}
