//! The hourly figures: `load_<policy>`, `intensity` and `online_vs_offline`. Dates on the time
//! axis, one point per day beyond two weeks (see [`super::super::time`]); spikes above the clip
//! quantile drawn at the panel's top edge and marked; running totals as small multiples, a row
//! per data center.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::Options;
use super::super::chart::{self, Key, Ticked, bounds, compact, draw_mesh, font, frame};
use super::super::style::{LABEL, TICK, dc_colour, px};
use super::super::time::TimeAxis;
use super::{DrawResult, HourlySeries};

/// Key entries of data centers.
fn dc_key(dcs: &[String]) -> Vec<(String, RGBColor)> {
    dcs.iter()
        .enumerate()
        .map(|(d, name)| (name.clone(), dc_colour(d)))
        .collect()
}

fn axis_of(s: &HourlySeries) -> TimeAxis {
    TimeAxis::new(&s.first_hour, s.values.first().map_or(0, Vec::len))
}

/// The x range of `axis`, its ticks on dates.
fn time_range(axis: &TimeAxis) -> Ticked {
    Ticked::new(0.0..axis.hours.saturating_sub(1).max(1) as f64, axis.ticks())
}

pub fn load<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, policy: &str, s: &HourlySeries) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(
        area,
        &format!("Load per data center: {policy}"),
        &Key::of(dc_key(&s.dcs)),
    )?;
    let axis = axis_of(s);
    let days: Vec<_> = s.values.iter().map(|v| axis.resample(v)).collect();
    let x = days.first().map_or_else(Vec::new, |d| d.x.clone());
    // stacked[d] = sum of the loads of data centers 0..=d, point by point.
    let mut stacked: Vec<Vec<f64>> = Vec::with_capacity(days.len());
    for day in &days {
        let below = stacked.last().cloned().unwrap_or_else(|| vec![0.0; x.len()]);
        stacked.push(day.mean.iter().zip(below).map(|(v, b)| v + b).collect());
    }
    let top = stacked
        .last()
        .map_or(1.0, |v| v.iter().cloned().fold(0.0, f64::max))
        * 1.05;
    let mut chart = chart::chart(&body, time_range(&axis), 0.0..top.max(1e-9), true)?;
    let y_desc = if axis.daily() {
        "load, MW (daily mean)"
    } else {
        "load, MW"
    };
    draw_mesh(&mut chart, Some(&axis.desc()), y_desc, &|v| axis.label(*v))?;
    for d in (0..stacked.len()).rev() {
        let series = x.iter().copied().zip(stacked[d].iter().copied());
        chart.draw_series(AreaSeries::new(series, 0.0, dc_colour(d).filled()))?;
    }
    Ok(())
}

/// The top of a panel's y axis when `values` has spikes: a quarter of the range above the
/// `quantile` of the values, or `None` when nothing lies above that (or `quantile` >= 1).
pub fn clip_top(values: &[f64], quantile: f64) -> Option<f64> {
    if quantile >= 1.0 || values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = ((sorted.len() - 1) as f64 * quantile.max(0.0)).round() as usize;
    let (low, q, high) = (sorted[0], sorted[at], sorted[sorted.len() - 1]);
    let top = q + 0.25 * (q - low).max(q.abs() * 1e-9);
    (high > top).then_some(top)
}

/// One panel of intensity lines, a line per data center (daily means beyond two weeks, with each
/// day's range as a band when there are at most three), spikes clipped and marked.
fn intensity_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &HourlySeries,
    y_desc: &str,
    bottom: bool,
    quantile: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let axis = axis_of(s);
    let days: Vec<_> = s.values.iter().map(|v| axis.resample(v)).collect();
    let bands = axis.daily() && days.len() <= 3;
    let extremes: Vec<f64> = days
        .iter()
        .flat_map(|d| {
            if bands {
                [&d.min, &d.max]
            } else {
                [&d.mean, &d.mean]
            }
        })
        .flatten()
        .copied()
        .collect();
    let top = clip_top(&extremes, quantile);
    let drawn = |v: f64| top.map_or(v, |t| v.min(t));
    let mut y = bounds(extremes.iter().map(|&v| drawn(v)));
    if let Some(t) = top {
        // Room above the clip line for its marks and note.
        y.end = t + 0.15 * (t - y.start);
    }
    let mut chart = chart::chart(area, time_range(&axis), y.clone(), bottom)?;
    let desc = axis.desc();
    let y_desc = if axis.daily() {
        format!("{y_desc} (daily)")
    } else {
        y_desc.to_string()
    };
    draw_mesh(&mut chart, bottom.then_some(desc.as_str()), &y_desc, &|v| {
        axis.label(*v)
    })?;
    for (d, day) in days.iter().enumerate() {
        let colour = dc_colour(d);
        if bands {
            let upper = day.x.iter().zip(&day.max).map(|(&x, &v)| (x, drawn(v)));
            let lower = day.x.iter().zip(&day.min).rev().map(|(&x, &v)| (x, drawn(v)));
            chart.draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                colour.mix(0.2),
            )))?;
        }
        let line = day.x.iter().zip(&day.mean).map(|(&x, &v)| (x, drawn(v)));
        chart.draw_series(LineSeries::new(line, colour.stroke_width(px(0.5))))?;
        let peaks = if bands { &day.max } else { &day.mean };
        let clipped = day
            .x
            .iter()
            .zip(peaks)
            .filter(|&(_, &v)| top.is_some_and(|t| v > t));
        let at = top.unwrap_or(y.end);
        chart.draw_series(
            clipped.map(|(&x, _)| TriangleMarker::new((x, at), px(1.6) as i32, colour.filled())),
        )?;
    }
    if let Some(t) = top {
        let note = format!("▲ above {} clipped ({} quantile)", compact(t), quantile);
        let x_range = chart.x_range();
        chart.draw_series(std::iter::once(Text::new(
            note,
            (x_range.end, y.end),
            font(TICK).pos(Pos::new(HPos::Right, VPos::Top)),
        )))?;
    }
    Ok(())
}

