//! `recouvre`: the command-line face of the Recouvre core. It parses arguments, calls the core and
//! prints what comes back; every rule lives in the core.
//!
//! Exit codes: 0 done, 2 the input was refused (nothing was changed), 1 anything else.

mod bench;
mod bench_imports;
mod claims;
mod documents;
mod dunning;
mod handlers;
mod imports;
mod law;
mod table;
mod views;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use recouvre::dates::parse_date_field;
use recouvre::ledger::default_path;
use recouvre::parties::{DebtorForm, ProfileForm};
use recouvre::receivables::credit_note::CreditNoteForm;
use recouvre::{Error, Field, Ledger};
use serde::Serialize;

use crate::views::*;

/// Recouvre: get paid. Receivables ledger, French late-payment law, reminders.
#[derive(Parser)]
#[command(name = "recouvre", version, about, max_term_width = 110)]
struct Cli {
    /// Ledger file (default: the per-user data directory).
    #[arg(long, global = true, env = "RECOUVRE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print JSON for scripts instead of tables (keys documented in docs/cli-json.md).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the ledger file (or check an existing one) and print where it is.
    Init,
    /// Your business: name, SIREN, IBAN, terms of sale.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Clients who owe you money.
    #[command(subcommand)]
    Debtor(DebtorCommand),
    /// Invoices.
    #[command(subcommand)]
    Invoice(InvoiceCommand),
    /// Payments received and their allocation to invoices.
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// Credit notes (avoirs).
    #[command(subcommand, name = "credit-note")]
    CreditNote(CreditNoteCommand),
    /// Aging report (balance âgée): what is owed, by days late.
    Aging {
        /// Date of the report (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Days sales outstanding (DSO) at a date, by the countback method.
    Dso {
        /// Date (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Fill an empty ledger with a realistic sample business (40 clients, 300 invoices, 18 months).
    Demo {
        /// Last day of the sample (default: today).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
    /// Statement of account (décompte) of a debtor: principal, payments, penalties or interest
    /// period by period with their rates and sources, indemnities, costs, totals.
    Statement {
        /// Debtor id.
        debtor: i64,
        /// Date of the statement (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Also invoices paid late, whose penalties and indemnity remain claimable.
        #[arg(long)]
        with_paid_late: bool,
    },
    /// Formal notices (mises en demeure) sent.
    #[command(subcommand)]
    Notice(claims::NoticeCommand),
    /// Collective procedures (sauvegarde, redressement, liquidation) of a debtor.
    #[command(subcommand)]
    Procedure(claims::ProcedureCommand),
    /// Recovery costs beyond the 40 € indemnity, with receipts.
    #[command(subcommand)]
    Cost(claims::CostCommand),
    /// Prescription: limitation dates, and the events that interrupt or suspend them.
    #[command(subcommand)]
    Prescription(claims::PrescriptionCommand),
    /// Today's agenda: what to do for whom, by priority, and what waits and why.
    Agenda {
        /// Day of the agenda (at 10:00; default: now).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Record what you did with an agenda action.
    Act(dunning::ActArgs),
    /// Contacts with debtors, both ways.
    #[command(subcommand)]
    Interaction(dunning::InteractionCommand),
    /// Promises to pay.
    #[command(subcommand)]
    Promise(dunning::PromiseCommand),
    /// Disputes on invoices.
    #[command(subcommand)]
    Dispute(dunning::DisputeCommand),
    /// Payment plans (échéanciers).
    #[command(subcommand)]
    Plan(dunning::PlanCommand),
    /// Collection cases: stages and timeline.
    #[command(subcommand)]
    Case(dunning::CaseCommand),
    /// Reminder scenarios.
    #[command(subcommand)]
    Scenario(dunning::ScenarioCommand),
    /// The harassment guard's limits (show, or set with the options).
    Guard {
        /// Fewest days between two contacts with a debtor.
        #[arg(long)]
        min_days: Option<u32>,
        /// Most contacts with a debtor in 7 days.
        #[arg(long)]
        max_per_week: Option<u32>,
    },
    /// The legal rate table (ECB, legal interest rate, 40 €): list, import a newer file, check.
    #[command(subcommand)]
    Rates(law::RatesCommand),
    /// Late-payment calculator: penalties or legal interest on an amount, without touching the ledger.
    Interest(law::InterestArgs),
    /// Write a letter as a PDF ready to print and sign: reminders, formal notice, payment-plan
    /// agreement, acknowledgement of debt, receipt. Kept in the ledger.
    Letter(Box<documents::LetterArgs>),
    /// The day's letters: one PDF for the printer and one file per letter.
    #[command(name = "print-day")]
    PrintDay {
        /// Day (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Folder to write into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write a reminder e-mail (.eml, the letter as text and HTML, its PDF attached).
    Email(Box<documents::EmailArgs>),
    /// The SMTP server to send reminder e-mails through (optional; password in the system keyring).
    #[command(subcommand)]
    Smtp(documents::SmtpCommand),
    /// Registered letters (LRAR): number, dates, acknowledgement card.
    #[command(subcommand)]
    Lrar(documents::LrarCommand),
    /// The wording of each document: show, edit, reset, placeholders.
    #[command(subcommand)]
    Template(documents::TemplateCommand),
    /// Documents produced and kept in the ledger.
    #[command(subcommand)]
    Document(documents::DocumentCommand),
    /// Import invoices, payments and credit notes: CSV, FEC, Factur-X / CII / UBL e-invoices.
    #[command(subcommand)]
    Import(imports::ImportCommand),
    /// Export the ledger's invoices (CSV that `import csv` reads back).
    #[command(subcommand)]
    Export(imports::ExportCommand),
    /// Measure insertion and reporting speed on generated data (in a temporary ledger).
    Bench(bench::BenchArgs),
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Print the profile.
    Show,
    /// Set fields of the profile (the legal name is required the first time).
    Set(Box<ProfileArgs>),
    /// Your logo (a PNG), printed top left on every letter; `--remove` to print none.
    Logo {
        /// The PNG file.
        #[arg(required_unless_present = "remove")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        remove: bool,
    },
}

#[derive(Args)]
struct ProfileArgs {
    #[arg(long)]
    legal_name: Option<String>,
    /// SARL, SAS, EI…
    #[arg(long)]
    legal_form: Option<String>,
    #[arg(long)]
    siren: Option<String>,
    #[arg(long)]
    siret: Option<String>,
    #[arg(long)]
    vat_number: Option<String>,
    #[arg(long)]
    rcs_city: Option<String>,
    /// Street lines, separated by `|`.
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    postcode: Option<String>,
    #[arg(long)]
    city: Option<String>,
    /// ISO country code (FR).
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    iban: Option<String>,
    #[arg(long)]
    bic: Option<String>,
    #[arg(long)]
    signatory_name: Option<String>,
    #[arg(long)]
    signatory_title: Option<String>,
    /// Late-payment penalty rate of your terms of sale, in % a year, or `legal` for the legal default.
    #[arg(long, value_name = "RATE|legal")]
    penalty_rate: Option<String>,
    /// Default payment term in days (at most 60).
    #[arg(long, value_name = "DAYS")]
    payment_term_days: Option<String>,
    /// Interest day basis: 365 (default) or actual (leap-year days ÷ 366).
    #[arg(long, value_name = "365|actual")]
    day_basis: Option<String>,
    /// Partial payments pay interest-first (C. civ. 1343-1, default) or principal-first.
    #[arg(long, value_name = "interest-first|principal-first")]
    imputation: Option<String>,
}

#[derive(Subcommand)]
enum DebtorCommand {
    /// Record a client.
    Add(DebtorArgs),
    /// List clients with what they owe.
    List {
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// One client, their invoices and payments.
    Show {
        id: i64,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Change a client's details (only the fields given; an empty value clears an optional field).
    Edit {
        id: i64,
        #[command(flatten)]
        fields: DebtorArgs,
    },
}

#[derive(Args)]
struct DebtorArgs {
    /// professionnel or consommateur.
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    siren: Option<String>,
    /// Person to talk to.
    #[arg(long)]
    contact: Option<String>,
    /// Street lines, separated by `|`.
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    postcode: Option<String>,
    #[arg(long)]
    city: Option<String>,
    /// ISO country code (default FR).
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// nouveau, regulier or strategique.
    #[arg(long)]
    segment: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// Penalty rate of this client's contract, in % a year (empty to remove).
    #[arg(long, value_name = "RATE")]
    contract_rate: Option<String>,
}

impl DebtorArgs {
    fn form(self) -> DebtorForm {
        DebtorForm {
            kind: self.kind,
            name: self.name,
            siren: self.siren,
            contact_name: self.contact,
            address_lines: self.address,
            postcode: self.postcode,
            city: self.city,
            country: self.country,
            email: self.email,
            phone: self.phone,
            segment: self.segment,
            notes: self.notes,
            contract_penalty_rate: self.contract_rate,
        }
    }
}

#[derive(Subcommand)]
enum InvoiceCommand {
    /// Record an invoice.
    Add {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        #[arg(long)]
        number: String,
        #[arg(long, value_name = "DATE")]
        issue_date: String,
        /// Default: issue date + the profile's payment term.
        #[arg(long, value_name = "DATE")]
        due_date: Option<String>,
        /// Total including VAT.
        #[arg(long, value_name = "TOTAL_INCL_VAT", allow_negative_numbers = true)]
        amount: String,
        /// VAT amount (default 0: VAT not applicable).
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        vat: Option<String>,
        /// Total excluding VAT, checked against amount − vat.
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        amount_excl_vat: Option<String>,
        #[arg(long, default_value = "EUR")]
        currency: String,
        #[arg(long)]
        description: Option<String>,
        /// The original invoice (PDF), stored in the ledger by content hash.
        #[arg(long, value_name = "FILE")]
        attach: Option<PathBuf>,
        /// Delivery or completion date, when it differs from the issue date (prescription runs from it).
        #[arg(long, value_name = "DATE")]
        delivered_on: Option<String>,
    },
    /// List invoices with their status.
    List {
        #[arg(long, value_name = "ID")]
        debtor: Option<i64>,
        /// a_echoir, echue, partiellement_payee, payee or annulee.
        #[arg(long)]
        status: Option<String>,
        /// Only invoices still expecting money.
        #[arg(long)]
        open: bool,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// One invoice with its payments and credit notes.
    Show {
        number: String,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum PaymentCommand {
    /// Record a payment; by default it pays the client's oldest due invoices first.
    Add {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, allow_negative_numbers = true)]
        amount: String,
        /// virement, cheque, cb, especes, prelevement, autre.
        #[arg(long, default_value = "virement")]
        method: String,
        #[arg(long)]
        reference: Option<String>,
        /// Allocate to this invoice (NUMBER or NUMBER:AMOUNT); repeat for several.
        #[arg(long = "invoice", value_name = "NUMBER[:AMOUNT]")]
        invoices: Vec<String>,
        /// Keep the whole payment as a credit on the client.
        #[arg(long)]
        unallocated: bool,
    },
    /// Allocate what is left of a payment.
    Allocate {
        payment_id: i64,
        #[arg(long = "invoice", value_name = "NUMBER[:AMOUNT]")]
        invoices: Vec<String>,
        /// Day of the allocation (default: today).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// A client's payments.
    List {
        #[arg(long, value_name = "ID")]
        debtor: i64,
    },
}

#[derive(Subcommand)]
enum CreditNoteCommand {
    /// Record a credit note against an invoice.
    Add {
        /// Number of the invoice it reduces.
        #[arg(long, value_name = "NUMBER")]
        invoice: String,
        /// The credit note's own number.
        #[arg(long)]
        number: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// Amount including VAT.
        #[arg(long, allow_negative_numbers = true)]
        amount: String,
        #[arg(long, allow_negative_numbers = true)]
        vat: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
}

/// Today, in the user's time zone: the only place the CLI reads the clock for business dates.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn date_or_today(text: Option<&str>, field: Field) -> Result<NaiveDate, Error> {
    match text {
        Some(t) => parse_date_field(field, t),
        None => Ok(today()),
    }
}

/// Prints `value` as JSON with `--json`, else the human text.
fn output<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) -> anyhow::Result<()> {
    if json {
        print_json(value)
    } else {
        print!("{}", human());
        Ok(())
    }
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    // Stdout is line-buffered: a large report would otherwise cost one write per line.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("recouvre : impossible de démarrer ({e})");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let user_error = error.downcast_ref::<Error>().is_some_and(Error::is_user_error);
            eprintln!("Erreur : {error:#}");
            if user_error {
                eprintln!("Rien n'a été modifié dans le registre.");
            }
            ExitCode::from(if user_error { 2 } else { 1 })
        }
    }
}

async fn open(db: Option<PathBuf>) -> anyhow::Result<Ledger> {
    let path = match db {
        Some(path) => path,
        None => default_path().context("aucun dossier de données utilisateur : indiquez --db FICHIER")?,
    };
    Ok(Ledger::open(&path).await?)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    let command = match cli.command {
        Command::Bench(args) => return bench::run(args, json).await,
        Command::Interest(args) => return law::interest(args, cli.db, json).await,
        command => command,
    };
    let ledger = open(cli.db).await?;
    let result = dispatch(&ledger, command, json).await;
    ledger.close().await;
    result
}

async fn dispatch(ledger: &Ledger, command: Command, json: bool) -> anyhow::Result<()> {
    match command {
        Command::Init => {
            let counts = ledger.counts().await?;
            output(json, &serde_json::json!({ "path": ledger.path(), "counts": counts }), || {
                format!(
                    "Registre prêt : {}\n{} débiteurs, {} factures, {} paiements, {} avoirs.\n",
                    ledger.path().display(),
                    counts.debtors,
                    counts.invoices,
                    counts.payments,
                    counts.credit_notes
                )
            })?;
        }
        Command::Profile(ProfileCommand::Show) => {
            let profile = ledger.profile().await?.ok_or(Error::NoProfile)?;
            output(json, &ProfileJson::new(&profile), || profile_card(&profile))?;
        }
        Command::Profile(ProfileCommand::Logo { file, remove: _ }) => {
            let logo = file.as_ref().map(crate::claims::read_attachment).transpose()?;
            ledger.set_logo(logo.as_ref()).await?;
            println!(
                "{}",
                if logo.is_some() {
                    "Logo enregistré : il figure en haut à gauche de chaque lettre."
                } else {
                    "Logo retiré des lettres."
                }
            );
        }
        Command::Profile(ProfileCommand::Set(a)) => {
            let form = ProfileForm {
                legal_name: a.legal_name,
                legal_form: a.legal_form,
                siren: a.siren,
                siret: a.siret,
                vat_number: a.vat_number,
                rcs_city: a.rcs_city,
                address_lines: a.address,
                postcode: a.postcode,
                city: a.city,
                country: a.country,
                email: a.email,
                phone: a.phone,
                iban: a.iban,
                bic: a.bic,
                signatory_name: a.signatory_name,
                signatory_title: a.signatory_title,
                late_penalty: a.penalty_rate,
                payment_term_days: a.payment_term_days,
                day_basis: a.day_basis,
                imputation: a.imputation,
            };
            let profile = ledger.update_profile(&form).await?;
            output(json, &ProfileJson::new(&profile), || profile_card(&profile))?;
        }
        Command::Debtor(command) => handlers::debtor(ledger, command, json).await?,
        Command::Invoice(command) => handlers::invoice(ledger, command, json).await?,
        Command::Payment(command) => handlers::payment(ledger, command, json).await?,
        Command::CreditNote(CreditNoteCommand::Add { invoice, number, date, amount, vat, reason }) => {
            let form = CreditNoteForm { number, invoice_number: invoice, date, amount, vat, reason };
            let note = ledger.add_credit_note(&form.parse()?).await?;
            output(json, &CreditNoteJson::new(&note), || {
                format!(
                    "Avoir {} de {} enregistré sur la facture {}.\n",
                    note.number,
                    recouvre::money::format_eur(note.amount_incl_vat),
                    note.invoice_number
                )
            })?;
        }
        Command::Aging { at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            let report = ledger.aging(at).await?;
            output(json, &aging_json(&report), || aging_table(&report))?;
        }
        Command::Dso { at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            let dso = ledger.dso(at).await?;
            let value = serde_json::json!({ "at": at, "dso_days": dso.map(|d| d.to_string()) });
            output(json, &value, || match dso {
                Some(days) => format!(
                    "DSO au {} : {} jours (méthode de l'épuisement du chiffre d'affaires)\n",
                    recouvre::dates::format_date_fr(at),
                    days.to_string().replace('.', ",")
                ),
                None => format!("Rien n'est dû au {} : pas de DSO.\n", recouvre::dates::format_date_fr(at)),
            })?;
        }
        Command::Demo { until } => {
            let until = date_or_today(until.as_deref(), Field::Date)?;
            let summary = recouvre::demo::fill(ledger, until).await?;
            output(json, &summary, || {
                format!(
                    "Données de démonstration créées dans {} : {} débiteurs, {} factures, {} paiements, {} avoirs.\n",
                    ledger.path().display(),
                    summary.debtors,
                    summary.invoices,
                    summary.payments,
                    summary.credit_notes
                )
            })?;
        }
        Command::Rates(command) => law::rates(ledger, command, json).await?,
        Command::Statement { debtor, at, with_paid_late } => {
            claims::statement(ledger, debtor, at, with_paid_late, json).await?
        }
        Command::Notice(command) => claims::notice(ledger, command, json).await?,
        Command::Agenda { at } => dunning::agenda(ledger, at, json).await?,
        Command::Letter(args) => documents::letter(ledger, *args, json).await?,
        Command::PrintDay { at, out } => documents::print_day(ledger, at, out, json).await?,
        Command::Email(args) => documents::email(ledger, *args, json).await?,
        Command::Lrar(command) => documents::lrar(ledger, command, json).await?,
        Command::Smtp(command) => documents::smtp_command(ledger, command, json).await?,
        Command::Template(command) => documents::template(ledger, command, json).await?,
        Command::Document(command) => documents::document(ledger, command, json).await?,
        Command::Import(command) => imports::import(ledger, command, json).await?,
        Command::Export(command) => imports::export(ledger, command, json).await?,
        Command::Act(args) => dunning::act(ledger, args, json).await?,
        Command::Interaction(command) => dunning::interaction(ledger, command, json).await?,
        Command::Promise(command) => dunning::promise(ledger, command, json).await?,
        Command::Dispute(command) => dunning::dispute(ledger, command, json).await?,
        Command::Plan(command) => dunning::plan(ledger, command, json).await?,
        Command::Case(command) => dunning::case(ledger, command, json).await?,
        Command::Scenario(command) => dunning::scenario(ledger, command, json).await?,
        Command::Guard { min_days, max_per_week } => dunning::guard(ledger, min_days, max_per_week, json).await?,
        Command::Procedure(command) => claims::procedure(ledger, command, json).await?,
        Command::Cost(command) => claims::cost(ledger, command, json).await?,
        Command::Prescription(command) => claims::prescription(ledger, command, json).await?,
        Command::Bench(_) | Command::Interest(_) => unreachable!("handled before the ledger is opened"),
    }
    Ok(())
}
