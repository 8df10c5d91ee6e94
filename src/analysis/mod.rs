//! Analyses of the model: who is central ([`centrality`]), who stands with the coalition and
//! against whom ([`coalition`]), how two entities are connected ([`explain`]), which stances
//! actors share ([`stances`]), where sources disagree ([`conflicts`]) and how the coalition
//! changes over time ([`timeline`]). [`slice()`] restricts any of them to a period.
//!
//! The figures are explained for non-specialists in `docs/ANALYSIS.md`.

pub mod centrality;
pub mod coalition;
pub mod conflicts;
pub mod error;
pub mod explain;
pub mod export;
pub mod resolve;
pub mod slice;
pub mod stances;
pub mod timeline;

pub use slice::{slice, Period};
