//! fairglb: a simulator for equity-aware geographical load balancing (GLB) of AI inference.
//!
//! Every hour a policy decides which data center serves how much of each gateway's demand; each
//! data center's region bears the energy cost, carbon and water of what it serves. The
//! equity-aware policies (`eglb-offline`, `eglb-online`) minimise energy cost plus weighted
//! *highest* regional water and carbon footprints (Li, Yang, Wierman, Ren, e-Energy 2024).
//!
//! The modules, in the order data flows through them: [`scenario`] (TOML) and [`traces`] (CSV)
//! are read into a [`problem::Problem`], physical traces through the footprint model of
//! [`physics`] as applied by [`intensity`], demand through [`workload`]; [`policy`] decides each
//! hour's [`allocation`] (through [`lp`] where an LP is needed, and [`dual`] for the offline
//! optimum of long horizons); [`sim`] runs the hours; [`footprint`] and [`metrics`] score them;
//! [`output`] writes the results, [`plot`] and [`report`] draw them; [`sweep`] runs many
//! scenarios; [`cli`] ties it together.
//!
//! ```
//! use fairglb::sim;
//! // The paper scenario's first day, with an override as on the command line.
//! let overrides = ["horizon.hours=24".to_string()];
//! let (scenario, problem) = fairglb::cli::load("scenarios/paper.toml".as_ref(), &overrides)?;
//! let run = sim::run_policy("min-cost", &problem, &scenario.raw.online, || {})?;
//! assert_eq!(run.loads_mw.len(), 24);
//! # Ok::<_, fairglb::error::Error>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod allocation;
pub mod cli;
pub mod dual;
pub mod error;
pub mod footprint;
pub mod intensity;
pub mod lp;
pub mod metrics;
pub mod output;
pub mod physics;
pub mod plot;
pub mod policy;
pub mod problem;
pub mod report;
pub mod routing;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod traces;
pub mod workload;
