//! The handlers of the command families with several subcommands: debtors, invoices, payments.

use chrono::NaiveDate;
use recouvre::ledger::InvoiceFilter;
use recouvre::receivables::InvoiceStatus;
use recouvre::receivables::invoice::{InvoiceForm, NewAttachment};
use recouvre::receivables::payment::{AllocationRequest, PaymentForm, parse_allocation_item};
use recouvre::{Error, Field, Ledger};

use crate::views::*;
use crate::{DebtorCommand, InvoiceCommand, PaymentCommand, date_or_today, output, print_json, today};

pub async fn debtor(ledger: &Ledger, command: DebtorCommand, json: bool) -> anyhow::Result<()> {
    match command {
        DebtorCommand::Add(args) => {
            let debtor = ledger.add_debtor(&args.form()).await?;
            show_debtor(ledger, debtor.id, today(), json).await
        }
        DebtorCommand::Edit { id, fields } => {
            ledger.edit_debtor(id, &fields.form()).await?;
            show_debtor(ledger, id, today(), json).await
        }
        DebtorCommand::List { at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            let balances = ledger.debtor_balances(at, None).await?;
            output(json, &balances.iter().map(DebtorJson::new).collect::<Vec<_>>(), || debtors_table(&balances))
        }
        DebtorCommand::Show { id, at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            show_debtor(ledger, id, at, json).await
        }
    }
}

async fn show_debtor(ledger: &Ledger, id: i64, at: NaiveDate, json: bool) -> anyhow::Result<()> {
    let balance = ledger.debtor_balances(at, Some(id)).await?.into_iter().next().ok_or(Error::UnknownDebtor(id))?;
    if json {
        return print_json(&DebtorJson::new(&balance));
    }
    print!("{}", debtor_card(&balance));
    let lines = ledger.invoice_lines(&InvoiceFilter { debtor_id: Some(id), ..InvoiceFilter::default() }, at).await?;
    if !lines.is_empty() {
        println!("\n{}", invoices_table(&lines));
    }
    Ok(())
}

pub async fn invoice(ledger: &Ledger, command: InvoiceCommand, json: bool) -> anyhow::Result<()> {
    match command {
        InvoiceCommand::Add {
            debtor,
            number,
            issue_date,
            due_date,
            amount,
            vat,
            amount_excl_vat,
            currency,
            description,
            attach,
            delivered_on,
        } => {
            let attachment = match attach {
                Some(path) => {
                    let bytes = std::fs::read(&path).map_err(|source| Error::File { path: path.clone(), source })?;
                    let file_name = path
                        .file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    Some(NewAttachment { file_name, bytes })
                }
                None => None,
            };
            let form = InvoiceForm {
                debtor_id: debtor,
                number,
                issue_date,
                due_date,
                amount_incl_vat: amount,
                vat,
                amount_excl_vat,
                currency: Some(currency),
                description,
                attachment,
                delivered_on,
            };
            let invoice = ledger.add_invoice(form).await?;
            let lawful = recouvre::law::statement::latest_lawful_due_date(invoice.issue_date);
            if invoice.due_date > lawful
                && ledger.debtor(invoice.debtor_id).await?.kind == recouvre::parties::DebtorKind::Professionnel
            {
                eprintln!(
                    "Attention : échéance du {} au-delà du plafond légal (60 jours après la facture ou 45 jours fin de mois, C. com. L441-10 I : au plus tard le {}).",
                    recouvre::dates::format_date_fr(invoice.due_date),
                    recouvre::dates::format_date_fr(lawful)
                );
            }
            show_invoice(ledger, &invoice.number, today(), json).await
        }
        InvoiceCommand::List { debtor, status, open, at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            let status = status
                .map(|s| {
                    InvoiceStatus::parse(&s).ok_or_else(|| {
                        Error::invalid(
                            Field::Status,
                            &s,
                            "statuts possibles : a_echoir, echue, partiellement_payee, payee, annulee",
                        )
                    })
                })
                .transpose()?;
            if let Some(id) = debtor {
                ledger.debtor(id).await?;
            }
            let lines = ledger.invoice_lines(&InvoiceFilter { debtor_id: debtor, status, open_only: open }, at).await?;
            output(json, &lines.iter().map(InvoiceJson::new).collect::<Vec<_>>(), || invoices_table(&lines))
        }
        InvoiceCommand::Show { number, at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            show_invoice(ledger, &number, at, json).await
        }
    }
}

async fn show_invoice(ledger: &Ledger, number: &str, at: NaiveDate, json: bool) -> anyhow::Result<()> {
    let invoice = ledger.invoice(number).await?;
    let filter = InvoiceFilter { debtor_id: Some(invoice.debtor_id), ..InvoiceFilter::default() };
    // An invoice issued after `at` has no line at that date: show it as of its issue date.
    let at = at.max(invoice.issue_date);
    let line = ledger
        .invoice_lines(&filter, at)
        .await?
        .into_iter()
        .find(|l| l.invoice.id == invoice.id)
        .ok_or_else(|| Error::UnknownInvoice(number.to_owned()))?;
    if json {
        return print_json(&InvoiceJson::new(&line));
    }
    let settlements = ledger.settlements(invoice.id).await?;
    let notes = ledger.credit_notes(invoice.id).await?;
    print!("{}", invoice_card(&line, &settlements, &notes));
    Ok(())
}

pub async fn payment(ledger: &Ledger, command: PaymentCommand, json: bool) -> anyhow::Result<()> {
    match command {
        PaymentCommand::Add { debtor, date, amount, method, reference, invoices, unallocated } => {
            let form =
                PaymentForm { debtor_id: debtor, date, amount, method: Some(method), reference, invoices, unallocated };
            let payment = ledger.add_payment(&form.parse()?).await?;
            output(json, &PaymentJson::new(&payment), || payment_card(&payment))
        }
        PaymentCommand::Allocate { payment_id, invoices, date } => {
            let on = date_or_today(date.as_deref(), Field::Date)?;
            let request = if invoices.is_empty() {
                AllocationRequest::OldestFirst
            } else {
                AllocationRequest::Invoices(
                    invoices.iter().map(|i| parse_allocation_item(i)).collect::<Result<_, _>>()?,
                )
            };
            let payment = ledger.allocate_payment(payment_id, &request, on).await?;
            output(json, &PaymentJson::new(&payment), || payment_card(&payment))
        }
        PaymentCommand::List { debtor } => {
            let payments = ledger.payments_of(debtor).await?;
            output(json, &payments.iter().map(PaymentJson::new).collect::<Vec<_>>(), || {
                payments.iter().map(payment_card).collect()
            })
        }
    }
}
