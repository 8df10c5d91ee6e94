//! Errors of the analysis stage: a name that picks no entity or several, a bad date or period.
//! Problems in the facts themselves are reported by the checker before analysis starts.

/// Why an analysis could not run.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A `--from` / `--to` date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("invalid date `{date}`: {why}")]
    InvalidDate {
        /// The date as given.
        date: String,
        /// What is wrong with it.
        why: String,
    },
    /// `--from` falls after `--to`.
    #[error("empty period: --from {from} is after --to {to}")]
    EmptyPeriod {
        /// The start given.
        from: String,
        /// The end given.
        to: String,
    },
    /// A source id that no fact file declares.
    #[error("unknown source `{id}`{}", hint(suggestions))]
    UnknownSource {
        /// The id as given.
        id: String,
        /// Close source ids.
        suggestions: Vec<String>,
    },
    /// A name that matches no entity id, name, label or alias.
    #[error("no entity is called `{name}`{}", hint(suggestions))]
    UnknownEntity {
        /// The name as given.
        name: String,
        /// Entities with a close name, as `id (name)`.
        suggestions: Vec<String>,
    },
    /// A name that matches several entities.
    #[error("`{name}` is ambiguous: it names {}; give an id instead", candidates.join(", "))]
    AmbiguousEntity {
        /// The name as given.
        name: String,
        /// The matching entities, as `id (name)`.
        candidates: Vec<String>,
    },
    /// Both ends of `explain` are the same entity.
    #[error("`{0}` and `{1}` are the same entity; give two different ones")]
    SameEntity(String, String),
    /// A normalisation asked for on a two-mode network.
    #[error("--normalize applies to the congruence and conflict networks only")]
    Normalization,
}

fn hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}
