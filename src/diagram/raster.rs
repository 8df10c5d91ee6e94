//! PNG and PDF from our SVG: resvg/tiny-skia rasterise it, svg2pdf writes it as vector PDF
//! (<https://www.iso.org/standard/75839.html>) with its text kept as text. Both see only the
//! bundled Liberation Sans ([`super::text`]), never the system's fonts, so every machine writes
//! the same pictures.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use super::error::DiagramError;
use super::text::{BOLD, FAMILY, REGULAR};

/// PNG pixels per SVG px (sharp on slides and high-density screens).
pub const PNG_SCALE: f32 = 2.0;
/// Resolution the PDF page is sized at: 1240 px make an A4 width.
pub const PDF_DPI: f32 = 150.0;

fn tree(svg: &str, format: &'static str) -> Result<usvg::Tree, DiagramError> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: Arc::new(db),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| DiagramError::Render {
        format,
        message: e.to_string(),
    })
}

/// `svg` as a PNG image at [`PNG_SCALE`].
pub fn png(svg: &str) -> Result<Vec<u8>, DiagramError> {
    let fail = |message: String| DiagramError::Render {
        format: "png",
        message,
    };
    let tree = tree(svg, "png")?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(PNG_SCALE)
        .ok_or_else(|| fail("empty picture".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        fail(format!(
            "{}×{} px is too large",
            size.width(),
            size.height()
        ))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| fail(e.to_string()))
}

/// `svg` as a one-page vector PDF.
pub fn pdf(svg: &str) -> Result<Vec<u8>, DiagramError> {
    let tree = tree(svg, "pdf")?;
    let page = svg2pdf::PageOptions { dpi: PDF_DPI };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page).map_err(|e| {
        DiagramError::Render {
            format: "pdf",
            message: e.to_string(),
        }
    })
}
