//! `recouvre statement`, `notice`, `procedure`, `cost`, `prescription`: the facts the law needs and
//! what it makes of them.

use std::path::PathBuf;

use clap::Subcommand;
use recouvre::dates::format_date_fr;
use recouvre::law::facts::{FormalNoticeForm, PrescriptionEventForm, ProcedureForm, RecoveryCostForm};
use recouvre::law::statement::{Scope, Statement};
use recouvre::ledger::InvoiceLimitation;
use recouvre::money::{format_eur, format_number_fr, to_plain};
use recouvre::receivables::invoice::NewAttachment;
use recouvre::{Error, Field, Ledger};
use serde::Serialize;

use crate::law::SegmentJson;
use crate::table::{Align, Table};
use crate::{date_or_today, output};

#[derive(Subcommand)]
pub enum NoticeCommand {
    /// Record a formal notice (mise en demeure) sent: legal interest on a consumer's debt runs from it.
    Add {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// Day it was sent.
        #[arg(long, value_name = "DATE")]
        date: String,
        /// Registered-letter number.
        #[arg(long, value_name = "NUMBER")]
        lrar: Option<String>,
        /// Day the acknowledgement of receipt was signed.
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
    },
    /// A debtor's formal notices.
    List {
        #[arg(long, value_name = "ID")]
        debtor: i64,
    },
}

