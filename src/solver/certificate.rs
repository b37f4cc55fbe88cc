//! What a plan proves: its certificate (the objective against a Lagrangian lower bound) and the
//! error that says a plan could not be certified within the solver's budget.

use crate::error::SolveError;

/// Largest relative gap between the reported objective and the certified lower bound.
pub const CERTIFIED_REL_GAP: f64 = 1e-7;

/// How close the reported allocation is proven to be to the optimum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfflineCertificate {
    /// Objective of the reported (feasible) allocation, USD.
    pub objective_usd: f64,
    /// A proven lower bound on the optimum, USD (for method `"simplex"`, the LP's optimal value or
    /// the objective if lower).
    pub lower_bound_usd: f64,
    /// `"dual decomposition"`, `"column generation"`, `"interior point"` (a small problem, or
    /// every hour, solved whole, certified the same way) or `"simplex"`.
    pub method: &'static str,
    /// Evaluations of the dual function (each: every hour's cheapest allocation).
    pub dual_evaluations: usize,
    /// Hours solved jointly by an LP (the rest took the dual's allocation); for column generation,
    /// the hours whose plan mixes two or more columns.
    pub free_hours: usize,
}

impl OfflineCertificate {
    /// `(objective - lower bound) / max(|objective|, 1)`.
    pub fn relative_gap(&self) -> f64 {
        (self.objective_usd - self.lower_bound_usd) / self.objective_usd.abs().max(1.0)
    }
}

/// `Ok` if the whole LP's `variables` (flow variables) are at most `budget`; otherwise the error
/// that says the plan is uncertified (`closest_gap`: column generation's relative gap, if it
/// finished) and what failed on the way.
pub(super) fn within_budget(
    variables: usize,
    closest_gap: Option<f64>,
    failures: &[SolveError],
    budget: usize,
) -> Result<(), SolveError> {
    if variables <= budget {
        return Ok(());
    }
    let failed: Vec<String> = failures.iter().map(|e| e.to_string()).collect();
    Err(SolveError::Uncertified {
        target_gap: CERTIFIED_REL_GAP,
        closest_gap: closest_gap.map_or("an unknown gap".into(), |g| format!("{g:.1e}")),
        variables,
        budget,
        tried: match failed.is_empty() {
            true => String::new(),
            false => format!("; on the way: {}", failed.join("; ")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_the_budget_the_solve_fails_saying_how_close_it_came() {
        let variables = 4_380_000;
        assert!(within_budget(variables, Some(3e-6), &[], variables).is_ok());
        let failure = SolveError::Backend {
            solver: "column generation master LP (clarabel)",
            reason: "numerical trouble".into(),
        };
        let message = within_budget(variables, Some(3e-6), &[failure], variables - 1)
            .unwrap_err()
            .to_string();
        for expected in [
            "not certified to a relative gap of 1e-7".to_string(),
            "came within 3.0e-6".into(),
            format!(
                "whole LP's {variables} flow variables are beyond the {}",
                variables - 1
            ),
            "on the way: column generation master LP (clarabel): numerical trouble".into(),
        ] {
            assert!(message.contains(&expected), "{message}");
        }
        let unknown = within_budget(variables, None, &[], 0).unwrap_err().to_string();
        assert!(unknown.contains("came within an unknown gap") && !unknown.contains("on the way"));
    }
}
