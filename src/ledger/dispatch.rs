//! Sending what was produced: registered letters (number, dates, the signed card), reminder
//! e-mails (the message, the SMTP settings, the sending logged in the history).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sqlx::Row;

use super::documents::{LetterRequest, Produced};
use super::{Ledger, WriteTx};
use crate::error::{Error, Field, Result};
use crate::receivables::invoice::NewAttachment;

/// A registered letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredLetter {
    /// Id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// The number on the La Poste label.
    pub number: String,
    /// Posted on.
    pub sent_on: NaiveDate,
    /// First presented on.
    pub presented_on: Option<NaiveDate>,
    /// Acknowledgement of receipt signed on.
    pub received_on: Option<NaiveDate>,
    /// Scan of the acknowledgement card, if recorded.
    pub ack_sha256: Option<String>,
    /// The document sent, when known.
    pub document_id: Option<i64>,
}

/// What to record about a registered letter (its number first; the dates and the card later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredLetterForm {
    /// Debtor.
    pub debtor_id: i64,
    /// The number on the label.
    pub number: String,
    /// Posted on (required the first time).
    pub sent_on: Option<NaiveDate>,
    /// First presented on.
    pub presented_on: Option<NaiveDate>,
    /// Acknowledgement signed on.
    pub received_on: Option<NaiveDate>,
    /// Scan of the acknowledgement card.
    pub ack_scan: Option<NewAttachment>,
}

impl Ledger {
    /// Records a registered letter, or completes it (same number): posting, first presentation and
    /// receipt dates, the scan of the signed card. Linked to the debtor's latest formal notice or
    /// letter of the posting day; on a formal notice, the notice's record gets the number and the
    /// date of receipt too. One transaction.
    pub async fn record_registered_letter(&self, form: &RegisteredLetterForm) -> Result<RegisteredLetter> {
        self.debtor(form.debtor_id).await?;
        let number: String = form.number.split_whitespace().collect::<Vec<_>>().join(" ");
        if number.is_empty() || number.len() > 40 {
            return Err(Error::invalid(
                Field::Status,
                &form.number,
                "numéro de recommandé attendu (tel qu'imprimé sur l'étiquette)",
            ));
        }
        let mut tx = self.begin().await?;
        let id = tx.record_registered(form, &number).await?;
        tx.commit().await?;
        self.registered_letters(form.debtor_id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(Error::UnknownDebtor(form.debtor_id))
    }

    /// A debtor's registered letters, newest first.
    pub async fn registered_letters(&self, debtor_id: i64) -> Result<Vec<RegisteredLetter>> {
        let rows = sqlx::query(
            "SELECT id, debtor_id, number, sent_on, presented_on, received_on, ack_sha256, document_id \
             FROM registered_letters WHERE debtor_id = $1 ORDER BY sent_on DESC, id DESC",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| RegisteredLetter {
                id: row.get(0),
                debtor_id: row.get(1),
                number: row.get(2),
                sent_on: row.get(3),
                presented_on: row.get(4),
                received_on: row.get(5),
                ack_sha256: row.get(6),
                document_id: row.get(7),
            })
            .collect())
    }
}

