use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let overrides: Vec<String> = args[2..].to_vec();
    let (_s, problem) = fairglb::cli::load(args[1].as_ref(), &overrides).unwrap();
    let t0 = Instant::now();
    let m = fairglb::dual::Multipliers { water: vec![1.0; 10], carbon: vec![10.0; 10] };
    let e = fairglb::dual::evaluate(&problem, &m).unwrap();
    println!("one evaluation {:.3} s value {}", t0.elapsed().as_secs_f64(), e.value_usd);
    let t0 = Instant::now();
    let opt = fairglb::dual::maximise(&problem, 1e-10).unwrap();
    println!("maximise {:.3} s, {} evaluations, value {:.6}", t0.elapsed().as_secs_f64(), opt.evaluations, opt.evaluation.value_usd);
    println!("water mu {:?}\ncarbon mu {:?}", opt.multipliers.water, opt.multipliers.carbon);
    for slack in [1e-6, 1e-5, 1e-4, 1e-3] {
        let tied = fairglb::dual::tied_hours(&problem, &opt.multipliers, slack);
        println!("slack {slack:e}: {} tied hours", tied.len());
    }
}
