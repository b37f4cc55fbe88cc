//! Time along a figure's x axis. A series longer than two weeks is drawn day by day (UTC days:
//! each day's mean, its lowest and highest hour, and its last hour for running totals), since
//! thousands of hourly points are more than a printed panel has pixels for. Ticks fall on dates:
//! the first of each month beyond two months, midnights beyond two days, every six hours otherwise.

use std::ops::Range;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

/// Series up to this many hours are drawn hour by hour.
pub const HOURLY_LIMIT: usize = 14 * 24;

/// Values as drawn: per hour, or per UTC day; `x` in hours since the first hour.
#[derive(Debug, Clone, PartialEq)]
pub struct Resampled {
    /// The middle of each hour or day.
    pub x: Vec<f64>,
    /// The last hour of each hour or day (where a running total stands at its end).
    pub x_end: Vec<f64>,
    pub mean: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    pub last: Vec<f64>,
}

/// The time axis of an hourly series that starts at `start` (if its hours are RFC 3339 times).
#[derive(Debug, Clone)]
pub struct TimeAxis {
    start: Option<DateTime<Utc>>,
    /// Hours in the series.
    pub hours: usize,
}

impl TimeAxis {
    /// The axis of `hours` hours from `first_hour` (as the results write it, `2022-09-22T00:00:00Z`).
    pub fn new(first_hour: &str, hours: usize) -> TimeAxis {
        let start = DateTime::parse_from_rfc3339(first_hour)
            .ok()
            .map(|t| t.with_timezone(&Utc));
        TimeAxis { start, hours }
    }

    /// Whether the series is drawn day by day.
    pub fn daily(&self) -> bool {
        self.hours > HOURLY_LIMIT
    }

    /// The time `x` hours after the first hour.
    fn at(&self, x: f64) -> Option<DateTime<Utc>> {
        self.start
            .map(|s| s + Duration::minutes((x * 60.0).round() as i64))
    }

    /// Hours per point: one each, or UTC days (24-hour blocks when the hours carry no dates). A
    /// first or last part-day of under 12 hours joins its neighbour, so no point averages a few
    /// hours of one time of day.
    fn groups(&self) -> Vec<Range<usize>> {
        if !self.daily() {
            return (0..self.hours).map(|t| t..t + 1).collect();
        }
        let first = self.start.map_or(24, |s| 24 - s.hour() as usize);
        let mut groups: Vec<Range<usize>> = Vec::new();
        groups.push(0..first.min(self.hours));
        let mut at = first;
        while at < self.hours {
            groups.push(at..(at + 24).min(self.hours));
            at += 24;
        }
        if groups.len() > 1 && groups[0].len() < 12 {
            let head = groups.remove(0);
            groups[0].start = head.start;
        }
        if groups.len() > 1 && groups[groups.len() - 1].len() < 12 {
            let tail = groups.pop().map_or(0, |g| g.end);
            if let Some(g) = groups.last_mut() {
                g.end = tail;
            }
        }
        groups
    }

    /// `values` (one per hour) as drawn.
    pub fn resample(&self, values: &[f64]) -> Resampled {
        let groups = self.groups();
        let fold = |f: fn(f64, f64) -> f64, init: f64| -> Vec<f64> {
            groups
                .iter()
                .map(|g| values[g.clone()].iter().copied().fold(init, f))
                .collect()
        };
        Resampled {
            x: groups
                .iter()
                .map(|g| (g.start + g.end - 1) as f64 / 2.0)
                .collect(),
            x_end: groups.iter().map(|g| (g.end - 1) as f64).collect(),
            mean: groups
                .iter()
                .map(|g| values[g.clone()].iter().sum::<f64>() / g.len() as f64)
                .collect(),
            min: fold(f64::min, f64::INFINITY),
            max: fold(f64::max, f64::NEG_INFINITY),
            last: groups.iter().map(|g| values[g.end - 1]).collect(),
        }
    }

