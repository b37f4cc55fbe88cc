//! Policies written in Python: any object with a `name` and `decide(hour)`, run by the crate's
//! own loop (`fairglb::sim::run`), which checks each allocation exactly as for the built-ins.
//!
//! `decide` gets an [`Hour`] and returns the hour's flows, MW, as a float64 array of shape
//! `(n_dcs, n_gateways)`, or per data center `(n_dcs,)` when routing is full (split over
//! gateways in proportion to their demand). An exception it raises becomes a `PolicyError` naming
//! the policy and the hour, with the original exception as its cause.

use numpy::{PyArray1, PyReadonlyArrayDyn};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use fairglb::error::PolicyError;
use fairglb::model::allocation::Allocation;
use fairglb::model::routing::RoutingKind;
use fairglb::model::{HourInputs, Problem};
use fairglb::policy::Policy;
use fairglb::sim::PolicyRun;

use crate::errors::{Stage, raise};

/// What a policy sees of one hour: its index and label, and this hour's inputs.
#[pyclass(module = "fairglb._fairglb", frozen)]
pub struct Hour {
    /// The hour's index in the horizon, from 0.
    #[pyo3(get)]
    index: usize,
    /// Its label, UTC (`2022-09-22T00:00:00Z`).
    #[pyo3(get)]
    label: String,
    price_usd_per_mwh: Vec<f64>,
    carbon_kg_per_kwh: Vec<f64>,
    water_l_per_kwh: Vec<f64>,
    demand_mw: Vec<f64>,
    capacity_mw: Vec<f64>,
}

#[pymethods]
impl Hour {
    /// USD per MWh, per data center.
    #[getter]
    fn price_usd_per_mwh<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.price_usd_per_mwh)
    }

    /// kg of CO2 per kWh, per data center.
    #[getter]
    fn carbon_kg_per_kwh<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.carbon_kg_per_kwh)
    }

    /// L of water per kWh, per data center.
    #[getter]
    fn water_l_per_kwh<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.water_l_per_kwh)
    }

    /// Demand, MW, per gateway.
    #[getter]
    fn demand_mw<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.demand_mw)
    }

    /// Server capacity, MW, per data center.
    #[getter]
    fn capacity_mw<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, &self.capacity_mw)
    }

    fn __repr__(&self) -> String {
        format!("<fairglb.Hour {} ({})>", self.index, self.label)
    }
}

/// A Python object as a [`Policy`]; keeps the first Python exception `decide` raised.
struct PythonPolicy<'a, 'py> {
    object: &'a Bound<'py, PyAny>,
    name: String,
    problem: &'a Problem,
    raised: Option<PyErr>,
}

impl PythonPolicy<'_, '_> {
    /// The allocation the object returns for `hour`, or why there is none.
    fn call(&mut self, hour: &HourInputs) -> Result<Allocation, String> {
        let p = self.problem;
        let inputs = Hour {
            index: hour.hour,
            label: p.hours[hour.hour].clone(),
            price_usd_per_mwh: hour.price_usd_per_mwh.to_vec(),
            carbon_kg_per_kwh: hour.carbon_kg_per_kwh.to_vec(),
            water_l_per_kwh: hour.water_l_per_kwh.to_vec(),
            demand_mw: hour.demand_mw.to_vec(),
            capacity_mw: p.fleet.capacity_mw.clone(),
        };
        let returned = self
            .object
            .call_method1("decide", (inputs,))
            .and_then(|value| value.extract::<PyReadonlyArrayDyn<f64>>());
        let array = match returned {
            Ok(array) => array,
            Err(err) => {
                let message = format!("decide raised {err}");
                self.raised = Some(err);
                return Err(message);
            }
        };
        let (n_dcs, n_gateways) = (p.fleet.dcs.len(), p.fleet.gateways.len());
        let view = array.as_array();
        let values: Vec<f64> = view.iter().copied().collect();
        match view.shape() {
            [d, g] if (*d, *g) == (n_dcs, n_gateways) => Ok(Allocation::from_flows(n_gateways, values)),
            [d] if *d == n_dcs && p.fleet.routing.kind == RoutingKind::Full => {
                Ok(Allocation::split_loads(&values, hour.demand_mw))
            }
            shape => Err(format!(
                "decide returned an array of shape {shape:?}; expected ({n_dcs}, {n_gateways}) (data centers x gateways, MW){}",
                match p.fleet.routing.kind {
                    RoutingKind::Full => format!(" or ({n_dcs},) (per data center)"),
                    _ => String::new(),
                }
            )),
        }
    }
}

impl Policy for PythonPolicy<'_, '_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn decide(&mut self, hour: &HourInputs) -> Result<Allocation, PolicyError> {
        self.call(hour).map_err(PolicyError::Other)
    }
}

/// Runs the Python policy `object` over every hour of `problem`.
pub fn run_python(problem: &Problem, object: &Bound<'_, PyAny>) -> PyResult<PolicyRun> {
    let name: String = object.getattr("name")?.extract()?;
    let mut policy = PythonPolicy {
        object,
        name,
        problem,
        raised: None,
    };
    let py = object.py();
    fairglb::sim::run(problem, &mut policy).map_err(|e| match policy.raised.take() {
        // KeyboardInterrupt and SystemExit go on as they are.
        Some(cause) if !cause.is_instance_of::<PyException>(py) => cause,
        cause => {
            let err = raise(Stage::Policy, e);
            err.set_cause(py, cause);
            err
        }
    })
}

/// The registered policies' names, in registry order.
#[pyfunction]
pub fn policy_names() -> Vec<&'static str> {
    fairglb::policy::names().collect()
}

/// The names of the policies that run when none is named, in registry order.
#[pyfunction]
pub fn default_policy_names() -> Vec<&'static str> {
    fairglb::policy::defaults().collect()
}
