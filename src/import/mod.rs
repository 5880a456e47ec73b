//! Imports: invoices, credit notes and payments brought from the user's other tools — CSV exports of
//! invoicing software and banks, the accountant's FEC, and structured e-invoices (Factur-X, CII, UBL).
//!
//! Every reader here is a pure function of the file's bytes (and, for CSV, a column mapping): it
//! returns a [`Batch`] of typed records, each with the place it came from, plus the lines it refused
//! with why. Nothing here touches the ledger: `Ledger::import` applies a batch in one transaction,
//! matching debtors (SIREN, else name) and invoices (number) so that importing twice changes nothing.
//!
//! Readers never panic, whatever the bytes: each has a cargo-fuzz target in `fuzz/`.

pub mod csv;
pub mod einvoice;
pub mod export;
pub mod fec;
pub mod issuer;
pub mod mapping;
pub mod report;
pub mod text;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::parties::{DebtorKind, PostalAddress};
use crate::receivables::invoice::NewAttachment;
use crate::receivables::payment::PaymentMethod;

pub use report::{ImportMode, ImportReport, Notice, Outcome, RecordReport};

/// The kinds of file the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A CSV export of invoices or of a bank statement.
    Csv,
    /// A FEC (fichier des écritures comptables).
    Fec,
    /// An e-invoice: Factur-X / ZUGFeRD PDF, CII or UBL XML.
    EInvoice,
}

impl Format {
    /// Recognises a file by its content: a PDF or XML is an e-invoice, a first line naming the FEC's
    /// columns is a FEC, anything else is read as CSV.
    pub fn detect(bytes: &[u8]) -> Format {
        let start = &bytes[..bytes.len().min(2048)];
        let text = String::from_utf8_lossy(start);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with(b"%PDF") || trimmed.starts_with('<') {
            return Format::EInvoice;
        }
        let first = trimmed.lines().next().unwrap_or_default().to_ascii_lowercase();
        if first.contains("journalcode") && first.contains("ecrituredate") { Format::Fec } else { Format::Csv }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Fec => "FEC (écritures comptables)",
            Format::EInvoice => "facture électronique (Factur-X, CII, UBL)",
        }
    }
}

/// Reads one file of the given format. For CSV, `mapping` (a preset or the wizard's choice) replaces
/// the recognised columns and `kind` forces invoices or payments; the layout found is returned too.
pub fn read(
    format: Format,
    file: &str,
    bytes: &[u8],
    mapping: Option<&mapping::Mapping>,
    kind: Option<mapping::CsvKind>,
) -> (Batch, Option<csv::CsvLayout>) {
    match format {
        Format::Csv => csv::read(file, bytes, mapping, kind),
        Format::Fec => (fec::read(file, bytes), None),
        Format::EInvoice => (einvoice::read(file, bytes), None),
    }
}

/// Where a record or a refusal comes from: the file as the user named it, and a line (text formats)
/// or an XML path (e-invoices).
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    /// The file name as given.
    pub file: String,
    /// 1-based line in the file, for text formats.
    pub line: Option<u64>,
    /// XML path (`/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID`), for e-invoices.
    pub path: Option<String>,
    /// The line as it was in the file, so that a record the ledger refuses can go to the
    /// rejected-lines file like one the reader refused. Not part of the identity of a place.
    #[serde(skip)]
    pub raw: Option<String>,
}

impl PartialEq for Origin {
    fn eq(&self, other: &Self) -> bool {
        (&self.file, self.line, &self.path) == (&other.file, other.line, &other.path)
    }
}

impl Eq for Origin {}

impl Origin {
    /// A line of a text file.
    pub fn line(file: &str, line: u64) -> Self {
        Origin { file: file.to_owned(), line: Some(line), path: None, raw: None }
    }

    /// A place in an XML document.
    pub fn xml(file: &str, path: impl Into<String>) -> Self {
        Origin { file: file.to_owned(), line: None, path: Some(path.into()), raw: None }
    }

    /// The whole file.
    pub fn file(file: &str) -> Self {
        Origin { file: file.to_owned(), line: None, path: None, raw: None }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "« {} »", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", ligne {line}")?;
        }
        if let Some(path) = &self.path {
            write!(f, ", {path}")?;
        }
        Ok(())
    }
}

/// A line or a document an importer refused: where, which field, the value found and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Where.
    pub origin: Origin,
    /// The field at fault, as the file names it (a column header, an XML element) or as we do.
    pub field: String,
    /// The value found (empty when it is missing).
    pub value: String,
    /// Why, in plain French.
    pub reason: String,
    /// The line as it was in the file, for the rejected-lines file the user fixes and re-imports.
    #[serde(skip)]
    pub raw: Option<String>,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, champ {} « {} » : {}", self.origin, self.field, self.value, self.reason)
    }
}

/// A debtor as another tool describes it: matched against the ledger by SIREN, else by name, and
/// created when neither matches.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportedDebtor {
    /// Company or person name.
    pub name: String,
    /// SIREN (9 digits, checked), when known — from the legal id or a French VAT number.
    pub siren: Option<String>,
    /// Professional or consumer; professional when the source cannot tell (invoicing tools and
    /// e-invoices are business to business).
    pub kind: Option<DebtorKind>,
    /// Postal address, when the source gives one.
    pub address: Option<PostalAddress>,
    /// E-mail, when given.
    pub email: Option<String>,
    /// Phone, when given.
    pub phone: Option<String>,
    /// The customer's account in the source (FEC `CompAuxNum`), kept in the debtor's notes.
    pub account: Option<String>,
}

