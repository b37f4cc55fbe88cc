//! The SVG backend: the figure at its print size, with every text drawn as the outlines of the
//! embedded font's glyphs, so it renders identically where DejaVu Sans is not installed.
//!
//! plotters' own SVG backend writes `<text font-family="sans-serif">`, which a viewer draws in
//! whatever font it has, at whatever width: labels laid out for DejaVu Sans then overlap or
//! overflow. Here each glyph an SVG uses is defined once, in font units, as a `<path>` (its id
//! `fairglb-r-GLYPH` or `fairglb-b-GLYPH` for bold, the same in every figure, so a page inlining
//! several figures resolves them alike), and placed with `<use>` where plotters' bitmap backend
//! would draw it: PNG and SVG show the same layout. Each text is a group carrying the words
//! (`aria-label`, for screen readers and search) and its size in points at print size
//! (`data-pt`), which the tests and the report check read. The root element gives the physical
//! size (`width="3.5in"`) over a 300-dpi `viewBox`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ab_glyph::{Font, FontRef, OutlineCurve, ScaleFont};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

use super::style::{self, DPI};

/// An SVG document drawn into `out` when the figure is presented.
pub struct OutlinedSvg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    body: String,
    /// `(bold, glyph id)` -> the glyph's path in font units.
    glyphs: BTreeMap<(bool, u16), String>,
}

type Drawn = Result<(), DrawingErrorKind<std::io::Error>>;

impl<'a> OutlinedSvg<'a> {
    /// A `size` pixel figure (at 300 dpi) to be written into `out`.
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        OutlinedSvg {
            out,
            size,
            body: String::new(),
            glyphs: BTreeMap::new(),
        }
    }

    /// ` ATTR="#RRGGBB"`, and the opacity when not opaque.
    fn paint(attr: &str, colour: BackendColor) -> String {
        let (r, g, b) = colour.rgb;
        let opacity = if colour.alpha < 1.0 {
            format!(" opacity=\"{}\"", colour.alpha)
        } else {
            String::new()
        };
        format!(" {attr}=\"#{r:02X}{g:02X}{b:02X}\"{opacity}")
    }

    /// A shape's paint: filled, or outlined at the style's width.
    fn fill_or_stroke<S: BackendStyle>(style: &S, fill: bool) -> String {
        match fill {
            true => Self::paint("fill", style.color()),
            false => format!(
                " fill=\"none\" stroke-width=\"{}\"{}",
                style.stroke_width(),
                Self::paint("stroke", style.color())
            ),
        }
    }

    fn points(path: impl IntoIterator<Item = BackendCoord>) -> String {
        path.into_iter().fold(String::new(), |mut s, (x, y)| {
            let _ = write!(s, "{x},{y} ");
            s
        })
    }

    /// The glyph's id, its outline recorded on first use; `None` for a glyph with no outline.
    fn glyph(&mut self, font: &FontRef<'static>, bold: bool, id: ab_glyph::GlyphId) -> Option<String> {
        let name = format!("fairglb-{}-{}", if bold { 'b' } else { 'r' }, id.0);
        if let std::collections::btree_map::Entry::Vacant(entry) = self.glyphs.entry((bold, id.0)) {
            entry.insert(outline_path(&font.outline(id)?.curves));
        }
        Some(name)
    }
}

/// An outline's curves as path data, in font units (y up).
fn outline_path(curves: &[OutlineCurve]) -> String {
    let mut d = String::new();
    let mut end: Option<ab_glyph::Point> = None;
    for curve in curves {
        let start = match curve {
            OutlineCurve::Line(a, _) | OutlineCurve::Quad(a, _, _) | OutlineCurve::Cubic(a, _, _, _) => *a,
        };
        if end != Some(start) {
            if end.is_some() {
                d.push('Z');
            }
            let _ = write!(d, "M{} {}", start.x, start.y);
        }
        let _ = match curve {
            OutlineCurve::Line(_, b) => write!(d, "L{} {}", b.x, b.y),
            OutlineCurve::Quad(_, c, b) => write!(d, "Q{} {} {} {}", c.x, c.y, b.x, b.y),
            OutlineCurve::Cubic(_, c1, c2, b) => {
                write!(d, "C{} {} {} {} {} {}", c1.x, c1.y, c2.x, c2.y, b.x, b.y)
            }
        };
        end = Some(match curve {
            OutlineCurve::Line(_, b) | OutlineCurve::Quad(_, _, b) | OutlineCurve::Cubic(_, _, _, b) => *b,
        });
    }
    if end.is_some() {
        d.push('Z');
    }
    d
}

