//! The FEC (fichier des écritures comptables, LPF art. A47 A-1): every French accounting program
//! exports it. From its customer accounts (411…, 416…) we rebuild what is still owed: the invoices
//! (debits) less the payments and credit notes (credits) matched to them — by lettering (`EcritureLet`)
//! when the accountant lettered, else by piece reference. Settled invoices are left out; opening
//! balances and credits matched to nothing are reported, not guessed into invoices.

// A refused line is the ordinary outcome of a reader, returned by value once per bad line; boxing
// each refusal would buy nothing.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv::read_date;
use super::text::decode;
use super::{Batch, ImportedCreditNote, ImportedDebtor, ImportedInvoice, ImportedPayment, Notice, Origin, Rejection};
use crate::money::{from_cents, to_plain};
use crate::parties::DebtorKind;
use crate::receivables::invoice::CURRENCY;
use crate::receivables::payment::PaymentMethod;

/// The columns we read, by their regulatory names.
const NEEDED: [&str; 10] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "EcritureLib",
];

/// Journals that carry balances forward rather than invoices.
const OPENING_JOURNALS: [&str; 5] = ["AN", "ANO", "OUV", "RAN", "ANX"];

struct Columns {
    at: HashMap<&'static str, usize>,
    piece_date: Option<usize>,
    letter: Option<usize>,
    date_let: Option<usize>,
    amounts: AmountColumns,
}

enum AmountColumns {
    DebitCredit(usize, usize),
    AmountSense(usize, usize),
}

/// One line on a customer account.
struct Item {
    line: u64,
    journal: String,
    entry: String,
    date: NaiveDate,
    account: String,
    name: String,
    piece: String,
    label: String,
    /// Debit minus credit, in cents.
    cents: i64,
    letter: String,
}

/// What other lines of an entry tell about its customer lines: a credit note reverses a sale (a
/// debit on a class-7 account), and the VAT of an invoice is what the entry puts on 4457.
#[derive(Default)]
struct Entry {
    reverses_sale: bool,
    vat_cents: i64,
}

/// Reads a FEC into the open invoices, their partial payments and credit notes.
pub fn read(file: &str, bytes: &[u8]) -> Batch {
    let mut batch = Batch::default();
    let text = match decode(bytes) {
        Ok(decoded) => decoded.text,
        Err(e) => return refused(file, 1, "fichier", "", e.to_string()),
    };
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else { return refused(file, 1, "en-têtes", "", "fichier vide".into()) };
    let delimiter = if header.contains('\t') { '\t' } else { '|' };
    batch.header = Some(header.to_owned());
    batch.delimiter = Some(delimiter);
    let names: Vec<&str> = header.split(delimiter).map(str::trim).collect();
    let columns = match columns(&names) {
        Ok(c) => c,
        Err(missing) => {
            let reason = format!(
                "ce n'est pas un FEC lisible : colonne{} {} absente{} (séparateur tabulation ou |)",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                if missing.len() > 1 { "s" } else { "" }
            );
            return refused(file, 1, "en-têtes", header, reason);
        }
    };
    let mut items = Vec::new();
    let mut entries: HashMap<String, Entry> = HashMap::new();
    for (index, line) in lines {
        let number = index as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(delimiter).collect();
        match read_line(file, number, &fields, &columns) {
            Ok(Some(Line::Customer(item))) => items.push(item),
            Ok(Some(Line::Other { key, class7_debit, vat_cents })) => {
                let entry = entries.entry(key).or_default();
                entry.reverses_sale |= class7_debit;
                entry.vat_cents += vat_cents;
            }
            Ok(None) => {}
            Err(mut rejection) => {
                rejection.raw = Some(line.to_owned());
                batch.rejected.push(rejection);
            }
        }
    }
    rebuild(file, items, &entries, &mut batch);
    batch
}

enum Line {
    Customer(Item),
    Other { key: String, class7_debit: bool, vat_cents: i64 },
}

