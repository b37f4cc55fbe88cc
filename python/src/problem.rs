//! A loaded scenario's problem as numpy arrays, units in the attribute names: per hour and data
//! center (`hours x dcs`), per hour and gateway (`hours x gateways`), per data center, and the
//! routing mask (`dcs x gateways`).

use numpy::{PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use fairglb::model::Problem;
use fairglb::model::allocation::from_shares;

/// The problem a scenario poses: hours, fleet, intensities, demand and the objective's weights.
#[pyclass(name = "Problem", module = "fairglb._fairglb", frozen)]
pub struct PyProblem {
    problem: Problem,
}

impl PyProblem {
    pub fn new(problem: Problem) -> Self {
        PyProblem { problem }
    }
}

/// `rows` (equal lengths) as a 2-d array.
fn matrix<'py>(py: Python<'py>, rows: &[Vec<f64>]) -> PyResult<Bound<'py, PyArray2<f64>>> {
    PyArray2::from_vec2(py, rows).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

#[pymethods]
impl PyProblem {
    /// Each hour's label, UTC (`2022-09-22T00:00:00Z`).
    #[getter]
    fn hours(&self) -> Vec<String> {
        self.problem.hours.clone()
    }

    /// Data-center names.
    #[getter]
    fn dcs(&self) -> Vec<String> {
        self.problem.fleet.dcs.clone()
    }

    /// Gateway names.
    #[getter]
    fn gateways(&self) -> Vec<String> {
        self.problem.fleet.gateways.clone()
    }

    /// USD per MWh, hours x data centers.
    #[getter]
    fn price_usd_per_mwh<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        matrix(py, &self.problem.price_usd_per_mwh)
    }

    /// kg of CO2 per kWh (operational and embodied), hours x data centers.
    #[getter]
    fn carbon_kg_per_kwh<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        matrix(py, &self.problem.carbon_kg_per_kwh)
    }

    /// L of water per kWh (on-site and off-site), hours x data centers.
    #[getter]
    fn water_l_per_kwh<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        matrix(py, &self.problem.water_l_per_kwh)
    }

    /// On-site water, L per kWh, hours x data centers; `None` where the traces do not split it.
    #[getter]
    fn water_onsite_l_per_kwh<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyArray2<f64>>>> {
        self.problem
            .water_onsite_l_per_kwh
            .as_ref()
            .map(|w| matrix(py, w))
            .transpose()
    }

    /// Demand, MW, hours x gateways.
    #[getter]
    fn demand_mw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        matrix(py, &self.problem.demand_mw)
    }

    /// Server capacity of each data center, MW.
    #[getter]
    fn capacity_mw<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.problem.fleet.capacity_mw)
    }

    /// Which data center may serve which gateway, data centers x gateways.
    #[getter]
    fn mask<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<bool>>> {
        let fleet = &self.problem.fleet;
        let rows: Vec<Vec<bool>> = (0..fleet.dcs.len())
            .map(|d| {
                (0..fleet.gateways.len())
                    .map(|g| fleet.routing.allows(d, g))
                    .collect()
            })
            .collect();
        PyArray2::from_vec2(py, &rows).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }

    /// Each gateway's nearest data center, an index into `dcs`.
    #[getter]
    fn nearest_dc(&self) -> Vec<usize> {
        self.problem.fleet.nearest_dc.clone()
    }

    /// `full`, `partial` or `latency`.
    #[getter]
    fn routing(&self) -> &'static str {
        self.problem.fleet.routing.kind.name()
    }

    /// The objective's weight on the highest regional water, USD per m3.
    #[getter]
    fn water_usd_per_m3(&self) -> f64 {
        self.problem.fleet.equity.water_usd_per_m3
    }

    /// The objective's weight on the highest regional carbon, USD per tonne.
    #[getter]
    fn carbon_usd_per_t(&self) -> f64 {
        self.problem.fleet.equity.carbon_usd_per_t
    }

    /// Per data center, the multiplier of its water in the equity term.
    #[getter]
    fn water_vulnerability<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.problem.fleet.water_vulnerability)
    }

    /// Per data center, the multiplier of its carbon in the equity term.
    #[getter]
    fn carbon_vulnerability<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.problem.fleet.carbon_vulnerability)
    }

    /// The feasible flows, MW (data centers x gateways), that `shares` (data centers x gateways:
    /// the share of each gateway's demand each data center should serve) map to in hour `t`, and
    /// whether the last resort of the mapping was needed (`fairglb::model::allocation::from_shares`).
    fn flows_from_shares<'py>(
        &self,
        py: Python<'py>,
        t: usize,
        shares: PyReadonlyArray2<'py, f64>,
    ) -> PyResult<(Bound<'py, PyArray2<f64>>, bool)> {
        let p = &self.problem;
        let (n_dcs, n_gateways) = (p.fleet.dcs.len(), p.fleet.gateways.len());
        if t >= p.n_hours() || shares.shape() != [n_dcs, n_gateways] {
            return Err(PyValueError::new_err(format!(
                "hour {t} of {} and shares of shape {:?}: expected an hour in range and shape ({n_dcs}, {n_gateways})",
                p.n_hours(),
                shares.shape()
            )));
        }
        let shares: Vec<f64> = shares.as_array().iter().copied().collect();
        let hour = p.hour(t);
        let (allocation, repaired) =
            from_shares(&shares, hour.price_usd_per_mwh, hour.demand_mw, &p.fleet)
                .map_err(|e| PyValueError::new_err(format!("hour {}: {e}", p.hours[t])))?;
        let rows: Vec<Vec<f64>> = (0..n_dcs)
            .map(|d| (0..n_gateways).map(|g| allocation.flow_mw(d, g)).collect())
            .collect();
        Ok((matrix(py, &rows)?, repaired))
    }

    /// Per data center, the footprint of `loads_mw` in hour `t`: energy cost (USD), water (L)
    /// and carbon (kg), as the metrics count them.
    fn footprints<'py>(
        &self,
        py: Python<'py>,
        t: usize,
        loads_mw: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<[Bound<'py, PyArray1<f64>>; 3]> {
        let p = &self.problem;
        let loads: Vec<f64> = loads_mw.as_array().iter().copied().collect();
        if t >= p.n_hours() || loads.len() != p.fleet.dcs.len() {
            return Err(PyValueError::new_err(format!(
                "hour {t} of {} and {} loads: expected an hour in range and one load per data center",
                p.n_hours(),
                loads.len()
            )));
        }
        let footprints: Vec<_> = loads
            .iter()
            .enumerate()
            .map(|(d, &l)| p.footprint(t, d, l))
            .collect();
        let column = |f: fn(&fairglb::footprint::Footprint) -> f64| {
            PyArray1::from_vec(py, footprints.iter().map(f).collect())
        };
        Ok([
            column(|f| f.cost_usd),
            column(|f| f.water_l),
            column(|f| f.carbon_kg),
        ])
    }

    fn __repr__(&self) -> String {
        let p = &self.problem;
        format!(
            "<fairglb.Problem: {} hours from {}, {} data centers, {} gateways, routing {}>",
            p.n_hours(),
            p.hours.first().map_or("-", |h| h.as_str()),
            p.fleet.dcs.len(),
            p.fleet.gateways.len(),
            p.fleet.routing.kind.name()
        )
    }
}
