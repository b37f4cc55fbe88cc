//! Generates the offline-solver scaling benchmark's fleets and solves one with `eglb-offline`
//! (`scripts/scale-offline` runs the grid, against HiGHS).
//!
//! A fleet of N data centers and N gateways over T hours, seeded:
//! - intensities and demand: T = 457 takes the paper scenario's ten sites, longer horizons the first
//!   T hours of `global-2022` (physical intensities, synthetic demand). Site i copies site i mod 10
//!   (gateway i the demand of gateway i mod 10); sites past the first ten are shifted in time by a
//!   whole number of days plus 1-23 hours (cyclically) and every value is multiplied by
//!   `exp(0.1 e)`, `e` standard normal, so copies neither tie nor move together;
//! - routing: sites at uniform random points of the unit square; gateway i may use its own data
//!   center and its 3-5 nearest others (uniformly chosen count);
//! - capacity: data center i has 1.3-1.6 (uniform) times gateway i's peak demand, so every hour is
//!   feasible;
//! - vulnerability weights those of the copied site; equity weights the source scenario's.
//!
//! `cargo run --release --example scale_offline -- --dcs N --hours T [--seed S] [--write DIR]`
//! solves the fleet and prints one JSON line (seconds, method, dual evaluations, hours solved
//! jointly, objective, lower bound); with `--write DIR` it writes the fleet instead, and
//! `--read DIR` solves the fleet written there (the benchmark times that, as HiGHS reads it too):
//! `price_usd_per_mwh.csv`, `water_l_per_kwh.csv`, `carbon_kg_per_kwh.csv` (an hour per row, a data
//! center per column), `demand_mw.csv` (a gateway per column) and `fleet.json` (capacities,
//! vulnerability and equity weights, the allowed (gateway, dc) pairs).
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;
use fairglb::model::Problem;
use fairglb::model::routing::{Routing, RoutingKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

#[derive(Parser)]
struct Args {
    /// Data centers (as many gateways).
    #[arg(long)]
    dcs: usize,
    /// Hours: 457 (the paper's data) or up to 8,760 (the 2022 year's).
    #[arg(long)]
    hours: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the fleet here instead of solving it.
    #[arg(long)]
    write: Option<PathBuf>,
    /// Solve the fleet written here by `--write` instead of generating it (what the benchmark
    /// times: fairglb and HiGHS then read the same files); `--dcs` and `--hours` are then unused.
    #[arg(long, conflicts_with = "write")]
    read: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let start = std::time::Instant::now();
    let problem = match &args.read {
        Some(dir) => read(dir),
        None => generate(&args),
    };
    if let Some(dir) = &args.write {
        write(&problem, dir);
        return;
    }
    let plan = fairglb::solver::offline::solve(&problem).expect("solves");
    let c = plan.certificate;
    println!(
        "{{\"seconds\": {:.3}, \"method\": \"{}\", \"dual_evaluations\": {}, \"free_hours\": {}, \
         \"objective_usd\": {:.9}, \"lower_bound_usd\": {:.9}, \"relative_gap\": {:.3e}}}",
        start.elapsed().as_secs_f64(),
        c.method,
        c.dual_evaluations,
        c.free_hours,
        c.objective_usd,
        c.lower_bound_usd,
        c.relative_gap()
    );
}

fn generate(args: &Args) -> Problem {
    let scenario = if args.hours == 457 { "paper" } else { "global-2022" };
    let path = format!("scenarios/{scenario}.toml");
    let (_, source) = fairglb::load(path.as_ref(), &[]).expect("the source scenario loads");
    assert!(
        args.hours <= source.n_hours(),
        "{scenario} has {} hours",
        source.n_hours()
    );
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let n = args.dcs;
    let base = source.fleet.dcs.len();
    let shifts: Vec<usize> = (0..n)
        .map(|i| match i < base {
            true => 0,
            false => 24 * (i / base) + rng.random_range(1..24),
        })
        .collect();
    let mut p = source.clone();
    let hours = args.hours;
    p.hours.truncate(hours);
    p.water_onsite_l_per_kwh = None;
    let mut copied = |series: &[Vec<f64>]| -> Vec<Vec<f64>> {
        let noise: Vec<Vec<f64>> = (0..hours)
            .map(|_| (0..n).map(|i| perturbation(&mut rng, i >= base)).collect())
            .collect();
        (0..hours)
            .map(|t| {
                let at = |i: usize| series[(t + shifts[i]) % hours][i % base];
                (0..n).map(|i| at(i) * noise[t][i]).collect()
            })
            .collect()
    };
    p.price_usd_per_mwh = copied(&source.price_usd_per_mwh[..hours]);
    p.carbon_kg_per_kwh = copied(&source.carbon_kg_per_kwh[..hours]);
    p.water_l_per_kwh = copied(&source.water_l_per_kwh[..hours]);
    p.demand_mw = copied(&source.demand_mw[..hours]);
    let f = &source.fleet;
    let names = |v: &[String]| (0..n).map(|i| format!("{}-{}", v[i % base], i / base)).collect();
    p.fleet.dcs = names(&f.dcs);
    p.fleet.gateways = names(&f.gateways);
    p.fleet.nearest_dc = (0..n).collect();
    p.fleet.water_vulnerability = (0..n).map(|i| f.water_vulnerability[i % base]).collect();
    p.fleet.carbon_vulnerability = (0..n).map(|i| f.carbon_vulnerability[i % base]).collect();
    p.fleet.capacity_mw = (0..n)
        .map(|i| {
            let peak = p.demand_mw.iter().map(|hour| hour[i]).fold(0.0, f64::max);
            rng.random_range(1.3..1.6) * peak
        })
        .collect();
    p.fleet.routing = nearest_neighbours(&mut rng, n);
    p
}

/// 1 for an original site, else `exp(0.1 e)`.
fn perturbation(rng: &mut ChaCha8Rng, copy: bool) -> f64 {
    let e: f64 = StandardNormal.sample(rng);
    if copy { (0.1 * e).exp() } else { 1.0 }
}

/// Gateway g may use data center g and its 3-5 nearest others, sites at random points of the
/// unit square.
fn nearest_neighbours(rng: &mut ChaCha8Rng, n: usize) -> Routing {
    let points: Vec<(f64, f64)> = (0..n).map(|_| (rng.random(), rng.random())).collect();
    let mut allowed = vec![vec![false; n]; n];
    for (g, row) in allowed.iter_mut().enumerate() {
        let mut others: Vec<usize> = (0..n).filter(|&d| d != g).collect();
        let distance = |d: usize| (points[d].0 - points[g].0).hypot(points[d].1 - points[g].1);
        others.sort_by(|&a, &b| distance(a).total_cmp(&distance(b)));
        row[g] = true;
        for &d in others.iter().take(rng.random_range(3..=5)) {
            row[d] = true;
        }
    }
    Routing::from_fn(RoutingKind::Latency, n, n, |d, g| allowed[g][d])
}

fn write(p: &Problem, dir: &Path) {
    std::fs::create_dir_all(dir).expect("creates the folder");
    let matrix = |name: &str, rows: &[Vec<f64>]| {
        let mut text = String::new();
        for row in rows {
            let cells: Vec<String> = row.iter().map(|x| format!("{x:e}")).collect();
            writeln!(text, "{}", cells.join(",")).unwrap();
        }
        std::fs::write(dir.join(name), text).expect("writes");
    };
    matrix("price_usd_per_mwh.csv", &p.price_usd_per_mwh);
    matrix("water_l_per_kwh.csv", &p.water_l_per_kwh);
    matrix("carbon_kg_per_kwh.csv", &p.carbon_kg_per_kwh);
    matrix("demand_mw.csv", &p.demand_mw);
    let f = &p.fleet;
    let n = f.dcs.len();
    let pairs: Vec<[usize; 2]> = (0..n)
        .flat_map(|g| {
            (0..n)
                .filter(move |&d| f.routing.allows(d, g))
                .map(move |d| [g, d])
        })
        .collect();
    let fleet = serde_json::json!({
        "capacity_mw": f.capacity_mw,
        "water_vulnerability": f.water_vulnerability,
        "carbon_vulnerability": f.carbon_vulnerability,
        "water_usd_per_m3": f.equity.water_usd_per_m3,
        "carbon_usd_per_t": f.equity.carbon_usd_per_t,
        "pairs": pairs,
    });
    std::fs::write(dir.join("fleet.json"), fleet.to_string()).expect("writes");
}

/// The fleet [`write`] wrote to `dir`: the problem the benchmark times (hours named by index).
fn read(dir: &Path) -> Problem {
    let matrix = |name: &str| -> Vec<Vec<f64>> {
        let text = std::fs::read_to_string(dir.join(name)).expect("reads the fleet's series");
        let cell = |x: &str| x.parse::<f64>().unwrap_or_else(|e| panic!("{name}: {x:?}: {e}"));
        text.lines()
            .map(|line| line.split(',').map(cell).collect())
            .collect()
    };
    let text = std::fs::read_to_string(dir.join("fleet.json")).expect("reads fleet.json");
    let fleet: serde_json::Value = serde_json::from_str(&text).expect("fleet.json is JSON");
    let numbers = |key: &str| -> Vec<f64> { serde_json::from_value(fleet[key].clone()).expect(key) };
    let pairs: Vec<[usize; 2]> = serde_json::from_value(fleet["pairs"].clone()).expect("pairs");
    let demand_mw = matrix("demand_mw.csv");
    let n = demand_mw[0].len();
    let mut allowed = vec![vec![false; n]; n];
    pairs.iter().for_each(|&[g, d]| allowed[g][d] = true);
    let names = |kind: &str| (0..n).map(|i| format!("{kind}-{i}")).collect();
    Problem {
        fleet: fairglb::model::Fleet {
            dcs: names("dc"),
            gateways: names("gateway"),
            capacity_mw: numbers("capacity_mw"),
            routing: Routing::from_fn(RoutingKind::Latency, n, n, |d, g| allowed[g][d]),
            nearest_dc: (0..n).collect(),
            equity: fairglb::model::EquityWeights {
                water_usd_per_m3: fleet["water_usd_per_m3"].as_f64().expect("water_usd_per_m3"),
                carbon_usd_per_t: fleet["carbon_usd_per_t"].as_f64().expect("carbon_usd_per_t"),
            },
            water_vulnerability: numbers("water_vulnerability"),
            carbon_vulnerability: numbers("carbon_vulnerability"),
        },
        hours: (0..demand_mw.len()).map(|t| t.to_string()).collect(),
        price_usd_per_mwh: matrix("price_usd_per_mwh.csv"),
        carbon_kg_per_kwh: matrix("carbon_kg_per_kwh.csv"),
        water_l_per_kwh: matrix("water_l_per_kwh.csv"),
        water_onsite_l_per_kwh: None,
        carbon_embodied_kg_per_kwh: 0.0,
        demand_mw,
        unused_trace_dcs: Vec::new(),
        trace_anomalies: Vec::new(),
        forecast: Default::default(),
        carried: Default::default(),
    }
}
