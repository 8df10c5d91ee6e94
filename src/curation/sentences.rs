//! Splits a French or English news text into sentences, with byte offsets, for the coverage report.
//!
//! Rules, in order (see `docs/CURATION.md`):
//! - a line break always ends a sentence (stored texts keep one paragraph per line);
//! - `.`, `!`, `?` and `…` (or a run of them) end a sentence when followed by white space and a
//!   sentence start (an upper-case letter, a digit or an opening quote or bracket), or by the end
//!   of the line;
//! - closing quotes and brackets right after the terminator (`.»`, `!"`, `?”`, `. »`) stay in the
//!   sentence, so a sentence that ends inside a quotation is split after the closing quote;
//! - an abbreviation (`M.`, `Dr.`, `Mme.`), an initial or initialism (`J.`, `U.S.`) and an elision
//!   mark (`(...)`, `[…]`) never end a sentence, nor does a terminator followed by an elision mark.
//!
//! Pieces without any letter or digit (a lone `***`) are not sentences.

/// A sentence of a source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Start in bytes (first non-space character).
    pub byte_start: usize,
    /// End in bytes, exclusive (after the last non-space character).
    pub byte_end: usize,
    /// 1-based line of the start.
    pub line: usize,
}

impl Sentence {
    /// The sentence's text within `text`, the string it was split from.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Words that take a full stop without ending a sentence (compared case-sensitively).
const ABBREVIATIONS: &[&str] = &[
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Dr", "Drs", "Pr", "Prof", "Mr", "Mrs", "Ms",
    "St", "Ste", "Jr", "Sr", "Gen", "Gén", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Sgt", "No",
    "n°", "p", "pp", "vol", "art", "cf", "env", "av", "apr", "ex", "vs", "Inc", "Corp", "Ltd",
    "Co", "Jan", "Feb", "Fév", "Aug", "Sept", "Oct", "Nov", "Dec", "Déc",
];

const TERMINATORS: &[char] = &['.', '!', '?', '…'];
const CLOSERS: &[char] = &['»', '"', '”', '’', '\'', ')', ']'];
const OPENERS: &[char] = &['«', '"', '“', '‘', '\'', '(', '[', '¿', '¡', '—', '–', '-'];

/// Splits `text` into sentences, in order.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        for (s, e) in split_line(body) {
            let piece = &body[s..e];
            if piece.chars().any(char::is_alphanumeric) {
                out.push(Sentence {
                    byte_start: line_start + s,
                    byte_end: line_start + e,
                    line: line_no + 1,
                });
            }
        }
        line_start += line.len();
    }
    out
}

/// Byte ranges of the trimmed sentences of one line.
fn split_line(line: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if !TERMINATORS.contains(&chars[i].1) {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < chars.len() && TERMINATORS.contains(&chars[i].1) {
            i += 1;
        }
        if is_elision(&chars, run_start, i) || is_abbreviation(line, &chars, run_start, i) {
            continue;
        }
        // Closing quotes and brackets, possibly after a (non-breaking) space as in `. »`.
        let mut end = i;
        loop {
            let mut j = end;
            while j < chars.len() && is_inline_space(chars[j].1) && chars[j].1 != ' ' {
                j += 1;
            }
            if j < chars.len() && chars[j].1 == ' ' && chars.get(j + 1).is_some_and(|c| c.1 == '»')
            {
                j += 1;
            }
            if j < chars.len() && CLOSERS.contains(&chars[j].1) && closes(&chars, j) {
                end = j + 1;
            } else {
                break;
            }
        }
        let mut next = end;
        while next < chars.len() && chars[next].1.is_whitespace() {
            next += 1;
        }
        let boundary = if next == chars.len() {
            true
        } else {
            next > end && starts_sentence(&chars, next)
        };
        if boundary {
            let e = chars.get(end).map_or(line.len(), |c| c.0);
            push_trimmed(line, start, e, &mut out);
            start = e;
        }
        i = end.max(i);
    }
    push_trimmed(line, start, line.len(), &mut out);
    out
}

fn push_trimmed(line: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &line[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push((s + lead, e - trail));
    }
}

fn is_inline_space(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\t')
}

/// Whether the quote or bracket at `j`, right after a terminator, closes rather than opens.
fn closes(chars: &[(usize, char)], j: usize) -> bool {
    match chars[j].1 {
        // A straight quote closes when it touches the terminator or ends the line or is followed
        // by space; `. "Next` has a space before it and opens the next sentence instead.
        '"' | '\'' => {
            chars[j - 1].1 != ' ' && chars.get(j + 1).is_none_or(|c| !c.1.is_alphanumeric())
        }
        _ => true,
    }
}

