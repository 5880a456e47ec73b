//! `recouvre letter`, `print-day`, `email`, `lrar`, `template`, `document`: the papers.

use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use clap::{Args, Subcommand};
use recouvre::dates::parse_date_field;
use recouvre::documents::wording::PLACEHOLDERS;
use recouvre::documents::{DocumentKind, Lang, html};
use recouvre::ledger::{LetterRequest, RegisteredLetterForm};
use recouvre::smtp::{self, Security, SmtpSettings};
use recouvre::{Error, Field, Ledger};
use serde::Serialize;

use crate::claims::read_attachment;
use crate::table::{Align, Table};
use crate::{date_or_today, output};

/// Which document, for whom, when: shared by `letter` and `email`.
#[derive(Args)]
pub struct Which {
    /// Debtor id.
    debtor: i64,
    /// relance-preventive, relance-amiable, relance-formelle, dernier-rappel, mise-en-demeure,
    /// echeancier, reconnaissance-de-dette, recu.
    #[arg(long)]
    kind: String,
    /// fr or en (default: French in France, English abroad).
    #[arg(long)]
    lang: Option<String>,
    /// Date of the letter; figures are computed to it (default: today).
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// Days given to pay (default 8).
    #[arg(long, value_name = "DAYS")]
    deadline_days: Option<u32>,
}

impl Which {
    fn request(&self) -> Result<LetterRequest, Error> {
        let at = date_or_today(self.at.as_deref(), Field::At)?;
        let mut request = LetterRequest::new(self.debtor, DocumentKind::parse(&self.kind)?, at);
        request.lang = self.lang.as_deref().map(Lang::parse).transpose()?;
        request.deadline_days = self.deadline_days;
        Ok(request)
    }
}

#[derive(Args)]
pub struct LetterArgs {
    #[command(flatten)]
    which: Which,
    /// Registered-letter number to print on the letter.
    #[arg(long, value_name = "NUMBER")]
    lrar: Option<String>,
    /// For a receipt: the payment (default: the latest).
    #[arg(long, value_name = "ID")]
    payment: Option<i64>,
    /// The PDF to write.
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// Also write the letter as HTML.
    #[arg(long, value_name = "FILE.html")]
    html: Option<PathBuf>,
}

#[derive(Args)]
pub struct EmailArgs {
    #[command(flatten)]
    which: Which,
    /// The message file to write.
    #[arg(long, value_name = "FILE.eml")]
    out: PathBuf,
    /// Also send it through the SMTP server set with `recouvre smtp set`.
    #[arg(long)]
    send: bool,
}

#[derive(Subcommand)]
pub enum SmtpCommand {
    /// Set the server reminders are sent through; the password goes to the system keyring only.
    Set {
        #[arg(long)]
        host: String,
        /// 587 for STARTTLS (default), 465 for TLS.
        #[arg(long, default_value_t = 587)]
        port: u16,
        /// Account name (often your e-mail address).
        #[arg(long)]
        user: String,
        /// starttls, tls, or none (a relay on this machine only).
        #[arg(long, default_value = "starttls")]
        security: String,
        /// Read the password from standard input (e.g. `printf %s "$PW" | recouvre smtp set … --password-stdin`).
        #[arg(long)]
        password_stdin: bool,
    },
    /// The server settings, and whether the keyring holds the password.
    Show,
    /// Forget the server settings and remove the password from the keyring.
    Forget,
}

