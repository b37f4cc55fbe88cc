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

use crate::output::{Outputs, RunResults, paper_name};

mod check;

pub use check::{alignment_table, anomalies_table, physics_table, routing_table, traces_table};

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
