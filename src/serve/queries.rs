//! Named queries: SPARQL files (`*.rq`) whose leading `# ` comment lines give a title and a
//! description, offered on the home page as one-click questions.
//!
//! They are read from the `--queries` folder; when it does not exist, the questions embedded in the
//! binary are offered instead, so the explorer works from any folder.

use std::path::Path;

use super::error::ServeError;

/// A query offered as a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedQuery {
    /// File stem, used in URLs (`/query/{name}`).
    pub name: String,
    /// First comment line (the question).
    pub title: String,
    /// Further comment lines of the header.
    pub description: String,
    /// The SPARQL text.
    pub text: String,
}

/// The project's `queries/`, embedded in the binary, used when the queries folder does not exist.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "addressed-to",
        include_str!("../../queries/addressed-to.rq"),
    ),
    (
        "agencies-by-state",
        include_str!("../../queries/agencies-by-state.rq"),
    ),
    (
        "evidence-for",
        include_str!("../../queries/evidence-for.rq"),
    ),
    ("targets", include_str!("../../queries/targets.rq")),
    (
        "technologies",
        include_str!("../../queries/technologies.rq"),
    ),
    (
        "who-said-what",
        include_str!("../../queries/who-said-what.rq"),
    ),
    ("who-signed", include_str!("../../queries/who-signed.rq")),
];

/// Reads the named queries of `dir`, sorted by name.
pub fn load(dir: &Path) -> Result<Vec<NamedQuery>, ServeError> {
    if !dir.is_dir() {
        let mut out: Vec<_> = EMBEDDED.iter().map(|(n, t)| parse(n, t)).collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        return Ok(out);
    }
    let io = |e| ServeError::Queries {
        path: dir.to_path_buf(),
        source: e,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rq") {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ServeError::Queries {
            path: path.clone(),
            source: e,
        })?;
        out.push(parse(name, &text));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Splits a query file into its `# ` header and its text.
pub fn parse(name: &str, text: &str) -> NamedQuery {
    let header: Vec<&str> = text
        .lines()
        .map_while(|l| l.strip_prefix('#'))
        .map(str::trim)
        .collect();
    let title = header
        .iter()
        .find(|l| !l.is_empty())
        .map_or_else(|| name.replace('-', " "), |t| t.to_string());
    let description = header
        .iter()
        .skip_while(|l| l.is_empty())
        .skip(1)
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string();
    NamedQuery {
        name: name.to_string(),
        title,
        description,
        text: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_gives_title_and_description() {
        let q = parse("x", "# Who signed?\n# The four named.\n#\nSELECT * {}\n");
        assert_eq!(q.title, "Who signed?");
        assert_eq!(q.description, "The four named.");
        assert!(parse("a-b", "SELECT * {}").title == "a b");
    }

    #[test]
    fn embedded_queries_are_used_without_a_folder() {
        let qs = load(Path::new("/nonexistent/queries")).unwrap();
        assert!(qs.iter().any(|q| q.name == "who-signed"));
    }
}
