//! Text metrics of the bundled Liberation Sans (SIL Open Font License 1.1, `assets/fonts/`), the
//! one font every embedded diagram is measured, drawn and rasterised with
//! (<https://learn.microsoft.com/typography/opentype/spec/hmtx>), so label boxes match the glyphs.

use std::sync::OnceLock;

use ttf_parser::Face;

/// Liberation Sans Regular.
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold.
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
/// The family name the SVG asks for; PNG and PDF load only the bundled files under it.
pub const FAMILY: &str = "Liberation Sans";

fn face(bold: bool) -> Option<&'static Face<'static>> {
    static FACES: OnceLock<[Option<Face<'static>>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| [Face::parse(REGULAR, 0).ok(), Face::parse(BOLD, 0).ok()]);
    faces[usize::from(bold)].as_ref()
}

/// Advance width of `s` at `size` px. Characters the font lacks count as 0.6 em.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let Some(f) = face(bold) else {
        return s.chars().count() as f64 * size * 0.6;
    };
    let em = f64::from(f.units_per_em());
    let units: f64 = s
        .chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map_or(em * 0.6, f64::from)
        })
        .sum();
    units / em * size
}

#[cfg(test)]
mod tests {
    #[test]
    fn measures_with_the_bundled_font() {
        let w = super::width("Amazon Rekognition", 12.0, false);
        assert!((90.0..120.0).contains(&w), "{w}");
        assert!(super::width("≈30 «é»", 12.0, true) > 0.0);
    }
}
