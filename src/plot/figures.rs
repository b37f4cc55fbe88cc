//! The standard figures, each a function drawing onto any plotters backend (PNG or SVG), from
//! data extracted from result CSVs.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{bounds, compact, draw_mesh, font, frame};
use super::style::{self, LABEL, TICK, TITLE, dc_colour, policy_colour};

/// What drawing returns.
pub type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Per-data-center totals of each policy (from `regions.csv`).
#[derive(Debug, Clone)]
pub struct RegionTotals {
    /// Data centers, in results order.
    pub dcs: Vec<String>,
    /// Policies, in results order.
    pub policies: Vec<String>,
    /// `water_m3[policy][dc]`.
    pub water_m3: Vec<Vec<f64>>,
    /// `carbon_t[policy][dc]`.
    pub carbon_t: Vec<Vec<f64>>,
}

/// One policy's point: total cost against a footprint metric.
#[derive(Debug, Clone)]
pub struct PolicyPoints {
    /// The policy.
    pub policy: String,
    /// `(total energy cost in thousand USD, water value, carbon value)` per point.
    pub points: Vec<(f64, f64, f64)>,
}

/// Hour-by-data-center series.
#[derive(Debug, Clone)]
pub struct HourlySeries {
    /// Data centers, in results order.
    pub dcs: Vec<String>,
    /// The first hour, for the axis description.
    pub first_hour: String,
    /// `values[dc][hour]`.
    pub values: Vec<Vec<f64>>,
}

/// A figure and the data it needs.
#[derive(Debug, Clone)]
pub enum Figure {
    /// Per-data-center water and carbon bars for each policy, the max highlighted.
    Regions(RegionTotals),
    /// Water and carbon peak-to-average ratio per policy against total energy cost.
    ParVsCost(Vec<PolicyPoints>),
    /// A sweep's cost against highest regional water and carbon, one line per policy.
    Tradeoff(Vec<PolicyPoints>),
    /// Hourly load per data center, stacked, for one policy.
    Load {
        /// The policy.
        policy: String,
        /// Load, MW.
        load_mw: HourlySeries,
    },
    /// Hourly price, carbon and water intensity per data center.
    Intensity([HourlySeries; 3]),
    /// Cumulative regional water and carbon over time, eglb-online against eglb-offline.
    OnlineVsOffline {
        /// `[online water m3, online carbon t]`, cumulative.
        online: [HourlySeries; 2],
        /// `[offline water m3, offline carbon t]`, cumulative.
        offline: [HourlySeries; 2],
    },
}

impl Figure {
    /// File stem: letters, digits, `-`, `_` and `.` only (anything else in a policy name read
    /// from the results becomes `_`), so it never leaves the figures folder.
    pub fn name(&self) -> String {
        match self {
            Figure::Regions(_) => "regions".into(),
            Figure::ParVsCost(_) => "par_vs_cost".into(),
            Figure::Tradeoff(_) => "tradeoff".into(),
            Figure::Load { policy, .. } => {
                let safe = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
                format!(
                    "load_{}",
                    policy
                        .chars()
                        .map(|c| if safe(c) { c } else { '_' })
                        .collect::<String>()
                )
            }
            Figure::Intensity(_) => "intensity".into(),
            Figure::OnlineVsOffline { .. } => "online_vs_offline".into(),
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            Figure::Regions(r) => (style::WIDTH, 130 + 190 * r.policies.len() as u32 + 110),
            Figure::ParVsCost(_) | Figure::Tradeoff(_) => (style::WIDTH, 520),
            Figure::Load { .. } => (style::WIDTH, 560),
            Figure::Intensity(_) => (style::WIDTH, 1000),
            Figure::OnlineVsOffline { .. } => (style::WIDTH, 800),
        }
    }

    /// Draws the figure on `area`.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        area.fill(&WHITE)?;
        match self {
            Figure::Regions(r) => regions(area, r),
            Figure::ParVsCost(points) => par_vs_cost(area, points),
            Figure::Tradeoff(points) => tradeoff(area, points),
            Figure::Load { policy, load_mw } => load(area, policy, load_mw),
            Figure::Intensity(series) => intensity(area, series),
            Figure::OnlineVsOffline { online, offline } => online_vs_offline(area, online, offline),
        }?;
        area.present()?;
        Ok(())
    }
}

/// Key entries of data centers.
fn dc_key(dcs: &[String]) -> Vec<(String, RGBColor)> {
    dcs.iter()
        .enumerate()
        .map(|(d, name)| (name.clone(), dc_colour(d)))
        .collect()
}

/// Key entries of policies.
fn policy_key(points: &[PolicyPoints]) -> Vec<(String, RGBColor)> {
    points
        .iter()
        .map(|p| (p.policy.clone(), policy_colour(&p.policy)))
        .collect()
}

