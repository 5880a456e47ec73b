//! Documents in the ledger: the user's wording of each letter, composing a letter from the ledger's
//! facts, storing every document produced (by content hash, with its debtor, kind, wording and
//! date), the day's letters for the printer, and registered letters.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{Ledger, WriteTx};
use crate::documents::compose::{self, DEFAULT_DEADLINE_DAYS, Facts};
use crate::documents::model::Letter;
use crate::documents::wording::Wording;
use crate::documents::{DocumentKind, Lang, pdf};
use crate::dunning::agenda::ActionKind;
use crate::dunning::scenario::Channel;
use crate::error::{Error, Field, Result};
use crate::law::statement::Scope;
use crate::money::{from_cents, to_cents};
use crate::receivables::invoice::NewAttachment;

/// What to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRequest {
    /// Debtor.
    pub debtor_id: i64,
    /// Which document.
    pub kind: DocumentKind,
    /// Language; by default French for a debtor in France, English abroad (when the document
    /// exists in English).
    pub lang: Option<Lang>,
    /// Date of the letter (figures are computed to it).
    pub at: NaiveDate,
    /// Days given to pay (8 by default).
    pub deadline_days: Option<u32>,
    /// Registered-letter number printed on the letter.
    pub registered_number: Option<String>,
    /// The payment a receipt is for (the latest one by default).
    pub payment_id: Option<i64>,
}

impl LetterRequest {
    /// A request with the defaults.
    pub fn new(debtor_id: i64, kind: DocumentKind, at: NaiveDate) -> Self {
        LetterRequest {
            debtor_id,
            kind,
            lang: None,
            at,
            deadline_days: None,
            registered_number: None,
            payment_id: None,
        }
    }
}

/// A document as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDocument {
    /// Id.
    pub id: i64,
    /// SHA-256 of the PDF (its key in the attachments).
    pub sha256: String,
    /// Debtor.
    pub debtor_id: i64,
    /// Kind.
    pub kind: DocumentKind,
    /// Language.
    pub lang: Lang,
    /// Whether the user's own wording was used.
    pub custom_wording: bool,
    /// Date of the letter.
    pub dated: NaiveDate,
    /// Amount claimed, if it claims one.
    pub total: Option<rust_decimal::Decimal>,
    /// File name offered when it is saved.
    pub file_name: String,
    /// Size of the PDF.
    pub size_bytes: i64,
    /// The interaction that sent it, once sent.
    pub interaction_id: Option<i64>,
    /// When it was produced.
    pub created_at: DateTime<Utc>,
}

/// A document just produced: what it says, its PDF, and its record.
#[derive(Debug, Clone)]
pub struct Produced {
    /// The letter's content.
    pub letter: Letter,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Its record.
    pub document: StoredDocument,
}

/// A letter of the day's agenda that could not be produced, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unprinted {
    /// Debtor.
    pub debtor_id: i64,
    /// Debtor name.
    pub debtor_name: String,
    /// Why (the error's message: what to fill in).
    pub reason: String,
}

/// The day's letters.
#[derive(Debug, Clone)]
pub struct PrintDay {
    /// Each letter, in agenda order.
    pub letters: Vec<Produced>,
    /// All of them in one PDF, for the printer (empty when there is no letter).
    pub combined: Vec<u8>,
    /// Letters that could not be produced.
    pub unprinted: Vec<Unprinted>,
}

/// File name of a document: date, kind, debtor — safe on every file system.
pub fn file_name(kind: DocumentKind, lang: Lang, debtor_name: &str, at: NaiveDate) -> String {
    let safe: String = debtor_name
        .chars()
        .map(|c| if c.is_alphanumeric() || " -_.'".contains(c) { c } else { '_' })
        .collect::<String>()
        .trim()
        .chars()
        .take(60)
        .collect();
    let suffix = if lang == Lang::En { " (EN)" } else { "" };
    format!("{at} {} - {safe}{suffix}.pdf", kind.as_str())
}

fn wording_hash(wording: &Wording) -> String {
    hex::encode(Sha256::digest(format!("{}\n\n{}", wording.subject, wording.body).as_bytes()))
}

