//! Colours, fonts and sizes shared by every figure: colour-blind-safe palettes with a stable colour
//! per policy (the registry's, looked up by name; grey for a policy it gives none) and per data center
//! (by its place in the results), and an embedded font (DejaVu Sans) so no system fonts are needed.

use std::sync::Once;

use plotters::style::{FontStyle, RGBColor};

use crate::policy;

/// The colour of a policy the registry gives none (one defined outside the crate, say).
pub const FALLBACK_COLOUR: RGBColor = RGBColor(128, 128, 128);

/// Paul Tol's colour-blind-safe "muted" scheme plus dark grey: data centers in results order.
const DC_COLOURS: [RGBColor; 10] = [
    RGBColor(51, 34, 136),
    RGBColor(136, 204, 238),
    RGBColor(68, 170, 153),
    RGBColor(17, 119, 51),
    RGBColor(153, 153, 51),
    RGBColor(221, 204, 119),
    RGBColor(204, 102, 119),
    RGBColor(136, 34, 85),
    RGBColor(170, 68, 153),
    RGBColor(85, 85, 85),
];

/// The colour of a policy; the same in every figure.
pub fn policy_colour(name: &str) -> RGBColor {
    policy::find(name)
        .and_then(|entry| entry.colour)
        .map_or(FALLBACK_COLOUR, |[r, g, b]| RGBColor(r, g, b))
}

/// The colour of the `index`-th data center; the same in every figure.
pub fn dc_colour(index: usize) -> RGBColor {
    DC_COLOURS[index % DC_COLOURS.len()]
}

/// Font family every figure uses (registered from embedded bytes).
pub const FONT: &str = "sans-serif";
/// Title size, px.
pub const TITLE: u32 = 26;
/// Axis-description and legend size, px.
pub const LABEL: u32 = 20;
/// Tick-label size, px.
pub const TICK: u32 = 17;
/// Figure width, px: about a paper column at 300 dpi.
pub const WIDTH: u32 = 1000;

/// Registers DejaVu Sans as `sans-serif` (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans is a valid font"));
        plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold())
            .unwrap_or_else(|_| panic!("the embedded DejaVu Sans Bold is a valid font"));
    });
}

/// `v` with `decimals` decimals and thousands separated by commas: `1,234,567.9`.
pub fn thousands(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if v < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "-"
    } else {
        ""
    };
    match frac {
        Some(frac) => format!("{sign}{out}.{frac}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(1234567.89, 1), "1,234,567.9");
        assert_eq!(thousands(-2500.4, 0), "-2,500");
        assert_eq!(thousands(-12.0, 1), "-12.0");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-0.01, 1), "0.0");
    }
}