fn regions<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &RegionTotals) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(
        area,
        "Regional footprints by policy (highest region outlined)",
        TITLE,
        &dc_key(&r.dcs),
    )?;
    let rows = r.policies.len();
    let (panels, _) = body.split_vertically(190 * rows as u32 + 110);
    let heights: Vec<u32> = (1..rows).map(|i| 190 * i as u32).collect();
    let row_areas = panels.split_by_breakpoints::<u32, u32, _, _>(Vec::<u32>::new(), heights);
    for (p, row) in row_areas.iter().enumerate() {
        let (left, right) = row.split_horizontally(style::WIDTH / 2);
        let last = p + 1 == rows;
        for (cell, values, unit, all) in [
            (&left, &r.water_m3[p], "water, m³", &r.water_m3),
            (&right, &r.carbon_t[p], "carbon, t", &r.carbon_t),
        ] {
            let top = all.iter().flatten().cloned().fold(0.0, f64::max) * 1.25;
            bars(cell, &r.policies[p], unit, &r.dcs, values, top.max(1e-9), last)?;
        }
    }
    Ok(())
}

/// One panel of bars, data centers along x, the highest outlined and labelled.
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    policy: &str,
    unit: &str,
    dcs: &[String],
    values: &[f64],
    top: f64,
    bottom_row: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = dcs.len();
    let max_at = (0..n)
        .max_by(|&a, &b| values[a].total_cmp(&values[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    // Data centers are told apart by colour (the key above); names would not fit under 10 bars.
    let no_names = |_: &SegmentValue<usize>| String::new();
    let mut chart = ChartBuilder::on(area)
        .margin(6)
        .margin_right(16)
        .x_label_area_size(if bottom_row { 40 } else { 4 })
        .y_label_area_size(72)
        .caption(format!("{policy}: {unit}"), font(LABEL))
        .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), 0.0..top)?;
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .x_labels(n) // not 0: plotters loops on a segmented axis asked for no labels
        .x_label_formatter(&no_names)
        .y_labels(4)
        .y_label_formatter(&|v| compact(*v))
        .label_style(font(TICK))
        .axis_desc_style(font(LABEL))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225));
    if bottom_row {
        mesh.x_desc("data centers, coloured as in the key");
    }
    mesh.draw()?;
    chart.draw_series((0..n).map(|d| {
        let rect = [
            (SegmentValue::Exact(d), 0.0),
            (SegmentValue::Exact(d + 1), values[d]),
        ];
        let mut bar = Rectangle::new(rect, dc_colour(d).filled());
        bar.set_margin(0, 0, 3, 3);
        bar
    }))?;
    // A path, not a stroked rectangle: plotters' SVG backend drops a rectangle's stroke width.
    let (x0, x1, v) = (
        SegmentValue::Exact(max_at),
        SegmentValue::Exact(max_at + 1),
        values[max_at],
    );
    let outline = vec![
        (x0.clone(), 0.0),
        (x0.clone(), v),
        (x1.clone(), v),
        (x1, 0.0),
        (x0, 0.0),
    ];
    chart.draw_series(std::iter::once(PathElement::new(outline, BLACK.stroke_width(4))))?;
    let label_x = if max_at + 3 > n {
        SegmentValue::Exact(max_at.saturating_sub(2))
    } else {
        SegmentValue::Exact(max_at)
    };
    let above = font(TICK).pos(Pos::new(HPos::Left, VPos::Bottom));
    chart.draw_series(std::iter::once(Text::new(
        format!("max {}", compact(values[max_at])),
        (label_x, values[max_at] + top * 0.03),
        above,
    )))?;
    Ok(())
}

fn par_vs_cost<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, points: &[PolicyPoints]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(area, "Disparity against energy cost", TITLE, &policy_key(points))?;
    let (left, right) = body.split_horizontally(style::WIDTH / 2);
    scatter(&left, points, "peak-to-average ratio, water", |p| p.1)?;
    scatter(&right, points, "peak-to-average ratio, carbon", |p| p.2)
}

fn tradeoff<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, points: &[PolicyPoints]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(
        area,
        "Cost against highest regional footprint (lines: each policy's best trade-offs)",
        LABEL + 2,
        &policy_key(points),
    )?;
    let (left, right) = body.split_horizontally(style::WIDTH / 2);
    scatter(&left, points, "highest regional water, m³", |p| p.1)?;
    scatter(&right, points, "highest regional carbon, t", |p| p.2)
}

