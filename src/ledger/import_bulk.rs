//! What an import knows of the ledger (its debtors by SIREN and name, its invoices by number) and
//! what it writes in bulk, so that a file of 100 000 lines is a few hundred statements, not a few
//! hundred thousand: new debtors, new invoices' ids, and the parts already paid.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use sqlx::Row;

use super::WriteTx;
use super::rows::cents;
use crate::dates::format_date_fr;
use crate::error::{Field, Result};
use crate::import::report::RecordKind;
use crate::import::text::header_key;
use crate::import::{ImportReport, ImportedDebtor, ImportedInvoice, Origin, Outcome};
use crate::money::format_eur;
use crate::parties::{DebtorForm, DebtorKind};
use crate::receivables::invoice::NewInvoice;

/// An invoice already in the ledger, as far as an import compares it.
pub(super) struct Known {
    pub(super) id: i64,
    pub(super) debtor_id: i64,
    pub(super) due_date: NaiveDate,
    pub(super) excl: i64,
    pub(super) vat: i64,
    pub(super) incl: i64,
    pub(super) description: String,
}

impl Known {
    pub(super) fn new(id: i64, invoice: &NewInvoice) -> Result<Known> {
        Ok(Known {
            id,
            debtor_id: invoice.debtor_id,
            due_date: invoice.due_date,
            excl: cents(Field::AmountExclVat, invoice.amount_excl_vat)?,
            vat: cents(Field::Vat, invoice.vat)?,
            incl: cents(Field::Amount, invoice.amount_incl_vat)?,
            description: invoice.description.clone(),
        })
    }
}

/// The debtors already in the ledger (or created by this import), by SIREN and by name.
#[derive(Default)]
pub(super) struct Debtors {
    pub(super) by_siren: HashMap<String, i64>,
    pub(super) by_name: HashMap<String, i64>,
}

impl Debtors {
    pub(super) fn find(&self, d: &ImportedDebtor) -> Option<i64> {
        self.find_keyed(d, &header_key(&d.name))
    }

    /// [`Self::find`] with the name's key already computed: an import looks each line's client up
    /// two or three times, and normalising the name is the costly part of a lookup.
    pub(super) fn find_keyed(&self, d: &ImportedDebtor, key: &str) -> Option<i64> {
        d.siren.as_ref().and_then(|s| self.by_siren.get(s)).or_else(|| self.by_name.get(key)).copied()
    }

    pub(super) fn insert(&mut self, id: i64, name: &str, siren: Option<&str>) {
        self.by_name.entry(header_key(name)).or_insert(id);
        if let Some(siren) = siren {
            self.by_siren.entry(siren.to_owned()).or_insert(id);
        }
    }
}

impl WriteTx {
    /// Creates in one go the debtors of the invoices that will be created, so that a file of
    /// thousands of clients is not thousands of round trips. A debtor whose details are refused, or
    /// whose invoice is, is left to [`Self::stage_invoice`], which reports why.
    pub(super) async fn create_debtors(
        &mut self,
        invoices: &[ImportedInvoice],
        keys: &[String],
        term: u64,
        debtors: &mut Debtors,
        report: &mut ImportReport,
    ) -> Result<()> {
        let mut pending = Debtors::default();
        let mut details = Vec::new();
        let mut origins = Vec::new();
        for (invoice, key) in invoices.iter().zip(keys) {
            if debtors.find_keyed(&invoice.debtor, key).is_some() || pending.find_keyed(&invoice.debtor, key).is_some()
            {
                continue;
            }
            let (number, due_date, description) = prepared(invoice, term);
            if self.check_invoice(invoice, &number, due_date, &description, 0).is_err() {
                continue;
            }
            if let Ok(d) = debtor_form(&invoice.debtor, &invoice.origin).create() {
                pending.insert(details.len() as i64, &d.name, d.siren.as_deref());
                details.push(d);
                origins.push(&invoice.origin);
            }
        }
        let ids = self.add_debtors(&details).await?;
        for ((id, d), origin) in ids.into_iter().zip(&details).zip(origins) {
            debtors.insert(id, &d.name, d.siren.as_deref());
            let detail = d.siren.as_ref().map_or_else(|| "nouveau client".to_owned(), |s| format!("SIREN {s}"));
            report.record(RecordKind::Debtor, origin, format!("débiteur {}", d.name), Outcome::Created, detail);
        }
        Ok(())
    }

