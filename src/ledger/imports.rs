//! Applying an import batch: one transaction, debtors matched by SIREN then by name, invoices and
//! credit notes by number, payments by (payer, day, amount, reference) — so that importing the same
//! file twice changes nothing. In a dry run, or when a line is refused and the user did not choose to
//! import the valid lines, the transaction is rolled back after the report is made.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::import_bulk::{Debtors, Known, Prepayment, Staged, debtor_form, prepared};
use super::profile::payment_term;
use super::rows::cents;
use super::{Ledger, WriteTx};
use crate::dates::format_date_fr;
use crate::error::{Error, Field, Result};
use crate::import::report::RecordKind;
use crate::import::text::header_key;
use crate::import::{
    Batch, ImportMode, ImportReport, ImportedCreditNote, ImportedDebtor, ImportedInvoice, ImportedPayment, Origin,
    Outcome, Rejection,
};
use crate::money::{format_eur, from_cents, to_plain};
use crate::receivables::credit_note::NewCreditNote;
use crate::receivables::invoice::NewInvoice;
use crate::receivables::payment::{AllocationRequest, NewPayment};

impl Ledger {
    /// Applies a batch read by an importer and says what it did (or would do, in a dry run). Nothing
    /// is written when `dry_run`, nor when a line was refused in [`ImportMode::AllOrNothing`].
    pub async fn import(&self, mut batch: Batch, mode: ImportMode, dry_run: bool) -> Result<ImportReport> {
        let mut tx = self.begin().await?;
        // Read once: the profile says who the creditor is and the payment term of invoices without
        // a due date.
        let profile = tx.profile().await?;
        crate::import::issuer::refuse_foreign(&mut batch, profile.as_ref().and_then(|p| p.siren.as_deref()));
        let term = u64::from(payment_term(profile.as_ref()));
        let mut report = ImportReport {
            dry_run,
            rejected: batch.rejected.clone(),
            notices: batch.notices.clone(),
            ..ImportReport::default()
        };
        tx.apply(&batch, term, &mut report).await?;
        // Freeing a batch of 100 000 records takes a tenth of a second: not on the user's time.
        std::thread::spawn(move || drop(batch));
        if !dry_run && (mode == ImportMode::ValidOnly || report.rejected.is_empty()) {
            tx.commit().await?;
            report.committed = true;
        }
        Ok(report)
    }
}

impl Ledger {
    /// Every invoice as the CSV file [`crate::import::export::invoices_csv`] writes.
    pub async fn export_invoices_csv(&self) -> Result<String> {
        let end_of_time = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
        let lines = self.invoice_lines(&super::InvoiceFilter::default(), end_of_time).await?;
        let mut debtors = HashMap::new();
        for line in &lines {
            if let std::collections::hash_map::Entry::Vacant(entry) = debtors.entry(line.invoice.debtor_id) {
                entry.insert(self.debtor(line.invoice.debtor_id).await?);
            }
        }
        Ok(crate::import::export::invoices_csv(&lines, &debtors))
    }
}

fn rejection(origin: &Origin, error: &Error) -> Rejection {
    let (field, value, reason) = match error {
        Error::Invalid { field, value, reason } => (field.label().to_owned(), value.clone(), reason.clone()),
        other => (String::new(), String::new(), other.to_string()),
    };
    Rejection { origin: origin.clone(), field, value, reason, raw: origin.raw.clone() }
}

