//! The creditor's logo, printed top left on every letter: a PNG decoded once into the pixels a PDF
//! image needs (8-bit RGB, and the alpha channel as a soft mask when the logo has transparency).

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Field, Result};

/// Largest logo file accepted.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// Largest logo side, in pixels: beyond it a logo only makes letters heavy.
pub const MAX_LOGO_SIDE: u32 = 2000;

/// A decoded logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// SHA-256 of the PNG file (the same logo is embedded once per PDF).
    pub sha256: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGB samples, row by row.
    pub rgb: Vec<u8>,
    /// Alpha samples, if any pixel is not opaque.
    pub alpha: Option<Vec<u8>>,
}

impl Logo {
    /// Decodes a PNG file; a file that is not a PNG, or too large, is refused with why.
    pub fn from_png(file_name: &str, bytes: &[u8]) -> Result<Arc<Logo>> {
        let refuse = |reason: String| Error::invalid(Field::Attachment, file_name, reason);
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(refuse(format!("logo de {} Ko : 2 Mo au plus", bytes.len() / 1024)));
        }
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader =
            decoder.read_info().map_err(|e| refuse(format!("ce n'est pas une image PNG lisible ({e})")))?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width == 0 || height == 0 || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE {
            return Err(refuse(format!("image de {width} × {height} pixels : {MAX_LOGO_SIDE} pixels de côté au plus")));
        }
        let size = reader.output_buffer_size().ok_or_else(|| refuse("image trop grande".into()))?;
        let mut buffer = vec![0; size];
        let frame = reader.next_frame(&mut buffer).map_err(|e| refuse(format!("image PNG abîmée ({e})")))?;
        let pixels = &buffer[..frame.buffer_size()];
        let count = (width * height) as usize;
        let mut rgb = Vec::with_capacity(count * 3);
        let mut alpha = Vec::with_capacity(count);
        match frame.color_type {
            png::ColorType::Rgb => rgb.extend_from_slice(pixels),
            png::ColorType::Rgba => pixels.chunks_exact(4).for_each(|p| {
                rgb.extend_from_slice(&p[..3]);
                alpha.push(p[3]);
            }),
            png::ColorType::Grayscale => pixels.iter().for_each(|g| rgb.extend_from_slice(&[*g, *g, *g])),
            png::ColorType::GrayscaleAlpha => pixels.chunks_exact(2).for_each(|p| {
                rgb.extend_from_slice(&[p[0], p[0], p[0]]);
                alpha.push(p[1]);
            }),
            png::ColorType::Indexed => return Err(refuse("palette PNG non développée".into())),
        }
        if rgb.len() != count * 3 {
            return Err(refuse("image PNG incomplète".into()));
        }
        let alpha = Some(alpha).filter(|a| a.len() == count && a.iter().any(|v| *v < 255));
        Ok(Arc::new(Logo { sha256: hex::encode(Sha256::digest(bytes)), width, height, rgb, alpha }))
    }
}

#[cfg(test)]
pub(crate) fn test_png(width: u32, height: u32, transparent: bool) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(if transparent { png::ColorType::Rgba } else { png::ColorType::Rgb });
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let channels = if transparent { 4 } else { 3 };
        let data: Vec<u8> = (0..width * height * channels).map(|i| (i % 251) as u8).collect();
        writer.write_image_data(&data).unwrap();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pngs_decode_to_rgb_with_a_mask_only_when_transparent() {
        let opaque = Logo::from_png("logo.png", &test_png(40, 20, false)).unwrap();
        assert_eq!((opaque.width, opaque.height, opaque.rgb.len()), (40, 20, 40 * 20 * 3));
        assert!(opaque.alpha.is_none());
        let transparent = Logo::from_png("logo.png", &test_png(10, 10, true)).unwrap();
        assert_eq!(transparent.alpha.as_ref().map(Vec::len), Some(100));
    }

    #[test]
    fn other_files_are_refused_with_the_reason() {
        let error = Logo::from_png("logo.jpg", b"\xff\xd8\xff\xe0 not a png").unwrap_err().to_string();
        assert!(error.contains("logo.jpg") && error.contains("PNG"), "{error}");
        let huge = test_png(MAX_LOGO_SIDE + 1, 1, false);
        assert!(Logo::from_png("big.png", &huge).unwrap_err().to_string().contains("pixels"));
    }
}
