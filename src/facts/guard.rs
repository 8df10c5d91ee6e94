//! A cheap pass over a fact file before the YAML parser sees it, against input that is valid
//! enough to parse but costly to scan.
//!
//! libyaml (behind `serde_yaml`) refuses nesting deeper than 128 levels, but only once its scanner
//! has looked ahead over every `[` or `{` that could start a key, and that look-ahead walks the
//! stack of open brackets for each token: 100 000 `[` in a 200 kB file take 20 s to refuse (see
//! `docs/BENCHMARKS.md`). Counting brackets first refuses such a file in microseconds.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

/// Most nodes that aliases may add to a file once expanded (each alias weighs as many nodes as
/// the value it names). Fact files need few aliases; the budget keeps any file within the size
/// cap to a parse of bounded memory, whatever its aliases multiply.
pub const MAX_ALIAS_NODES: u64 = 100_000;

/// Most YAML nodes (scalars, lists, mappings, aliases) a fact file may hold. Parsing keeps
/// every node in memory several times over (the parser's events, `serde_yaml::Value`, the
/// locator's tree, the typed facts), 330 to 620 bytes a node all told: two million invalid
/// items in a 16 MB file took 618 MB, 4.2 million 2.5 GB. Fact files hold 12 to 19 bytes of
/// text a node (the seed, `synth`), so only files over about 9 MB can reach the budget: 100,000
/// entities in one file; a corpus that large is split into several files. With the admission
/// of [`super::admit`], checking any one file within the caps stays under 500 MB.
pub const MAX_NODES: u64 = 750_000;

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
                if let Prev::Pending | Prev::Property = prev {
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
            // An anchor or a tag in front of a collection (`&a [`, `!!seq [`) leaves the place
            // where a collection may start open; without this, `z: &a [[[…` escaped the count.
            b'&' | b'!' if prev == Prev::LineStart || prev == Prev::Opener => prev = Prev::Property,
            _ if prev == Prev::Property => {}
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
    /// Inside an anchor (`&a`) or a tag (`!!seq`) written where a collection may start: a
    /// bracket right after it (`&a[`) or after the next space still opens a collection.
    Property,
    /// Anything else: a bracket after it is part of a plain scalar.
    Other,
}

/// The byte offset of the alias that takes the nodes added by aliases over `budget`, if any.
///
/// `serde_yaml` expands every alias into a copy of its value and only stops at a repetition
/// limit that grows with the file: an alias bomb padded with a long list reached 3.95 GB before
/// it did. This pass reads the YAML events once (aliases are not expanded in events) and weighs
/// each alias by the size of its anchored value, counting its own aliases expanded. Files
/// without `*` have no alias and are not scanned.
pub fn alias_bomb(text: &str, budget: u64) -> Option<usize> {
    if !text.contains('*') {
        return None;
    }
    let mut parser = Parser::new_from_str(text);
    // Node counts of the anchored values, by anchor id, once they are closed.
    let mut sizes: HashMap<usize, u64> = HashMap::new();
    // Open collections: anchor id and nodes so far (aliases expanded).
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut added = 0u64;
    loop {
        // A syntax error is the YAML parser's to report, with its own message.
        let Ok((event, mark)) = parser.next_token() else {
            return None;
        };
        let node = match event {
            Event::StreamEnd => return None,
            Event::Scalar(_, _, anchor, _) => {
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
                1
            }
            Event::Alias(anchor) => {
                // An alias to a value still open (recursive) is refused by the parser later.
                let weight = sizes.get(&anchor).copied().unwrap_or(1);
                added = added.saturating_add(weight);
                if added > budget {
                    return Some(super::locate::byte_offset(
                        text,
                        mark.line(),
                        mark.col() + 1,
                    ));
                }
                weight
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((anchor, n)) = open.pop() else {
                    continue;
                };
                if anchor > 0 {
                    sizes.insert(anchor, n);
                }
                n
            }
            _ => continue,
        };
        if let Some((_, n)) = open.last_mut() {
            *n = n.saturating_add(node);
        }
    }
}

