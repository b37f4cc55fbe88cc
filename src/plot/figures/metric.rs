//! The metric-against-axis figure of a sweep (`<column>_vs_<axis>`): one column of `sweep.csv`
//! against one sweep axis, a line per policy, a panel per combination of the other axes' values.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::chart::{self, Key, Ticked, bounds, compact, draw_mesh, font, frame};
use super::super::style::{LABEL, policy_colour, px};
use super::super::{Options, Width};
use super::DrawResult;

/// Panels beyond this many are refused: fix the other axes instead.
pub const MAX_FACETS: usize = 12;

/// A sweep's metric against one of its axes.
#[derive(Debug, Clone)]
pub struct MetricLines {
    /// The axis along x (a scenario key).
    pub x_key: String,
    /// The `sweep.csv` column along y.
    pub y_column: String,
    /// Whether x is drawn on a log scale (positive values spanning a factor of 50 or more).
    pub log_x: bool,
    /// A panel per combination of the other axes' values.
    pub facets: Vec<Facet>,
}

/// One panel: the other axes' values, and a line of `(x, y)` per policy (and per value of
/// axes over that policy's own parameters).
#[derive(Debug, Clone)]
pub struct Facet {
    /// `key = value, ...` of the other axes; empty when there are none.
    pub title: String,
    /// The lines, in the order their policies first appear.
    pub lines: Vec<Line>,
}

/// One line of a panel.
#[derive(Debug, Clone)]
pub struct Line {
    /// The policy.
    pub policy: String,
    /// The policy, and `key=value` of each axis over its own parameters.
    pub label: String,
    /// Points by increasing x.
    pub points: Vec<(f64, f64)>,
}

impl MetricLines {
    fn columns(&self, width: Width) -> usize {
        let most = if width == Width::Single { 2 } else { 3 };
        self.facets.len().clamp(1, most)
    }

    /// The figure's height in pixels.
    pub fn height(&self, width: Width) -> u32 {
        let rows = self.facets.len().div_ceil(self.columns(width)).max(1) as u32;
        let each = if self.facets.len() == 1 { 150.0 } else { 105.0 };
        px(60.0) + rows * px(each)
    }

    /// `x` as drawn (its log10 on a log axis).
    fn at(&self, x: f64) -> f64 {
        if self.log_x { x.log10() } else { x }
    }
}

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: &MetricLines,
    options: &Options,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    // Each line once, those of one policy together, policies in the order they first appear.
    let mut labels: Vec<(String, String)> = Vec::new();
    for line in m.facets.iter().flat_map(|f| &f.lines) {
        if !labels.iter().any(|(label, _)| *label == line.label) {
            let after = labels
                .iter()
                .rposition(|(_, p)| *p == line.policy)
                .map_or(labels.len(), |i| i + 1);
            labels.insert(after, (line.label.clone(), line.policy.clone()));
        }
    }
    let colours: Vec<(String, RGBColor)> = (labels.iter())
        .map(|(label, policy)| (label.clone(), line_colour(&labels, label, policy)))
        .collect();
    let key = Key::of(colours.clone());
    let body = frame(area, &format!("{} against {}", m.y_column, m.x_key), &key)?;
    let columns = m.columns(options.width);
    let rows = m.facets.len().div_ceil(columns).max(1);
    let cells = body.split_evenly((rows, columns));
    let ys = bounds(
        m.facets
            .iter()
            .flat_map(|f| &f.lines)
            .flat_map(|l| l.points.iter().map(|p| p.1)),
    );
    for (facet, cell) in m.facets.iter().zip(&cells) {
        panel(cell, m, facet, ys.clone(), &colours)?;
    }
    Ok(())
}

/// The values as ticks, leaving out any closer than a seventh of the range to the last one kept
/// (their labels would touch).
fn spaced(xs: &[f64]) -> Vec<f64> {
    let range = xs.last().unwrap_or(&0.0) - xs.first().unwrap_or(&0.0);
    let mut kept: Vec<f64> = Vec::new();
    for &x in xs {
        if kept.last().is_none_or(|&last| x - last >= range / 7.0) {
            kept.push(x);
        }
    }
    kept
}

/// A line's colour: its policy's, lighter for each later line of the same policy (lines of one
/// policy differ by a parameter, drawn in its order).
fn line_colour(labels: &[(String, String)], label: &str, policy: &str) -> RGBColor {
    let same: Vec<&String> = labels
        .iter()
        .filter(|(_, p)| p == policy)
        .map(|(l, _)| l)
        .collect();
    let rank = same.iter().position(|l| *l == label).unwrap_or(0);
    let RGBColor(r, g, b) = policy_colour(policy);
    let towards_white = 0.6 * rank as f64 / same.len().max(1) as f64;
    let mix = |c: u8| (c as f64 + (255.0 - c as f64) * towards_white).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: &MetricLines,
    facet: &Facet,
    y: std::ops::Range<f64>,
    colours: &[(String, RGBColor)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut xs: Vec<f64> = facet
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| m.at(p.0)))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let x_range = bounds(xs.iter().copied());
    let ticks: Vec<f64> = if xs.len() <= 7 { spaced(&xs) } else { Vec::new() };
    let area = if facet.title.is_empty() {
        area.clone()
    } else {
        area.titled(&facet.title, font(LABEL))?
    };
    let mut chart = chart::chart(&area, Ticked::new(x_range, ticks), y, true)?;
    let label = |v: &f64| compact(if m.log_x { 10f64.powf(*v) } else { *v });
    draw_mesh(&mut chart, Some(&m.x_key), &m.y_column, &label)?;
    for line in &facet.lines {
        let colour = colours
            .iter()
            .find(|(l, _)| *l == line.label)
            .map_or(BLACK, |c| c.1);
        let points: Vec<(f64, f64)> = line.points.iter().map(|&(x, y)| (m.at(x), y)).collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(px(0.8))))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, px(1.3), colour.filled())))?;
    }
    if m.log_x {
        let note = font(super::super::style::TICK).pos(Pos::new(HPos::Right, VPos::Top));
        let (xr, yr) = (chart.x_range(), chart.y_range());
        chart.draw_series(std::iter::once(Text::new("log scale", (xr.end, yr.end), note)))?;
    }
    Ok(())
}
