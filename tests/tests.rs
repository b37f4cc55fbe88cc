//! The one integration-test binary: the CLI end to end, a hand-computed oracle, error paths,
//! property tests on random instances and determinism.

mod cli;
mod determinism;
mod errors;
mod offline;
mod oracle;
mod physical;
mod plot;
mod properties;
mod sweep;
mod util;
mod workload;
