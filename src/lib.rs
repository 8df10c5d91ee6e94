#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod facts;
pub mod model;
