#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod cache;
pub mod cli;
pub mod facts;
pub mod model;
pub mod progress;
pub mod push;
pub mod rdf;
pub mod synth;