pub fn intensity<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &[HourlySeries; 3],
    options: &Options,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(area, "Intensities per data center", &Key::of(dc_key(&s[0].dcs)))?;
    let cells = body.split_evenly((3, 1));
    let q = options.clip_quantile;
    intensity_panel(&cells[0], &s[0], "price, USD/MWh", false, q)?;
    intensity_panel(&cells[1], &s[1], "carbon, kg/kWh", false, q)?;
    intensity_panel(&cells[2], &s[2], "water, L/kWh", true, q)
}

fn running_row() -> u32 {
    px(36.0)
}

/// The most data centers the running-totals figure shows, a row each.
pub const MAX_ROWS: usize = 16;

/// The running-totals figure's height for `dcs` data centers.
pub fn running_height(dcs: usize) -> u32 {
    let rows = dcs.clamp(1, MAX_ROWS) as u32;
    chart::title_height() + px(LABEL * 2.9 + 3.0) + running_row() * rows + chart::x_label_area()
}

/// The data centers shown, in results order: all of them, or the [`MAX_ROWS`] whose final
/// water or carbon (online or offline, as a share of the largest) is highest.
fn largest(online: &[HourlySeries; 2], offline: &[HourlySeries; 2]) -> Vec<usize> {
    let n = online[0].dcs.len();
    if n <= MAX_ROWS {
        return (0..n).collect();
    }
    let final_share = |d: usize| {
        (0..2)
            .map(|m| {
                let last = |s: &HourlySeries, d: usize| s.values[d].last().copied().unwrap_or(0.0);
                let max = (0..n)
                    .map(|e| last(&online[m], e).max(last(&offline[m], e)))
                    .fold(1e-12, f64::max);
                last(&online[m], d).max(last(&offline[m], d)) / max
            })
            .fold(0.0, f64::max)
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| final_share(b).total_cmp(&final_share(a)).then(a.cmp(&b)));
    order.truncate(MAX_ROWS);
    order.sort_unstable();
    order
}

/// A row per data center, water left and carbon right, eglb-online solid and eglb-offline dashed;
/// each column on one scale, so rows compare.
pub fn running<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    online: &[HourlySeries; 2],
    offline: &[HourlySeries; 2],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let key = Key {
        entries: Vec::new(),
        notes: vec!["Solid: eglb-online. Dashed: eglb-offline. Left: water, m³. Right: carbon, t.".into()],
    };
    let shown = largest(online, offline);
    let title = match online[0].dcs.len() {
        n if n > shown.len() => format!("Running regional footprints: the {} largest of {n}", shown.len()),
        _ => "Running regional footprints".to_string(),
    };
    let body = frame(area, &title, &key)?;
    let (width, _) = body.dim_in_pixel();
    let breaks: Vec<u32> = (1..shown.len()).map(|i| running_row() * i as u32).collect();
    let rows = body.split_by_breakpoints::<u32, u32, _, _>(Vec::<u32>::new(), breaks);
    for (i, (row, &d)) in rows.iter().zip(&shown).enumerate() {
        let (left, right) = row.split_horizontally(width / 2);
        for (cell, m) in [(&left, 0), (&right, 1)] {
            let top = online[m]
                .values
                .iter()
                .chain(&offline[m].values)
                .flatten()
                .cloned()
                .fold(0.0, f64::max);
            let last = i + 1 == shown.len();
            running_panel(cell, d, [&online[m], &offline[m]], top.max(1e-9) * 1.3, last)?;
        }
    }
    Ok(())
}

fn running_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: usize,
    [online, offline]: [&HourlySeries; 2],
    top: f64,
    bottom: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let axis = axis_of(online);
    // One labelled tick besides 0: the largest one-significant-digit value under the data's top.
    let max = top / 1.3;
    let unit = 10f64.powf(max.log10().floor());
    let tick = (max / unit).floor() * unit;
    let mut chart = ChartBuilder::on(area)
        .margin(px(2.0))
        .margin_right(px(5.0))
        .x_label_area_size(if bottom {
            chart::x_label_area()
        } else {
            px(TICK * 1.6)
        })
        .y_label_area_size(chart::y_label_area(&(0.0..top), true))
        .build_cartesian_2d(time_range(&axis), Ticked::new(0.0..top, vec![0.0, tick]))?;
    let desc = axis.desc();
    let x_label = |v: &f64| if bottom { axis.label(*v) } else { String::new() };
    draw_mesh(&mut chart, bottom.then_some(desc.as_str()), "", &x_label)?;
    let colour = dc_colour(d);
    let line = |s: &HourlySeries| {
        let day = axis.resample(&s.values[d]);
        day.x_end.into_iter().zip(day.last).collect::<Vec<_>>()
    };
    chart.draw_series(LineSeries::new(line(online), colour.stroke_width(px(0.6))))?;
    chart.draw_series(DashedLineSeries::new(
        line(offline),
        px(2.2),
        px(1.4),
        colour.stroke_width(px(0.6)),
    ))?;
    chart.draw_series(std::iter::once(
        EmptyElement::at((0.0, top))
            + Text::new(
                online.dcs[d].clone(),
                (px(3.0) as i32, 0),
                font(TICK).pos(Pos::new(HPos::Left, VPos::Top)),
            ),
    ))?;
    Ok(())
}
