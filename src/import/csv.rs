//! CSV files from invoicing software (one invoice per line) and banks (one operation per line): decoded,
//! split, mapped to our columns, and each line read into a record or refused with its line and field.

// A refused line is the ordinary outcome of a reader, returned by value once per bad line; boxing
// each refusal would buy nothing.
#![allow(clippy::result_large_err)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::mapping::{Column, CsvKind, Mapping};
use super::text::{decode, detect_delimiter};
use super::{Batch, ImportedCreditNote, ImportedDebtor, ImportedInvoice, ImportedPayment, Notice, Origin, Rejection};
use crate::dates::parse_date;
use crate::identifiers;
use crate::money::parse_amount;
use crate::parties::{DebtorKind, PostalAddress};
use crate::receivables::invoice::CURRENCY;
use crate::receivables::payment::PaymentMethod;

/// What was recognised in a CSV file before reading its lines: shown by the import wizard so the user
/// can correct the mapping, and saved as a preset.
#[derive(Debug, Clone, Serialize)]
pub struct CsvLayout {
    /// `UTF-8`, `windows-1252`…
    pub encoding: &'static str,
    /// The field separator, as a character.
    pub delimiter: char,
    /// The headers of the first line.
    pub headers: Vec<String>,
    /// Which header holds which column.
    pub mapping: Mapping,
    /// Up to five lines after the headers, as split.
    pub sample: Vec<Vec<String>>,
    /// Required columns no header holds yet: the wizard asks for them.
    pub missing: Vec<Column>,
}

/// Decodes a CSV file and recognises its layout, even incomplete (the wizard shows what is missing);
/// `mapping` (a preset, or the wizard's choice) replaces the recognised one, `kind` forces invoices
/// or payments.
pub fn layout(
    file: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    kind: Option<CsvKind>,
) -> Result<CsvLayout, Rejection> {
    let (layout, _) = inspect(file, bytes, mapping, kind)?;
    Ok(layout)
}

/// Reads a CSV file of invoices or payments into a batch. A problem with the whole file (not text,
/// no header, a required column missing) is the batch's one refusal.
pub fn read(file: &str, bytes: &[u8], mapping: Option<&Mapping>, kind: Option<CsvKind>) -> (Batch, Option<CsvLayout>) {
    let (layout, text) = match open(file, bytes, mapping, kind) {
        Ok(opened) => opened,
        Err(rejection) => return (Batch { rejected: vec![rejection], ..Batch::default() }, None),
    };
    let delimiter = layout.delimiter as u8;
    let mut batch =
        Batch { header: text.lines().next().map(str::to_owned), delimiter: Some(layout.delimiter), ..Batch::default() };
    let index: Vec<(Column, usize, &str)> = layout
        .mapping
        .columns
        .iter()
        .filter_map(|(c, h)| layout.headers.iter().position(|x| x.trim() == h).map(|i| (*c, i, h.as_str())))
        .collect();
    let mut reader = reader(&text, delimiter);
    let width = layout.headers.len();
    for result in reader.records().skip(1) {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                batch.rejected.push(whole_line(file, line, None, format!("ligne illisible ({error})")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let raw = record.position().and_then(|p| text.get(p.byte() as usize..)).and_then(|t| t.lines().next());
        let raw = raw.map(str::to_owned);
        let row = Row { file, line, raw: raw.as_deref(), record: &record, index: &index };
        if record.len() < width && index.iter().any(|(_, i, _)| *i >= record.len()) {
            let reason = format!("ligne incomplète : {} champs au lieu de {width} (fichier tronqué ?)", record.len());
            batch.rejected.push(whole_line(file, line, raw, reason));
            continue;
        }
        let outcome = match layout.mapping.kind {
            CsvKind::Invoices => row.invoice().map(|r| match r {
                InvoiceLine::Invoice(i) => batch.invoices.push(*i),
                InvoiceLine::CreditNote(c) => batch.credit_notes.push(*c),
            }),
            CsvKind::Payments => row.payment().map(|p| match p {
                Some(p) => batch.payments.push(p),
                None => batch.notices.push(Notice {
                    origin: Origin::line(file, line),
                    message: "sortie d'argent (débit) ignorée : seuls les encaissements sont des paiements".into(),
                }),
            }),
        };
        if let Err(mut rejection) = outcome {
            rejection.raw = raw;
            batch.rejected.push(rejection);
        }
    }
    (batch, Some(layout))
}

fn open(
    file: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    kind: Option<CsvKind>,
) -> Result<(CsvLayout, String), Rejection> {
    let (layout, text) = inspect(file, bytes, mapping, kind)?;
    let headers = &layout.headers;
    let mapping = &layout.mapping;
    let absent: Vec<&String> = mapping.columns.values().filter(|h| !headers.iter().any(|x| x == h.trim())).collect();
    if !absent.is_empty() || !layout.missing.is_empty() {
        let names: Vec<String> = absent
            .iter()
            .map(|h| format!("« {h} »"))
            .chain(layout.missing.iter().map(|c| format!("{} ({})", c.label(), c.key())))
            .collect();
        return Err(Rejection {
            origin: Origin::line(file, 1),
            field: "en-têtes".into(),
            value: headers.join(" | "),
            reason: format!(
                "colonne obligatoire absente pour un fichier de {} : {} ; indiquez-la avec --map CLÉ=EN-TÊTE ou un préréglage",
                mapping.kind.label(),
                names.join(", ")
            ),
            raw: None,
        });
    }
    Ok((layout, text))
}

fn inspect(
    file: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    kind: Option<CsvKind>,
) -> Result<(CsvLayout, String), Rejection> {
    let decoded = decode(bytes).map_err(|e| whole_line(file, 1, None, e.to_string()))?;
    let delimiter = detect_delimiter(&decoded.text);
    let mut records = reader(&decoded.text, delimiter).into_records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|h| h.trim().to_owned()).collect(),
        _ => return Err(whole_line(file, 1, None, "aucune ligne d'en-têtes".into())),
    };
    if headers.iter().all(String::is_empty) {
        return Err(whole_line(file, 1, None, "aucune ligne d'en-têtes".into()));
    }
    let mapping = match (mapping, kind) {
        (Some(m), _) => m.clone(),
        (None, Some(kind)) => Mapping::detect(kind, &headers),
        (None, None) => Mapping::detect_kind(&headers),
    };
    let missing = mapping.missing();
    let sample = records.take(5).filter_map(|r| r.ok()).map(|r| r.iter().map(str::to_owned).collect()).collect();
    let layout =
        CsvLayout { encoding: decoded.encoding, delimiter: delimiter as char, headers, mapping, sample, missing };
    Ok((layout, decoded.text))
}

