//! `par_vs_cost` and `tradeoff`: policies as points of cost against a footprint metric. Points of
//! different policies that fall on one spot are drawn as rings around the first, and the key
//! names them, so no policy hides another.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Options;
use super::super::chart::{self, Key, bounds, compact, draw_mesh, font, frame, panels};
use super::super::style::{self, TICK, policy_colour, px};
use super::{DrawResult, PolicyPoints};

/// Key entries of policies.
fn policy_key(points: &[PolicyPoints]) -> Vec<(String, RGBColor)> {
    points
        .iter()
        .map(|p| (p.policy.clone(), policy_colour(&p.policy)))
        .collect()
}

/// Picks a footprint metric from a point.
type Metric = fn(&(f64, f64, f64)) -> f64;

/// Two points closer than this share of each axis's span coincide on the figure.
const COINCIDENT: f64 = 0.02;

/// For each policy and point, how many earlier policies have a point on the same spot (0: drawn
/// filled; k: drawn as the k-th ring around it).
pub fn rings(points: &[PolicyPoints], y_of: fn(&(f64, f64, f64)) -> f64) -> Vec<Vec<usize>> {
    let span = |f: &dyn Fn(&(f64, f64, f64)) -> f64| {
        let r = bounds(points.iter().flat_map(|p| p.points.iter().map(f)));
        (r.end - r.start).max(1e-12)
    };
    let (sx, sy) = (span(&|q| q.0), span(&|q| y_of(q)));
    let same = |a: &(f64, f64, f64), b: &(f64, f64, f64)| {
        (a.0 - b.0).abs() <= COINCIDENT * sx && (y_of(a) - y_of(b)).abs() <= COINCIDENT * sy
    };
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.points
                .iter()
                .map(|q| {
                    points[..i]
                        .iter()
                        .filter(|o| o.points.iter().any(|r| same(q, r)))
                        .count()
                })
                .collect()
        })
        .collect()
}

/// The key's note naming the policies drawn as rings: `rings: min-water (water), ...`.
fn ring_note(points: &[PolicyPoints], panels: &[(&str, Metric)]) -> Vec<String> {
    let mut hidden: Vec<String> = Vec::new();
    for (what, y_of) in panels {
        for (p, counts) in points.iter().zip(rings(points, *y_of)) {
            if counts.iter().any(|&k| k > 0) {
                hidden.push(format!("{} ({what})", p.policy));
            }
        }
    }
    if hidden.is_empty() {
        return Vec::new();
    }
    vec![format!("Rings: on another policy's point: {}", hidden.join(", "))]
}

fn water(q: &(f64, f64, f64)) -> f64 {
    q.1
}

fn carbon(q: &(f64, f64, f64)) -> f64 {
    q.2
}

pub fn par_vs_cost<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[PolicyPoints],
    options: &Options,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let key = Key {
        notes: ring_note(points, &[("water", water), ("carbon", carbon)]),
        ..Key::of(policy_key(points))
    };
    let body = frame(area, "Disparity against energy cost", &key)?;
    let cells = panels(&body, 2, options.width);
    scatter(&cells[0], points, "peak-to-average ratio, water", water, false)?;
    scatter(&cells[1], points, "peak-to-average ratio, carbon", carbon, false)
}

pub fn tradeoff<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[PolicyPoints],
    axes: &[String],
    options: &Options,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut notes = vec!["Lines: each policy's Pareto front.".to_string()];
    notes.extend(ring_note(points, &[("water", water), ("carbon", carbon)]));
    if options.label_points {
        notes.push(format!("Labels (where they fit): {}.", axes.join(", ")));
    }
    let key = Key {
        notes,
        ..Key::of(policy_key(points))
    };
    let body = frame(area, "Cost against highest regional footprint", &key)?;
    let cells = panels(&body, 2, options.width);
    let label = options.label_points;
    scatter(&cells[0], points, "highest regional water, m³", water, label)?;
    scatter(&cells[1], points, "highest regional carbon, t", carbon, label)
}

/// The points no other point beats on both cost and footprint, by increasing cost.
pub fn pareto_front(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut front: Vec<(f64, f64)> = Vec::new();
    for p in points {
        if front.last().is_none_or(|last| p.1 < last.1) {
            front.push(p);
        }
    }
    front
}

