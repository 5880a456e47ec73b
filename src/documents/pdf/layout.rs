//! French business-letter layout on A4 (after NF Z 11-001 usage): the sender top left, the
//! recipient's address in the window of a DL envelope, place and date, the registered-letter line,
//! references and subject, the body, then the signatures; the creditor's legal mentions and
//! "page n/N" in every footer. Tables run over pages with their header repeated.
//!
//! The address window: a DL (110 × 220 mm) window envelope, as sold in France, has a 45 × 100 mm
//! window 20 mm from its right edge and 15 mm from its bottom, so 100 to 200 mm from its left edge
//! and 50 to 95 mm from its top. An A4 sheet folded in three (210 × 99 mm) slides in it by up to
//! 10 mm sideways and 11 mm up or down; what the window shows of the sheet in every position is 100
//! to 190 mm from the sheet's left edge and 50 to 84 mm from its top. The address is printed in the
//! box [`WINDOW`] — 110 to 188 mm across, 52 to 84 mm down. The tests check every word of the
//! address lies in it, in the real PDF (`pdftotext -bbox`).

use super::fonts::Face;
use super::page::{PAGE_HEIGHT, PAGE_WIDTH, Page, mm};
use crate::documents::epc;
use crate::documents::model::{Align, Block, Figure, Letter, Payment, Signature, Table};

/// The address box, in millimetres from the sheet's top-left corner: left, top, right, bottom.
pub const WINDOW: [f32; 4] = [110.0, 52.0, 188.0, 84.0];

const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const TOP: f32 = 15.0;
/// Lowest point of the body, in millimetres from the top (the footer lives below).
const BODY_BOTTOM: f32 = 274.0;
const BODY_SIZE: f32 = 9.5;
const LEADING: f32 = 13.0;
const SMALL: f32 = 8.0;

/// Lays a letter out on A4 pages.
pub fn lay_out(letter: &Letter) -> Vec<Page> {
    let mut flow = Flow { pages: vec![Page::default()], y: 0.0, letter };
    flow.first_page_head();
    for block in &letter.blocks {
        match block {
            Block::Paragraph { text } => flow.paragraph(text, Face::Regular, BODY_SIZE),
            Block::Table(table) => flow.table(table),
            Block::Figures { lines } => flow.figures(lines),
            Block::Payment(payment) => flow.payment(payment),
        }
    }
    flow.signatures(&letter.signatures);
    let total = flow.pages.len();
    for (index, page) in flow.pages.iter_mut().enumerate() {
        footer(page, letter, index + 1, total);
    }
    flow.pages
}

/// Breaks a text into lines no wider than `width` points, at spaces (a word longer than the line
/// is cut). No-break spaces (in amounts and before French punctuation) never break.
pub fn wrap(text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let font = face.font();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if font.width(&candidate, size) <= width || line.is_empty() && font.width(word, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word;
            while font.width(rest, size) > width {
                let mut cut = rest.len();
                while cut > 1 && font.width(&rest[..cut], size) > width {
                    cut = rest[..cut - 1].char_indices().last().map(|(i, c)| i + c.len_utf8()).unwrap_or(1);
                }
                lines.push(rest[..cut].to_owned());
                rest = &rest[cut..];
            }
            line = rest.to_owned();
        }
        lines.push(line);
    }
    lines
}

struct Flow<'a> {
    pages: Vec<Page>,
    /// Distance from the top of the page to the next line's top, in points.
    y: f32,
    letter: &'a Letter,
}