impl Ledger {
    /// The wording of a document: the user's, else the shipped one. Says which.
    pub async fn wording(&self, kind: DocumentKind, lang: Lang) -> Result<(Wording, bool)> {
        let row = sqlx::query("SELECT subject, body FROM letter_templates WHERE kind = $1 AND lang = $2")
            .bind(kind.as_str())
            .bind(lang.as_str())
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = row {
            return Ok((Wording { subject: row.get(0), body: row.get(1), first_line: 3 }, true));
        }
        let shipped = Wording::shipped(kind, lang).ok_or_else(|| {
            Error::invalid(
                Field::Status,
                lang.as_str(),
                format!("le document « {} » n'existe qu'en français", kind.as_str()),
            )
        })?;
        Ok((shipped, false))
    }

    /// Saves the user's wording after checking it: its placeholders, what the document must say,
    /// and that the creditor values it uses are filled in the profile — all refused here rather than
    /// printed as a gap.
    pub async fn save_wording(&self, kind: DocumentKind, lang: Lang, text: &str) -> Result<Wording> {
        let wording = Wording::parse(text);
        wording.check(kind, lang)?;
        let profile = self.profile().await?.ok_or(Error::NoProfile)?;
        for debtor in [crate::parties::DebtorKind::Professionnel, crate::parties::DebtorKind::Consommateur] {
            wording.render(debtor, |name| {
                let value = match name {
                    "creancier.ville" => Some(profile.address.city.clone()).filter(|c| !c.is_empty()),
                    "creancier.signataire" => profile.signatory_name.clone(),
                    "creancier.telephone" => profile.phone.clone(),
                    "creancier.email" => profile.email.clone(),
                    _ => Some(String::new()),
                };
                value.ok_or_else(|| Error::MissingValue {
                    placeholder: name.to_owned(),
                    what: "une information de votre profil utilisée par ce modèle".into(),
                    fix: "Complétez le profil (recouvre profile set …) ou retirez-la du modèle.".into(),
                })
            })?;
        }
        if profile.iban.is_none() && text.contains("{paiement}") {
            return Err(Error::MissingValue {
                placeholder: "paiement".into(),
                what: "l'IBAN de votre entreprise".into(),
                fix: "Renseignez-le dans le profil (recouvre profile set --iban …).".into(),
            });
        }
        sqlx::query(
            "INSERT INTO letter_templates (kind, lang, subject, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (kind, lang) DO UPDATE SET subject = excluded.subject, body = excluded.body, \
             updated_at = excluded.updated_at",
        )
        .bind(kind.as_str())
        .bind(lang.as_str())
        .bind(&wording.subject)
        .bind(&wording.body)
        .bind(self.now())
        .execute(&self.pool)
        .await?;
        Ok(wording)
    }

