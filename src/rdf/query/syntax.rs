//! Readable SPARQL syntax errors (<https://www.w3.org/TR/sparql11-query/#grammar>): turns the
//! parser's `error at L:C: expected one of …` (a PEG expected-set mixing literal tokens,
//! character classes and the parser's own messages) into one sentence with the position, what
//! was expected and what was found there.

/// Most expected tokens listed before the list is cut with `…`.
const MAX_LISTED: usize = 12;

/// One sentence for the parser message `raw` about `query`, e.g. ``SPARQL syntax error at 1:26:
/// expected `.` or `}`, but found the end of the query``. Messages without a position (a bad
/// base IRI) are returned as they are.
pub fn sentence(query: &str, raw: &str) -> String {
    let Some((line, col)) = super::error_position(raw) else {
        return format!("SPARQL syntax error: {raw}");
    };
    let expected = raw.split_once(": expected ").map_or("", |(_, e)| e);
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let items = split_items(expected);
    let offset = crate::facts::locate::byte_offset(query, line, col);
    let at = format!("SPARQL syntax error at {line}:{col}");
    let near = near(query, offset);
    if let Some(m) = items.iter().find_map(|i| message(i, &near)) {
        return format!("{at}: {m}");
    }
    let mut tokens: Vec<String> = Vec::new();
    let mut classes: Vec<String> = Vec::new();
    for item in &items {
        match token(item) {
            Some(Token::Literal(t)) if !tokens.contains(&t) => tokens.push(t),
            Some(Token::Class(c)) if !classes.contains(&c) => classes.push(c),
            _ => {}
        }
    }
    let cut = tokens.len() > MAX_LISTED;
    tokens.truncate(MAX_LISTED);
    if cut {
        tokens.push("…".to_string());
    }
    tokens.extend(classes);
    let found = found(query, offset);
    if tokens.is_empty() {
        return format!("{at}: unexpected {found}");
    }
    format!("{at}: expected {}, but found {found}", or_list(&tokens))
}

enum Token {
    /// A keyword or punctuation, shown in backticks.
    Literal(String),
    /// A kind of token, such as "a name".
    Class(String),
}

/// The parser's own messages (those with a space, outside quotes and brackets), reworded.
fn message(item: &str, near: &str) -> Option<String> {
    if item.starts_with(['"', '[']) || !item.contains(' ') {
        return None;
    }
    Some(match item {
        "IRI parsing failed" => format!("{near} is not a valid IRI"),
        "Prefix not found" => format!(
            "the prefix of {near} is not declared (add `PREFIX name: <IRI>` before the query)"
        ),
        "prefix IRI parsing failed" => format!("the IRI of the PREFIX near {near} is not valid"),
        m => {
            let m = m.trim_end_matches('.');
            let mut chars = m.chars();
            let lowered = match (chars.next(), chars.next()) {
                (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
                    a.to_lowercase().chain(m[a.len_utf8()..].chars()).collect()
                }
                _ => m.to_string(),
            };
            format!("{lowered} (near {near})")
        }
    })
}

fn token(item: &str) -> Option<Token> {
    if let Some(lit) = item.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        let lit = lit.replace("\\\"", "\"").replace("\\\\", "\\");
        return Some(Token::Literal(format!("`{lit}`")));
    }
    if item.starts_with('[') {
        return if item.contains("'A'") || item.contains("'a'") {
            Some(Token::Class("a name".into()))
        } else if item.contains("'0'") {
            Some(Token::Class("a number".into()))
        } else {
            // `['%']`: one character; `[_]` (any character) says nothing.
            let inner = item.trim_start_matches("['").trim_end_matches("']");
            let inner = inner.replace("\\\\", "\\").replace("\\'", "'");
            (inner.chars().count() == 1).then(|| Token::Literal(format!("`{inner}`")))
        };
    }
    (!item.is_empty()).then(|| Token::Literal(format!("`{item}`")))
}

/// Splits `a, "b", ['c' | ','], d` at the commas outside quotes and brackets.
fn split_items(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    let (mut depth, mut quote) = (0usize, None::<char>);
    while let Some(c) = chars.next() {
        cur.push(c);
        if let Some(q) = quote {
            if c == '\\' {
                cur.extend(chars.next());
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' => quote = Some('"'),
            '\'' if depth > 0 => quote = Some('\''),
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                cur.pop();
                items.push(cur.trim().to_string());
                cur.clear();
            }
            _ => {}
        }
    }
    items.push(cur.trim().to_string());
    items.retain(|i| !i.is_empty());
    items
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '?' | '$' | '_' | ':' | '-')
}

/// What stands at `offset`: a word, one character, or the end of the query.
fn found(text: &str, offset: usize) -> String {
    let rest = text[offset..].trim_start();
    match rest.chars().next() {
        None => "the end of the query".to_string(),
        Some(c) if is_word(c) => {
            let end = rest.find(|c| !is_word(c)).unwrap_or(rest.len());
            format!("`{}`", short(&rest[..end]))
        }
        Some(c) => format!("`{c}`"),
    }
}

/// The token just before `offset` (the parser points past what it rejected), else at it.
fn near(text: &str, offset: usize) -> String {
    let before = &text[..offset];
    match before.chars().next_back() {
        Some(c) if !c.is_whitespace() => {
            let start = before.rfind(char::is_whitespace).map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
            format!("`{}`", short(&before[start..]))
        }
        _ => found(text, offset),
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn lists_tokens_and_what_was_found() {
        let q = "SELECT * WHERE { ?s ?p ?o";
        let raw =
            "error at 1:26: expected one of \",\", \".\", \"}\", ['0' ..= '9' | '\\u{00B7}'], \
                   ['A' ..= 'Z' | 'a' ..= 'z'\n| '\\u{00F8}'..='\\u{02FF}'], ['_'], [_]";
        assert_eq!(
            sentence(q, raw),
            "SPARQL syntax error at 1:26: expected `,`, `.`, `}`, `_`, a number or a name, \
             but found the end of the query"
        );
    }

    #[test]
    fn rewords_the_parsers_own_messages() {
        let q = "SELECT * WHERE { ?s foo:bar ?o }";
        let raw = "error at 1:28: expected one of Prefix not found, ['%'], [':']";
        assert_eq!(
            sentence(q, raw),
            "SPARQL syntax error at 1:28: the prefix of `foo:bar` is not declared \
             (add `PREFIX name: <IRI>` before the query)"
        );
        let q = "SELECT ?x WHERE { ?s ?p ?o }\nGROUP BY ?s";
        let raw =
            "error at 2:12: expected one of \"(\", The SELECT contains a variable that is unbound";
        assert_eq!(
            sentence(q, raw),
            "SPARQL syntax error at 2:12: the SELECT contains a variable that is unbound \
             (near `?s`)"
        );
        assert_eq!(
            sentence("ASK {}", "Invalid SPARQL base IRI provided: x"),
            "SPARQL syntax error: Invalid SPARQL base IRI provided: x"
        );
    }

    #[test]
    fn found_is_the_word_at_the_position() {
        let raw = "error at 2:3: expected \"\\\"\"";
        assert_eq!(
            sentence("ASK\n{ x }", raw),
            "SPARQL syntax error at 2:3: expected `\"`, but found `x`"
        );
    }
}
