//! fairglb: a simulator for equity-aware geographical load balancing (GLB) of AI inference.
//!
//! Every hour a policy decides which data center serves how much of each gateway's demand; each
//! data center's region bears the energy cost, carbon and water of what it serves. The
//! equity-aware policies (`eglb-offline`, `eglb-online`) minimise energy cost plus weighted
//! *highest* regional water and carbon footprints (Li, Yang, Wierman, Ren, e-Energy 2024; the
//! model is in `docs/model.md`, the layers in `docs/architecture.md`).
//!
//! Data flows one way through the modules; each imports only modules of earlier steps (the
//! exact map is `docs/architecture.md`, enforced by a test):
//!
//! 1. [`error`], [`files`], [`footprint`], [`physics`], [`workload`]: errors, file helpers, pure
//!    formulas, synthetic demand shapes;
//! 2. [`model`]: the fleet, the hourly problem, routing and allocations (the shared kernel), and
//!    [`metrics`], which scores allocations of it;
//! 3. [`traces`] (CSV readers) and [`solver`] (LP glue, the dual, the certified offline optimum);
//! 4. [`policy`]: the `Policy` trait and the registry of built-in policies;
//! 5. [`scenario`]: TOML files, `base =` layering, `--set` overrides, validation;
//! 6. [`build`]: the one place a scenario meets its traces and becomes a [`model::Problem`];
//! 7. [`sim`]: running a policy over the hours;
//! 8. [`output`]: the results folder;
//! 9. [`sweep`], [`plot`], [`report`]: many runs, figures, the HTML report;
//! 10. [`cli`]: the `fairglb` command line (the only place that draws on the terminal).
//!
//! ```
//! use fairglb::policy::Policy;
//! // The paper scenario's first day, with an override as on the command line.
//! let (scenario, problem) = fairglb::load("scenarios/paper.toml".as_ref(), &["horizon.hours=24".into()])?;
//! let mut min_cost = fairglb::policy::build("min-cost", &problem, scenario.params("min-cost"))?;
//! let run = fairglb::sim::run(&problem, min_cost.as_mut())?;
//! assert_eq!((run.policy.as_str(), run.loads_mw.len()), ("min-cost", 24));
//! # Ok::<_, fairglb::error::Error>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod build;
pub mod cli;
pub mod error;
pub mod files;
pub mod footprint;
pub mod metrics;
pub mod model;
pub mod output;
pub mod physics;
pub mod plot;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod shipped;
pub mod sim;
pub mod solver;
pub mod sweep;
pub mod traces;
pub mod workload;

pub use build::load;