/// The points no other point beats on both cost and footprint, by increasing cost.
fn pareto_front(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
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
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let x = bounds(points.iter().flat_map(|p| p.points.iter().map(|q| q.0)));
    let y = bounds(points.iter().flat_map(|p| p.points.iter().map(y_of)));
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(20)
        .x_label_area_size(56)
        .y_label_area_size(78)
        .build_cartesian_2d(x, y)?;
    draw_mesh(&mut chart, Some("total energy cost, thousand USD"), y_desc)?;
    for p in points {
        let colour = policy_colour(&p.policy);
        let xy: Vec<(f64, f64)> = p.points.iter().map(|q| (q.0, y_of(q))).collect();
        let size = if xy.len() > 1 { 4 } else { 8 };
        if xy.len() > 1 {
            chart.draw_series(LineSeries::new(pareto_front(xy.clone()), colour.stroke_width(3)))?;
        }
        chart.draw_series(
            xy.iter()
                .map(|&(a, b)| Circle::new((a, b), size, colour.filled())),
        )?;
    }
    Ok(())
}

fn hours_desc(first_hour: &str) -> String {
    format!("hours since {first_hour}")
}

fn load<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, policy: &str, s: &HourlySeries) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(
        area,
        &format!("Hourly load per data center: {policy}"),
        TITLE,
        &dc_key(&s.dcs),
    )?;
    let hours = s.values.first().map_or(0, Vec::len);
    // stacked[d] = sum of the loads of data centers 0..=d, hour by hour.
    let mut stacked: Vec<Vec<f64>> = Vec::with_capacity(s.dcs.len());
    for values in &s.values {
        let below = stacked.last().cloned().unwrap_or_else(|| vec![0.0; hours]);
        stacked.push(values.iter().zip(below).map(|(v, b)| v + b).collect());
    }
    let top = stacked
        .last()
        .map_or(1.0, |v| v.iter().cloned().fold(0.0, f64::max))
        * 1.05;
    let mut chart = ChartBuilder::on(&body)
        .margin(10)
        .margin_right(20)
        .x_label_area_size(56)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..hours.max(1) as f64, 0.0..top.max(1e-9))?;
    draw_mesh(&mut chart, Some(&hours_desc(&s.first_hour)), "load, MW")?;
    for d in (0..s.dcs.len()).rev() {
        let series = stacked[d].iter().enumerate().map(|(t, &v)| (t as f64, v));
        chart.draw_series(AreaSeries::new(series, 0.0, dc_colour(d).filled()))?;
    }
    Ok(())
}

/// Lines per data center over hours on one panel.
fn lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[(&HourlySeries, bool)],
    y_desc: &str,
    x_desc: Option<&str>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let hours = series[0].0.values.first().map_or(1, Vec::len).max(1);
    let y = bounds(
        series
            .iter()
            .flat_map(|(s, _)| s.values.iter().flatten().cloned()),
    );
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .margin_right(20)
        .x_label_area_size(if x_desc.is_some() { 56 } else { 24 })
        .y_label_area_size(78)
        .build_cartesian_2d(0.0..hours as f64, y)?;
    draw_mesh(&mut chart, x_desc, y_desc)?;
    for (s, dashed) in series {
        for (d, values) in s.values.iter().enumerate() {
            let points: Vec<(f64, f64)> = values.iter().enumerate().map(|(t, &v)| (t as f64, v)).collect();
            if *dashed {
                chart.draw_series(DashedLineSeries::new(points, 8, 6, dc_colour(d).stroke_width(2)))?;
            } else {
                chart.draw_series(LineSeries::new(points, dc_colour(d).stroke_width(2)))?;
            }
        }
    }
    Ok(())
}

fn intensity<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &[HourlySeries; 3]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(
        area,
        "Hourly intensities per data center",
        TITLE,
        &dc_key(&s[0].dcs),
    )?;
    let panels = body.split_evenly((3, 1));
    let hours = hours_desc(&s[0].first_hour);
    lines(&panels[0], &[(&s[0], false)], "price, USD/MWh", None)?;
    lines(&panels[1], &[(&s[1], false)], "carbon, kg/kWh", None)?;
    lines(&panels[2], &[(&s[2], false)], "water, L/kWh", Some(&hours))
}

fn online_vs_offline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    online: &[HourlySeries; 2],
    offline: &[HourlySeries; 2],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(
        area,
        "Running regional footprints: eglb-online (solid) vs eglb-offline (dashed)",
        LABEL + 2,
        &dc_key(&online[0].dcs),
    )?;
    let panels = body.split_evenly((2, 1));
    let hours = hours_desc(&online[0].first_hour);
    lines(
        &panels[0],
        &[(&online[0], false), (&offline[0], true)],
        "cumulative water, m³",
        None,
    )?;
    lines(
        &panels[1],
        &[(&online[1], false), (&offline[1], true)],
        "cumulative carbon, t",
        Some(&hours),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn pareto_front_keeps_the_undominated_points() {
        let front = super::pareto_front(vec![(3.0, 1.0), (1.0, 5.0), (2.0, 6.0), (2.5, 2.0), (4.0, 1.0)]);
        assert_eq!(front, [(1.0, 5.0), (2.5, 2.0), (3.0, 1.0)]);
    }
}
