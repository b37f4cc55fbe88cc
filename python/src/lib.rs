//! The `fairglb._fairglb` extension module: a thin layer over the fairglb crate. It loads
//! scenarios, runs built-in policies and policies written in Python through the crate's own
//! simulation loop (`fairglb::sim::run`, which checks every allocation), and hands results over as
//! columns (numpy arrays and lists of text) from the same tables the results folder is written
//! from. The Python package `fairglb` wraps it in data frames.

mod errors;
mod policy;
mod problem;

use std::path::{Path, PathBuf};

use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyList;
use rayon::prelude::*;

use fairglb::model::Problem;
use fairglb::output::{Column, Outputs, RunResults};
use fairglb::scenario::Scenario;
use fairglb::sim::PolicyRun;
use fairglb::sweep::{Axis, Shard, SweepOptions, SweepPlan};

use errors::{Stage, raise};

/// A scenario with `overrides` (`key=value`, as `--set`) and its problem.
fn load_scenario(path: &Path, overrides: &[String]) -> PyResult<(Scenario, Problem)> {
    let scenario = Scenario::load(path, overrides).map_err(|e| raise(Stage::Scenario, e))?;
    let problem = fairglb::build::problem(&scenario).map_err(|e| raise(Stage::Traces, e))?;
    Ok((scenario, problem))
}

/// Loads `scenario` with `overrides` into a [`problem::PyProblem`].
#[pyfunction]
#[pyo3(signature = (scenario, overrides))]
fn load(scenario: PathBuf, overrides: Vec<String>) -> PyResult<problem::PyProblem> {
    let (_, problem) = load_scenario(&scenario, &overrides)?;
    Ok(problem::PyProblem::new(problem))
}

/// Runs the registered policies `builtin` (registry order; all if `None`, none if empty) on
/// `threads` worker threads, then each object of `custom` (an object with `name` and
/// `decide(hour)`) in order. `outputs` chooses the per-hour tables as `fairglb run --outputs`.
#[pyfunction]
#[pyo3(signature = (scenario, overrides, builtin, custom, threads, outputs, command))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: PathBuf,
    overrides: Vec<String>,
    builtin: Option<Vec<String>>,
    custom: Vec<Bound<'_, PyAny>>,
    threads: usize,
    outputs: Option<String>,
    command: String,
) -> PyResult<Results> {
    let outputs = outputs
        .map(|list| Outputs::parse(&list))
        .transpose()
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let (scenario, problem) = load_scenario(&scenario, &overrides)?;
    let names = match &builtin {
        None => fairglb::policy::select(&[]),
        Some(list) if list.is_empty() => Ok(Vec::new()),
        Some(list) => fairglb::policy::select(list),
    }
    .map_err(|e| raise(Stage::Policy, e))?;
    let mut taken: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    for object in &custom {
        let name: String = object.getattr("name")?.extract()?;
        if taken.contains(&name) || fairglb::policy::find(&name).is_some() {
            return Err(errors::policy_error(format!(
                "a policy written in Python is called `{name}`, as another policy{}: give each a different `name`",
                if fairglb::policy::find(&name).is_some() {
                    " (a built-in)"
                } else {
                    ""
                }
            )));
        }
        taken.push(name);
    }
    fairglb::policy::precheck(&names, &problem).map_err(|e| raise(Stage::Policy, e))?;
    let mut runs = py
        .detach(|| run_builtin(&scenario, &problem, &names, threads))
        .map_err(|e| raise(Stage::Policy, e))?;
    for object in custom {
        runs.push(policy::run_python(&problem, &object)?);
    }
    Ok(Results {
        scenario,
        problem,
        runs,
        outputs,
        command_line: vec![command],
    })
}

/// The registered policies `names`, side by side on `threads` worker threads (0: one per core).
fn run_builtin(
    scenario: &Scenario,
    problem: &Problem,
    names: &[&str],
    threads: usize,
) -> fairglb::error::Result<Vec<PolicyRun>> {
    let pool = fairglb::sweep::thread_pool(threads)?;
    pool.install(|| {
        names
            .par_iter()
            .map(|name| fairglb::sim::run_named(name, problem, scenario.params(name), &mut || {}))
            .collect()
    })
}

