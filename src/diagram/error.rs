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
    /// `--lang` names a language we have no words for.
    #[error("unknown language `{lang}` (use `en` or `fr`)")]
    UnknownLang {
        /// The tag given.
        lang: String,
    },
    /// The picture would be unreadable on a page: too many relations or too wide.
    #[error(
        "{what}: too large to read on a page; draw a part with `--focus ID --depth N`, \
             or render the DOT with Graphviz"
    )]
    TooLarge {
        /// What is too large (`412 relations, at most 100`, `a drawing 5200 px wide: …`).
        what: String,
    },
    /// Rasterising or converting the SVG failed.
    #[error("cannot render the diagram as {format}: {message}")]
    Render {
        /// `png` or `pdf`.
        format: &'static str,
        /// What the renderer said.
        message: String,
    },
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
