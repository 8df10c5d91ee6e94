//! Named queries: SPARQL files (`*.rq`) whose leading `# ` comment lines give a title and a
//! description, offered on the home page as one-click questions.
//!
//! They are read from the `--queries` folder, completed by the questions built into the binary,
//! so the explorer works from any folder.

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

/// The named queries of `dir` (with the built-in ones where the folder lacks them), sorted by
/// name. Reading and embedding are the RDF layer's; this only adds title and description.
pub fn load(dir: &Path) -> Result<Vec<NamedQuery>, ServeError> {
    let queries = crate::rdf::query::named_queries(dir).map_err(|e| ServeError::Queries {
        path: dir.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(queries.iter().map(|q| parse(&q.name, &q.text)).collect())
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
