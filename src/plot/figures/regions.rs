//! `regions`: each policy's water and carbon per data center, as bars named on the axis; every
//! region within 1e-6 (relative) of the highest is outlined and counted, since a min-max policy
//! ties several regions at the maximum by design.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::chart::{self, Key, compact, font, frame};
use super::super::style::{self, LABEL, TICK, dc_colour, px, thousands};
use super::{DrawResult, RegionTotals};

/// Regions this close (relative) to the highest count as tied with it.
pub const TIE_TOLERANCE: f64 = 1e-6;

/// Height of a row of panels, and the room under the last for the data centers' names.
fn row_height() -> u32 {
    px(54.0)
}

/// Data centers beyond this many are not named under the bars (the names would overlap).
const MAX_NAMED: usize = 24;

/// A data center's name as drawn under its bar.
fn shown(name: &str) -> String {
    style::shorten(name, 16)
}

fn names_height(dcs: &[String]) -> u32 {
    if dcs.len() > MAX_NAMED {
        return px(TICK * 1.5);
    }
    let longest = dcs
        .iter()
        .map(|d| style::text_width(&shown(d), TICK))
        .fold(0.0, f64::max);
    longest.ceil() as u32 + px(TICK * 1.2)
}

/// The figure's height in pixels.
pub fn height(r: &RegionTotals) -> u32 {
    chart::title_height() + px(4.0) + row_height() * r.policies.len() as u32 + names_height(&r.dcs)
}

/// The data centers within [`TIE_TOLERANCE`] of the highest value.
pub fn tied_at_max(values: &[f64]) -> Vec<usize> {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (0..values.len())
        .filter(|&d| values[d] >= max - TIE_TOLERANCE * max.abs())
        .collect()
}

/// The label of the highest bar(s): `max 118.6` or `6 tied at 118.6`.
pub fn max_label(values: &[f64], unit: &str) -> String {
    let tied = tied_at_max(values);
    let max = tied.first().map_or(0.0, |&d| values[d]);
    let max = match max.abs() {
        a if a >= 1000.0 => thousands(max, 0),
        a if a >= 100.0 => format!("{max:.1}"),
        _ => compact(max),
    };
    match tied.len() {
        0 | 1 => format!("max {max} {unit}"),
        n => format!("{n} tied at {max} {unit}"),
    }
}

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &RegionTotals) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let body = frame(area, "Regional footprints by policy", &Key::of(Vec::new()))?;
    let (width, _) = body.dim_in_pixel();
    let rows = r.policies.len();
    let breaks: Vec<u32> = (1..rows).map(|i| row_height() * i as u32).collect();
    let row_areas = body.split_by_breakpoints::<u32, u32, _, _>(Vec::<u32>::new(), breaks);
    for (p, row) in row_areas.iter().enumerate() {
        let (left, right) = row.split_horizontally(width / 2);
        let last = p + 1 == rows;
        for (cell, values, unit, what, all) in [
            (&left, &r.water_m3[p], "m³", "water", &r.water_m3),
            (&right, &r.carbon_t[p], "t", "carbon", &r.carbon_t),
        ] {
            let top = all.iter().flatten().cloned().fold(0.0, f64::max) * 1.45;
            let panel = Panel {
                title: format!("{}: {what}, {unit}", r.policies[p]),
                unit,
                names: (last && r.dcs.len() <= MAX_NAMED).then_some(r.dcs.as_slice()),
            };
            bars(cell, &panel, values, top.max(1e-9), names_height(&r.dcs))?;
        }
    }
    Ok(())
}

struct Panel<'a> {
    title: String,
    unit: &'a str,
    /// The data centers' names, drawn under the bars of the last row.
    names: Option<&'a [String]>,
}

/// One panel of bars, data centers along x, the highest and those tied with it outlined.
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    values: &[f64],
    top: f64,
    names_room: u32,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = values.len();
    let mut chart = ChartBuilder::on(area)
        .margin(px(1.5))
        .margin_right(px(4.0))
        .x_label_area_size(if panel.names.is_some() {
            names_room
        } else {
            px(2.0)
        })
        .y_label_area_size(chart::y_label_area(&(0.0..top), false))
        .caption(&panel.title, font(LABEL))
        .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n) // not 0: plotters loops on a segmented axis asked for no labels
        .x_label_formatter(&|_| String::new())
        .y_labels(3)
        .y_label_formatter(&|v| compact(*v))
        .label_style(font(TICK))
        .set_all_tick_mark_size(px(1.5))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    chart.draw_series((0..n).map(|d| {
        let rect = [
            (SegmentValue::Exact(d), 0.0),
            (SegmentValue::Exact(d + 1), values[d]),
        ];
        let mut bar = Rectangle::new(rect, dc_colour(d).filled());
        bar.set_margin(0, 0, px(0.7), px(0.7));
        bar
    }))?;
    // Paths, not stroked rectangles: plotters' SVG backend drops a rectangle's stroke width.
    chart.draw_series(tied_at_max(values).into_iter().map(|d| {
        let (x0, x1, v) = (SegmentValue::Exact(d), SegmentValue::Exact(d + 1), values[d]);
        let outline = vec![
            (x0.clone(), 0.0),
            (x0.clone(), v),
            (x1.clone(), v),
            (x1, 0.0),
            (x0, 0.0),
        ];
        PathElement::new(outline, BLACK.stroke_width(px(0.9)))
    }))?;
    let label = Text::new(
        max_label(values, panel.unit),
        (px(2.0) as i32, 0),
        font(TICK).pos(Pos::new(HPos::Left, VPos::Top)),
    );
    chart.draw_series(std::iter::once(
        EmptyElement::at((SegmentValue::Exact(0), top)) + label,
    ))?;
    if let Some(names) = panel.names {
        // Read upwards, ending under the bar (plotters' own rotated tick labels are misplaced).
        let under = font(TICK)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Right, VPos::Center));
        chart.draw_series(names.iter().enumerate().map(|(d, name)| {
            EmptyElement::at((SegmentValue::CenterOf(d), 0.0))
                + Text::new(shown(name), (0, px(1.5) as i32), under.clone())
        }))?;
    }
    Ok(())
}
