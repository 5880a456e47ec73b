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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::logo::{Logo, test_png};
    use crate::documents::model::{Block, Signature};

    fn letter(logo: Option<std::sync::Arc<Logo>>, name: &str) -> Letter {
        Letter {
            lang: "fr-FR",
            title: format!("Relance — {name}"),
            logo,
            sender: vec!["Atelier Test SARL".into(), "1 rue de la Paix".into(), "69001 Lyon".into()],
            recipient: vec![name.into(), "2 rue B".into(), "69002 LYON".into()],
            place_date: "Lyon, le 24 novembre 2026".into(),
            registered: None,
            references: vec![],
            subject: "Objet : Relance".into(),
            salutation: "Madame, Monsieur,".into(),
            blocks: vec![Block::Paragraph { text: "Merci de régler 1\u{202f}234,56\u{a0}€.".into() }],
            signatures: vec![Signature {
                role: "Pour le créancier".into(),
                name: "Anne Test".into(),
                title: None,
                mention: None,
                field: "signature_creancier".into(),
            }],
            legal_mentions: "Atelier Test — SARL · RCS Lyon 732 829 320".into(),
            page_label: "page {n}/{total}",
            claimed: None,
        }
    }

    fn count(haystack: &[u8], needle: &[u8]) -> usize {
        haystack.windows(needle.len()).filter(|w| *w == needle).count()
    }

    #[test]
    fn a_batch_embeds_one_logo_and_names_every_signature_field_apart() {
        let logo = Logo::from_png("logo.png", &test_png(120, 40, true)).unwrap();
        let letters: Vec<Letter> = (0..3).map(|i| letter(Some(logo.clone()), &format!("Client {i}"))).collect();
        let created = chrono::DateTime::from_timestamp(1_795_536_000, 0).unwrap();
        let pdf = render_many(&letters, created).unwrap();
        assert_eq!(count(&pdf, b"/Subtype /Image"), 2, "one logo and its mask for three letters");
        for i in 1..=3 {
            assert_eq!(count(&pdf, format!("(signature_creancier_{i})").as_bytes()), 1);
        }
        assert_eq!(count(&pdf, b"/Type /Page\n"), 3);
    }

    #[test]
    fn the_same_letter_renders_to_the_same_bytes() {
        let created = chrono::DateTime::from_timestamp(1_795_536_000, 0).unwrap();
        let first = render(&letter(None, "Client"), created).unwrap();
        assert_eq!(first, render(&letter(None, "Client"), created).unwrap(), "reproducible: same facts, same hash");
        assert!(first.starts_with(b"%PDF-1.7"));
    }
}