    /// The tick positions, hours since the first hour.
    pub fn ticks(&self) -> Vec<f64> {
        let span = self.hours.max(1) as f64;
        let Some(start) = self.start else {
            let step = [24.0, 48.0, 168.0, 720.0, 2160.0]
                .into_iter()
                .find(|s| span / s <= 6.0)
                .unwrap_or(8760.0);
            return (0..)
                .map(|i| i as f64 * step)
                .take_while(|&x| x <= span)
                .collect();
        };
        let hours_to = |t: DateTime<Utc>| (t - start).num_minutes() as f64 / 60.0;
        let midnight = start - Duration::hours(i64::from(start.hour()));
        let candidates: Vec<DateTime<Utc>> = if span > 60.0 * 24.0 {
            let months = (span / (24.0 * 30.0)).ceil() as u32 + 1;
            let step = if months > 13 { 3 } else { 1 };
            let first = midnight.with_day(1).unwrap_or(midnight);
            (0..=months)
                .step_by(step)
                .filter_map(|m| first.checked_add_months(chrono::Months::new(m)))
                .collect()
        } else if span > 48.0 {
            let days = [1, 2, 7, 14, 28]
                .into_iter()
                .find(|d| span / (24.0 * *d as f64) <= 6.0)
                .unwrap_or(28);
            (0..=(span / 24.0) as i64 + 1)
                .step_by(days)
                .map(|d| midnight + Duration::days(d))
                .collect()
        } else {
            (0..=span as i64 / 6 + 4)
                .map(|k| midnight + Duration::hours(6 * k))
                .collect()
        };
        candidates
            .into_iter()
            .map(hours_to)
            .filter(|&x| (0.0..=span).contains(&x))
            .collect()
    }

    /// The label of the tick at `x`: `Mar`, `Sep 22` or `06:00`, as the span asks.
    pub fn label(&self, x: f64) -> String {
        let Some(t) = self.at(x) else {
            return format!("{:.0}", x / 24.0);
        };
        if self.hours > 60 * 24 {
            t.format("%b").to_string()
        } else if self.hours > 48 || t.hour() == 0 {
            t.format("%b %-d").to_string()
        } else {
            t.format("%H:%M").to_string()
        }
    }

    /// The axis description: the years covered (times are UTC).
    pub fn desc(&self) -> String {
        match (self.start, self.at(self.hours.saturating_sub(1) as f64)) {
            (Some(a), Some(b)) if a.year() == b.year() => format!("{}, UTC", a.year()),
            (Some(a), Some(b)) => format!("{}-{}, UTC", a.year(), b.year()),
            _ => "days since the first hour".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TimeAxis;

    #[test]
    fn a_year_is_drawn_by_day_with_a_tick_per_quarter() {
        let axis = TimeAxis::new("2022-01-01T00:00:00Z", 8760);
        assert!(axis.daily());
        let ticks = axis.ticks();
        assert_eq!(
            ticks,
            [0.0, 90.0 * 24.0, 181.0 * 24.0, 273.0 * 24.0, 365.0 * 24.0]
        );
        let labels: Vec<String> = ticks.iter().map(|&t| axis.label(t)).collect();
        assert_eq!(labels, ["Jan", "Apr", "Jul", "Oct", "Jan"]);
        let months = TimeAxis::new("2022-03-01T00:00:00Z", 24 * 92).ticks();
        assert_eq!(months.len(), 4, "a month each for three months: {months:?}");
        assert_eq!(axis.desc(), "2022, UTC");
        let values: Vec<f64> = (0..8760).map(|t| (t % 24) as f64).collect();
        let days = axis.resample(&values);
        assert_eq!(days.x.len(), 365);
        assert!(days.mean.iter().all(|&m| m == 11.5));
        assert!(days.min.iter().all(|&m| m == 0.0) && days.max.iter().all(|&m| m == 23.0));
        assert_eq!((days.x[0], days.x_end[0], days.last[0]), (11.5, 23.0, 23.0));
    }

    #[test]
    fn days_are_utc_days_and_short_series_stay_hourly() {
        // 457 hours from 22 September 2022, 06:00: a first day of 18 hours, 17 whole days, and a
        // last day of 7 hours that joins the day before (hours 426 to 456).
        let axis = TimeAxis::new("2022-09-22T06:00:00Z", 457);
        let days = axis.resample(&(0..457).map(f64::from).collect::<Vec<_>>());
        assert_eq!((days.x_end[0], days.last[0]), (17.0, 17.0));
        assert_eq!(days.x.len(), 19);
        assert_eq!((days.x_end[18], days.mean[18]), (456.0, (426.0 + 456.0) / 2.0));
        // A first part-day of 3 hours joins the first whole day.
        let late = TimeAxis::new("2022-09-22T21:00:00Z", 400).resample(&vec![1.0; 400]);
        assert_eq!(late.x_end[0], 26.0);
        assert_eq!(axis.label(18.0), "Sep 23");
        let week = TimeAxis::new("2022-09-22T00:00:00Z", 168);
        assert!(!week.daily());
        assert_eq!(week.resample(&[2.0; 168]).x.len(), 168);
        assert_eq!(week.ticks(), [0.0, 48.0, 96.0, 144.0]);
    }
}