fn reader(text: &str, delimiter: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes())
}

fn whole_line(file: &str, line: u64, raw: Option<String>, reason: String) -> Rejection {
    Rejection { origin: Origin::line(file, line), field: "ligne".into(), value: String::new(), reason, raw }
}

enum InvoiceLine {
    Invoice(Box<ImportedInvoice>),
    CreditNote(Box<ImportedCreditNote>),
}

struct Row<'a> {
    file: &'a str,
    line: u64,
    raw: Option<&'a str>,
    record: &'a ::csv::StringRecord,
    index: &'a [(Column, usize, &'a str)],
}

impl Row<'_> {
    fn origin(&self) -> Origin {
        Origin { raw: self.raw.map(str::to_owned), ..Origin::line(self.file, self.line) }
    }

    fn cell(&self, column: Column) -> Option<(&str, &str)> {
        let (_, i, header) = self.index.iter().find(|(c, _, _)| *c == column)?;
        let value = self.record.get(*i)?.trim();
        (!value.is_empty()).then_some((value, *header))
    }

    fn text(&self, column: Column) -> Option<String> {
        self.cell(column).map(|(v, _)| v.to_owned())
    }

    fn refuse(&self, column: Column, value: &str, reason: impl Into<String>) -> Rejection {
        let header = self.index.iter().find(|(c, _, _)| *c == column).map_or(column.label(), |(_, _, h)| *h);
        Rejection {
            origin: Origin::line(self.file, self.line),
            field: format!("« {header} » ({})", column.key()),
            value: value.to_owned(),
            reason: reason.into(),
            raw: None,
        }
    }

    fn required(&self, column: Column) -> Result<&str, Rejection> {
        self.cell(column).map(|(v, _)| v).ok_or_else(|| self.refuse(column, "", "valeur obligatoire absente"))
    }

    fn date(&self, column: Column) -> Result<Option<NaiveDate>, Rejection> {
        let Some((value, _)) = self.cell(column) else { return Ok(None) };
        read_date(value).map(Some).map_err(|reason| self.refuse(column, value, reason))
    }

    fn amount(&self, column: Column) -> Result<Option<Decimal>, Rejection> {
        let Some((value, _)) = self.cell(column) else { return Ok(None) };
        parse_amount(value).map(Some).map_err(|e| self.refuse(column, value, e.to_string()))
    }

    fn debtor(&self) -> Result<Option<ImportedDebtor>, Rejection> {
        let siren = match self.cell(Column::Siren) {
            Some((value, _)) => {
                let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                // A SIRET is the SIREN followed by the establishment's five digits.
                let siren = if digits.len() == 14 {
                    identifiers::siret(&digits).map(|s| s[..9].to_owned())
                } else {
                    identifiers::siren(&digits)
                };
                Some(siren.map_err(|reason| self.refuse(Column::Siren, value, reason))?)
            }
            None => None,
        };
        let Some(name) = self.text(Column::Debtor) else { return Ok(None) };
        let kind = match self.cell(Column::DebtorKind) {
            Some((value, _)) => Some(read_kind(value).ok_or_else(|| {
                self.refuse(Column::DebtorKind, value, "valeurs possibles : professionnel, particulier")
            })?),
            None => None,
        };
        let address =
            (self.cell(Column::Address).is_some() || self.cell(Column::City).is_some()).then(|| PostalAddress {
                lines: self.text(Column::Address).map(|a| PostalAddress::split_lines(&a)).unwrap_or_default(),
                postcode: self.text(Column::Postcode).unwrap_or_default(),
                city: self.text(Column::City).unwrap_or_default(),
                country: self.text(Column::Country).map_or_else(|| "FR".into(), |c| country(&c)),
            });
        Ok(Some(ImportedDebtor {
            name,
            siren,
            kind,
            address,
            email: self.text(Column::Email),
            phone: self.text(Column::Phone),
            account: None,
        }))
    }

    fn invoice(&self) -> Result<InvoiceLine, Rejection> {
        let number = self.required(Column::InvoiceNumber)?.to_owned();
        let debtor = self.debtor()?.ok_or_else(|| self.refuse(Column::Debtor, "", "valeur obligatoire absente"))?;
        let issue_date =
            self.date(Column::Date)?.ok_or_else(|| self.refuse(Column::Date, "", "valeur obligatoire absente"))?;
        let due_date = self.date(Column::DueDate)?;
        let (incl, excl, vat) =
            (self.amount(Column::AmountInclVat)?, self.amount(Column::AmountExclVat)?, self.amount(Column::Vat)?);
        let (incl, excl, vat) = match (incl, excl, vat) {
            (Some(t), Some(h), Some(v)) => (t, h, v),
            (Some(t), Some(h), None) => (t, h, t - h),
            (Some(t), None, v) => (t, t - v.unwrap_or_default(), v.unwrap_or_default()),
            (None, Some(h), v) => (h + v.unwrap_or_default(), h, v.unwrap_or_default()),
            (None, None, _) => return Err(self.refuse(Column::AmountInclVat, "", "valeur obligatoire absente")),
        };
        let currency = self.text(Column::Currency).map_or_else(|| CURRENCY.to_owned(), |c| c.to_uppercase());
        let description = self.text(Column::Description).unwrap_or_default();
        let amount_column =
            if self.cell(Column::AmountInclVat).is_some() { Column::AmountInclVat } else { Column::AmountExclVat };
        if incl < Decimal::ZERO {
            let Some(cancels) = self.text(Column::CancelsInvoice) else {
                let found = self.cell(amount_column).map_or(String::new(), |(v, _)| v.to_owned());
                return Err(self.refuse(
                    amount_column,
                    &found,
                    "montant négatif : un avoir doit nommer la facture qu'il annule (colonne facture_origine)",
                ));
            };
            return Ok(InvoiceLine::CreditNote(Box::new(ImportedCreditNote {
                origin: self.origin(),
                debtor,
                issuer: None,
                number,
                invoice_number: Some(cancels),
                issue_date,
                amount_incl_vat: -incl,
                vat: -vat,
                currency,
                reason: if description.is_empty() { "Avoir importé".into() } else { description },
            })));
        }
        if incl == Decimal::ZERO {
            return Err(self.refuse(amount_column, "0", "une facture d'un montant nul n'est pas une créance"));
        }
        let paid = self.amount(Column::Paid)?.unwrap_or_default();
        if paid < Decimal::ZERO || paid > incl {
            let value = crate::money::to_plain(paid);
            return Err(self.refuse(Column::Paid, &value, "le montant payé doit être entre zéro et le TTC"));
        }
        Ok(InvoiceLine::Invoice(Box::new(ImportedInvoice {
            origin: self.origin(),
            debtor,
            issuer: None,
            number,
            issue_date,
            due_date,
            payment_terms: None,
            amount_excl_vat: excl,
            vat,
            amount_incl_vat: incl,
            paid,
            paid_on: None,
            currency,
            description,
            attachment: None,
        })))
    }

    /// A bank line: `None` for money going out.
    fn payment(&self) -> Result<Option<ImportedPayment>, Rejection> {
        let received_on =
            self.date(Column::Date)?.ok_or_else(|| self.refuse(Column::Date, "", "valeur obligatoire absente"))?;
        let amount = match (self.amount(Column::Amount)?, self.amount(Column::Credit)?, self.amount(Column::Debit)?) {
            (Some(a), _, _) => a,
            (None, Some(c), d) => c - d.unwrap_or_default().abs(),
            (None, None, Some(_)) => return Ok(None),
            (None, None, None) => {
                let column = if self.index.iter().any(|(c, _, _)| *c == Column::Amount) {
                    Column::Amount
                } else {
                    Column::Credit
                };
                return Err(self.refuse(column, "", "valeur obligatoire absente"));
            }
        };
        if amount <= Decimal::ZERO {
            return Ok(None);
        }
        let label = self.text(Column::Label).unwrap_or_default();
        let method = match self.cell(Column::Method) {
            Some((value, _)) => PaymentMethod::parse(value).map_err(|_| {
                self.refuse(
                    Column::Method,
                    value,
                    "valeurs possibles : virement, cheque, cb, especes, prelevement, autre",
                )
            })?,
            None => method_from_label(&label),
        };
        let invoices = self
            .text(Column::InvoiceNumber)
            .map(|t| {
                t.split([',', ';', ' ', '/', '+']).filter(|n| !n.is_empty()).map(|n| (n.to_owned(), None)).collect()
            })
            .unwrap_or_default();
        Ok(Some(ImportedPayment {
            origin: self.origin(),
            debtor: self.debtor()?,
            received_on,
            amount,
            method,
            label,
            invoices,
        }))
    }
}