/// Who issued an e-invoice (the seller, BG-4), as the document names it: an import keeps only the
/// creditor's own documents (see [`issuer`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedIssuer {
    /// Seller's name (BT-27).
    pub name: Option<String>,
    /// SIREN, from the legal id (BT-30) or a French VAT number (BT-31), when the document gives one.
    pub siren: Option<String>,
    /// Where the seller is described.
    pub origin: Origin,
}

/// An invoice read from a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedInvoice {
    /// Where it was read.
    pub origin: Origin,
    /// Who owes it.
    pub debtor: ImportedDebtor,
    /// Who issued it, when the document says (e-invoices); CSV and FEC lines are the user's own books.
    pub issuer: Option<ImportedIssuer>,
    /// Invoice number (BT-1): the key that makes imports idempotent.
    pub number: String,
    /// Issue date (BT-2).
    pub issue_date: NaiveDate,
    /// Due date (BT-9); `None` takes the creditor's payment term.
    pub due_date: Option<NaiveDate>,
    /// Payment terms as written (BT-20), kept in the description when there is no due date.
    pub payment_terms: Option<String>,
    /// Total excluding VAT (BT-109).
    pub amount_excl_vat: Decimal,
    /// VAT total (BT-110).
    pub vat: Decimal,
    /// Total including VAT (BT-112).
    pub amount_incl_vat: Decimal,
    /// Already paid when issued (BT-113) or in the source's books: recorded as a payment.
    pub paid: Decimal,
    /// When the paid part was received, when the source says (else the issue date).
    pub paid_on: Option<NaiveDate>,
    /// ISO 4217 currency (BT-5).
    pub currency: String,
    /// Description.
    pub description: String,
    /// The original document (a Factur-X PDF, the XML), kept as the invoice's evidence.
    #[serde(skip)]
    pub attachment: Option<NewAttachment>,
}

/// A credit note (avoir) read from a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedCreditNote {
    /// Where it was read.
    pub origin: Origin,
    /// Who it is for.
    pub debtor: ImportedDebtor,
    /// Who issued it, when the document says (e-invoices).
    pub issuer: Option<ImportedIssuer>,
    /// Credit-note number.
    pub number: String,
    /// The invoice it cancels (BT-25), when the source names it.
    pub invoice_number: Option<String>,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Amount including VAT, positive.
    pub amount_incl_vat: Decimal,
    /// VAT part, positive.
    pub vat: Decimal,
    /// ISO 4217 currency.
    pub currency: String,
    /// Why, as the source says.
    pub reason: String,
}

/// A payment received, read from a bank export or an accounting file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedPayment {
    /// Where it was read.
    pub origin: Origin,
    /// Who paid, when the source names them.
    pub debtor: Option<ImportedDebtor>,
    /// Day received.
    pub received_on: NaiveDate,
    /// Amount, positive.
    pub amount: Decimal,
    /// How.
    pub method: PaymentMethod,
    /// The bank label or reference: searched for our debtor reference (`R00012`) and invoice numbers.
    pub label: String,
    /// Invoices it settles, when the source says, with the part of each (`None`: what is owed).
    pub invoices: Vec<(String, Option<Decimal>)>,
}

/// What a reader made of one or several files: the records to apply, the refusals, and remarks
/// that are neither (an opening balance in a FEC, a bank debit skipped).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Batch {
    /// Invoices.
    pub invoices: Vec<ImportedInvoice>,
    /// Credit notes.
    pub credit_notes: Vec<ImportedCreditNote>,
    /// Payments.
    pub payments: Vec<ImportedPayment>,
    /// Lines or documents refused.
    pub rejected: Vec<Rejection>,
    /// Remarks for the user, each with its origin.
    pub notices: Vec<Notice>,
    /// The header line of a text file, to head the rejected-lines file.
    #[serde(skip)]
    pub header: Option<String>,
    /// That file's field separator, for the rejected-lines file.
    #[serde(skip)]
    pub delimiter: Option<char>,
}

impl Batch {
    /// Appends another file's batch.
    pub fn extend(&mut self, other: Batch) {
        // The first file's records are taken as they are: moving 100 000 invoices one by one into
        // an empty batch showed in profiles of the CLI (4 % of a large import).
        fn append<T>(into: &mut Vec<T>, more: Vec<T>) {
            if into.is_empty() { *into = more } else { into.extend(more) }
        }
        append(&mut self.invoices, other.invoices);
        append(&mut self.credit_notes, other.credit_notes);
        append(&mut self.payments, other.payments);
        append(&mut self.rejected, other.rejected);
        append(&mut self.notices, other.notices);
        if self.header.is_none() {
            self.header = other.header;
            self.delimiter = other.delimiter;
        }
    }

    /// Number of records to apply.
    pub fn len(&self) -> usize {
        self.invoices.len() + self.credit_notes.len() + self.payments.len()
    }

    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
