//! The dual's cutting-plane model and the proximal bundle step that maximises it ([`super::dual`]):
//! the cuts (one linear upper model of the dual function per evaluation), which of them the model
//! keeps ([`compress`]), and the master ([`proximal_step`]): the model's maximum over the dual
//! domain less a quadratic penalty on the distance from the best point so far, a QP in 2N + 1
//! variables. good_lp has no quadratic objectives, so the QP goes to clarabel (the interior point
//! behind good_lp's interior-point LPs) directly.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{DefaultSettingsBuilder, DefaultSolver, IPSolver, NonnegativeConeT, SolverStatus};

use super::dual::{Evaluation, Multipliers};
use crate::error::SolveError;
use crate::model::EquityWeights;

/// A linear upper model of the dual function: `value + water . (mu_w - at_w) + carbon . (mu_c - at_c)`.
pub(super) struct Cut {
    value: f64,
    at: Multipliers,
    water: Vec<f64>,
    carbon: Vec<f64>,
}

impl Cut {
    /// The cut of the evaluation `e` at `at`: its value and supergradient (the weighted totals).
    pub(super) fn of(at: &Multipliers, e: &Evaluation) -> Cut {
        Cut {
            value: e.value_usd,
            at: at.clone(),
            water: e.water_m3.clone(),
            carbon: e.carbon_t.clone(),
        }
    }

    /// The cut's value at `m`.
    fn at(&self, m: &Multipliers) -> f64 {
        let rise = |g: &[f64], mu: &[f64], at: &[f64]| -> f64 {
            g.iter().zip(mu).zip(at).map(|((g, mu), at)| g * (mu - at)).sum()
        };
        self.value
            + rise(&self.water, &m.water, &self.at.water)
            + rise(&self.carbon, &m.carbon, &self.at.carbon)
    }

    /// The supergradient in the master's coordinates (each multiplier over its weight), in units
    /// of `unit_usd`: water's data centers, then carbon's.
    fn scaled_gradient(&self, equity: &EquityWeights, unit_usd: f64) -> impl Iterator<Item = f64> + '_ {
        let (water_weight, carbon_weight) = (equity.water_usd_per_m3, equity.carbon_usd_per_t);
        let water = self.water.iter().map(move |g| g * water_weight / unit_usd);
        water.chain(self.carbon.iter().map(move |g| g * carbon_weight / unit_usd))
    }
}

/// The multipliers in the master's coordinates: each over its weight (0 under a zero weight, whose
/// multipliers are 0), water's then carbon's.
fn scaled<'a>(m: &'a Multipliers, equity: &EquityWeights) -> impl Iterator<Item = f64> + 'a {
    let over = |weight: f64| move |mu: &f64| if weight > 0.0 { mu / weight } else { 0.0 };
    let water = m.water.iter().map(over(equity.water_usd_per_m3));
    water.chain(m.carbon.iter().map(over(equity.carbon_usd_per_t)))
}

/// The length of a cut's supergradient in the master's coordinates, USD: with that cut alone, a
/// penalty of this divided by `r` puts the master's point `r` from the center.
pub(super) fn gradient_norm_usd(cut: &Cut, equity: &EquityWeights) -> f64 {
    cut.scaled_gradient(equity, 1.0)
        .map(|g| g * g)
        .sum::<f64>()
        .sqrt()
}

/// Cuts the model keeps besides the active ones: the newest, which describe it near the latest
/// candidate.
const KEPT_NEWEST: usize = 3;

/// Drops the cuts not `active` at the last master's solution, but the [`KEPT_NEWEST`] newest and
/// the one made at `center` (which keeps the model exact there, so the predicted rise can still
/// fall below the stopping tolerance): a smaller master. The model stays an upper bound on the
/// dual function (each cut is), so the stopping test stays safe; a dropped cut can only cost steps.
pub(super) fn compress(cuts: &mut Vec<Cut>, active: &[bool], center: &Multipliers) {
    let oldest_kept = cuts.len().saturating_sub(KEPT_NEWEST);
    let mut index = 0..;
    cuts.retain(|cut| {
        let i = index.next().unwrap_or_default();
        active[i] || i >= oldest_kept || cut.at == *center
    });
}