/// Dates as exported: `24/11/2026`, `2026-11-24`, `24.11.2026`, or with a time after them.
pub fn read_date(value: &str) -> Result<NaiveDate, String> {
    let day = match value.split_once([' ', 'T']) {
        Some((day, _)) if value.len() > 10 => day,
        _ => value,
    };
    let day = if day.matches('.').count() == 2 { day.replace('.', "/") } else { day.to_owned() };
    parse_date(&day).map_err(|e| e.to_string())
}

fn read_kind(value: &str) -> Option<DebtorKind> {
    match super::text::header_key(value).as_str() {
        "professionnel" | "pro" | "entreprise" | "societe" | "b2b" | "business" => Some(DebtorKind::Professionnel),
        "consommateur" | "particulier" | "part" | "b2c" | "consumer" | "individual" => Some(DebtorKind::Consommateur),
        _ => None,
    }
}

fn country(value: &str) -> String {
    match super::text::header_key(value).as_str() {
        "france" | "fr" | "fra" => "FR".into(),
        "belgique" | "belgium" | "be" => "BE".into(),
        "suisse" | "switzerland" | "ch" => "CH".into(),
        "luxembourg" | "lu" => "LU".into(),
        "allemagne" | "germany" | "de" => "DE".into(),
        _ => value.trim().to_uppercase(),
    }
}

/// The method French banks write at the start of a statement label (`VIR SEPA`, `CHQ`, `PRLV`, `CB`).
fn method_from_label(label: &str) -> PaymentMethod {
    let upper = label.to_uppercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| upper.starts_with(p));
    if starts(&["CHQ", "CHEQUE", "CHÈQUE", "REMISE CHQ", "REM CHQ"]) {
        PaymentMethod::Cheque
    } else if starts(&["PRLV", "PRELEVEMENT", "PRÉLÈVEMENT"]) {
        PaymentMethod::Prelevement
    } else if starts(&["CB ", "CARTE", "PAIEMENT CB", "REMISE CB"]) {
        PaymentMethod::Cb
    } else if starts(&["VERSEMENT ESPECES", "VERSEMENT ESPÈCES", "ESPECES"]) {
        PaymentMethod::Especes
    } else {
        PaymentMethod::Virement
    }
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
