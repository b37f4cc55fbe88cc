//! The solvers: the good_lp glue ([`lp`]), the hourly oracle's allocations and their reuse ([`vertex`]), the
//! Lagrangian dual of the offline LP ([`dual`], its proximal bundle steps in `bundle`) and the hours it
//! leaves tied ([`ties`]), column generation over the hours ([`columns`]) and the certified offline algorithm
//! built on them ([`offline`]), with what its plans prove (`certificate`). Errors are
//! [`crate::error::SolveError`]s.

mod bundle;
mod certificate;
pub mod columns;
pub mod dual;
pub mod lp;
pub mod offline;
mod repair;
pub mod ties;
pub mod vertex;
