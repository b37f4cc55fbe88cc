"""fairglb for Python: equity-aware geographical load balancing of AI inference.

A thin layer over the Rust crate (the ``fairglb._fairglb`` extension): the same scenarios, the
same policies, the same simulation loop and metrics as the ``fairglb`` command line.

- :func:`run` runs policies on a scenario; its :class:`Results` hold the results folder's tables
  as polars DataFrames (``.summary``, ``.regions``, ``.hourly``, ``.flows``, ``.intensity``,
  ``.demand``, ``.routes``, ``.timings``), the manifest as a dict, and ``.write(dir)`` writes the
  folder ``fairglb run`` writes, byte for byte (but the manifest's ``command_line``).
- A policy may be any object with ``decide(hour)``: see :func:`run`.
- :func:`load` returns a scenario's :class:`Problem`, its inputs as numpy arrays.
- Errors raise :class:`ScenarioError`, :class:`TraceError` or :class:`PolicyError` (all
  :class:`Error`), with the command line's message and ``file`` and ``line`` where it is about
  a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import polars as pl

from . import _fairglb
from ._fairglb import Error, Hour, PolicyError, Problem, ScenarioError, TraceError, __version__

__all__ = [
    "Error",
    "GlbEnv",
    "Hour",
    "DEFAULT_POLICIES",
    "POLICIES",
    "PolicyError",
    "Problem",
    "Results",
    "ScenarioError",
    "TraceError",
    "load",
    "run",
    "sweep",
    "__version__",
]

#: The scenario used when none is named, relative to the working directory (as on the command line).
DEFAULT_SCENARIO = "scenarios/paper.toml"

#: The built-in policies' names, in the order results list them.
POLICIES: tuple[str, ...] = tuple(_fairglb.policy_names())

#: The built-in policies that run when none is named (all but the slow ones that read forecasts,
#: ``rhc`` and ``afhc``, which run when named).
DEFAULT_POLICIES: tuple[str, ...] = tuple(_fairglb.default_policy_names())


def _toml_value(value: Any) -> str:
    """A Python value as the TOML value of a ``--set key=value`` override."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return repr(float(value)) if isinstance(value, (float, np.floating)) else str(int(value))
    if isinstance(value, (str, os.PathLike)):
        return json.dumps(os.fspath(value), ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"set: {value!r} is not a bool, number, str, path or list of them")


def _overrides(set: Mapping[str, Any] | None) -> list[str]:
    """``set={"routing": "partial"}`` as the command line's ``--set routing="partial"``."""
    return [f"{key}={_toml_value(value)}" for key, value in (set or {}).items()]


def load(scenario: str | os.PathLike = DEFAULT_SCENARIO, set: Mapping[str, Any] | None = None) -> Problem:
    """The problem ``scenario`` poses, with ``set`` overrides (``{"horizon.hours": 24}``) as on
    the command line: hours, fleet, intensities, demand and routing mask as numpy arrays."""
    return _fairglb.load(os.fspath(scenario), _overrides(set))


class _PythonPolicy:
    """A user's policy as the extension calls it: a name, and ``decide`` returning float64."""

    def __init__(self, policy: Any):
        if not callable(getattr(policy, "decide", None)):
            raise TypeError(f"policies: {policy!r} is neither a policy name nor an object with decide(hour)")
        self.policy = policy
        self.name = str(getattr(policy, "name", None) or type(policy).__name__)

    def decide(self, hour: Hour) -> np.ndarray:
        return np.ascontiguousarray(self.policy.decide(hour), dtype=np.float64)


def _frame(columns: Sequence[tuple[str, Any]]) -> pl.DataFrame:
    """A table's columns (numpy arrays, or lists of text) as a DataFrame, in file order."""
    return pl.DataFrame(
        [pl.Series(name, values, dtype=pl.String) if isinstance(values, list) else pl.Series(name, values)
         for name, values in columns]
    )


