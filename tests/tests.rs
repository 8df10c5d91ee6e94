//! The integration test binary (one binary keeps link time down): each module tests one feature
//! by running the real `coalition` binary in temp dirs.

mod util;

mod analysis;
mod architecture;
mod check;
mod curation;
mod diagram;
mod diagram_page;
mod export;
mod fuzz;
mod lsp;
mod options;
mod push;
mod rdf;
mod scale;
mod serve;
mod slicing;
mod synth;
