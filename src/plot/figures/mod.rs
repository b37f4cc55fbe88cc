//! The standard figures, each a function drawing onto any plotters backend (PNG or SVG), from
//! data extracted from result CSVs; sized for print (see [`super::Width`]).

mod metric;
mod points;
mod regions;
mod series;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use metric::{Facet, Line, MAX_FACETS, MetricLines};

use super::style::px;
use super::{Options, Width};

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

/// One policy's points: total cost against two footprint metrics.
#[derive(Debug, Clone)]
pub struct PolicyPoints {
    /// The policy.
    pub policy: String,
    /// `(total energy cost in thousand USD, water value, carbon value)` per point.
    pub points: Vec<(f64, f64, f64)>,
    /// Each point's label (a sweep run's axis values), drawn with `--label-points`.
    pub labels: Vec<String>,
}

/// Hour-by-data-center series.
#[derive(Debug, Clone)]
pub struct HourlySeries {
    /// Data centers, in results order.
    pub dcs: Vec<String>,
    /// The first hour, as the results write it.
    pub first_hour: String,
    /// `values[dc][hour]`.
    pub values: Vec<Vec<f64>>,
}

/// A figure and the data it needs.
#[derive(Debug, Clone)]
pub enum Figure {
    /// Per-data-center water and carbon bars for each policy, the highest (and tied) outlined.
    Regions(RegionTotals),
    /// Water and carbon peak-to-average ratio per policy against total energy cost.
    ParVsCost(Vec<PolicyPoints>),
    /// A weight sweep's cost against highest regional water and carbon, one line per policy.
    Tradeoff {
        /// The points.
        points: Vec<PolicyPoints>,
        /// The sweep axes the labels give, in order.
        axes: Vec<String>,
    },
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
    /// A sweep's metric against one axis, a line per policy, a panel per value of the other axes.
    Metric(MetricLines),
}

/// `text` with anything but letters, digits, `-`, `_` and `.` made `_`.
fn file_safe(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    text.chars().map(|c| if safe(c) { c } else { '_' }).collect()
}

impl Figure {
    /// File stem: letters, digits, `-`, `_` and `.` only (anything else in a name read from the
    /// results becomes `_`), so it never leaves the figures folder.
    pub fn name(&self) -> String {
        match self {
            Figure::Regions(_) => "regions".into(),
            Figure::ParVsCost(_) => "par_vs_cost".into(),
            Figure::Tradeoff { .. } => "tradeoff".into(),
            Figure::Load { policy, .. } => format!("load_{}", file_safe(policy)),
            Figure::Intensity(_) => "intensity".into(),
            Figure::OnlineVsOffline { .. } => "online_vs_offline".into(),
            Figure::Metric(m) => file_safe(&format!("{}_vs_{}", m.y_column, m.x_key)),
        }
    }

    /// Size in pixels at 300 dpi for a column of `width`.
    pub fn size(&self, width: Width) -> (u32, u32) {
        let w = width.px();
        let stacked = |panels: u32, each: f64| match width {
            Width::Single => px(70.0) + panels * px(each),
            Width::Double => px(70.0) + px(each),
        };
        let h = match self {
            Figure::Regions(r) => regions::height(r),
            Figure::ParVsCost(_) | Figure::Tradeoff { .. } => stacked(2, 150.0),
            Figure::Load { .. } => px(230.0),
            Figure::Intensity(_) => px(60.0) + 3 * px(110.0),
            Figure::OnlineVsOffline { online, .. } => series::running_height(online[0].dcs.len()),
            Figure::Metric(m) => m.height(width),
        };
        (w, h)
    }

    /// Draws the figure on `area`.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, options: &Options) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        area.fill(&WHITE)?;
        match self {
            Figure::Regions(r) => regions::draw(area, r),
            Figure::ParVsCost(points) => points::par_vs_cost(area, points, options),
            Figure::Tradeoff { points, axes } => points::tradeoff(area, points, axes, options),
            Figure::Load { policy, load_mw } => series::load(area, policy, load_mw),
            Figure::Intensity(series) => series::intensity(area, series, options),
            Figure::OnlineVsOffline { online, offline } => series::running(area, online, offline),
            Figure::Metric(m) => metric::draw(area, m, options),
        }?;
        area.present()?;
        Ok(())
    }
}