class Results:
    """The results of :func:`run`: every table of the results folder as a polars DataFrame, with
    the same columns (units in their names; ``results/README.md`` documents each), the manifest,
    and :meth:`write`."""

    def __init__(self, core: Any):
        self._core = core
        self._frames: dict[str, pl.DataFrame] = {}
        self._manifest: dict | None = None

    def _table(self, file: str) -> pl.DataFrame:
        """The table of ``file``, built on first use."""
        if file not in self._frames:
            self._frames[file] = _frame(self._core.table(file))
        return self._frames[file]

    @property
    def policies(self) -> list[str]:
        """The policies' names, in the order the tables list them."""
        return self._core.policies

    @property
    def summary(self) -> pl.DataFrame:
        """Per policy: objective, gap to the offline optimum, cost, energy, water and carbon
        (highest region, mean, PAR, Gini, Jain), latency (``summary.csv``)."""
        return self._table("summary.csv")

    @property
    def regions(self) -> pl.DataFrame:
        """Per policy and data center: totals over the horizon (``regions.csv``)."""
        return self._table("regions.csv")

    @property
    def hourly(self) -> pl.DataFrame:
        """Per policy, hour and data center: load and footprints (``hourly.csv``)."""
        return self._table("hourly.csv")

    @property
    def flows(self) -> pl.DataFrame:
        """Per policy and hour, each (gateway, data center) pair carrying load (``flows.csv``)."""
        return self._table("flows.csv")

    @property
    def intensity(self) -> pl.DataFrame:
        """Per hour and data center: price, carbon and water intensities (``intensity.csv``)."""
        return self._table("intensity.csv")

    @property
    def demand(self) -> pl.DataFrame:
        """Per hour and gateway: demand (``demand.csv``)."""
        return self._table("demand.csv")

    @property
    def routes(self) -> pl.DataFrame:
        """The (gateway, data center) pairs the routing allows (``routes.csv``)."""
        return self._table("routes.csv")

    @property
    def timings(self) -> pl.DataFrame:
        """Each policy's wall-clock seconds (``timings.csv``; the only table that differs between
        runs)."""
        return self._table("timings.csv")

    @property
    def manifest(self) -> dict:
        """``manifest.json`` as a dict: the effective scenario, weights, parameters, trace hashes,
        versions, the optimality certificate, and every file's SHA-256."""
        if self._manifest is None:
            self._manifest = json.loads(self._core.manifest_json())
        return self._manifest

    def write(self, dir: str | os.PathLike) -> None:
        """Writes the results folder ``dir`` whole or not at all, as ``fairglb run --out DIR``
        (an older results folder there is replaced; a folder holding anything else refused)."""
        self._core.write(os.fspath(dir))

    def __repr__(self) -> str:
        return f"<fairglb.Results: {', '.join(self.policies)}>\n{self.summary}"


