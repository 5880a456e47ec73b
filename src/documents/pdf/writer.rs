//! Serialises laid-out pages into a PDF file: text as a Type 0 font over a subset of the shipped
//! TrueType font (only the glyphs used, with a ToUnicode map so that the text can be copied, searched
//! and read by `pdftotext`), streams compressed, empty signature fields in an AcroForm, and the
//! document information (title, author, subject, dates).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Timelike, Utc};
use pdf_writer::types::{AnnotationFlags, CidFontType, FieldType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::fonts::Face;
use super::page::{Mark, PAGE_HEIGHT, PAGE_WIDTH, Page};

/// What the PDF says about itself (shown by readers under "Properties").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Title (e.g. "Mise en demeure — Boulangerie Martin").
    pub title: String,
    /// Author: the creditor.
    pub author: String,
    /// Subject line.
    pub subject: String,
    /// Language tag (`fr-FR`, `en-GB`).
    pub lang: &'static str,
    /// When the document was produced (given by the caller: the core never reads the clock).
    pub created: DateTime<Utc>,
}

/// Glyphs used by one face, renumbered for its subset.
struct FaceUse {
    remapper: GlyphRemapper,
    /// New glyph id → (character, advance in font units).
    used: HashMap<u16, (char, u16)>,
}

impl FaceUse {
    fn new() -> FaceUse {
        FaceUse { remapper: GlyphRemapper::new(), used: HashMap::new() }
    }

    /// Encodes a text as 2-byte codes of the subset's glyph ids (Identity-H).
    fn encode(&mut self, face: Face, text: &str, out: &mut Vec<u8>) {
        let font = face.font();
        for c in text.chars() {
            let (shown, glyph, advance) = font.glyph(c);
            let new = self.remapper.remap(glyph);
            self.used.entry(new).or_insert((shown, advance));
            out.extend_from_slice(&new.to_be_bytes());
        }
    }
}

/// Writes the pages as a PDF document.
pub fn write(pages: &[Page], meta: &Metadata) -> Result<Vec<u8>, String> {
    let mut alloc = Ref::new(1);
    let mut next = || alloc.bump();
    let catalog_id = next();
    let tree_id = next();
    let info_id = next();
    let font_ids: Vec<Ref> = Face::ALL.iter().map(|_| next()).collect();
    let mut faces: Vec<FaceUse> = Face::ALL.iter().map(|_| FaceUse::new()).collect();
    let mut pdf = Pdf::new();

    let mut page_ids = Vec::with_capacity(pages.len());
    let mut field_ids = Vec::new();
    // Each distinct logo is embedded once, whatever the number of letters in the file.
    let mut images: Vec<(String, Ref, std::sync::Arc<crate::documents::logo::Logo>)> = Vec::new();
    for page in pages {
        let page_id = next();
        let content_id = next();
        page_ids.push(page_id);
        let mut content = Content::new();
        let mut fields = Vec::new();
        let mut page_images: Vec<(String, Ref)> = Vec::new();
        let mut codes = Vec::with_capacity(64);
        for mark in &page.marks {
            match mark {
                Mark::Text { x, y, face, size, grey, text } => {
                    let index = Face::ALL.iter().position(|f| f == face).unwrap_or(0);
                    codes.clear();
                    faces[index].encode(*face, text, &mut codes);
                    content.set_fill_gray(*grey);
                    content.begin_text();
                    content.set_font(Name(font_resource(index)), *size);
                    content.next_line(*x, *y);
                    content.show(Str(&codes));
                    content.end_text();
                }
                Mark::Fill { x, y, width, height, grey } => {
                    content.set_fill_gray(*grey);
                    content.rect(*x, *y, *width, *height);
                    content.fill_nonzero();
                }
                Mark::Stroke { x, y, width, height, line, grey } => {
                    content.set_stroke_gray(*grey);
                    content.set_line_width(*line);
                    if *height == 0.0 {
                        content.move_to(*x, *y);
                        content.line_to(x + width, *y);
                    } else {
                        content.rect(*x, *y, *width, *height);
                    }
                    content.stroke();
                }
                Mark::Image { x, y, width, height, logo } => {
                    let index = match images.iter().position(|(sha, ..)| *sha == logo.sha256) {
                        Some(index) => index,
                        None => {
                            images.push((logo.sha256.clone(), next(), logo.clone()));
                            images.len() - 1
                        }
                    };
                    let name = format!("Im{}", index + 1);
                    content.save_state();
                    content.transform([*width, 0.0, 0.0, *height, *x, *y]);
                    content.x_object(Name(name.as_bytes()));
                    content.restore_state();
                    if !page_images.iter().any(|(n, _)| *n == name) {
                        page_images.push((name, images[index].1));
                    }
                }
                Mark::SignatureField { x, y, width, height, name } => {
                    fields.push((next(), Rect::new(*x, *y, x + width, y + height), name.clone()));
                }
            }
        }
        pdf.stream(content_id, &deflate(&content.finish())).filter(Filter::FlateDecode);
        let mut writer = pdf.page(page_id);
        writer.parent(tree_id).media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).contents(content_id);
        let mut resources = writer.resources();
        let mut fonts = resources.fonts();
        for (index, id) in font_ids.iter().enumerate() {
            fonts.pair(Name(font_resource(index)), *id);
        }
        fonts.finish();
        if !page_images.is_empty() {
            let mut objects = resources.x_objects();
            for (name, id) in &page_images {
                objects.pair(Name(name.as_bytes()), *id);
            }
            objects.finish();
        }
        resources.finish();
        if !fields.is_empty() {
            writer.annotations(fields.iter().map(|f| f.0));
        }
        writer.finish();
        for (id, rect, name) in fields {
            let mut field = pdf.form_field(id);
            field.partial_name(TextStr(&name)).field_type(FieldType::Signature);
            let mut annotation = field.into_annotation();
            annotation.rect(rect).flags(AnnotationFlags::PRINT).page(page_id);
            annotation.finish();
            field_ids.push(id);
        }
    }

    for (index, face) in Face::ALL.iter().enumerate() {
        write_font(&mut pdf, &mut next, font_ids[index], *face, &faces[index])?;
    }
    for (_, id, logo) in &images {
        let (width, height) = (logo.width as i32, logo.height as i32);
        // Transparency is a soft mask: a grey image of the alpha channel.
        let mask = logo.alpha.as_ref().map(|alpha| {
            let mask_id = next();
            let data = deflate(alpha);
            let mut image = pdf.image_xobject(mask_id, &data);
            image.filter(Filter::FlateDecode);
            image.width(width).height(height).bits_per_component(8);
            image.color_space().device_gray();
            mask_id
        });
        let rgb = deflate(&logo.rgb);
        let mut image = pdf.image_xobject(*id, &rgb);
        image.filter(Filter::FlateDecode);
        image.width(width).height(height).bits_per_component(8);
        image.color_space().device_rgb();
        if let Some(mask) = mask {
            image.s_mask(mask);
        }
    }

    pdf.pages(tree_id).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id).lang(TextStr(meta.lang));
    if !field_ids.is_empty() {
        catalog.form().fields(field_ids.iter().copied());
    }
    catalog.finish();
    let created = pdf_date(meta.created);
    pdf.document_info(info_id)
        .title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .creator(TextStr("Recouvre"))
        .producer(TextStr(concat!("Recouvre ", env!("CARGO_PKG_VERSION"))))
        .creation_date(created)
        .modified_date(created);
    Ok(pdf.finish())
}