    /// Goes back to the shipped wording.
    pub async fn reset_wording(&self, kind: DocumentKind, lang: Lang) -> Result<()> {
        sqlx::query("DELETE FROM letter_templates WHERE kind = $1 AND lang = $2")
            .bind(kind.as_str())
            .bind(lang.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Composes a letter from the ledger (nothing stored). Also returns the wording used.
    pub async fn compose_letter(&self, request: &LetterRequest) -> Result<(Letter, Wording, bool)> {
        let debtor = self.debtor(request.debtor_id).await?;
        let creditor = self.profile().await?.ok_or(Error::NoProfile)?;
        let lang = request.lang.unwrap_or_else(|| {
            let lang = Lang::for_country(&debtor.address.country);
            if request.kind.languages().contains(&lang) { lang } else { Lang::Fr }
        });
        let (wording, custom) = self.wording(request.kind, lang).await?;
        let statement = self.statement(debtor.id, request.at, Scope::Unpaid).await?;
        let plan = match request.kind {
            DocumentKind::Echeancier => self
                .plans_of(debtor.id)
                .await?
                .into_iter()
                .rfind(|p| p.defaulted_on.is_none() && p.created_on <= request.at),
            _ => None,
        };
        let payment = match (request.kind, request.payment_id) {
            (DocumentKind::Recu, Some(id)) => {
                let payment = self.payment(id).await?;
                if payment.debtor_id != debtor.id {
                    return Err(Error::invalid(
                        Field::PaymentMethod,
                        id.to_string(),
                        "ce paiement est celui d'un autre débiteur",
                    ));
                }
                Some(payment)
            }
            (DocumentKind::Recu, None) => {
                let latest = self
                    .payments_of(debtor.id)
                    .await?
                    .into_iter()
                    .filter(|p| p.received_on <= request.at)
                    .max_by_key(|p| (p.received_on, p.id));
                Some(latest.ok_or_else(|| {
                    Error::invalid(Field::Debtor, &debtor.name, "aucun paiement reçu de ce débiteur à cette date")
                })?)
            }
            _ => None,
        };
        let logo = self.logo().await?;
        let facts = Facts {
            kind: request.kind,
            lang,
            date: request.at,
            deadline_days: request.deadline_days.unwrap_or(DEFAULT_DEADLINE_DAYS),
            registered_number: request.registered_number.as_deref(),
            creditor: &creditor,
            debtor: &debtor,
            statement: &statement,
            plan: plan.as_ref(),
            payment: payment.as_ref(),
            wording: &wording,
            logo: logo.as_ref(),
        };
        let letter = compose::compose(&facts)?;
        Ok((letter, wording, custom))
    }

    /// Composes, renders and stores a document (one transaction).
    pub async fn produce_letter(&self, request: &LetterRequest) -> Result<Produced> {
        let produced = self.render_letter(request).await?;
        let mut tx = self.begin().await?;
        let produced = tx.store_document(produced, None).await?;
        tx.commit().await?;
        Ok(produced)
    }

    /// Composes and renders, without storing (the record is filled when stored).
    async fn render_letter(&self, request: &LetterRequest) -> Result<(Letter, Vec<u8>, PendingDocument)> {
        let (letter, pending) = self.prepare_letter(request).await?;
        let pdf = pdf::render(&letter, self.now())?;
        Ok((letter, pdf, pending))
    }

    /// Composes a letter and the record it will be stored with.
    async fn prepare_letter(&self, request: &LetterRequest) -> Result<(Letter, PendingDocument)> {
        let (letter, wording, custom) = self.compose_letter(request).await?;
        let debtor_name = letter.recipient.first().cloned().unwrap_or_default();
        let lang = if letter.lang.starts_with("fr") { Lang::Fr } else { Lang::En };
        let pending = PendingDocument {
            debtor_id: request.debtor_id,
            kind: request.kind,
            lang,
            custom,
            wording_sha256: wording_hash(&wording),
            dated: request.at,
            total: letter.claimed,
            file_name: file_name(request.kind, lang, &debtor_name, request.at),
        };
        Ok((letter, pending))
    }

    /// The documents produced for a debtor, newest first.
    pub async fn documents_of(&self, debtor_id: i64) -> Result<Vec<StoredDocument>> {
        self.debtor(debtor_id).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_DOCUMENT} WHERE d.debtor_id = $1 ORDER BY d.dated DESC, d.id DESC"
        )))
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(document_row).collect()
    }

    /// One document's PDF.
    pub async fn document_pdf(&self, id: i64) -> Result<(StoredDocument, Vec<u8>)> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT_DOCUMENT} WHERE d.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::invalid(Field::File, id.to_string(), "aucun document de ce numéro"))?;
        let document = document_row(&row)?;
        let bytes: Vec<u8> = sqlx::query_scalar("SELECT content FROM attachments WHERE sha256 = $1")
            .bind(&document.sha256)
            .fetch_one(&self.pool)
            .await?;
        Ok((document, bytes))
    }

    /// The day's letters: every action of the agenda at `now` sent by post (letter or registered
    /// letter) whose step prints a letter, produced and stored in one transaction, plus all of them
    /// in one PDF. `progress(done, total)` is called after each letter.
    pub async fn print_day(&self, now: NaiveDateTime, mut progress: impl FnMut(usize, usize)) -> Result<PrintDay> {
        let agenda = self.agenda(now).await?;
        let postal: Vec<_> = agenda
            .actions
            .iter()
            .filter_map(|action| match action.kind {
                ActionKind::Step { template, deadline_days, .. } => {
                    let kind = DocumentKind::for_template(template)?;
                    let posted =
                        action.channels.iter().any(|c| matches!(c, Channel::Letter | Channel::RegisteredLetter));
                    posted.then_some((action, kind, deadline_days))
                }
                _ => None,
            })
            .collect();
        let total = postal.len();
        let mut prepared = Vec::with_capacity(total);
        let mut unprinted = Vec::new();
        for (done, (action, kind, deadline_days)) in postal.into_iter().enumerate() {
            let mut request = LetterRequest::new(action.debtor_id, kind, now.date());
            request.deadline_days = deadline_days;
            match self.prepare_letter(&request).await {
                Ok(letter) => prepared.push(letter),
                Err(error) if error.is_user_error() => unprinted.push(Unprinted {
                    debtor_id: action.debtor_id,
                    debtor_name: action.debtor_name.clone(),
                    reason: error.to_string(),
                }),
                Err(error) => return Err(error),
            }
            progress(done + 1, total);
        }
        // Rendering is pure and CPU-bound: the letters are shared out between the cores, and the
        // combined file is written on a thread of its own.
        let created = self.now();
        let letters: Vec<Letter> = prepared.iter().map(|(letter, _)| letter.clone()).collect();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = letters.len().div_ceil(cores).max(1);
        let (pdfs, combined) = std::thread::scope(|scope| {
            let combined =
                scope.spawn(|| if letters.is_empty() { Ok(Vec::new()) } else { pdf::render_many(&letters, created) });
            let parts: Vec<_> = letters
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(|l| pdf::render(l, created)).collect::<Vec<_>>()))
                .collect();
            let pdfs: Vec<Result<Vec<u8>>> = parts.into_iter().flat_map(|p| p.join().unwrap_or_default()).collect();
            (pdfs, combined.join())
        });
        let combined =
            combined.map_err(|_| Error::invalid(Field::File, "PDF", "le rendu des lettres s'est interrompu"))??;
        if pdfs.len() != prepared.len() {
            return Err(Error::invalid(Field::File, "PDF", "le rendu des lettres s'est interrompu"));
        }
        let mut rendered = Vec::with_capacity(prepared.len());
        for ((letter, pending), pdf) in prepared.into_iter().zip(pdfs) {
            rendered.push((letter, pdf?, pending));
        }
        let mut tx = self.begin().await?;
        let mut stored = Vec::with_capacity(rendered.len());
        for produced in rendered {
            stored.push(tx.store_document(produced, None).await?);
        }
        tx.commit().await?;
        Ok(PrintDay { letters: stored, combined, unprinted })
    }

    /// Whether a document of this kind was produced for the debtor that day and not linked to an
    /// interaction yet (printed with the day's letters, waiting to be marked sent).
    pub(super) async fn has_unsent_document(&self, debtor_id: i64, kind: DocumentKind, on: NaiveDate) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM documents WHERE debtor_id = $1 AND kind = $2 AND dated = $3 AND interaction_id IS NULL LIMIT 1",
        )
        .bind(debtor_id)
        .bind(kind.as_str())
        .bind(on)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Renders the letter of a step done, to be stored with its interaction. `None` when the letter
    /// cannot be made (an address or an IBAN missing): the step is still recorded as done — the
    /// user did send something — and the history shows no document for it.
    pub(super) async fn letter_for_action(
        &self,
        debtor_id: i64,
        kind: DocumentKind,
        deadline_days: Option<u32>,
        on: NaiveDate,
    ) -> Option<(Letter, Vec<u8>, PendingDocument)> {
        let mut request = LetterRequest::new(debtor_id, kind, on);
        request.deadline_days = deadline_days;
        self.render_letter(&request).await.ok()
    }
}