impl WriteTx {
    async fn record_registered(&mut self, form: &RegisteredLetterForm, number: &str) -> Result<i64> {
        let now = self.now;
        let existing: Option<(i64, i64, NaiveDate)> =
            sqlx::query_as("SELECT id, debtor_id, sent_on FROM registered_letters WHERE number = $1")
                .bind(number)
                .fetch_optional(self.conn())
                .await?;
        // Everything is checked before anything is written: the posting day (known already, or
        // given the first time), then the later dates against it.
        let sent = match existing {
            Some((_, debtor_id, _)) if debtor_id != form.debtor_id => {
                return Err(Error::invalid(
                    Field::Status,
                    number,
                    "ce recommandé est enregistré pour un autre débiteur",
                ));
            }
            Some((_, _, sent_on)) => form.sent_on.unwrap_or(sent_on),
            None => form.sent_on.ok_or_else(|| {
                Error::invalid(Field::Date, "", "date d'envoi du recommandé attendue la première fois (--sent)")
            })?,
        };
        for date in [form.presented_on, form.received_on].into_iter().flatten() {
            if date < sent {
                return Err(Error::invalid(Field::Date, date.to_string(), "antérieure à l'envoi du recommandé"));
            }
        }
        let ack = match &form.ack_scan {
            Some(scan) => Some(super::invoices::store_attachment(self.conn(), scan, now).await?),
            None => None,
        };
        let id = match existing {
            Some((id, ..)) => {
                sqlx::query(
                    "UPDATE registered_letters SET sent_on = $1, presented_on = COALESCE($2, presented_on), \
                     received_on = COALESCE($3, received_on), ack_sha256 = COALESCE($4, ack_sha256), \
                     ack_file_name = COALESCE($5, ack_file_name), updated_at = $6 WHERE id = $7",
                )
                .bind(sent)
                .bind(form.presented_on)
                .bind(form.received_on)
                .bind(&ack)
                .bind(form.ack_scan.as_ref().map(|s| s.file_name.clone()))
                .bind(now)
                .bind(id)
                .execute(self.conn())
                .await?;
                id
            }
            None => {
                let document: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM documents WHERE debtor_id = $1 AND dated <= $2 \
                     ORDER BY kind = 'mise-en-demeure' DESC, dated DESC, id DESC LIMIT 1",
                )
                .bind(form.debtor_id)
                .bind(sent)
                .fetch_optional(self.conn())
                .await?;
                sqlx::query_scalar(
                    "INSERT INTO registered_letters (debtor_id, number, sent_on, presented_on, received_on, ack_sha256, \
                         ack_file_name, document_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                     RETURNING id",
                )
                .bind(form.debtor_id)
                .bind(number)
                .bind(sent)
                .bind(form.presented_on)
                .bind(form.received_on)
                .bind(&ack)
                .bind(form.ack_scan.as_ref().map(|s| s.file_name.clone()))
                .bind(document)
                .bind(now)
                .fetch_one(self.conn())
                .await?
            }
        };
        // The formal notice sent that day carries the number and the receipt date: the dossier
        // proves the notice with them.
        let (sent, received): (NaiveDate, Option<NaiveDate>) =
            sqlx::query_as("SELECT sent_on, received_on FROM registered_letters WHERE id = $1")
                .bind(id)
                .fetch_one(self.conn())
                .await?;
        sqlx::query(
            "UPDATE formal_notices SET registered_number = $1, received_on = COALESCE($2, received_on) \
             WHERE debtor_id = $3 AND sent_on = $4",
        )
        .bind(number)
        .bind(received)
        .bind(form.debtor_id)
        .bind(sent)
        .execute(self.conn())
        .await?;
        Ok(id)
    }
}

