#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod analysis;
pub mod cache;
pub mod cli;
pub mod curation;
pub mod diagram;
pub mod export;
pub mod facts;
pub mod lsp;
pub mod model;
pub mod progress;
pub mod push;
pub mod rdf;
pub mod serve;
pub mod suggest;
pub mod synth;
pub mod xml;