impl Flow<'_> {
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// Baseline (from the bottom) of a line of `size` whose top is at `self.y`.
    fn baseline(&self, size: f32) -> f32 {
        PAGE_HEIGHT - self.y - size * 0.905
    }

    /// Starts a new page when `height` points do not fit; says whether it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height <= mm(BODY_BOTTOM) {
            return false;
        }
        self.pages.push(Page::default());
        self.y = mm(TOP);
        let head =
            format!("{} — {}", self.letter.sender.first().map(String::as_str).unwrap_or(""), self.letter.subject);
        let line = wrap(&head, Face::Regular, SMALL, mm(RIGHT - LEFT)).swap_remove(0);
        let baseline = self.baseline(SMALL);
        self.page().grey_text(mm(LEFT), baseline, Face::Regular, SMALL, 0.4, line);
        self.y += mm(10.0);
        true
    }

    fn first_page_head(&mut self) {
        let letter = self.letter;
        // Logo then sender, top left.
        self.y = mm(TOP);
        if let Some(logo) = &letter.logo {
            // At most 50 × 16 mm, proportions kept.
            let scale = (mm(50.0) / logo.width as f32).min(mm(16.0) / logo.height as f32);
            let (width, height) = (logo.width as f32 * scale, logo.height as f32 * scale);
            let y = PAGE_HEIGHT - self.y - height;
            self.page().marks.push(super::page::Mark::Image { x: mm(LEFT), y, width, height, logo: logo.clone() });
            self.y += height + mm(3.0);
        }
        for (index, line) in letter.sender.iter().enumerate() {
            let (face, size) = if index == 0 { (Face::Bold, 11.0) } else { (Face::Regular, 9.0) };
            let baseline = self.baseline(size);
            self.page().text(mm(LEFT), baseline, face, size, line.as_str());
            self.y += size * 1.3;
        }
        let sender_end = self.y;
        // Place and date, right, above the window.
        let [left, top, right, bottom] = WINDOW;
        self.y = mm(top - 10.0);
        let baseline = self.baseline(BODY_SIZE);
        self.page().text_right(mm(RIGHT), baseline, Face::Regular, BODY_SIZE, letter.place_date.as_str());
        // Recipient, in the envelope window. The line box starts a little below the box's top:
        // accents on capitals stay inside.
        self.y = mm(top) + 2.0;
        for (index, line) in letter.recipient.iter().enumerate() {
            let face = if index == 0 { Face::Bold } else { Face::Regular };
            for part in wrap(line, face, 10.5, mm(right - left)) {
                let baseline = self.baseline(10.5);
                self.page().text(mm(left), baseline, face, 10.5, part);
                self.y += 13.0;
            }
        }
        // Fold marks in the left margin, for a DL envelope (sheet in three panels of 99 mm).
        for at in [99.0, 198.0] {
            self.page().stroke(mm(3.0), PAGE_HEIGHT - mm(at), mm(4.0), 0.0, 0.3, 0.5);
        }
        // The registered-letter line and the references, left, beside the window (hidden by the
        // envelope, as they should be).
        self.y = sender_end.max(mm(top)) + 4.0;
        let column = mm(left - LEFT - 8.0);
        let side = |page: &mut Page, text: &str, face: Face, size: f32, y: &mut f32| {
            for line in wrap(text, face, size, column) {
                page.text(mm(LEFT), PAGE_HEIGHT - *y - size * 0.905, face, size, line);
                *y += size * 1.3;
            }
        };
        let mut y = self.y;
        let page = self.pages.last_mut().expect("a page");
        if let Some(registered) = &letter.registered {
            side(page, registered, Face::Bold, 9.0, &mut y);
            y += 3.0;
        }
        for reference in &letter.references {
            side(page, reference, Face::Regular, 9.0, &mut y);
        }
        self.y = y.max(mm(bottom)) + mm(5.0);
        self.paragraph(&letter.subject, Face::Bold, BODY_SIZE);
        self.paragraph(&letter.salutation, Face::Regular, BODY_SIZE);
    }

    /// Lines without the paragraph spacing after them.
    fn paragraph_lines(&mut self, text: &str, face: Face, size: f32) {
        let leading = size * 1.35;
        for line in wrap(text, face, size, mm(RIGHT - LEFT)) {
            self.ensure(leading);
            let baseline = self.baseline(size);
            self.page().text(mm(LEFT), baseline, face, size, line);
            self.y += leading;
        }
    }

    fn paragraph(&mut self, text: &str, face: Face, size: f32) {
        self.paragraph_lines(text, face, size);
        self.y += 4.0;
    }

    fn table(&mut self, table: &Table) {
        let width = mm(RIGHT - LEFT);
        let parts: f32 = table.columns.iter().map(|c| f32::from(c.weight)).sum::<f32>().max(1.0);
        let widths: Vec<f32> = table.columns.iter().map(|c| width * f32::from(c.weight) / parts).collect();
        let header: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
        let size = 9.0;
        self.ensure(3.0 * LEADING);
        self.row(&header, &widths, table, Face::Bold, size, Some(0.9));
        for row in &table.rows {
            let height = self.row_height(row, &widths, Face::Regular, size);
            if self.ensure(height) {
                self.row(&header, &widths, table, Face::Bold, size, Some(0.9));
            }
            self.row(row, &widths, table, Face::Regular, size, None);
        }
        if let Some(total) = &table.total {
            let height = self.row_height(total, &widths, Face::Bold, size);
            if self.ensure(height) {
                self.row(&header, &widths, table, Face::Bold, size, Some(0.9));
            }
            self.row(total, &widths, table, Face::Bold, size, Some(0.96));
        }
        self.y += 8.0;
    }

    fn row_height(&self, cells: &[String], widths: &[f32], face: Face, size: f32) -> f32 {
        let lines = cells.iter().zip(widths).map(|(c, w)| wrap(c, face, size, w - 6.0).len()).max().unwrap_or(1);
        lines as f32 * size * 1.3 + 5.0
    }

    fn row(&mut self, cells: &[String], widths: &[f32], table: &Table, face: Face, size: f32, shade: Option<f32>) {
        let height = self.row_height(cells, widths, face, size);
        let top = PAGE_HEIGHT - self.y;
        if let Some(grey) = shade {
            self.page().fill(mm(LEFT), top - height, mm(RIGHT - LEFT), height, grey);
        }
        let mut x = mm(LEFT);
        for ((cell, width), column) in cells.iter().zip(widths).zip(&table.columns) {
            let mut line_top = self.y + 2.5;
            for line in wrap(cell, face, size, width - 6.0) {
                let baseline = PAGE_HEIGHT - line_top - size * 0.905;
                match column.align {
                    Align::Left => self.page().text(x + 3.0, baseline, face, size, line),
                    Align::Right => self.page().text_right(x + width - 3.0, baseline, face, size, line),
                }
                line_top += size * 1.3;
            }
            x += width;
        }
        self.page().stroke(mm(LEFT), top - height, mm(RIGHT - LEFT), 0.0, 0.4, 0.7);
        self.y += height;
    }

    fn figures(&mut self, lines: &[Figure]) {
        let label_width = mm(RIGHT - LEFT - 45.0);
        let heights: Vec<(Vec<String>, f32)> = lines
            .iter()
            .map(|line| {
                let basis = line.basis.as_deref().map(|b| wrap(b, Face::Regular, 7.5, label_width)).unwrap_or_default();
                let height = LEADING + basis.len() as f32 * 9.5 + 2.0;
                (basis, height)
            })
            .collect();
        self.ensure(heights.iter().map(|h| h.1).sum());
        for (line, (basis, height)) in lines.iter().zip(heights) {
            self.ensure(height);
            let face = if line.strong { Face::Bold } else { Face::Regular };
            if line.strong {
                let top = PAGE_HEIGHT - self.y + 2.0;
                self.page().stroke(mm(LEFT), top, mm(RIGHT - LEFT), 0.0, 0.6, 0.3);
            }
            let baseline = self.baseline(BODY_SIZE);
            self.page().text(mm(LEFT), baseline, face, BODY_SIZE, line.label.as_str());
            self.page().text_right(mm(RIGHT), baseline, face, BODY_SIZE, line.amount.as_str());
            let mut y = self.y + LEADING;
            for part in basis {
                let baseline = PAGE_HEIGHT - y - 7.5 * 0.905;
                self.page().grey_text(mm(LEFT + 3.0), baseline, Face::Regular, 7.5, 0.35, part);
                y += 9.5;
            }
            self.y += height;
        }
        self.y += 6.0;
    }

    fn payment(&mut self, payment: &Payment) {
        let qr = payment.qr_payload.as_deref().and_then(|p| epc::modules(p).ok());
        let qr_size = mm(24.0);
        let text_width = if qr.is_some() { mm(RIGHT - LEFT - 45.0) } else { mm(RIGHT - LEFT - 8.0) };
        let lines: Vec<String> = payment.lines.iter().flat_map(|l| wrap(l, Face::Regular, 9.5, text_width)).collect();
        let text_height = LEADING * (lines.len() as f32 + 1.0) + 4.0;
        let height = if qr.is_some() { text_height.max(qr_size + 18.0) } else { text_height } + 2.0;
        self.ensure(height + 6.0);
        let top = PAGE_HEIGHT - self.y;
        self.page().stroke(mm(LEFT), top - height, mm(RIGHT - LEFT), height, 0.6, 0.6);
        self.y += 6.0;
        let baseline = self.baseline(BODY_SIZE);
        self.page().text(mm(LEFT + 4.0), baseline, Face::Bold, BODY_SIZE, payment.heading.as_str());
        self.y += LEADING + 2.0;
        for line in lines {
            let baseline = self.baseline(9.5);
            self.page().text(mm(LEFT + 4.0), baseline, Face::Regular, 9.5, line);
            self.y += LEADING;
        }
        if let Some((width, dark)) = qr {
            let module = qr_size / width as f32;
            let x0 = mm(RIGHT - 4.0) - qr_size;
            let y0 = top - 6.0;
            let page = self.page();
            // One rectangle per run of dark modules in a row keeps the drawing small.
            for row in 0..width {
                let mut col = 0;
                while col < width {
                    if !dark[row * width + col] {
                        col += 1;
                        continue;
                    }
                    let start = col;
                    while col < width && dark[row * width + col] {
                        col += 1;
                    }
                    let y = y0 - (row + 1) as f32 * module;
                    page.fill(x0 + start as f32 * module, y, (col - start) as f32 * module, module, 0.0);
                }
            }
            for (index, part) in wrap(&payment.qr_caption, Face::Regular, 6.5, qr_size + 16.0).into_iter().enumerate() {
                let y = y0 - qr_size - 9.0 - index as f32 * 8.0;
                page.text_centred(x0 + qr_size / 2.0, y, Face::Regular, 6.5, 0.3, part);
            }
        }
        self.y = PAGE_HEIGHT - (top - height) + 8.0;
    }

    fn signatures(&mut self, signatures: &[Signature]) {
        if signatures.is_empty() {
            return;
        }
        let slot = mm(RIGHT - LEFT) / signatures.len() as f32;
        let box_width = (slot - mm(8.0)).min(mm(70.0));
        let mentions: Vec<Vec<String>> = signatures
            .iter()
            .map(|s| s.mention.as_deref().map(|m| wrap(m, Face::Regular, 7.5, box_width)).unwrap_or_default())
            .collect();
        let mention_lines = mentions.iter().map(Vec::len).max().unwrap_or(0) as f32;
        let box_height = mm(16.0);
        // One signatory signs as in any French letter (name, title); parties to an agreement say
        // which party they sign for.
        let lines = if signatures.len() == 1 { 2.0 } else { 3.0 };
        let height = lines * LEADING + mention_lines * 9.5 + box_height + 4.0;
        self.ensure(height);
        let start = self.y + 2.0;
        for (index, (signature, mention)) in signatures.iter().zip(mentions).enumerate() {
            // A single signature sits on the right, as in a French letter; several share the width.
            let x = if signatures.len() == 1 { mm(RIGHT) - box_width } else { mm(LEFT) + index as f32 * slot };
            let mut y = start;
            let line = |page: &mut Page, face: Face, size: f32, grey: f32, text: &str, y: &mut f32| {
                page.grey_text(x, PAGE_HEIGHT - *y - size * 0.905, face, size, grey, text);
                *y += size * 1.35;
            };
            let page = self.pages.last_mut().expect("a page");
            if signatures.len() > 1 {
                line(page, Face::Regular, 9.0, 0.3, &signature.role, &mut y);
            }
            line(page, Face::Bold, BODY_SIZE, 0.0, &signature.name, &mut y);
            if let Some(title) = &signature.title {
                line(page, Face::Regular, 9.0, 0.0, title, &mut y);
            }
            for part in &mention {
                line(page, Face::Regular, 7.5, 0.35, part, &mut y);
            }
            let top = PAGE_HEIGHT - start - lines * LEADING - mention_lines * 9.5;
            page.stroke(x, top - box_height, box_width, box_height, 0.4, 0.75);
            page.marks.push(super::page::Mark::SignatureField {
                x,
                y: top - box_height,
                width: box_width,
                height: box_height,
                name: signature.field.clone(),
            });
        }
        self.y += height;
    }
}