fn columns(names: &[&str]) -> Result<Columns, Vec<String>> {
    let find = |name: &str| names.iter().position(|n| n.eq_ignore_ascii_case(name));
    let mut at = HashMap::new();
    let mut missing = Vec::new();
    for name in NEEDED {
        match find(name) {
            Some(i) => {
                at.insert(name, i);
            }
            None => missing.push(name.to_owned()),
        }
    }
    let amounts = match (find("Debit"), find("Credit"), find("Montant"), find("Sens")) {
        (Some(d), Some(c), _, _) => Some(AmountColumns::DebitCredit(d, c)),
        (_, _, Some(m), Some(s)) => Some(AmountColumns::AmountSense(m, s)),
        _ => {
            missing.push("Debit/Credit (ou Montant/Sens)".into());
            None
        }
    };
    match amounts {
        Some(amounts) if missing.is_empty() => Ok(Columns {
            at,
            piece_date: find("PieceDate"),
            letter: find("EcritureLet"),
            date_let: find("DateLet"),
            amounts,
        }),
        _ => Err(missing),
    }
}

fn read_line(file: &str, line: u64, fields: &[&str], columns: &Columns) -> Result<Option<Line>, Rejection> {
    let get = |name: &str| columns.at.get(name).and_then(|&i| fields.get(i)).map_or("", |f| f.trim());
    let at = |i: Option<usize>| i.and_then(|i| fields.get(i)).map_or("", |f| f.trim());
    let refuse = |field: &str, value: &str, reason: String| Rejection {
        origin: Origin::line(file, line),
        field: field.to_owned(),
        value: value.to_owned(),
        reason,
        raw: None,
    };
    let account = get("CompteNum");
    if account.is_empty() {
        return Err(refuse("CompteNum", "", "numéro de compte absent (ligne tronquée ?)".into()));
    }
    let amount = |name: &str, text: &str| fec_cents(text).ok_or_else(|| refuse(name, text, amount_reason()));
    let cents = match columns.amounts {
        AmountColumns::DebitCredit(d, c) => amount("Debit", at(Some(d)))? - amount("Credit", at(Some(c)))?,
        AmountColumns::AmountSense(m, s) => {
            let value = amount("Montant", at(Some(m)))?;
            match at(Some(s)).to_ascii_uppercase().as_str() {
                "D" | "+1" | "1" => value,
                "C" | "-1" => -value,
                other => return Err(refuse("Sens", other, "D (débit) ou C (crédit) attendu".into())),
            }
        }
    };
    let customer = account.starts_with("411") || account.starts_with("416");
    if !customer {
        let key = format!("{}\u{1}{}", get("JournalCode"), get("EcritureNum"));
        let class7_debit = account.starts_with('7') && cents > 0;
        // VAT collected (4457…): credited on a sale, debited back on a credit note.
        let vat_cents = if account.starts_with("4457") { cents.abs() } else { 0 };
        return Ok((class7_debit || vat_cents != 0).then_some(Line::Other { key, class7_debit, vat_cents }));
    }
    let date_text = get("EcritureDate");
    let date = fec_date(date_text).ok_or_else(|| refuse("EcritureDate", date_text, date_reason()))?;
    let piece_date_text = at(columns.piece_date);
    let piece_date = if piece_date_text.is_empty() {
        None
    } else {
        Some(fec_date(piece_date_text).ok_or_else(|| refuse("PieceDate", piece_date_text, date_reason()))?)
    };
    let date_let = at(columns.date_let);
    if !date_let.is_empty() && fec_date(date_let).is_none() {
        return Err(refuse("DateLet", date_let, date_reason()));
    }
    let (aux, aux_name) = (get("CompAuxNum"), get("CompAuxLib"));
    let (account, name) = if aux.is_empty() { (account, get("CompteLib")) } else { (aux, aux_name) };
    if name.is_empty() {
        return Err(refuse(if aux.is_empty() { "CompteLib" } else { "CompAuxLib" }, "", "nom du client absent".into()));
    }
    Ok(Some(Line::Customer(Item {
        line,
        journal: get("JournalCode").to_owned(),
        entry: get("EcritureNum").to_owned(),
        date: piece_date.unwrap_or(date),
        account: account.to_owned(),
        name: name.to_owned(),
        piece: get("PieceRef").to_owned(),
        label: get("EcritureLib").to_owned(),
        cents,
        letter: at(columns.letter).to_owned(),
    })))
}

