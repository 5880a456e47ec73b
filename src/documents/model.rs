//! A letter as content, before any layout: what the PDF, the HTML e-mail and the plain-text e-mail
//! all print, each in its own way. Built by [`super::compose`] from the ledger's facts and a
//! template's wording.

use std::sync::Arc;

use serde::Serialize;

use super::logo::Logo;

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Text.
    Left,
    /// Amounts and dates.
    Right,
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Header.
    pub title: String,
    /// Alignment.
    pub align: Align,
    /// Share of the table width, in parts.
    pub weight: u16,
}

/// A table that may run over several pages (its header is repeated on each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Closing row in bold (the totals), if any.
    pub total: Option<Vec<String>>,
}

/// A line of figures: a label, an amount, bold or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// What the amount is.
    pub label: String,
    /// The amount, formatted.
    pub amount: String,
    /// The basis, in small print under the label (article and rate), if any.
    pub basis: Option<String>,
    /// Bold (the total).
    pub strong: bool,
}

/// How to pay, with the SEPA QR code when the creditor has an IBAN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Heading ("Règlement", "How to pay").
    pub heading: String,
    /// Lines: amount, IBAN, BIC, reference, beneficiary.
    pub lines: Vec<String>,
    /// The EPC "SCT" QR payload, if a transfer can be prepared.
    pub qr_payload: Option<String>,
    /// Caption under the QR code.
    pub qr_caption: String,
}

/// One party's signature slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    /// Role ("Le créancier", "Le débiteur").
    pub role: String,
    /// Name of the signatory, if known.
    pub name: String,
    /// Title (gérant, …), if known.
    pub title: Option<String>,
    /// Handwritten mention to copy, if any ("Lu et approuvé, bon pour reconnaissance de dette…").
    pub mention: Option<String>,
    /// Name of the PDF signature field (unique in the document).
    pub field: String,
}

/// A piece of the body, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Block {
    /// A paragraph of running text.
    Paragraph {
        /// Text (may contain line breaks).
        text: String,
    },
    /// A table (invoices, instalments).
    Table(Table),
    /// Figures: the statement of what is owed.
    Figures {
        /// Lines.
        lines: Vec<Figure>,
    },
    /// Payment instructions with a QR code.
    Payment(Payment),
}

/// A complete letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// Language tag (`fr-FR`, `en-GB`).
    pub lang: &'static str,
    /// Document title (metadata, file name, e-mail subject).
    pub title: String,
    /// The creditor's logo, printed top left.
    #[serde(skip)]
    pub logo: Option<Arc<Logo>>,
    /// The creditor: name first, then address and contact lines.
    pub sender: Vec<String>,
    /// The recipient as on the envelope: name, contact, address lines, postcode and city, country.
    pub recipient: Vec<String>,
    /// "Lyon, le 24 novembre 2026".
    pub place_date: String,
    /// "Lettre recommandée avec accusé de réception n° …", when sent that way.
    pub registered: Option<String>,
    /// References ("Nos références : …").
    pub references: Vec<String>,
    /// Subject line ("Objet : …").
    pub subject: String,
    /// Salutation ("Madame, Monsieur,").
    pub salutation: String,
    /// Body blocks.
    pub blocks: Vec<Block>,
    /// Signatures, left to right.
    pub signatures: Vec<Signature>,
    /// The creditor's legal mentions (legal form, SIREN, RCS, VAT number), printed in every footer.
    pub legal_mentions: String,
    /// "page {n}/{total}" in the letter's language, with `{n}` and `{total}` to fill in.
    pub page_label: &'static str,
    /// The amount the letter asks for, when it asks for one (kept with the stored document).
    #[serde(skip)]
    pub claimed: Option<rust_decimal::Decimal>,
}

impl Letter {
    /// The text of the letter, for the plain-text part of an e-mail and for quick checks.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.subject);
        out.push_str("\n\n");
        out.push_str(&self.salutation);
        out.push_str("\n\n");
        for block in &self.blocks {
            match block {
                Block::Paragraph { text } => out.push_str(text),
                Block::Table(table) => {
                    out.push_str(&table.columns.iter().map(|c| c.title.as_str()).collect::<Vec<_>>().join(" | "));
                    for row in table.rows.iter().chain(table.total.iter()) {
                        out.push('\n');
                        out.push_str(&row.join(" | "));
                    }
                }
                Block::Figures { lines } => {
                    let text: Vec<String> = lines.iter().map(|l| format!("{} : {}", l.label, l.amount)).collect();
                    out.push_str(&text.join("\n"));
                }
                Block::Payment(payment) => {
                    out.push_str(&payment.heading);
                    for line in &payment.lines {
                        out.push('\n');
                        out.push_str(line);
                    }
                }
            }
            out.push_str("\n\n");
        }
        for signature in &self.signatures {
            out.push_str(&signature.name);
            if let Some(title) = &signature.title {
                out.push_str(", ");
                out.push_str(title);
            }
            out.push('\n');
        }
        out.push_str("\n--\n");
        out.push_str(&self.sender.join("\n"));
        out.push('\n');
        out.push_str(&self.legal_mentions);
        out.push('\n');
        out
    }
}
