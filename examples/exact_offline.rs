//! Solves a scenario's offline LP with the exact simplex (monolithic) and with the default
//! decomposition, and prints both certificates and times:
//! `cargo run --release --example exact_offline [SCENARIO] [KEY=VALUE ...]`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = args.first().map_or("scenarios/paper.toml", String::as_str);
    let overrides = args.get(1..).unwrap_or_default();
    let (_, problem) = fairglb::load(scenario.as_ref(), overrides).unwrap();
    let t = std::time::Instant::now();
    let exact = fairglb::solver::offline::solve_exact(&problem).unwrap();
    println!("{:?} in {:?}", exact.certificate, t.elapsed());
    let t = std::time::Instant::now();
    let fast = fairglb::solver::offline::solve(&problem).unwrap();
    println!("{:?} in {:?}", fast.certificate, t.elapsed());
}
