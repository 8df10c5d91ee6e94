#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod cli;
pub mod diagram;
pub mod facts;
pub mod model;
pub mod rdf;
pub mod serve;
pub mod synth;
