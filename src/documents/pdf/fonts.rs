//! The two faces every document is set in, shipped inside the binary so that a letter looks the same
//! on every machine and never depends on the fonts installed: Liberation Sans (SIL Open Font
//! Licence 1.1, metric-compatible with Arial), regular and bold. See `assets/fonts/`.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Which face a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    /// Body text.
    Regular,
    /// Headings, the sender's name, totals.
    Bold,
}

impl Face {
    pub(crate) const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    pub(crate) fn font(self) -> &'static Font {
        match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        }
    }
}

static REGULAR: LazyLock<Font> =
    LazyLock::new(|| Font::new("LiberationSans", include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf")));
static BOLD: LazyLock<Font> =
    LazyLock::new(|| Font::new("LiberationSans-Bold", include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf")));

/// A parsed font with the metrics layout needs, read once.
pub(crate) struct Font {
    /// PostScript name.
    pub name: &'static str,
    /// The TrueType file.
    pub data: &'static [u8],
    /// Units per em.
    pub units_per_em: f32,
    /// Typographic ascender, descender and cap height, in font units.
    pub ascender: f32,
    pub descender: f32,
    pub cap_height: f32,
    /// Bounding box of all glyphs, in font units.
    pub bbox: [f32; 4],
    /// Glyph and advance of each character the font has (looked up once, at first use).
    glyphs: HashMap<char, (u16, u16)>,
    /// Glyph and advance of the replacement character, for anything the font lacks.
    fallback: (u16, u16),
}

impl Font {
    fn new(name: &'static str, data: &'static [u8]) -> Font {
        // The bytes are ours, shipped with the binary and checked by the tests: failing to parse them
        // is a build defect, not a user error.
        let face = ttf_parser::Face::parse(data, 0).expect("shipped font parses");
        let glyph = |c: char| face.glyph_index(c).map(|id| (id.0, face.glyph_hor_advance(id).unwrap_or(0)));
        let mut glyphs = HashMap::new();
        face.tables().cmap.into_iter().flat_map(|cmap| cmap.subtables).filter(|s| s.is_unicode()).for_each(|s| {
            s.codepoints(|code| {
                if let Some(c) = char::from_u32(code)
                    && let Some(g) = glyph(c)
                {
                    glyphs.insert(c, g);
                }
            })
        });
        let fallback = glyph('?').unwrap_or((0, 0));
        let rect = face.global_bounding_box();
        Font {
            name,
            data,
            units_per_em: f32::from(face.units_per_em()),
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            cap_height: face.capital_height().map(f32::from).unwrap_or(f32::from(face.ascender()) * 0.7),
            bbox: [rect.x_min, rect.y_min, rect.x_max, rect.y_max].map(f32::from),
            glyphs,
            fallback,
        }
    }

    /// The glyph for a character and its advance in font units. A character the font lacks is set as
    /// its nearest equivalent (the narrow no-break space of French amounts as a no-break space) and
    /// otherwise as "?", never silently dropped.
    pub fn glyph(&self, c: char) -> (char, u16, u16) {
        if let Some(&(id, advance)) = self.glyphs.get(&c) {
            return (c, id, advance);
        }
        let substitute = match c {
            '\u{202f}' | '\u{2009}' | '\u{2007}' => '\u{a0}',
            '\u{a0}' => ' ',
            '\u{2019}' => '\'',
            _ => '?',
        };
        if substitute != c && substitute != '?' {
            return self.glyph(substitute);
        }
        ('?', self.fallback.0, self.fallback.1)
    }

    /// Width of a text in points at a size.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.glyph(c).2)).sum();
        units as f32 * size / self.units_per_em
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_and_amounts_are_covered() {
        for face in Face::ALL {
            let font = face.font();
            for c in "àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛŒ€«»’–—…°".chars() {
                assert_eq!(font.glyph(c).0, c, "{} lacks {c}", font.name);
            }
            assert_ne!(font.glyph('\u{202f}').1, font.glyph('?').1, "narrow no-break space must not become ?");
        }
    }

    #[test]
    fn widths_scale_with_size() {
        let font = Face::Regular.font();
        let w10 = font.width("Mise en demeure", 10.0);
        assert!(w10 > 50.0 && w10 < 90.0, "{w10}");
        assert!((font.width("Mise en demeure", 20.0) - 2.0 * w10).abs() < 0.01);
        assert!(Face::Bold.font().width("Mise en demeure", 10.0) > w10);
    }
}