/// Texts up to this size are not counted: [`nodes`] gives the bound, which weighs them at most
/// 3 MB in the parse admission ([`super::admit::weight`]), so several still parse at once.
const COUNTED_FROM: usize = 64 * 1024;

/// The number of nodes in `text`, or, for a short text, a bound above it (twice its length)
/// when that bound is within `budget`.
///
/// One pass over the YAML events, without building anything (a node takes at least half a
/// byte of text: `{a,a}` is five nodes in five bytes, `[:,:]` six in five). A syntax error ends
/// the count: the parser reports it, unless the nodes before it are already over the budget.
pub fn nodes(text: &str, budget: u64) -> u64 {
    let bound = (text.len() as u64).saturating_mul(2);
    if bound <= budget && text.len() <= COUNTED_FROM {
        return bound;
    }
    let mut parser = Parser::new_from_str(text);
    let mut nodes = 0u64;
    while let Ok((event, _)) = parser.next_token() {
        match event {
            Event::StreamEnd => break,
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::SequenceStart(..)
            | Event::MappingStart(..) => nodes += 1,
            _ => {}
        }
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of nodes in `text`, if more than `budget`.
    fn too_many_nodes(text: &str, budget: u64) -> Option<u64> {
        Some(nodes(text, budget)).filter(|&n| n > budget)
    }

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
    fn anchors_and_tags_before_brackets_do_not_hide_them() {
        let deep = |head: &str| format!("z: {head}{}{}", "[".repeat(200), "]".repeat(200));
        for head in ["&a ", "!!seq ", "&a !!seq ", "!t &a ", "&a"] {
            assert!(deep_flow(&deep(head), 128).is_some(), "{head}");
        }
        assert!(deep_flow("- &a [[x]]\n- !!seq [y]\n", 1).is_some());
        // `&` and `!` inside a plain scalar are text.
        assert_eq!(deep_flow("a: b&c [[[x\nb: x !y [[[\n", 1), None);
    }

    #[test]
    fn aliases_weigh_what_they_expand_to() {
        // Nine levels of nine aliases: 9^9 nodes once expanded, a few hundred bytes of text.
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let at = alias_bomb(&bomb, MAX_ALIAS_NODES).expect("refused");
        assert!(bomb[at..].starts_with("*a"), "{}", &bomb[at..]);
        // A long anchored list named a few times weighs its length each time.
        let list = format!("p: &p [{}]\nq: [*p, *p, *p]\n", vec!["x"; 40_000].join(","));
        assert!(alias_bomb(&list, MAX_ALIAS_NODES).is_some());
        assert!(alias_bomb(&list, 200_000).is_none());
        // Ordinary reuse is fine.
        let reuse = "a: &q {value: 3}\nb: *q\nc: [*q, *q]\n";
        assert_eq!(alias_bomb(reuse, MAX_ALIAS_NODES), None);
        assert_eq!(alias_bomb(reuse, 5), Some(reuse.find("[*q").unwrap() + 1));
    }

    #[test]
    fn nodes_are_counted_only_in_texts_that_can_hold_too_many() {
        let items = "- x\n".repeat(1000);
        assert_eq!(too_many_nodes(&items, 1000), Some(1001));
        assert_eq!(too_many_nodes(&items, 1001), None);
        // Short texts are not parsed at all: `{a,a}` would be five nodes.
        assert_eq!(too_many_nodes("{a,a}", 10), None);
        // A syntax error ends the count; what came before it still counts.
        let broken = format!("{items}]\n");
        assert_eq!(too_many_nodes(&broken, 1000), Some(1001));
    }

    #[test]
    fn closing_brackets_lower_the_depth() {
        let flat = "a: [x]\n".repeat(1000);
        assert_eq!(deep_flow(&flat, 1), None);
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(deep_flow(&deep, 128), Some(3 + 128));
    }
}