impl Ledger {
    /// The SMTP server settings, if the user set them (the password is in the keyring).
    pub async fn smtp_settings(&self) -> Result<Option<crate::smtp::SmtpSettings>> {
        let row: Option<(String, i64, String, String)> =
            sqlx::query_as("SELECT host, port, username, security FROM smtp_settings WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(host, port, username, security)| {
            Ok(crate::smtp::SmtpSettings {
                host,
                port: u16::try_from(port).unwrap_or(0),
                username,
                security: crate::smtp::Security::parse(&security)?,
            })
        })
        .transpose()
    }

    /// Saves the SMTP server settings (checked first).
    pub async fn save_smtp_settings(&self, settings: &crate::smtp::SmtpSettings) -> Result<()> {
        settings.check()?;
        sqlx::query(
            "INSERT INTO smtp_settings (id, host, port, username, security, updated_at) VALUES (1, $1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, username = excluded.username, \
             security = excluded.security, updated_at = excluded.updated_at",
        )
        .bind(settings.host.trim())
        .bind(i64::from(settings.port))
        .bind(settings.username.trim())
        .bind(settings.security.as_str())
        .bind(self.now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets the SMTP settings.
    pub async fn clear_smtp_settings(&self) -> Result<()> {
        sqlx::query("DELETE FROM smtp_settings").execute(&self.pool).await?;
        Ok(())
    }

    /// Records that a document was sent by e-mail: an outgoing e-mail interaction linked to it
    /// (one transaction).
    pub async fn record_document_sent(&self, document_id: i64, to: &str, at: NaiveDateTime) -> Result<i64> {
        let (document, _) = self.document_pdf(document_id).await?;
        let mut tx = self.begin().await?;
        let id = tx
            .add_interaction(&super::NewInteraction {
                debtor_id: document.debtor_id,
                occurred_at: at,
                channel: crate::dunning::records::ContactChannel::Email,
                outbound: true,
                summary: format!("e-mail envoyé à {to} : {}", document.file_name.trim_end_matches(".pdf")),
                outcome: String::new(),
                files: Vec::new(),
            })
            .await?;
        tx.attach_document(document_id, id).await?;
        tx.set_interaction_document(id, &document.sha256).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// A reminder e-mail just produced: its letter (stored like any document) and the message.
#[derive(Debug, Clone)]
pub struct ProducedEmail {
    /// The letter and its PDF, stored.
    pub produced: Produced,
    /// The RFC 5322 message (`.eml`), the PDF attached.
    pub message: Vec<u8>,
    /// Sender address (the creditor's).
    pub from: String,
    /// Recipient address (the debtor's).
    pub to: String,
}

impl Ledger {
    /// Produces a reminder e-mail: the letter (stored), then the message from the creditor's address
    /// to the debtor's. Both addresses are checked before anything is stored.
    pub async fn produce_email(&self, request: &LetterRequest) -> Result<ProducedEmail> {
        let debtor = self.debtor(request.debtor_id).await?;
        let profile = self.profile().await?.ok_or(Error::NoProfile)?;
        let to = debtor.email.clone().ok_or_else(|| Error::MissingValue {
            placeholder: "debiteur.email".into(),
            what: format!("l'adresse e-mail de {}", debtor.name),
            fix: format!("Renseignez-la (recouvre debtor edit {} --email …).", debtor.id),
        })?;
        let from = profile.email.clone().ok_or_else(|| Error::MissingValue {
            placeholder: "creancier.email".into(),
            what: "l'adresse e-mail de votre entreprise".into(),
            fix: "Renseignez-la (recouvre profile set --email …).".into(),
        })?;
        for address in [&to, &from] {
            crate::identifiers::email(address).map_err(|reason| Error::invalid(Field::Email, address, reason))?;
        }
        let produced = self.produce_letter(request).await?;
        let envelope = crate::documents::eml::Envelope {
            from_name: &profile.legal_name,
            from: &from,
            to_name: &debtor.name,
            to: &to,
        };
        let message = crate::documents::eml::message(
            &produced.letter,
            &envelope,
            &produced.pdf,
            &produced.document.file_name,
            produced.document.created_at,
        )?;
        Ok(ProducedEmail { produced, message, from, to })
    }

    /// Sends a produced e-mail through the SMTP server set by the user (password from the keyring)
    /// and logs the sending in the debtor's history, linked to the document.
    pub async fn send_email(&self, email: &ProducedEmail, at: NaiveDateTime) -> Result<()> {
        let settings = self.smtp_settings().await?.ok_or_else(|| Error::MissingValue {
            placeholder: "smtp".into(),
            what: "le serveur d'envoi".into(),
            fix: "Réglez-le d'abord (recouvre smtp set --host … --user … --password-stdin).".into(),
        })?;
        let password = crate::smtp::password(&settings)?;
        let message = email.message.clone();
        let (from, to) = (email.from.clone(), email.to.clone());
        // The SMTP conversation blocks: it runs off the async runtime's threads.
        tokio::task::spawn_blocking(move || crate::smtp::send(&settings, &password, &from, &to, &message))
            .await
            .map_err(|e| Error::Smtp(e.to_string()))??;
        self.record_document_sent(email.produced.document.id, &email.to, at).await?;
        Ok(())
    }
}
