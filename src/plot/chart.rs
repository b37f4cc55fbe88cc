//! Drawing helpers every figure shares: fonts, the title and colour key, the common grid,
//! compact tick labels and axis bounds.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::figures::DrawResult;
use super::style::{self, FONT, LABEL, TICK};

pub fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

pub fn bold(size: u32) -> TextStyle<'static> {
    (FONT, size, FontStyle::Bold).into_font().color(&BLACK)
}

/// A compact number for tick labels: 1,234 / 12.3 / 0.123.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a < 1e-12 {
        "0".into()
    } else if a >= 1000.0 {
        style::thousands(v, 0)
    } else if a >= 10.0 {
        format!("{v:.0}")
    } else {
        let text = if a >= 1.0 {
            format!("{v:.2}")
        } else {
            format!("{v:.3}")
        };
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A key of colour patches and names across the top of `area`, five to a row.
pub fn key<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[(String, RGBColor)]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (width, _) = area.dim_in_pixel();
    let per_row = 5.min(entries.len().max(1));
    let cell = (width as i32 - 40) / per_row as i32;
    for (i, (name, colour)) in entries.iter().enumerate() {
        let (x, y) = (20 + cell * (i % per_row) as i32, 8 + 28 * (i / per_row) as i32);
        area.draw(&Rectangle::new([(x, y + 2), (x + 18, y + 20)], colour.filled()))?;
        area.draw(&Text::new(name.clone(), (x + 26, y + 1), font(LABEL)))?;
    }
    Ok(())
}

/// Draws the title and the key; returns the area below them, for the panels.
pub fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    title_size: u32,
    entries: &[(String, RGBColor)],
) -> std::result::Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let area = area.titled(title, bold(title_size))?;
    let rows = entries.len().div_ceil(5) as u32;
    let (strip, body) = area.split_vertically(rows * 28 + 12);
    key(&strip, entries)?;
    Ok(body)
}

/// An f64 x f64 chart, as every line and scatter figure uses it.
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The common grid: light lines, compact tick labels, axis descriptions (no x description when
/// `x_desc` is `None`, for a panel above another).
pub fn draw_mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x_desc: Option<&str>,
    y_desc: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut mesh = chart.configure_mesh();
    mesh.y_desc(y_desc)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| compact(*v))
        .y_label_formatter(&|v| compact(*v))
        .axis_desc_style(font(LABEL))
        .label_style(font(TICK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225));
    if let Some(desc) = x_desc {
        mesh.x_desc(desc);
    }
    mesh.draw()?;
    Ok(())
}

/// Bounds of `values` with a margin, never empty.
pub fn bounds(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-9);
    (lo - pad)..(hi + pad)
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(1234567.0), "1,234,567");
        assert_eq!(compact(-2500.4), "-2,500");
        assert_eq!(compact(42.4), "42");
        assert_eq!(compact(1.456), "1.46");
        assert_eq!(compact(1.3), "1.3");
        assert_eq!(compact(0.1234), "0.123");
        assert_eq!(compact(0.6), "0.6");
        assert_eq!(compact(0.0), "0");
    }
}