#[derive(Subcommand)]
pub enum LrarCommand {
    /// Record a registered letter's number, then its dates and the scan of the signed card.
    Record {
        /// Debtor id.
        debtor: i64,
        /// The number on the La Poste label.
        #[arg(long)]
        number: String,
        /// Posted on (required the first time).
        #[arg(long, value_name = "DATE")]
        sent: Option<String>,
        /// First presented on.
        #[arg(long, value_name = "DATE")]
        presented: Option<String>,
        /// Acknowledgement of receipt signed on.
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
        /// Scan of the acknowledgement card (PDF or image).
        #[arg(long, value_name = "FILE")]
        scan: Option<PathBuf>,
    },
    /// A debtor's registered letters.
    List {
        /// Debtor id.
        debtor: i64,
    },
}

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// The documents and whether their wording is yours or the shipped one.
    List,
    /// The placeholders a template may use.
    Placeholders,
    /// Print a template's text (edit it, then `template edit`).
    Show {
        /// Document kind.
        kind: String,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Replace a template's wording with a file's (checked first).
    Edit {
        /// Document kind.
        kind: String,
        #[arg(long, default_value = "fr")]
        lang: String,
        /// The new text: subject on the first line, then the body.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Go back to the shipped wording.
    Reset {
        /// Document kind.
        kind: String,
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

#[derive(Subcommand)]
pub enum DocumentCommand {
    /// The documents produced for a debtor.
    List {
        /// Debtor id.
        debtor: i64,
    },
    /// Write a stored document to a file (byte for byte what was produced).
    Export {
        /// Document id.
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|source| Error::File { path: path.to_path_buf(), source })
}

fn kilobytes(size: usize) -> String {
    format!("{:.1} Ko", size as f64 / 1024.0)
}

#[derive(Serialize)]
struct Written<'a> {
    document: &'a recouvre::ledger::StoredDocument,
    file: String,
}

pub async fn letter(ledger: &Ledger, args: LetterArgs, json: bool) -> anyhow::Result<()> {
    let mut request = args.which.request()?;
    request.registered_number = args.lrar.clone();
    request.payment_id = args.payment;
    let produced = ledger.produce_letter(&request).await?;
    write_file(&args.out, &produced.pdf)?;
    if let Some(path) = &args.html {
        write_file(path, html::render(&produced.letter, true).as_bytes())?;
    }
    let written = Written { document: &produced.document, file: args.out.display().to_string() };
    output(json, &written, || {
        format!(
            "{} : {} ({}), document n° {} conservé dans le registre.\n",
            produced.letter.title,
            args.out.display(),
            kilobytes(produced.pdf.len()),
            produced.document.id
        )
    })
}

pub async fn print_day(ledger: &Ledger, at: Option<String>, out: PathBuf, json: bool) -> anyhow::Result<()> {
    let day = date_or_today(at.as_deref(), Field::At)?;
    let now = day.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default());
    std::fs::create_dir_all(&out).map_err(|source| Error::File { path: out.clone(), source })?;
    let show = !json;
    let printed = ledger
        .print_day(now, |done, total| {
            if show {
                eprint!("\rLettres : {done}/{total}");
                if done == total {
                    eprintln!();
                }
            }
        })
        .await?;
    let mut files = Vec::new();
    if !printed.combined.is_empty() {
        let combined = out.join(format!("{day} courriers du jour.pdf"));
        write_file(&combined, &printed.combined)?;
        files.push(combined.display().to_string());
    }
    for letter in &printed.letters {
        let path = out.join(&letter.document.file_name);
        write_file(&path, &letter.pdf)?;
        files.push(path.display().to_string());
    }
    #[derive(Serialize)]
    struct Report<'a> {
        letters: usize,
        files: &'a [String],
        unprinted: &'a [recouvre::ledger::Unprinted],
    }
    let report = Report { letters: printed.letters.len(), files: &files, unprinted: &printed.unprinted };
    output(json, &report, || {
        let mut text = if printed.letters.is_empty() {
            format!("Aucune lettre à poster le {day}.\n")
        } else {
            format!(
                "{} lettre(s) du {day} dans {} : « {day} courriers du jour.pdf » pour l'imprimante, et une par débiteur.\n",
                printed.letters.len(),
                out.display()
            )
        };
        for skipped in &printed.unprinted {
            text.push_str(&format!("Non imprimée — {} : {}\n", skipped.debtor_name, skipped.reason));
        }
        text
    })
}

pub async fn email(ledger: &Ledger, args: EmailArgs, json: bool) -> anyhow::Result<()> {
    let request = args.which.request()?;
    let email = ledger.produce_email(&request).await?;
    write_file(&args.out, &email.message)?;
    if args.send {
        ledger.send_email(&email, crate::dunning::now()).await?;
    }
    let (produced, to, sent) = (&email.produced, &email.to, args.send);
    let debtor = &produced.letter.recipient[0];
    let message = &email.message;
    let written = Written { document: &produced.document, file: args.out.display().to_string() };
    output(json, &written, || {
        let then = if sent {
            format!("Envoyé à {to} ; l'envoi est noté dans l'historique.")
        } else {
            "Ouvrez-le avec votre messagerie pour l'envoyer.".to_owned()
        };
        format!(
            "E-mail « {} » pour {} <{}> : {} ({}, PDF joint). {then}\n",
            produced.letter.title,
            debtor,
            to,
            args.out.display(),
            kilobytes(message.len())
        )
    })
}