/// `(...)`, `[…]`: an elision in a quotation, not the end of a sentence; nor is the terminator
/// before one (`américaines. (...) Le`).
fn is_elision(chars: &[(usize, char)], s: usize, e: usize) -> bool {
    let dots = chars[s..e].iter().all(|c| matches!(c.1, '.' | '…'));
    let bracketed = s > 0
        && matches!(chars[s - 1].1, '(' | '[')
        && chars.get(e).is_some_and(|c| matches!(c.1, ')' | ']'));
    if dots && bracketed {
        return true;
    }
    let mut k = e;
    while k < chars.len() && is_inline_space(chars[k].1) {
        k += 1;
    }
    k > e
        && chars.get(k).is_some_and(|c| matches!(c.1, '(' | '['))
        && chars.get(k + 1).is_some_and(|c| matches!(c.1, '.' | '…'))
}

/// A single full stop after an abbreviation or an initial (`M.`, `J.`, `U.S.`).
fn is_abbreviation(line: &str, chars: &[(usize, char)], s: usize, e: usize) -> bool {
    if e - s != 1 || chars[s].1 != '.' {
        return false;
    }
    let word_start = chars[..s]
        .iter()
        .rposition(|c| !(c.1.is_alphanumeric() || c.1 == '.' || c.1 == '°'))
        .map_or(0, |k| k + 1);
    if word_start == s {
        return false;
    }
    let word = &line[chars[word_start].0..chars[s].0];
    let single_upper = {
        let mut it = word.chars();
        matches!((it.next(), it.next()), (Some(c), None) if c.is_uppercase())
    };
    // `U.S`, `J.-C`: letters separated by full stops.
    let initialism = word.contains('.')
        && word
            .split('.')
            .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic));
    single_upper || initialism || ABBREVIATIONS.contains(&word)
}

fn starts_sentence(chars: &[(usize, char)], k: usize) -> bool {
    let c = chars[k].1;
    c.is_uppercase() || c.is_ascii_digit() || OPENERS.contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t).iter().map(|s| s.text(t)).collect()
    }

    #[test]
    fn splits_on_terminators_followed_by_a_capital() {
        assert_eq!(
            texts("Il part. Elle reste ! Et toi ? Oui… Bien sûr."),
            ["Il part.", "Elle reste !", "Et toi ?", "Oui…", "Bien sûr."]
        );
        assert_eq!(
            texts("Version 2.5 est sortie. ok"),
            ["Version 2.5 est sortie. ok"]
        );
    }

    #[test]
    fn keeps_closing_quotes_with_their_sentence() {
        assert_eq!(
            texts("He said \"Stop.\" Then he left."),
            ["He said \"Stop.\"", "Then he left."]
        );
        assert_eq!(
            texts("«Nous refusons.» Le lendemain, rien. « Non ! » Fin."),
            [
                "«Nous refusons.»",
                "Le lendemain, rien.",
                "« Non ! »",
                "Fin."
            ]
        );
        assert_eq!(texts("Il dit. \"Non.\""), ["Il dit.", "\"Non.\""]);
        assert_eq!(
            texts("\"Stop!\" she said. “Why?” Nobody knew."),
            ["\"Stop!\" she said.", "“Why?”", "Nobody knew."]
        );
        assert_eq!(
            texts("«Assez.\u{a0}» Puis rien."),
            ["«Assez.\u{a0}»", "Puis rien."]
        );
        assert_eq!(
            texts("«Un abus», écrivent-ils. «Une menace», ajoutent-ils."),
            ["«Un abus», écrivent-ils.", "«Une menace», ajoutent-ils."]
        );
    }

    #[test]
    fn abbreviations_initials_and_elisions_do_not_split() {
        assert_eq!(
            texts("M. Dupont et Dr. Who vont aux U.S. Army bases. J. Bezos lit."),
            [
                "M. Dupont et Dr. Who vont aux U.S. Army bases.",
                "J. Bezos lit."
            ]
        );
        assert_eq!(
            texts("«La menace. (...) Le gouvernement pourrait traquer». Fin."),
            [
                "«La menace. (...) Le gouvernement pourrait traquer».",
                "Fin."
            ]
        );
        assert_eq!(
            texts("Un [...] Deux (…) Trois."),
            ["Un [...] Deux (…) Trois."]
        );
    }

    #[test]
    fn lines_end_sentences_and_offsets_are_bytes() {
        let t = " date 2018-05 Été chaud\n\n«Oui», dit-il.\r\n***\n";
        let s = split(t);
        assert_eq!(texts(t), ["date 2018-05 Été chaud", "«Oui», dit-il."]);
        assert_eq!((s[0].byte_start, s[0].line), (1, 1));
        assert_eq!(
            (s[1].line, &t[s[1].byte_start..s[1].byte_end]),
            (3, "«Oui», dit-il.")
        );
    }
}
