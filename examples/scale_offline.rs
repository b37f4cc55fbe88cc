//! Measures how eglb-offline's solve time grows with the horizon and the fleet, on the global
//! 2022 scenario (latency mask, physical intensities):
//! - hours: the first 744, 2,928 and 8,760 hours (1, 4 and 12 months), 10 data centers;
//! - sites: the fleet copied 1, 2 and 3 times (10, 20, 30 data centers and as many gateways) over
//!   the first month; copy k's intensities are scaled by 1 + 0.02 k (so copies do not tie) and a
//!   gateway may use every copy of the data centers its original may use.
//!
//! - the hourly oracle alone (the cheapest allocation of an hour under the mask, which the dual
//!   computes for every hour at every step): microseconds per hour over the first month, with the
//!   fleet copied 1, 3 and 10 times (10, 30, 100 data centers).
//!
//! `cargo run --release --example scale_offline`
use fairglb::model::Problem;
use fairglb::model::routing::Routing;

fn main() {
    let (_, year) = fairglb::load("scenarios/global-2022.toml".as_ref(), &[]).expect("global-2022");
    for hours in [744, 2928, 8760] {
        time(&format!("{hours} h, 10 dcs"), &first_hours(&year, hours));
    }
    let month = first_hours(&year, 744);
    for copies in [2, 3] {
        let p = copied(&month, copies);
        time(&format!("744 h, {} dcs", p.fleet.dcs.len()), &p);
    }
    for copies in [1, 3, 10] {
        oracle(&copied(&month, copies));
    }
}

/// Times the cheapest allocation of every hour of `p` at its energy prices.
fn oracle(p: &Problem) {
    let start = std::time::Instant::now();
    let rounds = 5;
    for _ in 0..rounds {
        for t in 0..p.n_hours() {
            let hour = p.hour(t);
            fairglb::model::allocation::cheapest(hour.price_usd_per_mwh, hour.demand_mw, &p.fleet)
                .expect("a feasible hour");
        }
    }
    let per_hour = start.elapsed().as_secs_f64() / (rounds * p.n_hours()) as f64;
    println!(
        "hourly oracle, {} dcs x {} gateways: {:.1} us per hour",
        p.fleet.dcs.len(),
        p.fleet.gateways.len(),
        1e6 * per_hour
    );
}

fn time(label: &str, p: &Problem) {
    let start = std::time::Instant::now();
    let offline = fairglb::solver::offline::solve(p).expect("solves");
    let c = offline.certificate;
    println!(
        "{label}: {:.2} s, {} ({} dual evaluations, {} hours solved jointly), relative gap {:.1e}",
        start.elapsed().as_secs_f64(),
        c.method,
        c.dual_evaluations,
        c.free_hours,
        (c.objective_usd - c.lower_bound_usd) / c.objective_usd
    );
}

fn first_hours(p: &Problem, hours: usize) -> Problem {
    let mut q = p.clone();
    q.hours.truncate(hours);
    for series in [
        &mut q.price_usd_per_mwh,
        &mut q.carbon_kg_per_kwh,
        &mut q.water_l_per_kwh,
        &mut q.demand_mw,
    ] {
        series.truncate(hours);
    }
    q.water_onsite_l_per_kwh = None;
    q
}

fn copied(p: &Problem, copies: usize) -> Problem {
    let mut q = p.clone();
    let f = &p.fleet;
    let (n, j) = (f.dcs.len(), f.gateways.len());
    let names = |v: &[String]| {
        (0..copies)
            .flat_map(|k| v.iter().map(move |s| format!("{s}-{k}")))
            .collect()
    };
    q.fleet.dcs = names(&f.dcs);
    q.fleet.gateways = names(&f.gateways);
    q.fleet.capacity_mw = f.capacity_mw.repeat(copies);
    q.fleet.water_vulnerability = f.water_vulnerability.repeat(copies);
    q.fleet.carbon_vulnerability = f.carbon_vulnerability.repeat(copies);
    q.fleet.nearest_dc = (0..copies)
        .flat_map(|k| f.nearest_dc.iter().map(move |&d| d + k * n))
        .collect();
    q.fleet.routing = Routing::from_fn(f.routing.kind, n * copies, j * copies, |d, g| {
        f.routing.allows(d % n, g % j)
    });
    let scaled = |v: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        v.iter()
            .map(|hour| {
                (0..copies)
                    .flat_map(|k| hour.iter().map(move |x| x * (1.0 + 0.02 * k as f64)))
                    .collect()
            })
            .collect()
    };
    q.price_usd_per_mwh = scaled(&p.price_usd_per_mwh);
    q.carbon_kg_per_kwh = scaled(&p.carbon_kg_per_kwh);
    q.water_l_per_kwh = scaled(&p.water_l_per_kwh);
    q.demand_mw = p.demand_mw.iter().map(|hour| hour.repeat(copies)).collect();
    q
}
