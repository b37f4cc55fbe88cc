//! Solves the paper scenario's offline LP with the exact simplex and prints the optimum.
fn main() {
    let (_, problem) = fairglb::cli::load("scenarios/paper.toml".as_ref(), &[]).unwrap();
    let t = std::time::Instant::now();
    let exact = fairglb::policy::EglbOffline::solve_exact(&problem).unwrap();
    println!("{:?} in {:?}", exact.certificate(), t.elapsed());
    let t = std::time::Instant::now();
    let fast = fairglb::policy::EglbOffline::solve(&problem).unwrap();
    println!("{:?} in {:?}", fast.certificate(), t.elapsed());
}