fn footer(page: &mut Page, letter: &Letter, number: usize, total: usize) {
    let rule = mm(18.0);
    page.stroke(mm(LEFT), rule, mm(RIGHT - LEFT), 0.0, 0.4, 0.7);
    let lines = wrap(&letter.legal_mentions, Face::Regular, 7.0, mm(RIGHT - LEFT - 25.0));
    let centre = PAGE_WIDTH / 2.0;
    for (index, line) in lines.iter().take(2).enumerate() {
        page.text_centred(centre, rule - 10.0 - index as f32 * 8.5, Face::Regular, 7.0, 0.3, line.as_str());
    }
    if total > 1 {
        let label = letter.page_label.replace("{n}", &number.to_string()).replace("{total}", &total.to_string());
        let x = mm(RIGHT) - Face::Regular.font().width(&label, 7.5);
        page.grey_text(x, rule - 10.0, Face::Regular, 7.5, 0.3, label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_lines_within_width_and_words_whole() {
        let text = "Nous vous mettons en demeure de régler la somme de 1\u{202f}234,56\u{a0}€ sous huit jours.";
        let lines = wrap(text, Face::Regular, 10.0, 120.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(Face::Regular.font().width(line, 10.0) <= 120.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().any(|l| l.contains("1\u{202f}234,56\u{a0}€")), "an amount never breaks: {lines:?}");
    }

    #[test]
    fn an_overlong_word_is_cut_not_lost() {
        let word = "X".repeat(80);
        let lines = wrap(&word, Face::Regular, 10.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn window_box_lies_inside_the_dl_envelope_window() {
        let [left, top, right, bottom] = WINDOW;
        // Seen through the window whatever the sheet's position: 100–190 mm across, 50–84 mm down.
        assert!(left >= 100.0 && right <= 190.0 && top >= 50.0 && bottom <= 84.0);
        // Six lines of 10.5 pt (13 pt apart) fit: name, contact, three address lines, city.
        assert!(6.0 * 13.0 <= (bottom - top) * 72.0 / 25.4);
    }
}
