//! A laid-out page: what to draw and where, in points from the bottom-left corner of an A4 sheet,
//! before any PDF syntax. Layout produces these; the writer serialises them.

use std::sync::Arc;

use super::fonts::Face;
use crate::documents::logo::Logo;

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.276;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;

/// Millimetres to points.
pub fn mm(value: f32) -> f32 {
    value * 72.0 / 25.4
}

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A line of text whose baseline starts at (x, y).
    Text {
        /// Left end of the baseline.
        x: f32,
        /// Baseline.
        y: f32,
        /// Face.
        face: Face,
        /// Size in points.
        size: f32,
        /// Grey level, 0 = black.
        grey: f32,
        /// The text (one line).
        text: String,
    },
    /// A filled rectangle (lower-left corner, width, height).
    Fill {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
        /// Grey level, 0 = black.
        grey: f32,
    },
    /// A stroked rectangle or line (a line is a rectangle of zero height).
    Stroke {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
        /// Line width.
        line: f32,
        /// Grey level.
        grey: f32,
    },
    /// The creditor's logo, scaled into the box (lower-left corner, width, height).
    Image {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
        /// The pixels.
        logo: Arc<Logo>,
    },
    /// An empty signature form field (the user signs it in a PDF reader or signing service).
    SignatureField {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
        /// Field name, unique in the document.
        name: String,
    },
}

/// A page: its marks in drawing order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// What to draw.
    pub marks: Vec<Mark>,
}

impl Page {
    /// Adds one line of text.
    pub fn text(&mut self, x: f32, y: f32, face: Face, size: f32, text: impl Into<String>) {
        self.marks.push(Mark::Text { x, y, face, size, grey: 0.0, text: text.into() });
    }

    /// Adds one line of grey text.
    pub fn grey_text(&mut self, x: f32, y: f32, face: Face, size: f32, grey: f32, text: impl Into<String>) {
        self.marks.push(Mark::Text { x, y, face, size, grey, text: text.into() });
    }

    /// Adds text whose right end is at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, face: Face, size: f32, text: impl Into<String>) {
        let text = text.into();
        let x = right - face.font().width(&text, size);
        self.text(x, y, face, size, text);
    }

    /// Adds text centred on `centre`.
    pub fn text_centred(&mut self, centre: f32, y: f32, face: Face, size: f32, grey: f32, text: impl Into<String>) {
        let text = text.into();
        let x = centre - face.font().width(&text, size) / 2.0;
        self.grey_text(x, y, face, size, grey, text);
    }

    /// Adds a filled rectangle.
    pub fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, grey: f32) {
        self.marks.push(Mark::Fill { x, y, width, height, grey });
    }

    /// Adds a stroked rectangle, or a rule when `height` is 0.
    pub fn stroke(&mut self, x: f32, y: f32, width: f32, height: f32, line: f32, grey: f32) {
        self.marks.push(Mark::Stroke { x, y, width, height, line, grey });
    }
}
