//! The letter as an A4 PDF: layout ([`layout`]) then serialisation ([`writer`]), with the two faces
//! of the shipped font embedded as subsets ([`fonts`]).

pub mod fonts;
pub mod layout;
pub mod page;
pub mod writer;

use chrono::{DateTime, Utc};

use super::model::Letter;
use crate::error::{Error, Result};

/// Renders a letter; `created` is the production instant written in the metadata.
pub fn render(letter: &Letter, created: DateTime<Utc>) -> Result<Vec<u8>> {
    render_many(std::slice::from_ref(letter), created)
}

/// Renders several letters one after the other in one PDF (the day's letters for the printer):
/// each starts on a new page, with its own page numbers.
pub fn render_many(letters: &[Letter], created: DateTime<Utc>) -> Result<Vec<u8>> {
    let Some(first) = letters.first() else {
        return Err(Error::invalid(crate::Field::Count, "0", "aucun document à imprimer"));
    };
    let mut pages = Vec::new();
    for (index, letter) in letters.iter().enumerate() {
        let mut laid = layout::lay_out(letter);
        if letters.len() > 1 {
            // Signature fields must have unique names across the whole file.
            for page in &mut laid {
                for mark in &mut page.marks {
                    if let page::Mark::SignatureField { name, .. } = mark {
                        *name = format!("{name}_{}", index + 1);
                    }
                }
            }
        }
        pages.extend(laid);
    }
    let meta = if letters.len() == 1 {
        writer::Metadata {
            title: first.title.clone(),
            author: first.sender.first().cloned().unwrap_or_default(),
            subject: first.subject.clone(),
            lang: first.lang,
            created,
        }
    } else {
        writer::Metadata {
            title: format!("Courriers du jour ({} lettres)", letters.len()),
            author: first.sender.first().cloned().unwrap_or_default(),
            subject: "Lettres de relance à imprimer".to_owned(),
            lang: "fr-FR",
            created,
        }
    };
    writer::write(&pages, &meta).map_err(|reason| Error::invalid(crate::Field::File, "PDF", reason))
}