/// Points per policy; a policy with several points (a sweep) also gets the line of its Pareto
/// front: the lowest footprint reached for a given cost.
fn scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[PolicyPoints],
    y_desc: &str,
    y_of: fn(&(f64, f64, f64)) -> f64,
    labels: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let x = bounds(points.iter().flat_map(|p| p.points.iter().map(|q| q.0)));
    let y = bounds(points.iter().flat_map(|p| p.points.iter().map(y_of)));
    let mut chart = chart::chart(area, x, y, true)?;
    draw_mesh(
        &mut chart,
        Some("total energy cost, thousand USD"),
        y_desc,
        &|v| compact(*v),
    )?;
    let rings = rings(points, y_of);
    let mut taken: Vec<[i32; 4]> = Vec::new();
    for (p, rings) in points.iter().zip(&rings) {
        let colour = policy_colour(&p.policy);
        let xy: Vec<(f64, f64)> = p.points.iter().map(|q| (q.0, y_of(q))).collect();
        let radius = if xy.len() > 1 { px(1.6) } else { px(2.6) };
        if xy.len() > 1 {
            chart.draw_series(LineSeries::new(
                pareto_front(xy.clone()),
                colour.stroke_width(px(0.8)),
            ))?;
        }
        chart.draw_series(xy.iter().zip(rings).map(|(&at, &ring)| {
            let style = match ring {
                0 => colour.filled(),
                _ => colour.stroke_width(px(0.7)),
            };
            Circle::new(at, radius + ring as u32 * px(1.4), style)
        }))?;
        if labels {
            let placed = front_labels(&xy, &p.labels, &mut taken, |at| chart.backend_coord(at));
            let beside = font(TICK).pos(Pos::new(HPos::Left, VPos::Bottom));
            chart.draw_series(placed.into_iter().map(|(at, label)| {
                EmptyElement::at(at) + Text::new(label, (px(2.0) as i32, 0), beside.clone())
            }))?;
        }
    }
    Ok(())
}

/// The labels of a policy's Pareto front (each point once, labelled by the first run that
/// reached it; none for a front of one point), leaving out any that would overlap one already
/// placed (`taken`, pixel boxes).
fn front_labels(
    xy: &[(f64, f64)],
    labels: &[String],
    taken: &mut Vec<[i32; 4]>,
    pixel: impl Fn(&(f64, f64)) -> (i32, i32),
) -> Vec<((f64, f64), String)> {
    let front = pareto_front(xy.to_vec());
    if front.len() < 2 {
        return Vec::new();
    }
    let mut placed = Vec::new();
    for at in front {
        let Some(label) = xy.iter().position(|q| *q == at).and_then(|run| labels.get(run)) else {
            continue;
        };
        let (x, y) = pixel(&at);
        let w = style::text_width(label, TICK) as i32;
        let bbox = [x, y - px(TICK * 1.2) as i32, x + px(2.0) as i32 + w, y];
        let overlaps = |b: &[i32; 4]| bbox[0] < b[2] && b[0] < bbox[2] && bbox[1] < b[3] && b[1] < bbox[3];
        if !taken.iter().any(overlaps) {
            taken.push(bbox);
            placed.push((at, label.clone()));
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::{PolicyPoints, rings};

    fn policy(name: &str, points: Vec<(f64, f64, f64)>) -> PolicyPoints {
        let labels = vec![String::new(); points.len()];
        PolicyPoints {
            policy: name.into(),
            points,
            labels,
        }
    }

    #[test]
    fn pareto_front_keeps_the_undominated_points() {
        let front = super::pareto_front(vec![(3.0, 1.0), (1.0, 5.0), (2.0, 6.0), (2.5, 2.0), (4.0, 1.0)]);
        assert_eq!(front, [(1.0, 5.0), (2.5, 2.0), (3.0, 1.0)]);
    }

    #[test]
    fn coincident_points_become_rings_in_policy_order() {
        let points = [
            policy("a", vec![(1.0, 1.0, 5.0)]),
            policy("b", vec![(1.0, 1.0, 9.0)]),
            policy("c", vec![(1.0000001, 1.0, 5.0)]),
            policy("d", vec![(2.0, 3.0, 5.0)]),
        ];
        assert_eq!(rings(&points, |q| q.1), [vec![0], vec![1], vec![2], vec![0]]);
        assert_eq!(rings(&points, |q| q.2), [vec![0], vec![0], vec![1], vec![0]]);
    }
}
