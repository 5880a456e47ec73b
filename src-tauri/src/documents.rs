//! Documents in the window: a debtor's letters (write one, list and open those produced) and the
//! day's letters for the printer, with progress. The PDFs are written next to the ledger, in
//! `Courriers/<day>/`, and also kept inside the ledger by the core.

use std::path::{Path, PathBuf};

use recouvre::dates::format_date_fr;
use recouvre::documents::{DocumentKind, Lang};
use recouvre::ledger::LetterRequest;
use recouvre::money::format_eur;
use recouvre::{Error, Field, Ledger};
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;
use ts_rs::TS;

use crate::dto::CommandError;
use crate::history::Choice;

/// A document the user can write for this debtor, in the languages it exists in.
#[derive(Debug, Serialize, TS)]
pub struct DocumentChoice {
    pub kind: String,
    pub label: String,
    /// `fr`, and `en` for the reminders and the formal notice.
    pub languages: Vec<Choice>,
}

/// A document produced for the debtor.
#[derive(Debug, Serialize, TS)]
pub struct DocumentRow {
    #[ts(type = "number")]
    pub id: i64,
    /// "Mise en demeure (EN)".
    pub label: String,
    /// "24/11/2026".
    pub dated: String,
    /// "1 234,56 €" when it claims an amount.
    pub total: Option<String>,
    /// "19,5 Ko".
    pub size: String,
    /// Whether it is linked to a contact (sent).
    pub sent: bool,
}

/// The documents part of a debtor's page.
#[derive(Debug, Serialize, TS)]
pub struct DebtorDocumentsView {
    pub choices: Vec<DocumentChoice>,
    /// Newest first.
    pub documents: Vec<DocumentRow>,
    /// Where the PDFs are written.
    pub folder: String,
}

/// A file written.
#[derive(Debug, Serialize, TS)]
pub struct FileWritten {
    pub message: String,
    pub path: String,
}

/// Progress of the day's letters.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PrintProgress {
    #[ts(type = "number")]
    pub done: u32,
    #[ts(type = "number")]
    pub total: u32,
}

/// The day's letters, written.
#[derive(Debug, Serialize, TS)]
pub struct PrintDayResult {
    pub message: String,
    #[ts(type = "number")]
    pub letters: u32,
    /// The one PDF to send to the printer, when there are letters.
    pub combined: Option<String>,
    pub folder: String,
    /// "Nom : raison" of each letter that could not be written.
    pub unprinted: Vec<String>,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `Courriers/<day>` beside the ledger file.
fn folder(ledger: &Ledger, day: chrono::NaiveDate) -> PathBuf {
    let base = ledger.path().parent().map(Path::to_path_buf).unwrap_or_default();
    base.join("Courriers").join(day.to_string())
}

/// What the window asks for: a kind and a language, dated today.
fn request(debtor_id: i64, kind: &str, lang: &str, day: chrono::NaiveDate) -> Result<LetterRequest, Error> {
    let mut request = LetterRequest::new(debtor_id, DocumentKind::parse(kind)?, day);
    request.lang = Some(Lang::parse(lang)?);
    Ok(request)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::File { path: parent.to_path_buf(), source })?;
    }
    std::fs::write(path, bytes).map_err(|source| Error::File { path: path.to_path_buf(), source })
}

fn kilobytes(size: i64) -> String {
    format!("{} Ko", format!("{:.1}", size as f64 / 1024.0).replace('.', ","))
}

#[tauri::command]
pub async fn debtor_documents(ledger: State<'_, Ledger>, debtor_id: i64) -> Result<DebtorDocumentsView, CommandError> {
    let choices = DocumentKind::ALL
        .iter()
        .map(|kind| DocumentChoice {
            kind: kind.as_str().to_owned(),
            label: kind.label(Lang::Fr).to_owned(),
            languages: kind
                .languages()
                .iter()
                .map(|l| Choice {
                    key: l.as_str().to_owned(),
                    label: if *l == Lang::Fr { "français".into() } else { "anglais".into() },
                })
                .collect(),
        })
        .collect();
    let documents = ledger
        .documents_of(debtor_id)
        .await?
        .into_iter()
        .map(|d| DocumentRow {
            id: d.id,
            label: match d.lang {
                Lang::Fr => d.kind.label(Lang::Fr).to_owned(),
                Lang::En => format!("{} (EN)", d.kind.label(Lang::Fr)),
            },
            dated: format_date_fr(d.dated),
            total: d.total.map(format_eur),
            size: kilobytes(d.size_bytes),
            sent: d.interaction_id.is_some(),
        })
        .collect();
    let folder = folder(&ledger, today()).parent().map(|p| p.display().to_string()).unwrap_or_default();
    Ok(DebtorDocumentsView { choices, documents, folder })
}

