//! A cheap pass over a fact file before the YAML parser sees it, against input that is valid
//! enough to parse but costly to scan.
//!
//! libyaml (behind `serde_yaml`) refuses nesting deeper than 128 levels, but only once its scanner
//! has looked ahead over every `[` or `{` that could start a key, and that look-ahead walks the
//! stack of open brackets for each token: 100 000 `[` in a 200 kB file take 20 s to refuse (see
//! `docs/BENCHMARKS.md`). Counting brackets first refuses such a file in microseconds.

/// Deepest flow nesting (`[` / `{`) accepted; the YAML parser's own limit is 128 in all.
pub const MAX_FLOW_DEPTH: usize = 128;

/// The byte offset of the first `[` or `{` that opens more than `limit` flow collections at once,
/// if any.
///
/// Only brackets where a flow collection may start are counted (after indentation, `: `, `- `,
/// `,`, `?` or another bracket), and comments are skipped, so a bracket inside a sentence
/// (`see [1`) does not count. The count can only err upwards inside quoted text that happens to
/// hold `: [` more than a hundred times without closing it.
pub fn deep_flow(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut prev = Prev::LineStart;
    let mut in_comment = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' | b'\r' => {
                in_comment = false;
                prev = Prev::LineStart;
            }
            _ if in_comment => {}
            b' ' | b'\t' => {
                // `:`, `-` and `?` are indicators only when a space follows them.
                if let Prev::Pending = prev {
                    prev = Prev::Opener;
                }
            }
            b'#' if prev == Prev::LineStart || bytes[i - 1].is_ascii_whitespace() => {
                in_comment = true;
            }
            b'[' | b'{' if prev != Prev::Other && prev != Prev::Pending => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
                prev = Prev::Opener;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                prev = Prev::Other;
            }
            b',' if depth > 0 => prev = Prev::Opener,
            b':' | b'-' | b'?' => prev = Prev::Pending,
            _ => prev = Prev::Other,
        }
    }
    None
}

/// What the last non-blank byte on the line allows a `[` or `{` after it to be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Nothing yet on this line (indentation only).
    LineStart,
    /// A bracket, a comma in a flow collection, or an indicator followed by a space.
    Opener,
    /// `:`, `-` or `?` with no space after it yet.
    Pending,
    /// Anything else: a bracket after it is part of a plain scalar.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_brackets_that_open_collections() {
        assert_eq!(deep_flow("a: [[[x]]]\n", 2), Some(5));
        assert_eq!(deep_flow("a: [[x]]\n", 2), None);
        // Block-sequence items and flow items nest too.
        assert_eq!(deep_flow("- [a, [b, [c]]]\n", 2), Some(10));
        // Brackets in sentences and comments do not count.
        let prose = "note: see [1 and [2 and [3\n# [[[[[[[[\nb: x#[[[[\n";
        assert_eq!(deep_flow(prose, 1), None);
    }

    #[test]
    fn closing_brackets_lower_the_depth() {
        let flat = "a: [x]\n".repeat(1000);
        assert_eq!(deep_flow(&flat, 1), None);
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(deep_flow(&deep, 128), Some(3 + 128));
    }
}
