//! What the command line draws on the terminal: the summary table of a run, the `traces check`
//! tables, and progress (a bar on a terminal; a line every few seconds on stderr otherwise, as in
//! a batch job's log; nothing with `--quiet`). The library draws nothing; it reports progress
//! through callbacks.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::build::intensity::Site;
use crate::model::Problem;
use crate::output::{Outputs, RunResults, paper_name};
use crate::scenario::Scenario;

static QUIET: AtomicBool = AtomicBool::new(false);

/// How often progress goes to a stderr that is not a terminal: every 5 s, or every
/// `FAIRGLB_PROGRESS_SECONDS` seconds when that is set.
pub fn progress_line_every() -> Duration {
    let seconds = std::env::var("FAIRGLB_PROGRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok());
    Duration::from_secs_f64(seconds.filter(|s| s.is_finite() && *s >= 0.0).unwrap_or(5.0))
}

/// `--quiet`: no progress and nothing on stdout (errors still go to stderr).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Prints `text` on stdout unless `--quiet`; a closed stdout (`fairglb run | head`) is not an
/// error, since the results are written by then.
pub fn say(text: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
}

/// Progress of `what` (e.g. `policy-hours`): a bar on a terminal, a line on stderr every
/// [`progress_line_every`] otherwise, nothing with `--quiet`.
pub struct Progress {
    bar: ProgressBar,
    what: &'static str,
    last_line: Option<Mutex<Instant>>,
    every: Duration,
}

impl Progress {
    /// Progress over `len` steps (0 if not known yet), the bar drawn with `template`.
    pub fn new(len: u64, template: &str, what: &'static str) -> Progress {
        let quiet = QUIET.load(Ordering::Relaxed);
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(len)
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let lines = !quiet && !std::io::stderr().is_terminal();
        Progress {
            bar,
            what,
            last_line: lines.then(|| Mutex::new(Instant::now())),
            every: progress_line_every(),
        }
    }

    /// One more step done.
    pub fn inc(&self) {
        self.bar.inc(1);
        let Some(last) = &self.last_line else { return };
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() >= self.every {
            *last = Instant::now();
            let (done, len) = (self.bar.position(), self.bar.length().unwrap_or(0).max(1));
            eprintln!(
                "fairglb: {done}/{len} {} ({:.0} %), {:.0} s",
                self.what,
                100.0 * done as f64 / len as f64,
                self.bar.elapsed().as_secs_f64()
            );
        }
    }

    /// The number of steps, once known.
    pub fn set_length(&self, len: u64) {
        self.bar.set_length(len);
    }

    /// What the bar says it is doing.
    pub fn set_message(&self, message: String) {
        self.bar.set_message(message);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// What the footer says of the per-hour files a run did not write.
pub fn outputs_note(outputs: Outputs) -> &'static str {
    match (outputs.hourly, outputs.flows) {
        (true, true) => "",
        (true, false) => " (no flows.csv: add --outputs hourly,flows)",
        (false, true) => " (no hourly.csv: add --outputs hourly,flows)",
        (false, false) => " (no hourly.csv or flows.csv: add --outputs hourly,flows)",
    }
}

/// A compact table of a run's summaries, each policy with its paper name, and a legend.
pub fn summary_table(results: &RunResults) -> String {
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 9]| {
        let [
            policy,
            objective,
            gap,
            cost,
            water,
            water_par,
            carbon,
            carbon_par,
            paper,
        ] = cells;
        let _ = writeln!(
            out,
            "{policy:<18} {objective:>13} {gap:>9} {cost:>12} {water:>10} {water_par:>6} {carbon:>10} {carbon_par:>6}  {paper}"
        );
    };
    row(
        &mut out,
        [
            "policy",
            "objective_usd",
            "gap",
            "cost_usd",
            "water_max",
            "PAR",
            "carbon_max",
            "PAR",
            "paper name",
        ],
    );
    row(&mut out, ["", "", "", "", "m3", "", "t", "", ""]);
    for (policy, (s, gap)) in results.policies().zip(results.summaries().iter().copied()) {
        let gap = gap.map_or("-".to_string(), |g| format!("{:+.2}%", 100.0 * g));
        let values = [
            s.objective_usd,
            s.cost_usd,
            s.water_m3.max,
            s.water_m3.par,
            s.carbon_t.max,
            s.carbon_t.par,
        ];
        let [objective, cost, water, water_par, carbon, carbon_par] = values.map(significant);
        let cells = [
            policy,
            &objective,
            &gap,
            &cost,
            &water,
            &water_par,
            &carbon,
            &carbon_par,
            paper_name(policy),
        ];
        row(&mut out, cells);
    }
    let w = results.weights();
    let _ = writeln!(
        out,
        "objective = cost + {} USD/m3 x highest regional water + {} USD/t x highest regional carbon; \
         gap: relative to eglb-offline's objective (the optimum); PAR: max / mean over data centers",
        w.water_usd_per_m3, w.carbon_usd_per_t
    );
    out
}

/// `value` with four significant digits, and no decimals from 1,000 up.
fn significant(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 12) as usize;
    format!("{value:.decimals$}")
}

/// Mean, minimum and maximum of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stats {
    mean: f64,
    min: f64,
    max: f64,
}

impl Stats {
    /// The statistics of `values` (not empty).
    fn of(values: impl Iterator<Item = f64>) -> Stats {
        let (mut sum, mut n, mut min, mut max) = (0.0, 0usize, f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            sum += v;
            n += 1;
            min = min.min(v);
            max = max.max(v);
        }
        Stats {
            mean: sum / n.max(1) as f64,
            min,
            max,
        }
    }
}

