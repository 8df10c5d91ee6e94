#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod cli;
pub mod diagram;
pub mod facts;
pub mod model;
