//! The exceptions the package raises, each carrying the message the CLI prints and, where the
//! error is about a file, its `file` and `line` (else `None`).
//!
//! - `ScenarioError`: the scenario file, a `set=` override, or an infeasible scenario;
//! - `TraceError`: a trace file the scenario names;
//! - `PolicyError`: an unknown policy, a policy that fails, or an allocation it returns that
//!   breaks demand, capacity or routing (naming the policy and the hour);
//! - `Error`: their base, raised as such for anything else (writing results).

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use fairglb::error::Error;

create_exception!(_fairglb, FairglbError, PyException, "Every error fairglb raises.");
create_exception!(
    _fairglb,
    ScenarioError,
    FairglbError,
    "A scenario, an override or an infeasible scenario."
);
create_exception!(
    _fairglb,
    TraceError,
    FairglbError,
    "A trace file the scenario names."
);
create_exception!(
    _fairglb,
    PolicyError,
    FairglbError,
    "An unknown policy, or a policy that fails."
);

/// Where an error happened, which decides its class.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// Reading the scenario file and its overrides.
    Scenario,
    /// Reading traces and building the problem.
    Traces,
    /// Choosing, building and running policies.
    Policy,
    /// Rendering and writing results.
    Output,
}

/// The Python exception for `error`, raised at `stage`.
pub fn raise(stage: Stage, error: Error) -> PyErr {
    let message = error.to_string();
    let (file, line) = match &error {
        Error::Io { path, .. } | Error::File { path, .. } => (Some(path.display().to_string()), None),
        Error::Row { path, line, .. } => (Some(path.display().to_string()), Some(*line)),
        _ => (None, None),
    };
    let err = match (&error, stage) {
        (Error::Policy { .. } | Error::UnknownPolicy { .. }, _) => PolicyError::new_err(message),
        (Error::Override { .. } | Error::Infeasible(_), _) => ScenarioError::new_err(message),
        (_, Stage::Scenario) => ScenarioError::new_err(message),
        (_, Stage::Traces) => TraceError::new_err(message),
        (_, Stage::Policy) => PolicyError::new_err(message),
        (_, Stage::Output) => FairglbError::new_err(message),
    };
    Python::attach(|py| {
        let value = err.value(py);
        // Setting attributes on a fresh exception instance cannot fail.
        let _ = value.setattr("file", file);
        let _ = value.setattr("line", line);
    });
    err
}

/// A `PolicyError` with `message` and no file.
pub fn policy_error(message: String) -> PyErr {
    raise(
        Stage::Policy,
        Error::BadOption {
            name: "policies".into(),
            msg: message,
        },
    )
}

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<FairglbError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("TraceError", py.get_type::<TraceError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    Ok(())
}