/// Per data center: statistics of its hourly price (USD/MWh), carbon (kg/kWh) and water (L/kWh)
/// intensity over the horizon.
fn intensity_stats(problem: &Problem) -> Vec<[Stats; 3]> {
    (0..problem.fleet.dcs.len())
        .map(|d| {
            [
                &problem.price_usd_per_mwh,
                &problem.carbon_kg_per_kwh,
                &problem.water_l_per_kwh,
            ]
            .map(|series| Stats::of(series.iter().map(|hour| hour[d])))
        })
        .collect()
}

/// The `traces check` report: coverage, then per-data-center intensity statistics and demand.
pub fn traces_table(scenario: &Scenario, problem: &Problem) -> String {
    let (hours, fleet) = (problem.n_hours(), &problem.fleet);
    let mut out = format!(
        "{}: {} data centers, {} gateways, {hours} hours from {} to {} (hourly, gap-free), routing {}\n",
        scenario.name,
        fleet.dcs.len(),
        fleet.gateways.len(),
        problem.hours[0],
        problem.hours[hours - 1],
        fleet.routing.kind.name()
    );
    let _ = writeln!(
        out,
        "{:<14} {:>6}  {:>26}  {:>23}  {:>20}",
        "dc",
        "hours",
        "price USD/MWh mean (min-max)",
        "carbon kg/kWh mean (min-max)",
        "water L/kWh mean (min-max)"
    );
    for (d, [price, carbon, water]) in intensity_stats(problem).iter().enumerate() {
        let _ = writeln!(
            out,
            "{:<14} {:>6}  {:>8.2} ({:>7.2}-{:>7.2})  {:>7.3} ({:.3}-{:.3})  {:>7.2} ({:.2}-{:.2})",
            fleet.dcs[d],
            hours,
            price.mean,
            price.min,
            price.max,
            carbon.mean,
            carbon.min,
            carbon.max,
            water.mean,
            water.min,
            water.max
        );
    }
    let total = Stats::of(problem.demand_mw.iter().map(|h| h.iter().sum::<f64>()));
    let capacity: f64 = fleet.capacity_mw.iter().sum();
    let _ = writeln!(
        out,
        "demand: fleet total {:.3} MW mean ({:.3}-{:.3}) against {capacity:.3} MW of capacity (peak utilisation {:.1} %)",
        total.mean,
        total.min,
        total.max,
        100.0 * total.max / capacity
    );
    if problem.carbon_embodied_kg_per_kwh > 0.0 {
        let _ = writeln!(
            out,
            "carbon includes {:.4} kg/kWh of embodied (server manufacturing) carbon",
            problem.carbon_embodied_kg_per_kwh
        );
    }
    out
}

/// The `traces check` routing mask: each gateway and the data centers it may use (its nearest
/// marked `*`), with great-circle distances and round-trip times where known.
pub fn routing_table(scenario: &Scenario, fleet: &crate::model::Fleet) -> String {
    let km = scenario.pair_distances_km();
    let rtt = scenario.pair_rtt_ms.as_ref();
    let n_gateways = fleet.gateways.len();
    let mut out = format!(
        "routing {} (gateway -> data centers it may use; * nearest; round trips {}):\n",
        fleet.routing.kind.name(),
        if scenario.latency_matrix.is_some() {
            "measured"
        } else {
            "estimated from distance"
        }
    );
    for (g, gateway) in fleet.gateways.iter().enumerate() {
        let reachable: Vec<String> = (0..fleet.dcs.len())
            .filter(|&d| fleet.routing.allows(d, g))
            .map(|d| {
                let mark = if fleet.nearest_dc[g] == d { "*" } else { "" };
                let pair = d * n_gateways + g;
                let facts: Vec<String> = [
                    km.as_ref().map(|km| format!("{:.0} km", km[pair])),
                    rtt.map(|ms| format!("{:.0} ms", ms[pair])),
                ]
                .into_iter()
                .flatten()
                .collect();
                match facts.is_empty() {
                    true => format!("{}{mark}", fleet.dcs[d]),
                    false => format!("{}{mark} ({})", fleet.dcs[d], facts.join(", ")),
                }
            })
            .collect();
        let _ = writeln!(out, "  {gateway:<14} -> {}", reachable.join(", "));
    }
    out
}

/// The `traces check` report of a physical scenario: statistics of every derived series over
/// the first `hours` hours, then where each came from.
pub fn physics_table(sites: &[Site], hours: usize) -> String {
    let mut out = String::from("\nderived from the physical traces, mean (min-max) per data center:\n");
    let _ = writeln!(
        out,
        "{:<14} {:>21} {:>18} {:>18} {:>16} {:>21} {:>24}",
        "dc", "wet bulb C", "WUE L/kWh", "EWIF L/kWh", "PUE", "grid carbon kg/kWh", "price USD/MWh"
    );
    let stats = |v: &[f64]| Stats::of(v[..hours].iter().copied());
    for site in sites {
        let cell = |v: &[f64], digits: usize| {
            let s = stats(v);
            format!("{:.d$} ({:.d$}-{:.d$})", s.mean, s.min, s.max, d = digits)
        };
        let _ = writeln!(
            out,
            "{:<14} {:>21} {:>18} {:>18} {:>16} {:>21} {:>24}",
            site.dc,
            cell(&site.wet_bulb_c, 1),
            cell(&site.wue_l_per_kwh, 2),
            cell(&site.ewif_l_per_kwh, 2),
            cell(&site.pue, 2),
            cell(&site.grid_carbon_kg_per_kwh, 3),
            cell(&site.price_usd_per_mwh, 1),
        );
    }
    out.push_str("sources:\n");
    for site in sites {
        let _ = writeln!(out, "  {}: {}", site.dc, site.sources);
    }
    out
}
