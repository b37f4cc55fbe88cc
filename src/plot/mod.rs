//! `fairglb plot`: the standard figures, drawn with plotters from the CSVs in a results folder
//! (nothing else is read, so results copied from a cluster plot the same), as PNG and/or SVG.
//!
//! From a `fairglb run` folder: `regions`, `par_vs_cost`, `load_<policy>`, `intensity` and, when
//! both equity-aware policies ran, `online_vs_offline`. From a `fairglb sweep` folder: `tradeoff`
//! when it varies an equity weight, and `<column>_vs_<axis>` against its first other axis.
//! Figures are sized for print: a single (3.5 in) or double (7 in) column at 300 dpi, no text
//! under 7 pt.

mod bitmap;
mod chart;
mod extract;
mod figures;
mod results;
mod style;
mod svg;
mod table;
mod time;

use std::path::{Path, PathBuf};

use plotters::prelude::*;

pub use figures::{Facet, Figure, HourlySeries, MetricLines, PolicyPoints, RegionTotals};
pub use results::Results;
pub use style::{DPI, dc_colour, thousands};
pub use table::Table;
pub use time::TimeAxis;

use crate::error::{Error, Result};

/// Which image formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// PNG and SVG.
    Both,
}

/// The printed width of a figure (text sizes are the same in both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Width {
    /// A single paper column, 3.5 in.
    #[default]
    Single,
    /// A double column (a full page width), 7 in.
    Double,
}

impl Width {
    /// Inches.
    pub fn inches(self) -> f64 {
        match self {
            Width::Single => 3.5,
            Width::Double => 7.0,
        }
    }

    /// Pixels at [`DPI`].
    pub fn px(self) -> u32 {
        (self.inches() * DPI).round() as u32
    }
}

/// What to draw and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The printed width.
    pub width: Width,
    /// Panels of hourly values end a quarter of their range above this quantile; higher values
    /// are drawn at the top edge and marked. 1 draws everything.
    pub clip_quantile: f64,
    /// Label each sweep point of `tradeoff` with its axis values.
    pub label_points: bool,
    /// The policy of the load figure (default: `eglb-offline` if it ran, else the first).
    pub load_policy: Option<String>,
    /// The sweep axis of the metric figure (default: the first that is not an equity weight).
    pub x: Option<String>,
    /// The `sweep.csv` columns of the metric figure (default: gap to offline, water and carbon
    /// PAR).
    pub y: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            width: Width::Single,
            clip_quantile: 0.995,
            label_points: false,
            load_policy: None,
            x: None,
            y: Vec::new(),
        }
    }
}

/// The figure as an SVG document, its text outlined (see `svg.rs`).
pub fn render_svg(figure: &Figure, options: &Options) -> Result<String> {
    style::register_fonts();
    let mut svg = String::new();
    {
        let area = svg::OutlinedSvg::new(&mut svg, figure.size(options.width)).into_drawing_area();
        figure.draw(&area, options).map_err(|e| Error::Render {
            what: format!("figure {}.svg", figure.name()),
            msg: e.to_string(),
        })?;
    }
    Ok(svg)
}

/// Writes the figure as a PNG to `path`, whole or not at all; an error names the figure, not
/// the temporary file.
pub fn render_png(figure: &Figure, options: &Options, path: &Path) -> Result<()> {
    style::register_fonts();
    let failed = |msg: String| Error::Render {
        what: format!("figure {}.png", figure.name()),
        msg,
    };
    let tmp = crate::files::temp_beside(path, ".png")?;
    {
        let backend = BitMapBackend::new(&tmp, figure.size(options.width));
        let area = bitmap::SegmentedBitmap(backend).into_drawing_area();
        figure.draw(&area, options).map_err(|e| failed(e.to_string()))?;
    }
    crate::files::persist(tmp, path)
}

/// `fairglb plot`: draws every figure `dir`'s results support into the folder `out` (default
/// `dir/figures`), published whole: an older figures folder there is replaced, a folder holding
/// anything fairglb did not draw there refused. Returns the files written.
pub fn plot(dir: &Path, out: Option<&Path>, format: Format, options: &Options) -> Result<Vec<PathBuf>> {
    let figures = Results::read(dir)?.figures(options)?;
    let out = out.map_or_else(|| dir.join("figures"), Path::to_path_buf);
    let staging = crate::files::Staging::new(&out)?;
    let mut written = Vec::new();
    for figure in &figures {
        if format != Format::Svg {
            let name = format!("{}.png", figure.name());
            render_png(figure, options, &staging.path().join(&name)).map_err(|e| staging.blame(e))?;
            written.push(out.join(name));
        }
        if format != Format::Png {
            let name = format!("{}.svg", figure.name());
            staging.write(&name, render_svg(figure, options)?.as_bytes())?;
            written.push(out.join(name));
        }
    }
    staging.publish(|_, _| false)?;
    Ok(written)
}