/// Runs the sweep of `scenario` (with `overrides`) over `axes` (`KEY=V1,V2,...` or
/// `KEY=FROM:TO:STEPS[:log]`, as `--axis`) and `policies` (all if empty) into the folder `out`,
/// resuming what it holds, as `fairglb sweep`; returns the path of its `sweep.csv`.
#[pyfunction]
#[pyo3(signature = (scenario, overrides, axes, policies, threads, out))]
fn sweep(
    py: Python<'_>,
    scenario: PathBuf,
    overrides: Vec<String>,
    axes: Vec<String>,
    policies: Vec<String>,
    threads: usize,
    out: PathBuf,
) -> PyResult<PathBuf> {
    let axes = axes
        .iter()
        .map(|a| Axis::parse_cli(a))
        .collect::<fairglb::error::Result<Vec<_>>>()
        .map_err(|e| raise(Stage::Scenario, e))?;
    let plan =
        SweepPlan::new(&scenario, &overrides, &axes, &policies).map_err(|e| raise(Stage::Scenario, e))?;
    let options = SweepOptions {
        out: out.clone(),
        threads,
        shard: Shard::ALL,
        keep_runs: false,
    };
    py.detach(|| fairglb::sweep::run(&plan, &options, &|_| {}))
        .map_err(|e| raise(Stage::Output, e))?;
    Ok(out.join("sweep.csv"))
}

/// The results of one run: the scenario, its problem and every policy's run.
#[pyclass(name = "Results", module = "fairglb._fairglb", frozen)]
struct Results {
    scenario: Scenario,
    problem: Problem,
    runs: Vec<PolicyRun>,
    outputs: Option<Outputs>,
    command_line: Vec<String>,
}

impl Results {
    fn results(&self) -> RunResults<'_> {
        let results = RunResults::new(&self.scenario, &self.problem, &self.runs)
            .with_command_line(self.command_line.clone());
        match self.outputs {
            Some(outputs) => results.with_outputs(outputs),
            None => results,
        }
    }
}

#[pymethods]
impl Results {
    /// The table of the folder's file `file` (whether `outputs` writes it or not) as a list of
    /// (column name, values): numbers as float64 arrays, text as lists of str, flags as bool
    /// arrays; `None` for another name.
    fn table<'py>(&self, py: Python<'py>, file: &str) -> PyResult<Option<Bound<'py, PyList>>> {
        let results = self.results();
        let Some(table) = results.table(file) else {
            return Ok(None);
        };
        let columns = PyList::empty(py);
        for (column, values) in table.columns {
            let values: Bound<'py, PyAny> = match values {
                Column::Number(v) => PyArray1::from_vec(py, v).into_any(),
                Column::Flag(v) => PyArray1::from_vec(py, v).into_any(),
                Column::Text(v) => PyList::new(py, v)?.into_any(),
            };
            columns.append((column, values))?;
        }
        Ok(Some(columns))
    }

    /// `manifest.json` as the folder would hold it, as text.
    fn manifest_json(&self) -> PyResult<String> {
        let results = self.results();
        let files = results.files().map_err(|e| raise(Stage::Output, e))?;
        let json = results.manifest(&files).map_err(|e| raise(Stage::Output, e))?;
        Ok(String::from_utf8_lossy(&json).into_owned())
    }

    /// Writes the results folder `dir`, whole or not at all, as `fairglb run --out DIR` does.
    fn write(&self, py: Python<'_>, dir: PathBuf) -> PyResult<()> {
        py.detach(|| self.results().write(&dir))
            .map_err(|e| raise(Stage::Output, e))
    }

    /// The policies' names, in run order.
    #[getter]
    fn policies(&self) -> Vec<String> {
        self.runs.iter().map(|r| r.policy.clone()).collect()
    }
}

/// The extension module.
#[pymodule]
fn _fairglb(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(policy::policy_names, m)?)?;
    m.add_function(wrap_pyfunction!(policy::default_policy_names, m)?)?;
    m.add_class::<Results>()?;
    m.add_class::<problem::PyProblem>()?;
    m.add_class::<policy::Hour>()?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