impl WriteTx {
    async fn apply(&mut self, batch: &Batch, term: u64, report: &mut ImportReport) -> Result<()> {
        let mut debtors = self.load_debtors().await?;
        let mut known = self.load_invoices().await?;
        let keys: Vec<String> = batch.invoices.iter().map(|i| header_key(&i.debtor.name)).collect();
        self.create_debtors(&batch.invoices, &keys, term, &mut debtors, report).await?;
        let mut staged = Staged::default();
        let mut new_origins: Vec<&Origin> = Vec::new();
        let mut paid_parts: Vec<(usize, Decimal, NaiveDate)> = Vec::new();
        for (invoice, key) in batch.invoices.iter().zip(&keys) {
            let result = self.stage_invoice((invoice, key), term, &mut debtors, &known, &staged, report).await;
            match result {
                Ok(Some(new)) => {
                    if invoice.paid > Decimal::ZERO {
                        paid_parts.push((
                            staged.invoices.len(),
                            invoice.paid,
                            invoice.paid_on.unwrap_or(invoice.issue_date),
                        ));
                    }
                    staged.by_number.insert(new.number.clone(), staged.invoices.len());
                    staged.invoices.push(new);
                    new_origins.push(&invoice.origin);
                }
                Ok(None) => {}
                Err(error) => report.rejected.push(rejection(&invoice.origin, &error)),
            }
        }
        let new_invoices = staged.invoices;
        let before: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM invoices").fetch_one(self.conn()).await?;
        self.add_invoices(&new_invoices).await?;
        for (invoice, origin) in new_invoices.iter().zip(&new_origins) {
            let detail =
                format!("{}, échéance le {}", format_eur(invoice.amount_incl_vat), format_date_fr(invoice.due_date));
            report.record(RecordKind::Invoice, origin, format!("facture {}", invoice.number), Outcome::Created, detail);
        }
        let ids = self.new_invoice_ids(before, &new_invoices).await?;
        // Credit notes and payments look invoices up by number; a file of invoices alone need not.
        if !batch.credit_notes.is_empty() || !batch.payments.is_empty() {
            for (invoice, &id) in new_invoices.iter().zip(&ids) {
                known.insert(invoice.number.clone(), Known::new(id, invoice)?);
            }
        }
        let prepaid: Vec<Prepayment> = paid_parts
            .into_iter()
            .filter_map(|(index, amount, on)| {
                let invoice = &new_invoices[index];
                let id = *ids.get(index)?;
                Some(Prepayment {
                    debtor_id: invoice.debtor_id,
                    invoice_id: id,
                    amount,
                    total: invoice.amount_incl_vat,
                    on: on.max(invoice.issue_date),
                    number: invoice.number.clone(),
                    origin: new_origins[index],
                })
            })
            .collect();
        self.add_prepayments(&prepaid, report).await?;
        for note in &batch.credit_notes {
            if let Err(error) = self.apply_credit_note(note, &mut debtors, &known, report).await {
                report.rejected.push(rejection(&note.origin, &error));
            }
        }
        for payment in &batch.payments {
            if let Err(error) = self.apply_payment(payment, &mut debtors, &known, report).await {
                report.rejected.push(rejection(&payment.origin, &error));
            }
        }
        Ok(())
    }

    /// The ledger's debtor for an imported one: matched, or created (and reported) when `create`.
    async fn resolve_debtor(
        &mut self,
        d: &ImportedDebtor,
        origin: &Origin,
        debtors: &mut Debtors,
        report: &mut ImportReport,
    ) -> Result<i64> {
        if let Some(id) = debtors.find(d) {
            return Ok(id);
        }
        let form = debtor_form(d, origin);
        let debtor = self.add_debtor(&form).await?;
        debtors.insert(debtor.id, &debtor.name, debtor.siren.as_deref());
        let detail = debtor.siren.as_ref().map_or_else(|| "nouveau client".to_owned(), |s| format!("SIREN {s}"));
        report.record(RecordKind::Debtor, origin, format!("débiteur {}", debtor.name), Outcome::Created, detail);
        Ok(debtor.id)
    }

    /// Sorts an imported invoice: a new one to insert (returned), one already there (reported
    /// unchanged or updated here), or an error. `key` is the client name's lookup key, computed once.
    async fn stage_invoice(
        &mut self,
        (invoice, key): (&ImportedInvoice, &str),
        term: u64,
        debtors: &mut Debtors,
        known: &HashMap<String, Known>,
        staged: &Staged,
        report: &mut ImportReport,
    ) -> Result<Option<NewInvoice>> {
        let (number, due_date, description) = prepared(invoice, term);
        let debtor_id = match debtors.find_keyed(&invoice.debtor, key) {
            Some(id) => id,
            // Checked before a debtor is created, so a refused line leaves no orphan debtor behind.
            None => {
                self.check_invoice(invoice, &number, due_date, &description, 0)?;
                self.resolve_debtor(&invoice.debtor, &invoice.origin, debtors, report).await?
            }
        };
        let new = self.check_invoice(invoice, &number, due_date, &description, debtor_id)?;
        if let Some(other) = staged.by_number.get(&number).and_then(|&i| staged.invoices.get(i)) {
            if *other == new {
                let what = format!("facture {number}");
                let detail = "déjà présente plus haut dans l'import".to_owned();
                report.record(RecordKind::Invoice, &invoice.origin, what, Outcome::Unchanged, detail);
                return Ok(None);
            }
            return Err(Error::invalid(
                Field::InvoiceNumber,
                number,
                "numéro présent deux fois dans l'import avec des données différentes",
            ));
        }
        let Some(existing) = known.get(&number) else { return Ok(Some(new)) };
        if existing.debtor_id != debtor_id {
            return Err(Error::invalid(
                Field::InvoiceNumber,
                number,
                format!(
                    "ce numéro est déjà celui d'une facture d'un autre débiteur (n° {}) dans le registre",
                    existing.debtor_id
                ),
            ));
        }
        let (excl, vat, incl) = (
            cents(Field::AmountExclVat, new.amount_excl_vat)?,
            cents(Field::Vat, new.vat)?,
            cents(Field::Amount, new.amount_incl_vat)?,
        );
        let mut changes = Vec::new();
        if existing.incl != incl || existing.excl != excl || existing.vat != vat {
            changes.push(format!(
                "montant {} → {} €",
                to_plain(from_cents(existing.incl)),
                to_plain(new.amount_incl_vat)
            ));
        }
        if invoice.due_date.is_some() && existing.due_date != due_date {
            changes.push(format!("échéance {} → {due_date}", existing.due_date));
        }
        if !description.is_empty() && existing.description != description {
            changes.push("description".into());
        }
        let what = format!("facture {number}");
        if changes.is_empty() {
            report.record(RecordKind::Invoice, &invoice.origin, what, Outcome::Unchanged, String::new());
            return Ok(None);
        }
        let due = if invoice.due_date.is_some() { due_date } else { existing.due_date };
        let description = if description.is_empty() { existing.description.clone() } else { description };
        self.update_invoice(existing.id, excl, vat, incl, due, &description).await?;
        report.record(RecordKind::Invoice, &invoice.origin, what, Outcome::Updated, changes.join(", "));
        Ok(None)
    }