/// A rendered document waiting to be stored.
#[derive(Debug, Clone)]
pub(super) struct PendingDocument {
    debtor_id: i64,
    kind: DocumentKind,
    lang: Lang,
    custom: bool,
    wording_sha256: String,
    dated: NaiveDate,
    total: Option<rust_decimal::Decimal>,
    file_name: String,
}

const SELECT_DOCUMENT: &str = "SELECT d.id, d.sha256, d.debtor_id, d.kind, d.lang, d.template, d.dated, d.total_cents, \
     d.file_name, a.size_bytes, d.interaction_id, d.created_at FROM documents d JOIN attachments a ON a.sha256 = d.sha256";

fn document_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredDocument> {
    Ok(StoredDocument {
        id: row.get(0),
        sha256: row.get(1),
        debtor_id: row.get(2),
        kind: DocumentKind::parse(row.get::<&str, _>(3))?,
        lang: Lang::parse(row.get::<&str, _>(4))?,
        custom_wording: row.get::<&str, _>(5) == "custom",
        dated: row.get(6),
        total: row.get::<Option<i64>, _>(7).map(from_cents),
        file_name: row.get(8),
        size_bytes: row.get(9),
        interaction_id: row.get(10),
        created_at: row.get(11),
    })
}

impl WriteTx {
    /// Stores a rendered document (the PDF in the attachments, its record in documents).
    pub(super) async fn store_document(
        &mut self,
        (letter, pdf, pending): (Letter, Vec<u8>, PendingDocument),
        interaction_id: Option<i64>,
    ) -> Result<Produced> {
        let now = self.now;
        let attachment = NewAttachment { file_name: pending.file_name.clone(), bytes: pdf };
        let sha256 = super::invoices::store_attachment(self.conn(), &attachment, now).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO documents (sha256, debtor_id, kind, lang, template, wording_sha256, dated, total_cents, \
                 file_name, interaction_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&sha256)
        .bind(pending.debtor_id)
        .bind(pending.kind.as_str())
        .bind(pending.lang.as_str())
        .bind(if pending.custom { "custom" } else { "shipped" })
        .bind(&pending.wording_sha256)
        .bind(pending.dated)
        .bind(pending.total.and_then(to_cents))
        .bind(&pending.file_name)
        .bind(interaction_id)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        let document = StoredDocument {
            id,
            sha256,
            debtor_id: pending.debtor_id,
            kind: pending.kind,
            lang: pending.lang,
            custom_wording: pending.custom,
            dated: pending.dated,
            total: pending.total,
            file_name: pending.file_name,
            size_bytes: i64::try_from(attachment.bytes.len()).unwrap_or(i64::MAX),
            interaction_id,
            created_at: now,
        };
        Ok(Produced { letter, pdf: attachment.bytes, document })
    }

