//! Turns parser errors into diagnostics: `serde_yaml` syntax errors (libyaml messages with marks)
//! and `serde` deserialization errors (unknown field, missing field, unknown variant), each with a
//! rule, a position found by the locator, and a hint.

use super::diagnostic::Diagnostic;
use super::load::{did_you_mean, LoadedFile};
use super::locate::{byte_offset, Seg, Span, YamlPath};
use super::rules::Rule;

/// Turns a serde message into a diagnostic with a rule and a position.
pub(crate) fn schema_diagnostic(file: &LoadedFile, path: &YamlPath, msg: &str) -> Diagnostic {
    let name = backticked(msg);
    let expected = msg
        .split_once("expected one of ")
        .map(|(_, rest)| {
            rest.split(", ")
                .map(|s| s.trim_matches('`'))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let last_key = path.0.last().and_then(|s| match s {
        Seg::Key(k) => Some(k.as_str()),
        Seg::Index(_) => None,
    });
    if msg.starts_with("unknown field") {
        let field = name.unwrap_or_default();
        // serde_path_to_error stops at the map holding the unknown key, or at the key itself.
        let parent = if last_key == Some(field.as_str()) {
            YamlPath(path.0[..path.0.len() - 1].to_vec())
        } else {
            path.clone()
        };
        return Diagnostic::new(
            Rule::UnknownField,
            &file.path,
            format!("unknown field `{field}`"),
        )
        .at(file
            .find_key(&parent, &field)
            .or_else(|| file.find(&parent)))
        .label(format!("not a field of `{parent}`"))
        .maybe_hint(
            did_you_mean(&field, expected.iter().copied())
                .or_else(|| Some(format!("expected one of {}", expected.join(", ")))),
        );
    }
    if msg.starts_with("missing field") {
        let field = name.unwrap_or_default();
        return Diagnostic::new(
            Rule::MissingField,
            &file.path,
            format!("missing field `{field}` in `{path}`"),
        )
        .at(file.find(path))
        .label(format!("this item needs `{field}`"))
        .hint(format!("add `{field}:` to this item"));
    }
    if msg.starts_with("unknown variant") {
        let value = name.unwrap_or_default();
        let (rule, what) = if last_key == Some("predicate") {
            (Rule::UnknownPredicate, "predicate")
        } else {
            (Rule::InvalidValue, "value")
        };
        return Diagnostic::new(
            rule,
            &file.path,
            format!("unknown {what} `{value}` in `{path}`"),
        )
        .at(file.find(path))
        .label(format!("not in the {what} vocabulary"))
        .maybe_hint(
            did_you_mean(&value, expected.iter().copied())
                .or_else(|| Some(format!("expected one of {}", expected.join(", ")))),
        );
    }
    invalid_value(file, path, msg)
}

/// Any other serde message: a value of the wrong type, with a hint for YAML's usual surprises.
fn invalid_value(file: &LoadedFile, path: &YamlPath, msg: &str) -> Diagnostic {
    let hint = if msg.contains("expected a string")
        && ["integer", "floating point", "boolean"]
            .iter()
            .any(|t| msg.starts_with(&format!("invalid type: {t}")))
    {
        Some("YAML reads this as a number or a yes/no value; put it in quotes".to_string())
    } else if msg.contains("expected a sequence") {
        Some("write a list: `[a, b]`, or one `- item` per line".to_string())
    } else {
        None
    };
    Diagnostic::new(Rule::InvalidValue, &file.path, format!("{msg} in `{path}`"))
        .at(file.find(path))
        .label("invalid value")
        .maybe_hint(hint)
}

/// Turns a `serde_yaml` (libyaml) syntax error into a diagnostic. libyaml's message reads
/// `PROBLEM at line L column C, while CONTEXT at line L column C`; the context mark is where an
/// unclosed quote or bracket was opened, which is where the researcher must look.
pub(crate) fn syntax_diagnostic(file: &LoadedFile, e: &serde_yaml::Error) -> Diagnostic {
    let full = e.to_string();
    let (problem, context) = match full.split_once(", while ") {
        Some((p, c)) => (p, Some(c)),
        None => (full.as_str(), None),
    };
    let problem = problem.split(" at line ").next().unwrap_or(problem);
    let context = context.map(|c| match c.split_once(" at line ") {
        Some((what, at)) => (what, mark(at)),
        None => (c, None),
    });
    let mut span = e.location().map(|l| Span {
        start: byte_offset(&file.text, l.line(), l.column()),
        len: 1,
    });
    let mut label = None;
    let mut msg = problem.to_string();
    let mut opened = None;
    if let Some((what, at)) = context {
        msg = format!("{problem} while {what}");
        if let Some((line, col)) = at {
            opened = Some(format!("line {line}, column {col}"));
            // Only an unclosed quote or bracket is better shown where it opened; a block
            // collection "opens" far above a mis-indented line.
            if what.contains("quoted scalar") || what.contains("flow") {
                span = Some(Span {
                    start: byte_offset(&file.text, line, col),
                    len: 1,
                });
                label = Some("opened here, never closed");
            }
        }
    }
    // serde_yaml points a duplicate key at the start of its mapping; show the repeated key.
    if let Some((at, rest)) = problem.split_once("duplicate entry with key ") {
        let key = rest.trim_matches('"');
        let at = YamlPath::parse(at.trim_end_matches(": "));
        span = file.locator().find_repeated_key(&at, key).or(span);
        label = Some("repeated key");
    }
    let line_text = e
        .location()
        .and_then(|l| file.text.lines().nth(l.line().saturating_sub(1)));
    let hint = if msg.contains("repetition limit") || msg.contains("recursion limit") {
        "aliases and deep nesting are refused to keep the checker safe; write the values out"
            .to_string()
    } else if line_text.is_some_and(|l| l.contains('\t')) || msg.contains("tab") {
        "YAML does not allow tabs for indentation; indent with spaces".to_string()
    } else if msg.contains("duplicate entry") {
        "a key may appear only once in a mapping; remove or merge the repeated one".to_string()
    } else if let (Some(at), true) = (&opened, msg.contains("quoted scalar")) {
        format!("close the quote opened at {at} with the same quote character")
    } else if let (Some(at), true) = (&opened, msg.contains("flow")) {
        format!("close the `[` or `{{` opened at {at}")
    } else {
        "check indentation, colons and quotes on this line and the one before".to_string()
    };
    let d = Diagnostic::new(Rule::YamlSyntax, &file.path, format!("invalid YAML: {msg}"))
        .at(span)
        .hint(hint);
    match label {
        Some(l) => d.label(l),
        None => d,
    }
}

/// Parses libyaml's `L column C`.
fn mark(at: &str) -> Option<(usize, usize)> {
    let (line, col) = at.split_once(" column ")?;
    Some((line.trim().parse().ok()?, col.trim().parse().ok()?))
}

fn backticked(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(msg[start..start + len].to_string())
}
