//! "Did you mean …?": the closest known name to a mistyped one, by normalized
//! Damerau–Levenshtein similarity (`strsim`), for every command and rule that names a thing.
//!
//! Bounded whatever the input: words longer than [`MAX_CHARS`] get no suggestion (a typo of a
//! short id is never that long, and an edit distance costs the product of both lengths: a
//! 100 KB unknown id against 2,000 entities took 16 s), and a character-count prefilter skips
//! the candidates that cannot reach [`MIN_SCORE`] before any distance is computed.

/// Longest word or candidate compared, in characters.
pub const MAX_CHARS: usize = 128;

/// Lowest similarity (0 to 1) still worth suggesting.
pub const MIN_SCORE: f64 = 0.6;

/// "did you mean `x`?" for the candidate closest to `word`, if close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate closest to `word` with a similarity of at least [`MIN_SCORE`]; ties go to the
/// last one (as `Iterator::max_by`, which this replaced). Candidates that cannot be shown in a hint (control characters, backticks, over
/// [`MAX_CHARS`]) and `word` itself are never proposed.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = bounded_len(word)?;
    if len == 0 {
        return None;
    }
    let bag = Bag::of(word);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let Some(clen) = bounded_len(c) else { continue };
        if clen == 0 || c == word || c.chars().any(|ch| ch.is_control() || ch == '`') {
            continue;
        }
        // Edits needed are at least the length difference and the bag distance (a lower
        // bound of the edit distance, transpositions included), so these skip the distance.
        let longest = len.max(clen) as f64;
        let floor = bag.distance(&Bag::of(c)).max(len.abs_diff(clen));
        let ceiling = 1.0 - floor as f64 / longest;
        if ceiling < MIN_SCORE || best.is_some_and(|(s, _)| ceiling < s) {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(word, c);
        if score >= MIN_SCORE && best.is_none_or(|(s, _)| score >= s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The length of `s` in characters, or `None` past [`MAX_CHARS`] (without counting further).
fn bounded_len(s: &str) -> Option<usize> {
    if s.len() > 4 * MAX_CHARS {
        return None;
    }
    let n = s.chars().count();
    (n <= MAX_CHARS).then_some(n)
}

/// Character counts in 64 buckets: buckets only merge characters, so the distance between two
/// bags stays a lower bound of the edit distance.
struct Bag([u16; 64]);

impl Bag {
    fn of(s: &str) -> Bag {
        let mut b = [0u16; 64];
        for c in s.chars() {
            b[c as usize % 64] += 1;
        }
        Bag(b)
    }

    /// Characters of one that the other lacks, the larger of the two ways.
    fn distance(&self, other: &Bag) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_known_name() {
        let ids = ["eff", "aclu", "acme-corp", "planet"];
        assert_eq!(closest("efff", ids), Some("eff"));
        assert_eq!(closest("aclu-", ids), Some("aclu"));
        assert_eq!(closest("amce-corp", ids), Some("acme-corp"));
        assert_eq!(closest("zzzzzz", ids), None);
        assert_eq!(
            did_you_mean("plnaet", ids).as_deref(),
            Some("did you mean `planet`?")
        );
    }

    #[test]
    fn never_proposes_the_word_itself_or_what_a_hint_cannot_show() {
        assert_eq!(closest("eff", ["eff"]), None);
        assert_eq!(closest("ef", ["ef`", "e\nf", "eff"]), Some("eff"));
        assert_eq!(closest("", ["a"]), None);
    }

    #[test]
    fn the_prefilter_never_drops_the_best_match() {
        // Exhaustive over a small alphabet: the filtered result equals a plain search.
        let words: Vec<String> = (0..4usize.pow(4))
            .map(|n| {
                (0..4)
                    .map(|k| ["a", "b", "é", "-"][(n >> (2 * k)) % 4])
                    .collect()
            })
            .collect();
        for w in words.iter().step_by(7) {
            let plain = words
                .iter()
                .filter(|c| *c != w)
                .map(|c| (strsim::normalized_damerau_levenshtein(w, c), c.as_str()))
                .filter(|(s, _)| *s >= MIN_SCORE)
                .fold(None::<(f64, &str)>, |b, (s, c)| match b {
                    Some((bs, _)) if bs > s => b,
                    _ => Some((s, c)),
                });
            let got = closest(w, words.iter().map(String::as_str));
            assert_eq!(got, plain.map(|(_, c)| c), "{w}");
        }
    }

    #[test]
    fn long_words_are_cheap() {
        let ids: Vec<String> = (0..2000).map(|i| format!("entity-{i}")).collect();
        let huge = "x".repeat(100_000);
        let t = std::time::Instant::now();
        assert_eq!(closest(&huge, ids.iter().map(String::as_str)), None);
        let long = "entity-".repeat(18);
        assert_eq!(closest(&long, ids.iter().map(String::as_str)), None);
        // Generous (a hang guard, not a benchmark): the unbounded version took 16 s.
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    }
}
