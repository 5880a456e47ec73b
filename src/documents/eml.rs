//! A reminder e-mail as a standard message file (RFC 5322 `.eml`): `multipart/mixed` holding the
//! text and HTML alternatives of the letter and its PDF attached. Any mail client opens it; the
//! user sends it from their own mailbox, or Recouvre sends it by SMTP when configured.

use chrono::{DateTime, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;

use super::html;
use super::model::Letter;
use crate::error::{Error, Field, Result};

/// The two ends of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// Sender name (the creditor).
    pub from_name: &'a str,
    /// Sender address.
    pub from: &'a str,
    /// Recipient name.
    pub to_name: &'a str,
    /// Recipient address.
    pub to: &'a str,
}

/// Builds the message; `pdf_name` is the attachment's file name.
pub fn message(letter: &Letter, envelope: &Envelope, pdf: &[u8], pdf_name: &str, at: DateTime<Utc>) -> Result<Vec<u8>> {
    for (address, field) in [(envelope.from, Field::Email), (envelope.to, Field::Email)] {
        crate::identifiers::email(address).map_err(|reason| Error::invalid(field, address, reason))?;
    }
    let subject = letter.subject.split_once(": ").map_or(letter.subject.as_str(), |(_, s)| s).trim_start_matches(": ");
    let id = format!("{}.{}@recouvre.invalid", at.timestamp(), &sha_hex(pdf)[..16]);
    MessageBuilder::new()
        .from(Address::new_address(Some(envelope.from_name), envelope.from))
        .to(Address::new_address(Some(envelope.to_name), envelope.to))
        .subject(subject)
        .date(at.timestamp())
        .message_id(id)
        .text_body(letter.plain_text())
        .html_body(html::render(letter, false))
        .attachment("application/pdf", pdf_name.to_owned(), pdf.to_vec())
        .write_to_vec()
        .map_err(|e| Error::invalid(Field::File, pdf_name, e.to_string()))
}

fn sha_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
