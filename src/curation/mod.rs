//! Curation tools: what the facts leave out of a source ([`coverage`]), what a change to the
//! fact files does to the graph ([`diff`]), and a ready-to-fill fact file for a new source
//! ([`skeleton`]). The loop they support is described in `docs/CURATION.md`.

pub mod coverage;
pub mod diff;
pub mod error;
pub mod git;
pub mod sentences;
pub mod skeleton;
