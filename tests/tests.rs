//! The one integration-test binary: the architecture map, the CLI end to end, a hand-computed oracle, error paths,
//! property tests on random instances and determinism.

mod architecture;
mod cli;
mod column_generation;
mod columns;
mod custom_policy;
mod determinism;
mod errors;
mod global16;
mod horizon;
mod hostile;
mod inputs;
mod lookahead;
mod manifest;
mod offline;
mod online_step;
mod oracle;
mod physical;
mod plot;
mod properties;
mod quality;
mod rederive;
mod sweep;
mod util;
mod vertex;
mod workload;