def run(
    scenario: str | os.PathLike = DEFAULT_SCENARIO,
    set: Mapping[str, Any] | None = None,
    policies: Iterable[Any] | None = None,
    threads: int = 0,
    outputs: Iterable[str] | None = None,
) -> Results:
    """Runs ``policies`` on ``scenario`` with ``set`` overrides, exactly as ``fairglb run``.

    ``policies``: built-in names (:data:`POLICIES`; :data:`DEFAULT_POLICIES` if ``None``) and
    policy objects.
    A policy object has ``decide(hour)``, given an :class:`Hour` (its ``index``, ``label`` and
    this hour's ``price_usd_per_mwh``, ``carbon_kg_per_kwh``, ``water_l_per_kwh``,
    ``capacity_mw`` per data center and ``demand_mw`` per gateway), returning the hour's flows in
    MW: an array of shape ``(n_dcs, n_gateways)``, or ``(n_dcs,)`` per data center when routing
    is full (split over gateways in proportion to demand). Its ``name`` attribute (default: its
    class name) labels its rows. Every allocation is checked for demand, capacity and routing as
    for the built-ins, and the run is scored by the same metrics. Built-in policies come first,
    in :data:`POLICIES` order (as on the command line), run side by side on ``threads`` worker
    threads (0: one per core); then policy objects, in the order given.

    ``outputs``: the per-hour files :meth:`Results.write` writes, ``("hourly", "flows")`` or a
    part of it; by default both up to a month of hours, ``hourly`` only beyond (as the command
    line). Every table is available as a DataFrame whatever it says.

    Unknown numbers (``gap_to_offline`` without ``eglb-offline``, round-trip times without
    coordinates) are NaN, as in the CSV files; ``frame.fill_nan(None)`` makes them missing.
    """
    if isinstance(policies, str):
        policies = [policies]
    if isinstance(outputs, str):
        outputs = [outputs]
    names: list[str] | None = None
    objects: list[_PythonPolicy] = []
    if policies is not None:
        names = []
        for policy in policies:
            if isinstance(policy, str):
                names.append(policy)
            else:
                objects.append(_PythonPolicy(policy))
    chosen = None if outputs is None else ",".join(outputs) or "none"
    command = (
        f"fairglb.run({os.fspath(scenario)!r}, set={dict(set or {})!r}, "
        f"policies={None if policies is None else names + [p.name for p in objects]!r})"
    )
    core = _fairglb.run(os.fspath(scenario), _overrides(set), names, objects, threads, chosen, command)
    return Results(core)


def _axis(key: str, values: Any) -> str:
    """An axis as ``--axis`` takes it: a list of values, or a range text ``FROM:TO:STEPS[:log]``."""
    if isinstance(values, str):
        return f"{key}={values}"
    return f"{key}=" + ",".join(_toml_value(v) for v in values)


def sweep(
    scenario: str | os.PathLike = DEFAULT_SCENARIO,
    axes: Mapping[str, Any] | None = None,
    policies: Iterable[str] | None = None,
    threads: int = 0,
    set: Mapping[str, Any] | None = None,
    out: str | os.PathLike | None = None,
) -> pl.DataFrame:
    """Runs the sweep ``fairglb sweep`` runs and returns its ``sweep.csv`` as a DataFrame: one
    row per run and policy, the axis values, then the summary columns.

    ``axes``: ``{key: [values]}`` or ``{key: "FROM:TO:STEPS[:log]"}``, each key a scenario key as
    in ``set`` (``{"equity.water_usd_per_m3": [30, 60, 90]}``), added to the scenario's own
    ``[sweep.axes]``. ``policies``: built-in names (if ``None``, the scenario's ``[sweep]
    policies``, else all). ``out``: the sweep's folder
    (its journal lets an interrupted sweep resume; a temporary folder, removed, if ``None``).
    """
    axis_texts = [_axis(key, values) for key, values in (axes or {}).items()]
    names = [policies] if isinstance(policies, str) else list(policies or [])
    if not all(isinstance(name, str) for name in names):
        raise TypeError("sweep: policies are built-in names (policy objects run with fairglb.run)")
    if out is not None:
        path = _fairglb.sweep(os.fspath(scenario), _overrides(set), axis_texts, names, threads, os.fspath(out))
        return pl.read_csv(path)
    with tempfile.TemporaryDirectory(prefix="fairglb-sweep-") as folder:
        path = _fairglb.sweep(os.fspath(scenario), _overrides(set), axis_texts, names, threads,
                              os.path.join(folder, "sweep"))
        return pl.read_csv(path)


def __getattr__(name: str) -> Any:
    """``fairglb.GlbEnv``, imported on first use (it needs the ``gym`` extra: gymnasium)."""
    if name == "GlbEnv":
        from .env import GlbEnv

        return GlbEnv
    raise AttributeError(f"module 'fairglb' has no attribute {name!r}")
