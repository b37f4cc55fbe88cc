//! The solvers: the good_lp glue ([`lp`]), the Lagrangian dual of the offline LP ([`dual`]) and
//! the certified offline algorithm built on both ([`offline`]). Errors are
//! [`crate::error::SolveError`]s.

pub mod columns;
pub mod dual;
pub mod lp;
pub mod offline;