    /// Records in bulk what new invoices say was already paid when they were issued (BT-113, a
    /// "paid" column): one payment each, allocated to its invoice. The invoices are new in this
    /// transaction, so nothing else is allocated to them and the amounts (checked ≤ the total by the
    /// readers and below) cannot over-allocate.
    pub(super) async fn add_prepayments(
        &mut self,
        prepaid: &[Prepayment<'_>],
        report: &mut ImportReport,
    ) -> Result<()> {
        let now = self.now;
        for chunk in prepaid.chunks(256) {
            let mut insert: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
                "INSERT INTO payments (debtor_id, received_on, amount_cents, method, reference, created_at) ",
            );
            let mut amounts = Vec::with_capacity(chunk.len());
            for p in chunk {
                amounts.push(cents(Field::Amount, p.amount)?);
            }
            insert.push_values(chunk.iter().zip(&amounts), |mut b, (p, amount)| {
                b.push_bind(p.debtor_id)
                    .push_bind(p.on)
                    .push_bind(*amount)
                    .push_bind(crate::receivables::payment::PaymentMethod::Autre.as_str())
                    .push_bind(format!("Déjà réglé selon l'import ({})", p.number))
                    .push_bind(now);
            });
            insert.push(" RETURNING id");
            // RETURNING's order is unspecified, but rowids are handed out in insertion order.
            let mut ids: Vec<i64> = insert.build_query_scalar().fetch_all(self.conn()).await?;
            ids.sort_unstable();
            let mut allocate: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
                "INSERT INTO allocations (payment_id, invoice_id, amount_cents, allocated_on) ",
            );
            allocate.push_values(chunk.iter().zip(&amounts).zip(&ids), |mut b, ((p, amount), id)| {
                b.push_bind(*id).push_bind(p.invoice_id).push_bind(*amount).push_bind(p.on);
            });
            allocate.build().execute(self.conn()).await?;
        }
        for p in prepaid {
            if p.amount == p.total {
                super::invoices::refresh_settled_on(self.conn(), p.invoice_id).await?;
            }
            let what = format!("paiement de {} du {}", format_eur(p.amount), format_date_fr(p.on));
            let detail = format!("déjà réglé sur {}", p.number);
            report.record(RecordKind::Payment, p.origin, what, Outcome::Created, detail);
        }
        Ok(())
    }

    /// The ids of the invoices just inserted (above `before`), in order, without reloading the
    /// ledger. SQLite hands out the rowids of an `INTEGER PRIMARY KEY` in insertion order (max + 1)
    /// and this transaction is the only writer, so the n-th new invoice is `before + n`; the count is
    /// checked, and the ids are read back by number if it does not add up.
    pub(super) async fn new_invoice_ids(&mut self, before: i64, new: &[NewInvoice]) -> Result<Vec<i64>> {
        let (count, last): (i64, i64) =
            sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM invoices WHERE id > $1")
                .bind(before)
                .fetch_one(self.conn())
                .await?;
        if usize::try_from(count).is_ok_and(|c| c == new.len()) && last == before + count {
            return Ok((1..=count).map(|n| before + n).collect());
        }
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, number FROM invoices WHERE id > $1").bind(before).fetch_all(self.conn()).await?;
        let ids: HashMap<String, i64> = rows.into_iter().map(|(id, number)| (number, id)).collect();
        Ok(new.iter().map(|i| ids.get(&i.number).copied().unwrap_or_default()).collect())
    }

    pub(super) async fn load_debtors(&mut self) -> Result<Debtors> {
        let rows = sqlx::query("SELECT id, name, siren FROM debtors ORDER BY id").fetch_all(self.conn()).await?;
        let mut debtors = Debtors::default();
        for row in rows {
            debtors.insert(
                row.try_get("id")?,
                &row.try_get::<String, _>("name")?,
                row.try_get::<Option<String>, _>("siren")?.as_deref(),
            );
        }
        Ok(debtors)
    }

    pub(super) async fn load_invoices(&mut self) -> Result<HashMap<String, Known>> {
        let rows = sqlx::query(
            "SELECT id, number, debtor_id, due_date, amount_excl_vat_cents, vat_cents, amount_incl_vat_cents, \
                 description FROM invoices",
        )
        .fetch_all(self.conn())
        .await?;
        let mut known = HashMap::with_capacity(rows.len());
        for row in rows {
            known.insert(
                row.try_get("number")?,
                Known {
                    id: row.try_get("id")?,
                    debtor_id: row.try_get("debtor_id")?,
                    due_date: row.try_get("due_date")?,
                    excl: row.try_get("amount_excl_vat_cents")?,
                    vat: row.try_get("vat_cents")?,
                    incl: row.try_get("amount_incl_vat_cents")?,
                    description: row.try_get("description")?,
                },
            );
        }
        Ok(known)
    }
}

/// The new invoices of an import, in file order, and their index by number (to tell a line repeated
/// from one that conflicts).
#[derive(Default)]
pub(super) struct Staged {
    pub(super) invoices: Vec<NewInvoice>,
    pub(super) by_number: HashMap<String, usize>,
}

/// A payment the source says was made before the import, on a new invoice.
pub(super) struct Prepayment<'a> {
    pub(super) debtor_id: i64,
    pub(super) invoice_id: i64,
    pub(super) amount: Decimal,
    pub(super) total: Decimal,
    pub(super) on: NaiveDate,
    pub(super) number: String,
    pub(super) origin: &'a Origin,
}

/// An imported invoice's number, due date (the creditor's term when the source has none) and
/// description (the payment terms when it has nothing else).
pub(super) fn prepared(invoice: &ImportedInvoice, term: u64) -> (String, NaiveDate, String) {
    let due_date = match invoice.due_date {
        Some(d) => d,
        None => invoice.issue_date.checked_add_days(Days::new(term)).unwrap_or(invoice.issue_date),
    };
    let description = match (&invoice.payment_terms, invoice.description.is_empty()) {
        (Some(terms), true) => format!("Conditions : {terms}"),
        _ => invoice.description.clone(),
    };
    (invoice.number.trim().to_owned(), due_date, description)
}

/// The form that creates an imported debtor: professional unless the source says otherwise, its
/// account in the source kept in the notes.
pub(super) fn debtor_form(d: &ImportedDebtor, origin: &Origin) -> DebtorForm {
    let kind = match d.kind.unwrap_or(DebtorKind::Professionnel) {
        DebtorKind::Professionnel => "professionnel",
        DebtorKind::Consommateur => "consommateur",
    };
    let address = d.address.clone().unwrap_or_default();
    DebtorForm {
        kind: Some(kind.into()),
        name: Some(d.name.clone()),
        siren: d.siren.clone(),
        address_lines: Some(address.lines.join("\n")),
        postcode: Some(address.postcode),
        city: Some(address.city),
        country: Some(if address.country.is_empty() { "FR".into() } else { address.country }),
        email: d.email.clone(),
        phone: d.phone.clone(),
        notes: d.account.as_ref().map(|a| format!("Compte client {a} (importé de « {} »)", origin.file)),
        ..DebtorForm::default()
    }
}