/// The master's solution: the admissible point, the model's value there (USD, the least cut:
/// exact whatever the QP's accuracy) and which cuts attain it.
pub(super) struct Step {
    pub(super) point: Multipliers,
    pub(super) model_usd: f64,
    pub(super) active: Vec<bool>,
}

/// The QP's tolerances (gap and feasibility). Its values are shifted by the center's value and
/// scaled by the last predicted rise, so this is relative to the rise still expected. Measured on
/// the scaling grid's 10 data centers x 457 hours: clarabel's default 1e-8 stopped the dual short
/// (147 hours left tied against 11, 0.26 s of CPU against 0.08 s).
const QP_TOL: f64 = 1e-10;

/// Maximises the cutting-plane model less `(penalty_usd / 2) |y - y_center|^2` over the dual
/// domain, where y is each multiplier over its equity weight. The QP's values are measured from
/// `center_usd` (the dual at `center`) in units of `unit_usd` (about the rise still expected), so
/// its tolerances follow the progress left to make.
pub(super) fn proximal_step(
    cuts: &[Cut],
    center: &Multipliers,
    (center_usd, unit_usd): (f64, f64),
    penalty_usd: f64,
    equity: &EquityWeights,
) -> Result<Step, SolveError> {
    let n = 2 * center.water.len(); // the multipliers; the model's value is variable n
    let penalty = penalty_usd / unit_usd;
    let p = CscMatrix::new(
        n + 1,
        n + 1,
        (0..=n + 1).map(|j| j.min(n)).collect(),
        (0..n).collect(),
        vec![penalty; n],
    );
    let mut q: Vec<f64> = scaled(center, equity).map(|x| -penalty * x).collect();
    q.push(-1.0);
    let (a, b) = constraints(cuts, (center_usd, unit_usd), n, equity);
    let cones = [NonnegativeConeT(b.len())];
    let failure = |reason: String| SolveError::Backend {
        solver: "dual master QP (clarabel)",
        reason,
    };
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(QP_TOL)
        .tol_gap_rel(QP_TOL)
        .tol_feas(QP_TOL)
        .build()
        .map_err(|e| failure(e.to_string()))?;
    let mut solver =
        DefaultSolver::new(&p, &q, &a, &b, &cones, settings).map_err(|e| failure(format!("{e:?}")))?;
    solver.solve();
    if !matches!(
        solver.solution.status,
        SolverStatus::Solved | SolverStatus::AlmostSolved
    ) {
        return Err(failure(format!("status {:?}", solver.solution.status)));
    }
    let x = &solver.solution.x;
    let half = n / 2;
    let point = Multipliers {
        water: x[..half].iter().map(|x| x * equity.water_usd_per_m3).collect(),
        carbon: x[half..n].iter().map(|x| x * equity.carbon_usd_per_t).collect(),
    }
    .admissible(equity);
    let model_usd = cuts.iter().map(|c| c.at(&point)).fold(f64::INFINITY, f64::min);
    let active = cuts
        .iter()
        .map(|cut| cut.at(&point) - model_usd <= 1e-9 * model_usd.abs().max(1.0))
        .collect();
    Ok(Step {
        point,
        model_usd,
        active,
    })
}

