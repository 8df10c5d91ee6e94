//! Errors of the diagram stage: a view that names something the facts do not have, or a renderer
//! that failed.

/// Why a diagram could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiagramError {
    /// `--focus` names no entity.
    #[error("unknown entity `{id}`{}", hint_suffix(.hint))]
    UnknownEntity {
        /// The id given.
        id: String,
        /// A did-you-mean hint.
        hint: Option<String>,
    },
    /// `--kinds` names no entity kind.
    #[error("unknown entity kind `{slug}`{}", hint_suffix(.hint))]
    UnknownKind {
        /// The slug given.
        slug: String,
        /// A did-you-mean hint.
        hint: Option<String>,
    },
    /// `--relations` names no predicate.
    #[error("unknown relation `{slug}`{}", hint_suffix(.hint))]
    UnknownPredicate {
        /// The slug given.
        slug: String,
        /// A did-you-mean hint.
        hint: Option<String>,
    },
    /// `--source` names no source.
    #[error("unknown source `{id}`{}", hint_suffix(.hint))]
    UnknownSource {
        /// The id given.
        id: String,
        /// A did-you-mean hint.
        hint: Option<String>,
    },
    /// The embedded layout engine failed on this graph.
    #[error("the embedded layout failed on this graph; try `--engine graphviz`")]
    Layout,
    /// Graphviz could not be started or written to.
    #[error("cannot run Graphviz `dot`")]
    GraphvizIo(#[source] std::io::Error),
    /// Graphviz rejected the DOT text or warned about it.
    #[error("Graphviz `dot` failed: {0}")]
    Graphviz(String),
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_ref()
        .map_or_else(String::new, |h| format!(" ({h})"))
}
