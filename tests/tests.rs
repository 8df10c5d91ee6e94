//! The integration test binary (one binary keeps link time down): each module tests one feature
//! by running the real `coalition` binary in temp dirs.

mod util;

mod check;
mod diagram;
mod rdf;
mod serve;
mod synth;