#[derive(Subcommand)]
pub enum ProcedureCommand {
    /// Record a sauvegarde, redressement or liquidation judiciaire opened against a debtor.
    Record {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// sauvegarde, redressement or liquidation.
        #[arg(long)]
        kind: String,
        /// Date of the opening judgment.
        #[arg(long, value_name = "DATE")]
        judgment: String,
        /// Date of publication in the BODACC.
        #[arg(long, value_name = "DATE")]
        bodacc: Option<String>,
        #[arg(long)]
        mandataire: Option<String>,
        #[arg(long)]
        mandataire_address: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CostCommand {
    /// Record a recovery cost with its receipt (claimable from a business on proof).
    Add {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        #[arg(long, value_name = "NUMBER")]
        invoice: Option<String>,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        description: String,
        /// The receipt (PDF or image), kept in the ledger.
        #[arg(long, value_name = "FILE")]
        receipt: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum PrescriptionCommand {
    /// Limitation dates of open invoices, soonest first, with alerts at 90 and 30 days.
    List {
        #[arg(long, value_name = "ID")]
        debtor: Option<i64>,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Record an event that interrupts or suspends prescription (a formal notice does neither).
    Event {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// The invoice concerned (default: all the debtor's invoices).
        #[arg(long, value_name = "NUMBER")]
        invoice: Option<String>,
        /// acknowledgement, court-claim-served, enforcement or mediation.
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        /// End of a mediation.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

pub(crate) fn read_attachment(path: &PathBuf) -> Result<NewAttachment, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::File { path: path.clone(), source })?;
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok(NewAttachment { file_name, bytes })
}

pub async fn notice(ledger: &Ledger, command: NoticeCommand, json: bool) -> anyhow::Result<()> {
    match command {
        NoticeCommand::Add { debtor, date, lrar, received } => {
            let form =
                FormalNoticeForm { debtor_id: debtor, sent_on: date, registered_number: lrar, received_on: received };
            let notice = ledger.add_formal_notice(form).await?;
            output(json, &notice, || format!("Mise en demeure du {} enregistrée.\n", format_date_fr(notice.sent_on)))
        }
        NoticeCommand::List { debtor } => {
            ledger.debtor(debtor).await?;
            let notices = ledger.formal_notices(debtor).await?;
            output(json, &notices, || {
                notices
                    .iter()
                    .map(|n| {
                        format!(
                            "{}{}{}\n",
                            format_date_fr(n.sent_on),
                            n.registered_number.as_ref().map(|r| format!(", LRAR n° {r}")).unwrap_or_default(),
                            n.received_on.map(|r| format!(", reçue le {}", format_date_fr(r))).unwrap_or_default()
                        )
                    })
                    .collect()
            })
        }
    }
}

pub async fn procedure(ledger: &Ledger, command: ProcedureCommand, json: bool) -> anyhow::Result<()> {
    let ProcedureCommand::Record { debtor, kind, judgment, bodacc, mandataire, mandataire_address } = command;
    let form = ProcedureForm {
        debtor_id: debtor,
        kind,
        judgment_date: judgment,
        bodacc_published_on: bodacc,
        mandataire_name: mandataire,
        mandataire_address,
    };
    let procedure = form.parse()?;
    ledger.record_procedure(&procedure).await?;
    let deadline = procedure.declaration_deadline();
    output(json, &serde_json::json!({ "procedure": procedure, "declaration_deadline": deadline }), || {
        format!(
            "{} du {} enregistré(e) : relances arrêtées, intérêts arrêtés au jugement.\n{}\n",
            procedure.kind.label(),
            format_date_fr(procedure.judgment_date),
            match deadline {
                Some(d) => format!("Déclaration de créance au mandataire au plus tard le {} (C. com. L622-24, R622-24).", format_date_fr(d)),
                None => "Enregistrez la date de publication au BODACC : le délai de 2 mois pour déclarer la créance en dépend.".to_owned(),
            }
        )
    })
}

pub async fn cost(ledger: &Ledger, command: CostCommand, json: bool) -> anyhow::Result<()> {
    let CostCommand::Add { debtor, invoice, date, amount, description, receipt } = command;
    let receipt = receipt.as_ref().map(read_attachment).transpose()?;
    let form = RecoveryCostForm { debtor_id: debtor, invoice_number: invoice, date, amount, description };
    let cost = ledger.add_recovery_cost(form, receipt).await?;
    output(json, &cost, || format!("Frais de {} enregistré : {}.\n", format_eur(cost.amount), cost.description))
}

#[derive(Serialize)]
struct LimitationJson<'a> {
    debtor_id: i64,
    debtor_name: &'a str,
    invoice_number: &'a str,
    outstanding: String,
    years: u32,
    runs_from: String,
    expires_on: String,
    days_left: i64,
    alert: recouvre::law::prescription::Alert,
    history: &'a [String],
}

pub async fn prescription(ledger: &Ledger, command: PrescriptionCommand, json: bool) -> anyhow::Result<()> {
    match command {
        PrescriptionCommand::List { debtor, at } => {
            let at = date_or_today(at.as_deref(), Field::At)?;
            let list: Vec<InvoiceLimitation> = ledger.limitations(at, debtor).await?;
            let rows: Vec<LimitationJson<'_>> = list
                .iter()
                .map(|l| LimitationJson {
                    debtor_id: l.debtor_id,
                    debtor_name: &l.debtor_name,
                    invoice_number: &l.invoice_number,
                    outstanding: to_plain(l.outstanding),
                    years: l.limitation.years,
                    runs_from: l.limitation.runs_from.to_string(),
                    expires_on: l.limitation.expires_on.to_string(),
                    days_left: l.limitation.days_left,
                    alert: l.limitation.alert,
                    history: &l.limitation.history,
                })
                .collect();
            output(json, &rows, || {
                let mut table = Table::new(&[
                    ("Facture", Align::Left),
                    ("Débiteur", Align::Left),
                    ("Reste dû €", Align::Right),
                    ("Prescrite le", Align::Left),
                    ("Jours", Align::Right),
                    ("Alerte", Align::Left),
                ]);
                for l in &list {
                    use recouvre::law::prescription::Alert;
                    table.row(vec![
                        l.invoice_number.clone(),
                        l.debtor_name.clone(),
                        format_number_fr(l.outstanding),
                        format_date_fr(l.limitation.expires_on),
                        l.limitation.days_left.to_string(),
                        match l.limitation.alert {
                            Alert::None => String::new(),
                            Alert::Within90Days => "moins de 90 jours".into(),
                            Alert::Within30Days => "MOINS DE 30 JOURS".into(),
                            Alert::Expired => "PRESCRITE".into(),
                        },
                    ]);
                }
                format!(
                    "{}\nUne relance ou une mise en demeure n'interrompt pas la prescription ; un paiement partiel, une reconnaissance de dette signée, la signification d'une injonction de payer ou un acte d'exécution l'interrompent.\n",
                    table.render()
                )
            })
        }
        PrescriptionCommand::Event { debtor, invoice, kind, date, until, note } => {
            let form = PrescriptionEventForm { debtor_id: debtor, invoice_number: invoice, kind, date, until, note };
            let event = ledger.add_prescription_event(&form.parse()?).await?;
            output(json, &event, || {
                format!("{} du {} enregistré(e).\n", event.kind.label(), format_date_fr(event.occurred_on))
            })
        }
    }
}

#[derive(Serialize)]
struct StatementInvoiceJson {
    number: String,
    issue_date: String,
    due_date: String,
    amount: String,
    interest_from: Option<String>,
    payments_to_interest: String,
    payments_to_principal: String,
    credit_notes: String,
    principal_due: String,
    interest_due: String,
    indemnity: String,
    total_due: String,
    segments: Vec<SegmentJson>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct StatementJson {
    at: String,
    debtor_id: i64,
    debtor_name: String,
    kind: &'static str,
    legal_basis: String,
    day_basis: &'static str,
    imputation: &'static str,
    invoices: Vec<StatementInvoiceJson>,
    costs: Vec<serde_json::Value>,
    costs_claimable: bool,
    declaration_deadline: Option<String>,
    principal_due: String,
    interest_due: String,
    indemnities: String,
    costs_total: String,
    total_due: String,
    warnings: Vec<String>,
}

fn statement_json(s: &Statement) -> StatementJson {
    use recouvre::law::interest::MovementKind;
    StatementJson {
        at: s.at.to_string(),
        debtor_id: s.debtor_id,
        debtor_name: s.debtor_name.clone(),
        kind: s.kind.as_str(),
        legal_basis: s.legal_basis.clone(),
        day_basis: s.options.day_basis.as_str(),
        imputation: s.options.imputation.as_str(),
        invoices: s
            .invoices
            .iter()
            .map(|i| {
                let moved =
                    |kind: MovementKind, f: fn(&recouvre::law::interest::AppliedMovement) -> rust_decimal::Decimal| {
                        to_plain(i.computation.movements.iter().filter(|m| m.movement.kind == kind).map(f).sum())
                    };
                StatementInvoiceJson {
                    number: i.number.clone(),
                    issue_date: i.issue_date.to_string(),
                    due_date: i.due_date.to_string(),
                    amount: to_plain(i.amount),
                    interest_from: i.interest_after.and_then(|d| d.succ_opt()).map(|d| d.to_string()),
                    payments_to_interest: moved(MovementKind::Payment, |m| m.to_interest),
                    payments_to_principal: moved(MovementKind::Payment, |m| m.to_principal),
                    credit_notes: moved(MovementKind::CreditNote, |m| m.to_principal),
                    principal_due: to_plain(i.principal_due),
                    interest_due: to_plain(i.interest_due),
                    indemnity: to_plain(i.indemnity),
                    total_due: to_plain(i.total_due),
                    segments: i.computation.segments.iter().map(SegmentJson::from).collect(),
                    notes: i.notes.clone(),
                }
            })
            .collect(),
        costs: s
            .costs
            .iter()
            .map(|c| {
                serde_json::json!({ "date": c.incurred_on, "amount": to_plain(c.amount), "description": c.description,
                    "invoice_number": c.invoice_number, "receipt_sha256": c.receipt_sha256 })
            })
            .collect(),
        costs_claimable: s.costs_claimable,
        declaration_deadline: s.declaration_deadline.map(|d| d.to_string()),
        principal_due: to_plain(s.principal_due),
        interest_due: to_plain(s.interest_due),
        indemnities: to_plain(s.indemnities),
        costs_total: to_plain(s.costs_total),
        total_due: to_plain(s.total_due),
        warnings: s.warnings.clone(),
    }
}

fn statement_text(s: &Statement) -> String {
    let mut out = format!(
        "Décompte de {} (n° {}) arrêté au {}\n{}.\n",
        s.debtor_name,
        s.debtor_id,
        format_date_fr(s.at),
        s.legal_basis
    );
    out += &format!("Calcul : {} ; {}.\n", s.options.day_basis.label(), s.options.imputation.label());
    for i in &s.invoices {
        out += &format!(
            "\nFacture {} du {}, échéance {} : {}\n",
            i.number,
            format_date_fr(i.issue_date),
            format_date_fr(i.due_date),
            format_eur(i.amount)
        );
        for m in &i.computation.movements {
            out += &format!(
                "  {} du {} : {} (dont {} sur intérêts, {} sur principal)\n",
                match m.movement.kind {
                    recouvre::law::interest::MovementKind::Payment => "Paiement",
                    recouvre::law::interest::MovementKind::CreditNote => "Avoir",
                },
                format_date_fr(m.movement.date),
                format_eur(m.movement.amount),
                format_eur(m.to_interest),
                format_eur(m.to_principal)
            );
        }
        for g in &i.computation.segments {
            out += &format!(
                "  {} → {} : {} j × {} % sur {} = {}\n",
                format_date_fr(g.from),
                format_date_fr(g.to),
                g.days,
                format_number_fr(g.rate),
                format_eur(g.base),
                format_eur(g.amount)
            );
        }
        out += &format!(
            "  Principal dû {} · intérêts {} · indemnité {} · total {}\n",
            format_eur(i.principal_due),
            format_eur(i.interest_due),
            format_eur(i.indemnity),
            format_eur(i.total_due)
        );
        for n in &i.notes {
            out += &format!("  Note : {n}\n");
        }
    }
    for c in &s.costs {
        out +=
            &format!("\nFrais du {} : {} — {}\n", format_date_fr(c.incurred_on), format_eur(c.amount), c.description);
    }
    let line = |label: &str, amount| format!("{label:<36}{:>16}\n", format_eur(amount));
    out += "\n";
    out += &line("Principal restant dû", s.principal_due);
    out += &line("Pénalités et intérêts", s.interest_due);
    out += &line("Indemnités forfaitaires", s.indemnities);
    out += &line("Frais de recouvrement justifiés", s.costs_total);
    out += &line("TOTAL DÛ", s.total_due);
    for w in &s.warnings {
        out += &format!("Attention : {w}\n");
    }
    out
}

pub async fn statement(
    ledger: &Ledger,
    debtor: i64,
    at: Option<String>,
    paid_late: bool,
    json: bool,
) -> anyhow::Result<()> {
    let at = date_or_today(at.as_deref(), Field::At)?;
    let scope = if paid_late { Scope::UnpaidAndPaidLate } else { Scope::Unpaid };
    let s = ledger.statement(debtor, at, scope).await?;
    output(json, &statement_json(&s), || statement_text(&s))
}