/// `text` with the characters markup gives meaning to escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl DrawingBackend for OutlinedSvg<'_> {
    type ErrorType = std::io::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        let (w, h) = self.size;
        self.out.clear();
        let _ = write!(
            self.out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}in\" height=\"{}in\" viewBox=\"0 0 {w} {h}\">\n<defs>\n",
            f64::from(w) / DPI,
            f64::from(h) / DPI
        );
        for ((bold, id), d) in &self.glyphs {
            let style = if *bold { 'b' } else { 'r' };
            let _ = writeln!(self.out, "<path id=\"fairglb-{style}-{id}\" d=\"{d}\"/>");
        }
        self.out.push_str("</defs>\n");
        self.out.push_str(&self.body);
        self.out.push_str("</svg>\n");
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, colour: BackendColor) -> Drawn {
        if colour.alpha > 0.0 {
            let fill = Self::paint("fill", colour);
            let _ = writeln!(
                self.body,
                "<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"{fill}/>"
            );
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, style: &S) -> Drawn {
        if style.color().alpha > 0.0 {
            let (x1, y1, x2, y2) = (a.0, a.1, b.0, b.1);
            let paint = Self::fill_or_stroke(style, false);
            let _ = writeln!(
                self.body,
                "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"{paint}/>"
            );
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            let (x, y, w, h) = (a.0, a.1, b.0 - a.0, b.1 - a.1);
            let paint = Self::fill_or_stroke(style, fill);
            let _ = writeln!(
                self.body,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"{paint}/>"
            );
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            let (points, paint) = (Self::points(path), Self::fill_or_stroke(style, false));
            let _ = writeln!(
                self.body,
                "<polyline stroke-linejoin=\"round\" points=\"{points}\"{paint}/>"
            );
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> Drawn {
        if style.color().alpha > 0.0 {
            let paint = Self::fill_or_stroke(style, fill);
            let _ = writeln!(
                self.body,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{r}\"{paint}/>",
                c.0, c.1
            );
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            let (points, paint) = (Self::points(vert), Self::fill_or_stroke(style, true));
            let _ = writeln!(self.body, "<polygon points=\"{points}\"{paint}/>");
        }
        Ok(())
    }

    /// Places the glyphs where plotters' bitmap backend draws them: laid out by `layout_box`,
    /// anchored as the style says, the baseline half the font's pixel height below the top.
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Drawn {
        let colour = style.color();
        if colour.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let ((x0, y0), (x1, y1)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -(x1 - x0),
            HPos::Center => -(x1 - x0) / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -(y1 - y0) / 2,
            VPos::Bottom => -(y1 - y0),
        };
        let degrees = match style.transform() {
            FontTransform::None => 0,
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
        };
        let bold = matches!(style.style(), FontStyle::Bold);
        let font = style::font_ref(bold);
        let scaled = font.as_scaled(style.size() as f32);
        let k = scaled.scale_factor().vertical;
        let _ = writeln!(
            self.body,
            "<g aria-label=\"{}\" data-pt=\"{:.2}\" transform=\"translate({} {}) rotate({degrees})\"{}>",
            escape(text),
            style::points_of(style.size()),
            pos.0,
            pos.1,
            Self::paint("fill", colour)
        );
        let (mut x, baseline) = (
            dx as f32 - x0 as f32,
            dy as f32 - y0 as f32 + style.size() as f32 / 2.0,
        );
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                x += scaled.kern(p, id);
            }
            previous = Some(id);
            if let Some(name) = self.glyph(font, bold, id) {
                let _ = writeln!(
                    self.body,
                    "<use href=\"#{name}\" transform=\"translate({x:.2} {baseline:.2}) scale({k:.6} -{k:.6})\"/>"
                );
            }
            x += scaled.h_advance(id);
        }
        self.body.push_str("</g>\n");
        Ok(())
    }
}