/// The QP's rows `A (y, theta) <= b`: one per cut (`theta - g . y <= value - g . y_at`, in the
/// scaled units), each group's multipliers summing to at most 1, and `y >= 0`.
fn constraints(
    cuts: &[Cut],
    (center_usd, unit_usd): (f64, f64),
    n: usize,
    equity: &EquityWeights,
) -> (CscMatrix<f64>, Vec<f64>) {
    let (mut rows, mut cols, mut values, mut b) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, cut) in cuts.iter().enumerate() {
        let mut rhs = (cut.value - center_usd) / unit_usd;
        for (i, (g, x)) in cut
            .scaled_gradient(equity, unit_usd)
            .zip(scaled(&cut.at, equity))
            .enumerate()
        {
            rows.push(k);
            cols.push(i);
            values.push(-g);
            rhs -= g * x;
        }
        rows.push(k);
        cols.push(n);
        values.push(1.0);
        b.push(rhs);
    }
    let sum_rows = cuts.len();
    for i in 0..n {
        rows.extend([sum_rows + usize::from(i >= n / 2), sum_rows + 2 + i]);
        cols.extend([i, i]);
        values.extend([1.0, -1.0]);
    }
    b.extend([1.0, 1.0]);
    b.extend(std::iter::repeat_n(0.0, n));
    (
        CscMatrix::new_from_triplets(b.len(), n + 1, rows, cols, values),
        b,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two cuts in the first water multiplier, `theta <= mu` and `theta <= W - mu`: the model's
    /// maximum is `W / 2` at `mu = W / 2`.
    fn tent(weight: f64) -> (Vec<Cut>, Multipliers, EquityWeights) {
        let zero = Multipliers {
            water: vec![0.0, 0.0],
            carbon: vec![0.0, 0.0],
        };
        let cut = |value: f64, slope: f64| Cut {
            value,
            at: zero.clone(),
            water: vec![slope, 0.0],
            carbon: vec![0.0, 0.0],
        };
        let equity = EquityWeights {
            water_usd_per_m3: weight,
            carbon_usd_per_t: 1_500.0,
        };
        (vec![cut(0.0, 1.0), cut(weight, -1.0)], zero, equity)
    }

    #[test]
    fn a_small_penalty_reaches_the_models_maximum_and_a_large_one_stays_near_the_center() {
        let weight = 60.0;
        let (cuts, center, equity) = tent(weight);
        let gradient = gradient_norm_usd(&cuts[0], &equity);
        assert!(
            (gradient - weight).abs() < 1e-12,
            "one m3 per USD/m3, scaled by the weight"
        );
        let free = proximal_step(&cuts, &center, (0.0, 1.0), 1e-6, &equity).unwrap();
        assert!(
            (free.point.water[0] - weight / 2.0).abs() < 1e-4,
            "{:?}",
            free.point
        );
        assert!((free.model_usd - weight / 2.0).abs() < 1e-4);
        assert_eq!(free.active, [true, true]);
        // Penalty p in scaled units: maximise w x - p/2 x^2 (x = mu / w), so x = w / p = 0.01.
        let held = proximal_step(&cuts, &center, (0.0, 1.0), 100.0 * weight, &equity).unwrap();
        assert!(
            (held.point.water[0] - 0.01 * weight).abs() < 1e-6,
            "{:?}",
            held.point
        );
        assert_eq!(held.active, [true, false]);
        assert!(
            held.point.carbon.iter().all(|&c| c.abs() < 1e-6 * 1_500.0),
            "{:?}",
            held.point
        );
    }

    #[test]
    fn a_zero_weight_keeps_its_multipliers_at_zero() {
        let (cuts, center, mut equity) = tent(60.0);
        equity.water_usd_per_m3 = 0.0;
        let step = proximal_step(&cuts, &center, (0.0, 1.0), 1.0, &equity).unwrap();
        assert_eq!(step.point.water, [0.0, 0.0]);
        assert!(
            step.point.carbon.iter().all(|c| c.is_finite()),
            "{:?}",
            step.point
        );
        assert!(step.model_usd.abs() < 1e-9, "the model at mu = 0: min(0, W)");
    }

    #[test]
    fn compression_keeps_the_active_cuts_the_newest_and_the_centers_in_order() {
        let cut = |value: f64| Cut {
            value,
            at: Multipliers {
                water: vec![0.0],
                carbon: vec![0.0],
            },
            water: vec![1.0],
            carbon: vec![1.0],
        };
        let mut cuts: Vec<Cut> = (0..7).map(|i| cut(i as f64)).collect();
        let center = Multipliers {
            water: vec![0.5],
            carbon: vec![0.0],
        };
        cuts[0].at = center.clone();
        let active = [false, true, false, true, false, false, false];
        compress(&mut cuts, &active, &center);
        let kept: Vec<f64> = cuts.iter().map(|c| c.value).collect();
        assert_eq!(kept, [0.0, 1.0, 3.0, 4.0, 5.0, 6.0]);
        let mut few: Vec<Cut> = (0..2).map(|i| cut(i as f64)).collect();
        compress(&mut few, &[false, false], &center);
        assert_eq!(few.len(), 2, "fewer cuts than the newest kept: all stay");
    }
}