pub async fn smtp_command(ledger: &Ledger, command: SmtpCommand, json: bool) -> anyhow::Result<()> {
    match command {
        SmtpCommand::Set { host, port, user, security, password_stdin } => {
            let settings = SmtpSettings { host, port, username: user, security: Security::parse(&security)? };
            settings.check()?;
            if password_stdin {
                let mut password = String::new();
                std::io::stdin()
                    .read_line(&mut password)
                    .map_err(|e| Error::Smtp(format!("lecture du mot de passe : {e}")))?;
                smtp::save_password(&settings, password.trim_end_matches(['\r', '\n']))?;
            }
            ledger.save_smtp_settings(&settings).await?;
            output(json, &settings, || {
                format!(
                    "Serveur d'envoi : {}:{} ({}), compte {}.{}\n",
                    settings.host,
                    settings.port,
                    settings.security.as_str(),
                    settings.username,
                    if password_stdin { " Mot de passe rangé dans le trousseau du système." } else { "" }
                )
            })
        }
        SmtpCommand::Show => {
            let settings = ledger.smtp_settings().await?;
            let has_password = settings.as_ref().map(|s| smtp::password(s).is_ok()).unwrap_or(false);
            #[derive(Serialize)]
            struct Shown<'a> {
                settings: Option<&'a SmtpSettings>,
                password_in_keyring: bool,
            }
            output(
                json,
                &Shown { settings: settings.as_ref(), password_in_keyring: has_password },
                || match &settings {
                    None => {
                        "Aucun serveur d'envoi : les e-mails sont écrits en .eml pour votre messagerie.\n".to_owned()
                    }
                    Some(s) => format!(
                        "Serveur d'envoi : {}:{} ({}), compte {} ; mot de passe {}.\n",
                        s.host,
                        s.port,
                        s.security.as_str(),
                        s.username,
                        if has_password { "dans le trousseau" } else { "absent du trousseau" }
                    ),
                },
            )
        }
        SmtpCommand::Forget => {
            if let Some(settings) = ledger.smtp_settings().await? {
                smtp::forget_password(&settings)?;
            }
            ledger.clear_smtp_settings().await?;
            println!("Serveur d'envoi oublié ; mot de passe retiré du trousseau.");
            Ok(())
        }
    }
}

pub async fn lrar(ledger: &Ledger, command: LrarCommand, json: bool) -> anyhow::Result<()> {
    let (debtor, recorded) = match command {
        LrarCommand::Record { debtor, number, sent, presented, received, scan } => {
            let date = |text: Option<String>| text.map(|t| parse_date_field(Field::Date, &t)).transpose();
            let form = RegisteredLetterForm {
                debtor_id: debtor,
                number,
                sent_on: date(sent)?,
                presented_on: date(presented)?,
                received_on: date(received)?,
                ack_scan: scan.as_ref().map(read_attachment).transpose()?,
            };
            (debtor, Some(ledger.record_registered_letter(&form).await?))
        }
        LrarCommand::List { debtor } => (debtor, None),
    };
    let letters = ledger.registered_letters(debtor).await?;
    if let Some(recorded) = recorded {
        return output(json, &recorded, || {
            let mut text = format!(
                "Recommandé n° {} enregistré (envoyé le {}",
                recorded.number,
                recorded.sent_on.format("%d/%m/%Y")
            );
            if let Some(d) = recorded.received_on {
                text.push_str(&format!(", accusé de réception signé le {}", d.format("%d/%m/%Y")));
            }
            text.push_str(").\n");
            text
        });
    }
    output(json, &letters, || {
        let mut table = Table::new(&[
            ("N°", Align::Left),
            ("Envoyé", Align::Left),
            ("Présenté", Align::Left),
            ("AR signé", Align::Left),
            ("Carte AR", Align::Left),
        ]);
        let day =
            |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "—".into());
        for letter in &letters {
            table.row(vec![
                letter.number.clone(),
                day(Some(letter.sent_on)),
                day(letter.presented_on),
                day(letter.received_on),
                if letter.ack_sha256.is_some() { "oui".into() } else { "—".into() },
            ]);
        }
        table.render()
    })
}