fn amount_reason() -> String {
    "montant illisible (attendu : chiffres, virgule décimale, deux décimales au plus, ex. 1234,56)".into()
}

fn date_reason() -> String {
    "date illisible ou inexistante (attendu AAAAMMJJ, ex. 20261124)".into()
}

/// A FEC amount in cents: optional sign, digits, a comma (or a point) and up to two decimals; empty
/// is zero. Written by hand because a million lines must be read in well under a second.
fn fec_cents(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() {
        return text.is_empty().then_some(0);
    }
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let (units, decimals) = body.split_once([',', '.']).unwrap_or((body, ""));
    let decimals = decimals.trim_end_matches('0');
    if units.len() > 15 || decimals.len() > 2 || !(units.bytes().chain(decimals.bytes()).all(|b| b.is_ascii_digit())) {
        return None;
    }
    let units: i64 = if units.is_empty() { 0 } else { units.parse().ok()? };
    let hundredths: i64 = match decimals.len() {
        0 => 0,
        1 => decimals.parse::<i64>().ok()? * 10,
        _ => decimals.parse().ok()?,
    };
    let cents = units.checked_mul(100)?.checked_add(hundredths)?;
    Some(if negative { -cents } else { cents })
}

/// `AAAAMMJJ`, the FEC's date format; `AAAA-MM-JJ` and `JJ/MM/AAAA` from lenient exporters too.
fn fec_date(text: &str) -> Option<NaiveDate> {
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| text.get(r).and_then(|t| t.parse::<u32>().ok());
        return NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(4..6)?, n(6..8)?);
    }
    read_date(text).ok()
}

fn refused(file: &str, line: u64, field: &str, value: &str, reason: String) -> Batch {
    let rejection =
        Rejection { origin: Origin::line(file, line), field: field.into(), value: value.into(), reason, raw: None };
    Batch { rejected: vec![rejection], ..Batch::default() }
}

/// Groups the customer lines (by lettering, else by customer and piece), drops what is settled and
/// turns what is open into invoices with the payments and credit notes that partly settle them.
fn rebuild(file: &str, items: Vec<Item>, entries: &HashMap<String, Entry>, batch: &mut Batch) {
    let mut groups: HashMap<(String, String), Vec<Item>> = HashMap::new();
    let mut order = Vec::new();
    for item in items {
        if OPENING_JOURNALS.contains(&item.journal.to_ascii_uppercase().as_str()) && item.piece.is_empty() {
            batch.notices.push(Notice {
                origin: Origin::line(file, item.line),
                message: format!(
                    "solde d'ouverture de {} € pour {} ({}) : un solde n'est pas une facture, il n'est pas importé",
                    to_plain(from_cents(item.cents)),
                    item.name,
                    item.account
                ),
            });
            continue;
        }
        let key = if item.letter.is_empty() {
            (item.account.clone(), format!("piece\u{1}{}", item.piece))
        } else {
            (item.account.clone(), format!("let\u{1}{}", item.letter))
        };
        let group = groups.entry(key.clone()).or_default();
        if group.is_empty() {
            order.push(key);
        }
        group.push(item);
    }
    for key in order {
        let Some(group) = groups.remove(&key) else { continue };
        if group.iter().map(|i| i.cents).sum::<i64>() == 0 {
            continue;
        }
        open_group(file, group, entries, batch);
    }
}

