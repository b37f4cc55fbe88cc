//! Measures how eglb-offline's solve time grows with the horizon: tiles the paper scenario's
//! 457 hours to about 1, 4 and 12 months and times the certified solve.
//! `cargo run --release --example scale_offline [full|partial]`
fn main() {
    let routing = std::env::args().nth(1).unwrap_or_else(|| "full".into());
    let overrides = [format!("routing={routing}")];
    let (_, base) = fairglb::cli::load("scenarios/paper.toml".as_ref(), &overrides).expect("paper scenario");
    for hours in [730, 2920, 8760] {
        let mut p = base.clone();
        let tile = |v: &Vec<Vec<f64>>| (0..hours).map(|t| v[t % v.len()].clone()).collect::<Vec<_>>();
        p.hours = (0..hours).map(|t| format!("h{t}")).collect();
        p.price_usd_per_mwh = tile(&base.price_usd_per_mwh);
        p.carbon_kg_per_kwh = tile(&base.carbon_kg_per_kwh);
        p.water_l_per_kwh = tile(&base.water_l_per_kwh);
        p.demand_mw = tile(&base.demand_mw);
        let start = std::time::Instant::now();
        let offline = fairglb::policy::EglbOffline::solve(&p).expect("solves");
        let c = offline.certificate();
        println!(
            "{routing} {hours} h: {:.2} s, {}, relative gap {:.1e}",
            start.elapsed().as_secs_f64(),
            c.method,
            (c.objective_usd - c.lower_bound_usd) / c.objective_usd
        );
    }
}