    /// Links the latest unsent document of this kind produced for the debtor on that day to an
    /// interaction; says whether there was one.
    pub(super) async fn link_document(
        &mut self,
        debtor_id: i64,
        kind: DocumentKind,
        on: NaiveDate,
        interaction_id: i64,
    ) -> Result<Option<String>> {
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, sha256 FROM documents WHERE debtor_id = $1 AND kind = $2 AND dated = $3 \
             AND interaction_id IS NULL ORDER BY id DESC LIMIT 1",
        )
        .bind(debtor_id)
        .bind(kind.as_str())
        .bind(on)
        .fetch_optional(self.conn())
        .await?;
        let Some((id, sha256)) = found else { return Ok(None) };
        sqlx::query("UPDATE documents SET interaction_id = $1 WHERE id = $2")
            .bind(interaction_id)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(Some(sha256))
    }

    /// Links a document to the interaction that sent it (the first one, if sent twice).
    pub(super) async fn attach_document(&mut self, document_id: i64, interaction_id: i64) -> Result<()> {
        sqlx::query("UPDATE documents SET interaction_id = COALESCE(interaction_id, $1) WHERE id = $2")
            .bind(interaction_id)
            .bind(document_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Points an interaction at the document it sent.
    pub(super) async fn set_interaction_document(&mut self, interaction_id: i64, sha256: &str) -> Result<()> {
        sqlx::query("UPDATE interactions SET document_sha256 = $1 WHERE id = $2")
            .bind(sha256)
            .bind(interaction_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