fn open_group(file: &str, group: Vec<Item>, entries: &HashMap<String, Entry>, batch: &mut Batch) {
    let (mut debits, mut credits): (Vec<Item>, Vec<Item>) = group.into_iter().partition(|i| i.cents > 0);
    debits.sort_by_key(|i| (i.date, i.line));
    credits.sort_by_key(|i| (i.date, i.line));
    let mut open: Vec<(String, i64)> = Vec::new();
    for debit in &debits {
        let number = invoice_number(debit);
        // Several debit lines of one piece (an invoice posted in parts) are one invoice.
        if let Some((_, owed)) = open.iter_mut().find(|(n, _)| *n == number) {
            *owed += debit.cents;
            if let Some(invoice) = batch.invoices.iter_mut().rev().find(|i| i.number == number) {
                invoice.amount_incl_vat += from_cents(debit.cents);
                invoice.amount_excl_vat += from_cents(debit.cents);
            }
            continue;
        }
        let entry = entries.get(&format!("{}\u{1}{}", debit.journal, debit.entry));
        let vat = entry.map_or(0, |e| e.vat_cents).clamp(0, debit.cents.saturating_sub(1));
        batch.invoices.push(ImportedInvoice {
            origin: Origin::line(file, debit.line),
            debtor: debtor(debit),
            issuer: None,
            number: number.clone(),
            issue_date: debit.date,
            due_date: None,
            payment_terms: None,
            amount_excl_vat: from_cents(debit.cents - vat),
            vat: from_cents(vat),
            amount_incl_vat: from_cents(debit.cents),
            paid: Decimal::ZERO,
            paid_on: None,
            currency: CURRENCY.into(),
            description: debit.label.clone(),
            attachment: None,
        });
        open.push((number, debit.cents));
    }
    for credit in credits {
        let mut left = -credit.cents;
        let mut parts = Vec::new();
        for (number, owed) in open.iter_mut().filter(|(_, owed)| *owed > 0) {
            let part = left.min(*owed);
            *owed -= part;
            left -= part;
            parts.push((number.clone(), part));
            if left == 0 {
                break;
            }
        }
        let entry = entries.get(&format!("{}\u{1}{}", credit.journal, credit.entry));
        let origin = Origin::line(file, credit.line);
        if entry.is_some_and(|e| e.reverses_sale) {
            let vat_total = entry.map_or(0, |e| e.vat_cents);
            for (n, (number, part)) in parts.iter().enumerate() {
                let note = if credit.piece.is_empty() {
                    format!("AV-{}-{}", credit.journal, credit.entry)
                } else {
                    credit.piece.clone()
                };
                let note = if n == 0 { note } else { format!("{note}/{}", n + 1) };
                // The VAT of a credit note spread over several invoices follows each part's share.
                let vat = if -credit.cents == 0 { 0 } else { vat_total * part / -credit.cents };
                batch.credit_notes.push(ImportedCreditNote {
                    origin: origin.clone(),
                    debtor: debtor(&credit),
                    issuer: None,
                    number: note,
                    invoice_number: Some(number.clone()),
                    issue_date: credit.date,
                    amount_incl_vat: from_cents(*part),
                    vat: from_cents(vat.clamp(0, *part)),
                    currency: CURRENCY.into(),
                    reason: credit.label.clone(),
                });
            }
            if left > 0 {
                batch.notices.push(unmatched(file, &credit, left, "avoir"));
            }
        } else {
            if parts.is_empty() || left > 0 {
                batch.notices.push(unmatched(file, &credit, left, "règlement"));
            }
            batch.payments.push(ImportedPayment {
                origin,
                debtor: Some(debtor(&credit)),
                received_on: credit.date,
                amount: from_cents(-credit.cents),
                method: PaymentMethod::Autre,
                label: [credit.piece.as_str(), credit.label.as_str()].join(" ").trim().to_owned(),
                invoices: parts.into_iter().map(|(n, c)| (n, Some(from_cents(c)))).collect(),
            });
        }
    }
}

fn unmatched(file: &str, item: &Item, cents: i64, what: &str) -> Notice {
    let action = if what == "avoir" {
        "non importé : aucune facture ouverte à laquelle l'imputer"
    } else {
        "importé comme acompte non affecté (crédit du client)"
    };
    Notice {
        origin: Origin::line(file, item.line),
        message: format!(
            "{what} de {} € de {} ({}, pièce « {} ») sans facture rapprochée : {action}",
            to_plain(from_cents(cents)),
            item.name,
            item.account,
            item.piece
        ),
    }
}

fn invoice_number(item: &Item) -> String {
    if item.piece.is_empty() { format!("{}-{}", item.journal, item.entry) } else { item.piece.clone() }
}

fn debtor(item: &Item) -> ImportedDebtor {
    ImportedDebtor {
        name: item.name.clone(),
        kind: Some(DebtorKind::Professionnel),
        account: Some(item.account.clone()),
        ..ImportedDebtor::default()
    }
}

#[cfg(test)]
#[path = "fec_tests.rs"]
mod tests;
