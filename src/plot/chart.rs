//! Drawing helpers every figure shares: fonts, the title and colour key, the common grid,
//! compact tick labels and axis bounds.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, DefaultFormatting, KeyPointHint, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::Width;
use super::figures::DrawResult;
use super::style::{self, FONT, LABEL, TICK, px};

/// Text whose em is `points` at print size.
pub fn font(points: f64) -> TextStyle<'static> {
    (FONT, style::font_size(points)).into_font().color(&BLACK)
}

pub fn bold(points: f64) -> TextStyle<'static> {
    (FONT, style::font_size(points), FontStyle::Bold)
        .into_font()
        .color(&BLACK)
}

/// A compact number for tick labels: 1,234 / 12.3 / 0.123 / 3.16e-5.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a < 1e-12 {
        "0".into()
    } else if a < 0.001 {
        let text = format!("{v:.2e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
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

/// A colour key: a patch and a name per entry, the entries flowing in rows across the figure,
/// then one line per note.
pub struct Key {
    pub entries: Vec<(String, RGBColor)>,
    pub notes: Vec<String>,
}

impl Key {
    /// A key of these entries (names cut to 24 characters) and no notes.
    pub fn of(entries: Vec<(String, RGBColor)>) -> Key {
        let entries = entries
            .into_iter()
            .map(|(name, colour)| (style::shorten(&name, 28), colour))
            .collect();
        Key {
            entries,
            notes: Vec::new(),
        }
    }

    /// Each entry's `(x, row)`, rows wrapped to `width` pixels.
    fn layout(&self, width: u32) -> Vec<(i32, i32)> {
        let (patch, gap) = (px(LABEL), px(LABEL * 1.2) as i32);
        let mut at = Vec::with_capacity(self.entries.len());
        let (mut x, mut row) = (px(4.0) as i32, 0);
        for (name, _) in &self.entries {
            let w = (patch + px(2.0)) as i32 + style::text_width(name, LABEL).ceil() as i32;
            if x + w > width as i32 - px(4.0) as i32 && x > px(4.0) as i32 {
                (x, row) = (px(4.0) as i32, row + 1);
            }
            at.push((x, row));
            x += w + gap;
        }
        at
    }

    /// The notes, wrapped at spaces to lines of at most `width` pixels.
    fn note_lines(&self, width: u32) -> Vec<String> {
        let room = f64::from(width) - 2.0 * f64::from(px(4.0));
        let mut lines = Vec::new();
        for note in &self.notes {
            let mut line = String::new();
            for word in note.split(' ') {
                let longer = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if style::text_width(&longer, LABEL) > room && !line.is_empty() {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                } else {
                    line = longer;
                }
            }
            lines.push(line);
        }
        lines
    }

    fn line_height() -> i32 {
        px(LABEL * 1.45) as i32
    }

    /// Height in pixels of the key drawn `width` pixels wide.
    pub fn height(&self, width: u32) -> u32 {
        let rows =
            self.layout(width).last().map_or(0, |&(_, row)| row + 1) + self.note_lines(width).len() as i32;
        (rows * Self::line_height()) as u32 + px(3.0)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (width, _) = area.dim_in_pixel();
        let patch = px(LABEL) as i32;
        let at = self.layout(width);
        for ((name, colour), &(x, row)) in self.entries.iter().zip(&at) {
            let y = px(1.5) as i32 + row * Self::line_height();
            area.draw(&Rectangle::new([(x, y), (x + patch, y + patch)], colour.filled()))?;
            area.draw(&Text::new(
                name.clone(),
                (x + patch + px(2.0) as i32, y),
                font(LABEL),
            ))?;
        }
        let first = at.last().map_or(0, |&(_, row)| row + 1);
        for (i, note) in self.note_lines(width).into_iter().enumerate() {
            let y = px(1.5) as i32 + (first + i as i32) * Self::line_height();
            area.draw(&Text::new(note, (px(4.0) as i32, y), font(LABEL)))?;
        }
        Ok(())
    }
}

/// Height of a title line, pixels.
pub fn title_height() -> u32 {
    px(style::TITLE * 1.9)
}

/// Draws the title and the key; returns the area below them, for the panels.
pub fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    key: &Key,
) -> std::result::Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let (width, _) = area.dim_in_pixel();
    let (head, body) = area.split_vertically(title_height() + key.height(width));
    let (title_strip, key_strip) = head.split_vertically(title_height());
    title_strip.draw(&Text::new(
        title.to_string(),
        (px(4.0) as i32, px(3.0) as i32),
        bold(style::TITLE),
    ))?;
    key.draw(&key_strip)?;
    Ok(body)
}

/// `count` panels: stacked for a single column, side by side for a double one.
pub fn panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    count: usize,
    width: Width,
) -> Vec<DrawingArea<DB, Shift>> {
    match width {
        Width::Single => area.split_evenly((count, 1)),
        Width::Double => area.split_evenly((1, count)),
    }
}

/// An f64 axis whose ticks are given (dates, a sweep's values) rather than chosen by plotters
/// (which it does when none are given).
#[derive(Clone)]
pub struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Ticked {
        Ticked {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self.ticks.is_empty() {
            true => self.inner.key_points(hint),
            false => self.ticks.clone(),
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// Room for tick labels and the axis description, pixels: below the x axis, left of the y axis.
pub fn x_label_area() -> u32 {
    px(TICK * 1.4 + LABEL * 1.6)
}

/// Room left of a y axis over `y`: its widest tick label, and a line for the description
/// (`with_desc`).
pub fn y_label_area(y: &std::ops::Range<f64>, with_desc: bool) -> u32 {
    let widest = [y.start, y.end, (y.start + y.end) / 2.0]
        .map(|v| style::text_width(&compact(v), TICK))
        .into_iter()
        .fold(0.0, f64::max);
    widest.ceil() as u32 + px(3.0) + if with_desc { px(LABEL * 1.5) } else { 0 }
}

/// The common grid: light lines, compact tick labels (the x ones by `x_label`), axis descriptions
/// (no x description when `x_desc` is `None`, for a panel above another).
pub fn draw_mesh<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x_desc: Option<&str>,
    y_desc: &str,
    x_label: &dyn Fn(&f64) -> String,
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut mesh = chart.configure_mesh();
    mesh.y_desc(y_desc)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(x_label)
        .y_label_formatter(&|v| compact(*v))
        .axis_desc_style(font(LABEL))
        .label_style(font(TICK))
        .set_all_tick_mark_size(px(2.0))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225));
    if let Some(desc) = x_desc {
        mesh.x_desc(desc);
    }
    mesh.draw()?;
    Ok(())
}

/// A chart of `X` by f64, or why it could not be built.
pub type Built<'a, DB, X> =
    std::result::Result<ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>, Box<dyn std::error::Error>>;

/// A chart on `area` with the common margins and label areas.
pub fn chart<'a, DB, X>(
    area: &'a DrawingArea<DB, Shift>,
    x: X,
    y: std::ops::Range<f64>,
    with_x_desc: bool,
) -> Built<'a, DB, X::CoordDescType>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    X: AsRangedCoord,
{
    Ok(ChartBuilder::on(area)
        .margin(px(2.0))
        .margin_right(px(5.0))
        .x_label_area_size(if with_x_desc {
            x_label_area()
        } else {
            px(TICK * 1.6)
        })
        .y_label_area_size(y_label_area(&y, true))
        .build_cartesian_2d(x, y)?)
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
        assert_eq!(compact(3.1623e-5), "3.16e-5");
        assert_eq!(compact(-1e-4), "-1e-4");
    }
}