#[tauri::command]
pub async fn write_letter(
    ledger: State<'_, Ledger>,
    debtor_id: i64,
    kind: String,
    lang: String,
) -> Result<FileWritten, CommandError> {
    let day = today();
    let produced = ledger.produce_letter(&request(debtor_id, &kind, &lang, day)?).await?;
    let path = folder(&ledger, day).join(&produced.document.file_name);
    write(&path, &produced.pdf)?;
    Ok(FileWritten {
        message: format!("{} : PDF rédigé et conservé dans le registre.", produced.letter.title),
        path: path.display().to_string(),
    })
}

/// Writes the reminder e-mail (`.eml`: the letter as text and HTML, its PDF attached) beside the
/// PDFs, for the user's mail client; the PDF is kept in the ledger like any document.
#[tauri::command]
pub async fn write_email(
    ledger: State<'_, Ledger>,
    debtor_id: i64,
    kind: String,
    lang: String,
) -> Result<FileWritten, CommandError> {
    let day = today();
    let email = ledger.produce_email(&request(debtor_id, &kind, &lang, day)?).await?;
    let (produced, message, to) = (&email.produced, &email.message, &email.to);
    let path = folder(&ledger, day).join(produced.document.file_name.replace(".pdf", ".eml"));
    write(&path, message)?;
    Ok(FileWritten {
        message: format!("E-mail pour {to} prêt, PDF joint : ouvrez-le avec votre messagerie pour l'envoyer."),
        path: path.display().to_string(),
    })
}

#[tauri::command]
pub async fn open_document(ledger: State<'_, Ledger>, document_id: i64) -> Result<FileWritten, CommandError> {
    let (document, bytes) = ledger.document_pdf(document_id).await?;
    let path = folder(&ledger, document.dated).join(&document.file_name);
    // The copy beside the ledger may have been moved or edited: what is opened is the stored one.
    write(&path, &bytes)?;
    open_path(&path)?;
    Ok(FileWritten { message: format!("{} ouvert.", document.file_name), path: path.display().to_string() })
}

#[tauri::command]
pub async fn open_file(ledger: State<'_, Ledger>, path: String) -> Result<(), CommandError> {
    // Only what Recouvre wrote, in its own folder, can be opened from the window.
    let allowed = ledger.path().parent().map(|p| p.join("Courriers")).unwrap_or_default();
    let path = PathBuf::from(path);
    let inside = path.canonicalize().ok().zip(allowed.canonicalize().ok()).is_some_and(|(p, a)| p.starts_with(a));
    if !inside {
        return Err(Error::invalid(
            Field::File,
            path.display().to_string(),
            "seuls les courriers de Recouvre s'ouvrent d'ici",
        )
        .into());
    }
    open_path(&path)?;
    Ok(())
}

fn open_path(path: &Path) -> Result<(), Error> {
    open::that_detached(path).map_err(|source| Error::File { path: path.to_path_buf(), source })
}

#[tauri::command]
pub async fn print_day(
    ledger: State<'_, Ledger>,
    on_progress: Channel<PrintProgress>,
) -> Result<PrintDayResult, CommandError> {
    let now = chrono::Local::now().naive_local();
    let day = now.date();
    let printed = ledger
        .print_day(now, |done, total| {
            let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            // A closed window stops listening; the letters are written all the same.
            let _ = on_progress.send(PrintProgress { done: n(done), total: n(total) });
        })
        .await?;
    let dir = folder(&ledger, day);
    let mut combined = None;
    if !printed.combined.is_empty() {
        let path = dir.join(format!("{day} courriers du jour.pdf"));
        write(&path, &printed.combined)?;
        combined = Some(path.display().to_string());
    }
    for letter in &printed.letters {
        write(&dir.join(&letter.document.file_name), &letter.pdf)?;
    }
    let count = printed.letters.len();
    let message = match count {
        0 => "Aucune lettre à poster aujourd'hui : les actions du jour se font par e-mail ou par téléphone.".to_owned(),
        1 => "1 lettre prête à imprimer.".to_owned(),
        n => format!("{n} lettres prêtes à imprimer, dans un seul PDF."),
    };
    Ok(PrintDayResult {
        message,
        letters: u32::try_from(count).unwrap_or(u32::MAX),
        combined,
        folder: dir.display().to_string(),
        unprinted: printed.unprinted.iter().map(|u| format!("{} : {}", u.debtor_name, u.reason)).collect(),
    })
}