    pub(super) fn check_invoice(
        &self,
        invoice: &ImportedInvoice,
        number: &str,
        due_date: NaiveDate,
        description: &str,
        debtor_id: i64,
    ) -> Result<NewInvoice> {
        let new = NewInvoice {
            debtor_id,
            number: number.to_owned(),
            issue_date: invoice.issue_date,
            due_date,
            amount_excl_vat: invoice.amount_excl_vat,
            vat: invoice.vat,
            amount_incl_vat: invoice.amount_incl_vat,
            currency: invoice.currency.clone(),
            description: description.to_owned(),
            attachment: invoice.attachment.clone(),
            delivered_on: None,
        };
        new.check()?;
        // What the source says was already paid becomes a payment allocated in bulk: it must fit.
        if invoice.paid < Decimal::ZERO || invoice.paid > invoice.amount_incl_vat {
            return Err(Error::invalid(
                Field::Amount,
                to_plain(invoice.paid),
                format!("déjà payé hors de 0 à {} (le TTC de la facture)", to_plain(invoice.amount_incl_vat)),
            ));
        }
        Ok(new)
    }

    /// Changes what an import may correct on an invoice already recorded; never below what has been
    /// paid or credited on it.
    async fn update_invoice(
        &mut self,
        id: i64,
        excl: i64,
        vat: i64,
        incl: i64,
        due: NaiveDate,
        description: &str,
    ) -> Result<()> {
        let settled: i64 =
            sqlx::query_scalar("SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE invoice_id = $1")
                .bind(id)
                .fetch_one(self.conn())
                .await?;
        if incl < settled {
            return Err(Error::invalid(
                Field::Amount,
                to_plain(from_cents(incl)),
                format!(
                    "déjà réglé ou crédité à hauteur de {} € : le montant ne peut pas descendre en dessous",
                    to_plain(from_cents(settled))
                ),
            ));
        }
        sqlx::query(
            "UPDATE invoices SET amount_excl_vat_cents = $2, vat_cents = $3, amount_incl_vat_cents = $4, due_date = $5, \
                 description = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(excl)
        .bind(vat)
        .bind(incl)
        .bind(due)
        .bind(description)
        .execute(self.conn())
        .await?;
        super::invoices::refresh_settled_on(self.conn(), id).await
    }

    async fn apply_credit_note(
        &mut self,
        note: &ImportedCreditNote,
        debtors: &mut Debtors,
        known: &HashMap<String, Known>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let what = format!("avoir {}", note.number);
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM credit_notes WHERE number = $1")
            .bind(note.number.trim())
            .fetch_optional(self.conn())
            .await?;
        if exists.is_some() {
            report.record(RecordKind::CreditNote, &note.origin, what, Outcome::Unchanged, String::new());
            return Ok(());
        }
        if note.currency != crate::receivables::invoice::CURRENCY {
            return Err(Error::invalid(
                Field::Currency,
                &note.currency,
                "seul l'euro (EUR) est pris en charge pour l'instant",
            ));
        }
        let Some(invoice_number) = note.invoice_number.as_deref() else {
            return Err(Error::invalid(
                Field::InvoiceNumber,
                "",
                "l'avoir ne nomme pas la facture qu'il annule : enregistrez-le à la main (recouvre credit-note add)",
            ));
        };
        let invoice = known.get(invoice_number).ok_or_else(|| Error::UnknownInvoice(invoice_number.to_owned()))?;
        if debtors.find(&note.debtor).is_some_and(|id| id != invoice.debtor_id) {
            return Err(Error::invalid(
                Field::Debtor,
                &note.debtor.name,
                format!("la facture {invoice_number} est celle d'un autre débiteur"),
            ));
        }
        let new = NewCreditNote {
            number: note.number.trim().to_owned(),
            invoice_number: invoice_number.to_owned(),
            issue_date: note.issue_date,
            amount_incl_vat: note.amount_incl_vat,
            vat: note.vat,
            reason: note.reason.clone(),
        };
        self.savepoint().await?;
        let added = self.add_credit_note(&new).await;
        self.end_savepoint(added.is_ok()).await?;
        added?;
        let detail = format!("{} sur la facture {invoice_number}", format_eur(note.amount_incl_vat));
        report.record(RecordKind::CreditNote, &note.origin, what, Outcome::Created, detail);
        Ok(())
    }

    async fn apply_payment(
        &mut self,
        payment: &ImportedPayment,
        debtors: &mut Debtors,
        known: &HashMap<String, Known>,
        report: &mut ImportReport,
    ) -> Result<()> {
        let mut named: Vec<(String, Option<Decimal>)> = payment.invoices.clone();
        if named.is_empty() {
            // A bank label often carries the invoice number the payer copied from the invoice.
            named = payment
                .label
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|t| t.len() >= 3 && known.contains_key(*t))
                .map(|t| (t.to_owned(), None))
                .collect();
            named.dedup();
        }
        let by_reference = debtor_reference(&payment.label);
        let by_invoice = named.first().and_then(|(n, _)| known.get(n)).map(|k| k.debtor_id);
        let debtor_id = match &payment.debtor {
            Some(d) if d.account.is_some() => Some(self.resolve_debtor(d, &payment.origin, debtors, report).await?),
            Some(d) => debtors.find(d),
            None => None,
        }
        .or(by_reference.filter(|id| debtors.by_name.values().any(|v| v == id)))
        .or(by_invoice);
        let Some(debtor_id) = debtor_id else {
            return Err(Error::invalid(
                Field::Debtor,
                &payment.label,
                "payeur non identifié : ni client connu, ni référence R00012, ni numéro de facture dans le libellé",
            ));
        };
        named.retain(|(n, _)| known.get(n).is_some_and(|k| k.debtor_id == debtor_id));
        let amount = cents(Field::Amount, payment.amount)?;
        let reference = Some(payment.label.clone()).filter(|l| !l.is_empty());
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM payments WHERE debtor_id = $1 AND received_on = $2 AND amount_cents = $3 \
                 AND COALESCE(reference, '') = COALESCE($4, '')",
        )
        .bind(debtor_id)
        .bind(payment.received_on)
        .bind(amount)
        .bind(&reference)
        .fetch_optional(self.conn())
        .await?;
        let what = format!("paiement de {} du {}", format_eur(payment.amount), format_date_fr(payment.received_on));
        if exists.is_some() {
            report.record(RecordKind::Payment, &payment.origin, what, Outcome::Unchanged, String::new());
            return Ok(());
        }
        let allocation =
            if named.is_empty() { AllocationRequest::OldestFirst } else { AllocationRequest::Invoices(named.clone()) };
        let new = NewPayment {
            debtor_id,
            received_on: payment.received_on,
            amount: payment.amount,
            method: payment.method,
            reference,
            allocation,
        };
        self.savepoint().await?;
        let recorded = self.add_payment(&new).await;
        self.end_savepoint(recorded.is_ok()).await?;
        let recorded = recorded?;
        let allocated: Vec<String> =
            recorded.allocations.iter().map(|a| format!("{} sur {}", format_eur(a.amount), a.invoice_number)).collect();
        let detail =
            if allocated.is_empty() { "non affecté (crédit du client)".to_owned() } else { allocated.join(", ") };
        report.record(RecordKind::Payment, &payment.origin, what, Outcome::Created, detail);
        Ok(())
    }

    /// Opens a savepoint around one record's writes, so that a refusal undoes them alone and the
    /// import goes on (the whole transaction still decides what is kept).
    async fn savepoint(&mut self) -> Result<()> {
        sqlx::query("SAVEPOINT import_record").execute(self.conn()).await?;
        Ok(())
    }

    /// Closes the savepoint, undoing the record's writes when it failed.
    async fn end_savepoint(&mut self, keep: bool) -> Result<()> {
        if !keep {
            sqlx::query("ROLLBACK TO import_record").execute(self.conn()).await?;
        }
        sqlx::query("RELEASE import_record").execute(self.conn()).await?;
        Ok(())
    }
}

/// The debtor reference printed on our payment requests (`R00012`), as copied into a transfer label.
fn debtor_reference(label: &str) -> Option<i64> {
    label.split(|c: char| !c.is_ascii_alphanumeric()).find_map(|token| {
        let digits = token.strip_prefix('R').or_else(|| token.strip_prefix('r'))?;
        (digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
    })
}
