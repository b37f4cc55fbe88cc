//! One run's summary values a policy at a time, for a sweep that computes only the policies a
//! run does not share with another: `eglb-offline` is run at most once per run, since every
//! policy's gap reads its objective.

use super::{gap_to_offline, summary_of, summary_values};
use crate::error::Result;
use crate::metrics::{self, Summary};
use crate::model::Problem;
use crate::scenario::Scenario;
use crate::sim;

/// A run's summary values (the `summary.csv` columns), policy by policy.
pub struct PolicyRows<'a> {
    scenario: &'a Scenario,
    problem: &'a Problem,
    /// Whether the gap is measured (against `eglb-offline`, run when first needed).
    with_offline: bool,
    offline: Option<Summary>,
}

impl<'a> PolicyRows<'a> {
    /// Rows of `scenario`'s `problem`; `with_offline`: the gap column is filled.
    pub fn new(scenario: &'a Scenario, problem: &'a Problem, with_offline: bool) -> Self {
        PolicyRows {
            scenario,
            problem,
            with_offline,
            offline: None,
        }
    }

    /// Policy `name`'s summary values.
    pub fn values(&mut self, name: &str) -> Result<Vec<String>> {
        let summary = match name {
            "eglb-offline" => self.offline_summary()?,
            _ => self.summary(name)?,
        };
        let gap = match self.with_offline {
            true => Some(gap_to_offline(
                summary.objective_usd,
                self.offline_summary()?.objective_usd,
            )),
            false => None,
        };
        Ok(summary_values(&summary, gap))
    }

    fn summary(&self, name: &str) -> Result<Summary> {
        let run = sim::run_named(name, self.problem, self.scenario.params(name), &mut || {})?;
        let totals = metrics::dc_totals(self.problem, &run.loads_mw);
        Ok(summary_of(self.scenario, self.problem, &totals, &run))
    }

    fn offline_summary(&mut self) -> Result<Summary> {
        if self.offline.is_none() {
            self.offline = Some(self.summary("eglb-offline")?);
        }
        Ok(self.offline.expect("just computed"))
    }
}