pub async fn template(ledger: &Ledger, command: TemplateCommand, json: bool) -> anyhow::Result<()> {
    match command {
        TemplateCommand::List => {
            #[derive(Serialize)]
            struct Entry {
                kind: DocumentKind,
                lang: Lang,
                label: &'static str,
                custom: bool,
            }
            let mut entries = Vec::new();
            for kind in DocumentKind::ALL {
                for lang in kind.languages() {
                    let (_, custom) = ledger.wording(kind, *lang).await?;
                    entries.push(Entry { kind, lang: *lang, label: kind.label(Lang::Fr), custom });
                }
            }
            output(json, &entries, || {
                let mut table = Table::new(&[
                    ("Document", Align::Left),
                    ("Langue", Align::Left),
                    ("Libellé", Align::Left),
                    ("Texte", Align::Left),
                ]);
                for e in &entries {
                    table.row(vec![
                        e.kind.as_str().into(),
                        e.lang.as_str().into(),
                        e.label.into(),
                        if e.custom { "personnalisé".into() } else { "fourni".into() },
                    ]);
                }
                table.render()
            })
        }
        TemplateCommand::Placeholders => {
            let list: Vec<(&str, &str, bool)> = PLACEHOLDERS.iter().map(|p| (p.name, p.description, p.block)).collect();
            output(json, &list, || {
                let mut text = String::new();
                for (name, description, block) in &list {
                    let kind = if *block { " (bloc, seul dans son paragraphe)" } else { "" };
                    text.push_str(&format!("{{{name}}}  {description}{kind}\n"));
                }
                text.push_str("\nUn paragraphe commençant par [pro] ne s'imprime que pour un débiteur professionnel, [particulier] que pour un consommateur.\n");
                text
            })
        }
        TemplateCommand::Show { kind, lang } => {
            let (kind, lang) = (DocumentKind::parse(&kind)?, Lang::parse(&lang)?);
            let (wording, _) = ledger.wording(kind, lang).await?;
            print!("{}", wording.to_text(lang));
            Ok(())
        }
        TemplateCommand::Edit { kind, lang, file } => {
            let (kind, lang) = (DocumentKind::parse(&kind)?, Lang::parse(&lang)?);
            let text = std::fs::read_to_string(&file).map_err(|source| Error::File { path: file.clone(), source })?;
            ledger.save_wording(kind, lang, &text).await?;
            println!("Modèle « {} » ({}) enregistré.", kind.as_str(), lang.as_str());
            Ok(())
        }
        TemplateCommand::Reset { kind, lang } => {
            let (kind, lang) = (DocumentKind::parse(&kind)?, Lang::parse(&lang)?);
            ledger.reset_wording(kind, lang).await?;
            println!("Modèle « {} » ({}) : texte fourni rétabli.", kind.as_str(), lang.as_str());
            Ok(())
        }
    }
}

pub async fn document(ledger: &Ledger, command: DocumentCommand, json: bool) -> anyhow::Result<()> {
    match command {
        DocumentCommand::List { debtor } => {
            let documents = ledger.documents_of(debtor).await?;
            output(json, &documents, || {
                let mut table = Table::new(&[
                    ("N°", Align::Right),
                    ("Date", Align::Left),
                    ("Document", Align::Left),
                    ("Taille", Align::Right),
                    ("Envoyé", Align::Left),
                ]);
                for d in &documents {
                    table.row(vec![
                        d.id.to_string(),
                        d.dated.format("%d/%m/%Y").to_string(),
                        d.file_name.clone(),
                        kilobytes(usize::try_from(d.size_bytes).unwrap_or(0)),
                        if d.interaction_id.is_some() { "oui".into() } else { "non".into() },
                    ]);
                }
                table.render()
            })
        }
        DocumentCommand::Export { id, out } => {
            let (document, bytes) = ledger.document_pdf(id).await?;
            write_file(&out, &bytes)?;
            output(json, &document, || format!("{} → {}\n", document.file_name, out.display()))
        }
    }
}
