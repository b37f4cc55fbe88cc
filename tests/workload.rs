//! The workload model against its calibration targets on the real traces we ship: the BLOOM
//! hourly power trace (shape, mean, peak-to-mean) and the Azure per-minute request counts
//! (burstiness).

use fairglb::traces;
use fairglb::workload::{self, BLOOM_UTC_OFFSET_H, DemandShape, LocalClock, lag1_autocorrelation};

use crate::util::repo;

fn bloom() -> traces::WorkloadTrace {
    traces::read_workload(
        &repo().join("traces/paper-2022/workload_hourly.csv"),
        "gpu_power_w",
    )
    .unwrap()
}

fn peak_to_mean(v: &[f64]) -> (f64, f64) {
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (mean, v.iter().cloned().fold(0.0, f64::max) / mean)
}

#[test]
fn bloom_calibrated_series_match_the_trace_mean_and_peak_to_mean() {
    let trace = bloom();
    let shape = DemandShape::calibrate(&trace.hours, &trace.values, BLOOM_UTC_OFFSET_H).unwrap();
    let zeros = vec![0.0; trace.values.len()];
    assert!(DemandShape::calibrate(&trace.hours, &zeros, BLOOM_UTC_OFFSET_H).is_err());
    let (mean, target_p2m) = peak_to_mean(&trace.values);
    let seeds = 20;
    let (mut means, mut p2ms) = (0.0, 0.0);
    for seed in 0..seeds {
        let series = shape.generate(
            trace.hours[0],
            trace.values.len(),
            LocalClock::Fixed(BLOOM_UTC_OFFSET_H),
            mean,
            seed,
        );
        let (m, p) = peak_to_mean(&series);
        means += m / seeds as f64;
        p2ms += p / seeds as f64;
    }
    println!(
        "BLOOM mean {mean:.1} W, peak-to-mean {target_p2m:.3}; generated (20 seeds) mean {means:.1} W, peak-to-mean {p2ms:.3}; noise CV {:.3}",
        shape.noise_cv
    );
    // Stated tolerances: mean within 2 %, peak-to-mean within 10 %.
    assert!((means / mean - 1.0).abs() < 0.02, "mean {means} vs {mean}");
    assert!(
        (p2ms / target_p2m - 1.0).abs() < 0.10,
        "peak-to-mean {p2ms} vs {target_p2m}"
    );
    // The same seed reproduces, byte for byte.
    let a = shape.generate(trace.hours[0], 8760, LocalClock::Fixed(9), 1.0, 42);
    assert_eq!(
        a,
        shape.generate(trace.hours[0], 8760, LocalClock::Fixed(9), 1.0, 42)
    );
}

/// The noise of an hourly series: each hour over the mean and the shape's profiles at `offset_h`.
fn residual(
    shape: &DemandShape,
    hours: &[chrono::DateTime<chrono::Utc>],
    values: &[f64],
    offset_h: i64,
) -> Vec<f64> {
    let clock = LocalClock::Fixed(offset_h);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    hours
        .iter()
        .zip(values)
        .map(|(t, v)| {
            let (hour, weekday) = clock.hour_and_weekday(*t);
            v / (mean * shape.diurnal[hour] * shape.weekly[weekday])
        })
        .collect()
}

/// Synthetic demand carries one hour's surprise into the next as the BLOOM trace does: the
/// lag-1 autocorrelation of the generated noise (over the profiles) is the trace's, within 0.05,
/// where independent hourly noise falls far short.
#[test]
fn bloom_calibrated_noise_has_the_traces_memory() {
    let trace = bloom();
    let shape = DemandShape::calibrate(&trace.hours, &trace.values, BLOOM_UTC_OFFSET_H).unwrap();
    let target = lag1_autocorrelation(&residual(&shape, &trace.hours, &trace.values, BLOOM_UTC_OFFSET_H));
    assert!(
        (shape.noise_lag1 - target).abs() < 1e-9,
        "{} {target}",
        shape.noise_lag1
    );
    let seeds = 20;
    let generated = |shape: &DemandShape| -> f64 {
        (0..seeds)
            .map(|seed| {
                let clock = LocalClock::Fixed(BLOOM_UTC_OFFSET_H);
                let series = shape.generate(trace.hours[0], trace.values.len(), clock, 1.0, seed);
                lag1_autocorrelation(&residual(shape, &trace.hours, &series, BLOOM_UTC_OFFSET_H))
            })
            .sum::<f64>()
            / seeds as f64
    };
    let independent = generated(&DemandShape {
        noise_lag1: 0.0,
        ..shape.clone()
    });
    let with_memory = generated(&shape);
    println!(
        "BLOOM noise lag-1 autocorrelation {target:.3}; generated (20 seeds) {with_memory:.3}, with independent hours {independent:.3}"
    );
    assert!(
        (with_memory - target).abs() < 0.05,
        "generated {with_memory} vs the trace's {target}"
    );
    assert!(independent < target - 0.2, "independent hours: {independent}");
}

#[test]
fn azure_minute_burstiness() {
    for name in ["conv", "code"] {
        let path = repo().join(format!(
            "traces/workload/azure_llm_{name}_2023_requests_per_minute.csv"
        ));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let counts: Vec<f64> = reader.records().map(|r| r.unwrap()[1].parse().unwrap()).collect();
        // Drop the partial first and last minutes of the hour-long capture.
        let b = workload::burstiness(&counts[1..counts.len() - 1]);
        println!(
            "azure {name}: {} full minutes, CV {:.3}, peak-to-mean {:.3}",
            counts.len() - 2,
            b.cv,
            b.peak_to_mean
        );
        assert!(
            b.cv > 0.0 && b.cv < 1.0 && b.peak_to_mean > 1.0 && b.peak_to_mean < 3.0,
            "{b:?}"
        );
    }
}
