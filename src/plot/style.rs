//! Colours, fonts and sizes shared by every figure: colour-blind-safe palettes with a stable colour
//! per policy (the registry's, looked up by name; grey for a policy it gives none) and per data center
//! (by its place in the results), an embedded font (DejaVu Sans) so no system fonts are needed, and
//! sizes in points at print size (300 dpi).

use std::sync::{Once, OnceLock};

use ab_glyph::{Font, FontRef, ScaleFont};

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
/// Print resolution: a figure is sized in inches and drawn at this many pixels to the inch.
pub const DPI: f64 = 300.0;
/// Title size, points at print size (the em, as typesetters and CSS count it).
pub const TITLE: f64 = 8.5;
/// Axis-description and key size, points.
pub const LABEL: f64 = 7.5;
/// Tick-label and annotation size, points: the smallest text of any figure.
pub const TICK: f64 = 7.0;

/// Pixels (at [`DPI`]) for a length in points.
pub fn px(points: f64) -> u32 {
    (points * DPI / 72.0).round() as u32
}

/// DejaVu Sans, regular or bold, for outlining and measuring text.
pub fn font_ref(bold: bool) -> &'static FontRef<'static> {
    static FONTS: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let load = |bytes| FontRef::try_from_slice(bytes).expect("the embedded DejaVu Sans is a valid font");
        [load(dejavu::sans::regular()), load(dejavu::sans::bold())]
    });
    &fonts[usize::from(bold)]
}

/// The font's height (ascent to descent) per em: plotters sizes text by that height in pixels.
fn height_per_em() -> f64 {
    let font = font_ref(false);
    f64::from(font.height_unscaled() / font.units_per_em().unwrap_or(2048.0))
}

/// plotters' font size for text whose em is `points` at print size.
pub fn font_size(points: f64) -> f64 {
    points * DPI / 72.0 * height_per_em()
}

/// The size in points at print size of text plotters draws at `font_size`.
pub fn points_of(font_size: f64) -> f64 {
    font_size / height_per_em() * 72.0 / DPI
}

/// The width in pixels of `text` at `points`, as plotters lays it out (advances and kerning).
pub fn text_width(text: &str, points: f64) -> f64 {
    let font = font_ref(false).as_scaled(font_size(points) as f32);
    let mut previous = None;
    let mut width = 0.0;
    for c in text.chars() {
        let id = font.glyph_id(c);
        width += font.h_advance(id) + previous.map_or(0.0, |p| font.kern(p, id));
        previous = Some(id);
    }
    f64::from(width)
}

/// `name` cut to at most `chars` characters, the last an ellipsis when cut.
pub fn shorten(name: &str, chars: usize) -> String {
    match name.char_indices().nth(chars.saturating_sub(1)) {
        Some((cut, _)) if name.chars().count() > chars => format!("{}…", &name[..cut]),
        _ => name.to_string(),
    }
}

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
        assert_eq!(super::shorten("philadelphia", 16), "philadelphia");
        assert_eq!(super::shorten("a-very-long-data-center-name", 8), "a-very-…");
    }
}