fn font_resource(index: usize) -> &'static [u8] {
    [b"F1".as_slice(), b"F2".as_slice()][index]
}

/// Writes one face as a Type 0 font with an Identity-H encoding over its subset.
fn write_font(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    id: Ref,
    face: Face,
    usage: &FaceUse,
) -> Result<(), String> {
    let font = face.font();
    let (cid_id, descriptor_id, file_id, cmap_id) = (next(), next(), next(), next());
    // A subset font's name carries a tag of six capitals (PDF 32000 9.6.4); it is derived from the
    // glyphs so that two different subsets never share a name.
    let tag = subset_tag(font.name, &usage.remapper);
    let base = format!("{tag}+{}", font.name);
    let scale = 1000.0 / font.units_per_em;

    pdf.type0_font(id)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let count = usage.remapper.num_gids();
    let widths: Vec<f32> = (0..count)
        .map(|new| usage.used.get(&new).map(|&(_, advance)| f32::from(advance) * scale).unwrap_or(0.0))
        .collect();
    let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor_id)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();

    let [x0, y0, x1, y1] = font.bbox.map(|v| v * scale);
    let mut flags = FontFlags::NON_SYMBOLIC;
    if face == Face::Bold {
        flags |= FontFlags::FORCE_BOLD;
    }
    pdf.font_descriptor(descriptor_id)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(0.0)
        .ascent(font.ascender * scale)
        .descent(font.descender * scale)
        .cap_height(font.cap_height * scale)
        .stem_v(if face == Face::Bold { 140.0 } else { 80.0 })
        .font_file2(file_id);

    let subset = subsetter::subset(font.data, 0, &usage.remapper)
        .map_err(|e| format!("sous-ensemble de la police {} : {e}", font.name))?;
    pdf.stream(file_id, &deflate(&subset)).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);

    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Recouvre-UTF16"), system);
    let mut pairs: Vec<_> = usage.used.iter().collect();
    pairs.sort_unstable_by_key(|(id, _)| **id);
    for (new, (c, _)) in pairs {
        cmap.pair(*new, *c);
    }
    pdf.cmap(cmap_id, &deflate(&cmap.finish())).filter(Filter::FlateDecode);
    Ok(())
}

fn subset_tag(name: &str, remapper: &GlyphRemapper) -> String {
    let mut hash: u32 = 2_166_136_261;
    for byte in name.bytes().chain(remapper.remapped_gids().flat_map(u16::to_be_bytes)) {
        hash = (hash ^ u32::from(byte)).wrapping_mul(16_777_619);
    }
    (0..6).map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8)).collect()
}

fn pdf_date(at: DateTime<Utc>) -> pdf_writer::Date {
    pdf_writer::Date::new(at.year().clamp(0, 9999) as u16)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
