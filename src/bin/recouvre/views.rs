//! What the CLI prints: the `--json` shapes (stable keys, documented in `docs/cli-json.md`) and the
//! human tables. Amounts in JSON are strings with two decimals, dates ISO 8601.

use recouvre::dates::format_date_fr;
use recouvre::ledger::{DebtorBalance, InvoiceLine, Settlement};
use recouvre::money::{format_eur, format_number_fr, to_plain};
use recouvre::parties::{CreditorProfile, Debtor, LatePenaltyClause};
use recouvre::receivables::aging::{AgingBucket, AgingReport};
use recouvre::receivables::credit_note::CreditNote;
use recouvre::receivables::payment::Payment;
use serde::Serialize;

use crate::table::{Align, Table};

#[derive(Serialize)]
pub struct DebtorJson {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub siren: Option<String>,
    pub segment: &'static str,
    pub contact_name: Option<String>,
    pub address_lines: Vec<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: String,
    pub contract_penalty_rate: Option<String>,
    pub outstanding: String,
    pub overdue: String,
    pub credit: String,
    pub open_invoices: i64,
    pub max_days_overdue: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl DebtorJson {
    pub fn new(b: &DebtorBalance) -> Self {
        let d = &b.debtor;
        DebtorJson {
            id: d.id,
            name: d.name.clone(),
            kind: d.kind.as_str(),
            siren: d.siren.clone(),
            segment: d.segment.as_str(),
            contact_name: d.contact_name.clone(),
            address_lines: d.address.lines.clone(),
            postcode: d.address.postcode.clone(),
            city: d.address.city.clone(),
            country: d.address.country.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            notes: d.notes.clone(),
            contract_penalty_rate: d.contract_penalty_rate.map(to_plain),
            outstanding: to_plain(b.outstanding),
            overdue: to_plain(b.overdue),
            credit: to_plain(b.credit),
            open_invoices: b.open_invoices,
            max_days_overdue: b.max_days_overdue,
            created_at: d.created_at.to_rfc3339(),
            updated_at: d.updated_at.to_rfc3339(),
        }
    }
}

#[derive(Serialize)]
pub struct InvoiceJson {
    pub id: i64,
    pub number: String,
    pub debtor_id: i64,
    pub debtor_name: String,
    pub issue_date: String,
    pub due_date: String,
    pub total_excl_vat: String,
    pub vat: String,
    pub total_incl_vat: String,
    pub paid: String,
    pub credited: String,
    pub outstanding: String,
    pub status: &'static str,
    pub days_overdue: i64,
    pub settled_on: Option<String>,
    pub delivered_on: Option<String>,
    pub currency: String,
    pub description: String,
    pub attachment_sha256: Option<String>,
}

impl InvoiceJson {
    pub fn new(line: &InvoiceLine) -> Self {
        let i = &line.invoice;
        InvoiceJson {
            id: i.id,
            number: i.number.clone(),
            debtor_id: i.debtor_id,
            debtor_name: line.debtor_name.clone(),
            issue_date: i.issue_date.to_string(),
            due_date: i.due_date.to_string(),
            total_excl_vat: to_plain(i.amount_excl_vat),
            vat: to_plain(i.vat),
            total_incl_vat: to_plain(i.amount_incl_vat),
            paid: to_plain(line.balance.paid),
            credited: to_plain(line.balance.credited),
            outstanding: to_plain(line.balance.outstanding()),
            status: line.status.as_str(),
            days_overdue: line.days_overdue,
            settled_on: i.settled_on.map(|d| d.to_string()),
            delivered_on: i.delivered_on.map(|d| d.to_string()),
            currency: i.currency.clone(),
            description: i.description.clone(),
            attachment_sha256: i.attachment.as_ref().map(|a| a.sha256.clone()),
        }
    }
}

#[derive(Serialize)]
pub struct AllocationJson {
    pub invoice_number: String,
    pub amount: String,
    pub allocated_on: String,
}

#[derive(Serialize)]
pub struct PaymentJson {
    pub id: i64,
    pub debtor_id: i64,
    pub date: String,
    pub amount: String,
    pub method: &'static str,
    pub reference: Option<String>,
    pub allocations: Vec<AllocationJson>,
    pub unallocated: String,
}

impl PaymentJson {
    pub fn new(p: &Payment) -> Self {
        PaymentJson {
            id: p.id,
            debtor_id: p.debtor_id,
            date: p.received_on.to_string(),
            amount: to_plain(p.amount),
            method: p.method.as_str(),
            reference: p.reference.clone(),
            allocations: p
                .allocations
                .iter()
                .map(|a| AllocationJson {
                    invoice_number: a.invoice_number.clone(),
                    amount: to_plain(a.amount),
                    allocated_on: a.allocated_on.to_string(),
                })
                .collect(),
            unallocated: to_plain(p.unallocated()),
        }
    }
}

#[derive(Serialize)]
pub struct CreditNoteJson {
    pub id: i64,
    pub number: String,
    pub invoice_number: String,
    pub date: String,
    pub amount: String,
    pub vat: String,
    pub reason: String,
}

impl CreditNoteJson {
    pub fn new(c: &CreditNote) -> Self {
        CreditNoteJson {
            id: c.id,
            number: c.number.clone(),
            invoice_number: c.invoice_number.clone(),
            date: c.issue_date.to_string(),
            amount: to_plain(c.amount_incl_vat),
            vat: to_plain(c.vat),
            reason: c.reason.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct AgingJson {
    pub debtor_id: Option<i64>,
    pub debtor_name: String,
    pub not_due: String,
    pub days_1_30: String,
    pub days_31_60: String,
    pub days_61_90: String,
    pub days_91_180: String,
    pub over_180: String,
    pub total: String,
    pub open_invoices: u64,
}

fn aging_row(
    debtor_id: Option<i64>,
    name: &str,
    b: &recouvre::receivables::aging::BucketAmounts,
    open_invoices: u64,
) -> AgingJson {
    AgingJson {
        debtor_id,
        debtor_name: name.to_owned(),
        not_due: to_plain(b.0[0]),
        days_1_30: to_plain(b.0[1]),
        days_31_60: to_plain(b.0[2]),
        days_61_90: to_plain(b.0[3]),
        days_91_180: to_plain(b.0[4]),
        over_180: to_plain(b.0[5]),
        total: to_plain(b.total()),
        open_invoices,
    }
}

/// One object per debtor, then a last object with `debtor_id: null` and the totals.
pub fn aging_json(report: &AgingReport) -> Vec<AgingJson> {
    let mut rows: Vec<AgingJson> = report
        .debtors
        .iter()
        .map(|d| aging_row(Some(d.debtor_id), &d.debtor_name, &d.buckets, d.open_invoices))
        .collect();
    rows.push(aging_row(None, "TOTAL", &report.totals, report.invoice_counts.iter().sum()));
    rows
}

pub fn aging_table(report: &AgingReport) -> String {
    let mut columns = vec![("Débiteur", Align::Left)];
    columns.extend(AgingBucket::ALL.iter().map(|b| (b.label(), Align::Right)));
    columns.push(("Total €", Align::Right));
    let mut table = Table::new(&columns);
    let cells = |name: &str, b: &recouvre::receivables::aging::BucketAmounts| {
        let mut row = vec![name.to_owned()];
        row.extend(b.0.iter().map(|a| format_number_fr(*a)));
        row.push(format_number_fr(b.total()));
        row
    };
    for d in &report.debtors {
        table.row(cells(&d.debtor_name, &d.buckets));
    }
    table.row(cells("TOTAL", &report.totals));
    format!("Balance âgée au {}\n\n{}", format_date_fr(report.at), table.render())
}

pub fn debtors_table(balances: &[DebtorBalance]) -> String {
    let mut table = Table::new(&[
        ("N°", Align::Right),
        ("Débiteur", Align::Left),
        ("Type", Align::Left),
        ("SIREN", Align::Left),
        ("Ville", Align::Left),
        ("Encours €", Align::Right),
        ("Échu €", Align::Right),
        ("Retard", Align::Right),
    ]);
    for b in balances {
        table.row(vec![
            b.debtor.id.to_string(),
            b.debtor.name.clone(),
            (if b.debtor.kind == recouvre::parties::DebtorKind::Professionnel { "pro" } else { "particulier" }).into(),
            b.debtor.siren.clone().unwrap_or_default(),
            b.debtor.address.city.clone(),
            format_number_fr(b.outstanding),
            format_number_fr(b.overdue),
            if b.max_days_overdue > 0 { format!("{} j", b.max_days_overdue) } else { String::new() },
        ]);
    }
    table.render()
}

pub fn invoices_table(lines: &[InvoiceLine]) -> String {
    let mut table = Table::new(&[
        ("Facture", Align::Left),
        ("Débiteur", Align::Left),
        ("Émise le", Align::Left),
        ("Échéance", Align::Left),
        ("TTC €", Align::Right),
        ("Reste dû €", Align::Right),
        ("Statut", Align::Left),
        ("Retard", Align::Right),
    ]);
    for l in lines {
        table.row(vec![
            l.invoice.number.clone(),
            l.debtor_name.clone(),
            format_date_fr(l.invoice.issue_date),
            format_date_fr(l.invoice.due_date),
            format_number_fr(l.invoice.amount_incl_vat),
            format_number_fr(l.balance.outstanding()),
            l.status.label().to_owned(),
            if l.days_overdue > 0 { format!("{} j", l.days_overdue) } else { String::new() },
        ]);
    }
    table.render()
}

fn field(label: &str, value: impl AsRef<str>) -> String {
    let value = value.as_ref();
    if value.is_empty() { String::new() } else { format!("{label:<22}{value}\n") }
}

pub fn debtor_card(b: &DebtorBalance) -> String {
    let d: &Debtor = &b.debtor;
    let mut out = format!("{} (n° {})\n", d.name, d.id);
    out += &field("Type", d.kind.as_str());
    out += &field("Segment", d.segment.as_str());
    out += &field("SIREN", d.siren.clone().unwrap_or_default());
    out += &field("Contact", d.contact_name.clone().unwrap_or_default());
    out += &field("Adresse", d.address.lines.join(", "));
    out += &field("", format!("{} {} {}", d.address.postcode, d.address.city, d.address.country).trim());
    out += &field("E-mail", d.email.clone().unwrap_or_default());
    out += &field("Téléphone", d.phone.clone().unwrap_or_default());
    out += &field("Notes", &d.notes);
    out += &field("Encours", format_eur(b.outstanding));
    out += &field("dont échu", format_eur(b.overdue));
    if !b.credit.is_zero() {
        out += &field("Avoir en compte", format_eur(b.credit));
    }
    out
}

pub fn invoice_card(line: &InvoiceLine, settlements: &[Settlement], notes: &[CreditNote]) -> String {
    let i = &line.invoice;
    let mut out = format!("Facture {} — {} (débiteur n° {})\n", i.number, line.debtor_name, i.debtor_id);
    out += &field("Émise le", format_date_fr(i.issue_date));
    out += &field("Échéance", format_date_fr(i.due_date));
    out += &field("Montant HT", format_eur(i.amount_excl_vat));
    out += &field("TVA", format_eur(i.vat));
    out += &field("Montant TTC", format_eur(i.amount_incl_vat));
    out += &field("Objet", &i.description);
    for s in settlements {
        out += &field(
            "Paiement",
            format!(
                "{} le {} ({}{})",
                format_eur(s.amount),
                format_date_fr(s.allocated_on),
                s.method.label(),
                s.reference.as_ref().map(|r| format!(", {r}")).unwrap_or_default()
            ),
        );
    }
    for c in notes {
        out += &field(
            "Avoir",
            format!("{} {} le {}", c.number, format_eur(c.amount_incl_vat), format_date_fr(c.issue_date)),
        );
    }
    out += &field("Reste dû", format_eur(line.balance.outstanding()));
    out += &field("Statut", line.status.label());
    if line.days_overdue > 0 {
        out += &field("Retard", format!("{} jours", line.days_overdue));
    }
    if let Some(a) = &i.attachment {
        out += &field("Original", format!("{} (sha256 {})", a.file_name, &a.sha256[..12]));
    }
    out
}

pub fn payment_card(p: &Payment) -> String {
    let mut out = format!(
        "Paiement n° {} : {} reçu le {} ({})\n",
        p.id,
        format_eur(p.amount),
        format_date_fr(p.received_on),
        p.method.label()
    );
    for a in &p.allocations {
        out += &format!("  → facture {} : {}\n", a.invoice_number, format_eur(a.amount));
    }
    if !p.unallocated().is_zero() {
        out += &format!("  Non affecté (avoir en compte du débiteur) : {}\n", format_eur(p.unallocated()));
    }
    out
}

#[derive(Serialize)]
pub struct ProfileJson {
    pub legal_name: String,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub rcs_city: Option<String>,
    pub address_lines: Vec<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    /// `null` for the legal default, else the yearly rate in percent (`"15.00"`).
    pub late_penalty_rate: Option<String>,
    pub payment_term_days: u32,
    /// `"365"` or `"actual"`.
    pub day_basis: &'static str,
    /// `"interest-first"` or `"principal-first"`.
    pub imputation: &'static str,
}

impl ProfileJson {
    pub fn new(p: &CreditorProfile) -> Self {
        ProfileJson {
            legal_name: p.legal_name.clone(),
            legal_form: p.legal_form.clone(),
            siren: p.siren.clone(),
            siret: p.siret.clone(),
            vat_number: p.vat_number.clone(),
            rcs_city: p.rcs_city.clone(),
            address_lines: p.address.lines.clone(),
            postcode: p.address.postcode.clone(),
            city: p.address.city.clone(),
            country: p.address.country.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            iban: p.iban.clone(),
            bic: p.bic.clone(),
            signatory_name: p.signatory_name.clone(),
            signatory_title: p.signatory_title.clone(),
            late_penalty_rate: p.late_penalty.to_stored(),
            payment_term_days: p.payment_term_days,
            day_basis: p.interest_options.day_basis.as_str(),
            imputation: p.interest_options.imputation.as_str(),
        }
    }
}

pub fn profile_card(p: &CreditorProfile) -> String {
    let mut out = format!("{}\n", p.legal_name);
    out += &field("Forme", p.legal_form.clone().unwrap_or_default());
    out += &field("SIREN", p.siren.clone().unwrap_or_default());
    out += &field("SIRET", p.siret.clone().unwrap_or_default());
    out += &field("TVA", p.vat_number.clone().unwrap_or_default());
    out += &field("RCS", p.rcs_city.clone().unwrap_or_default());
    out += &field("Adresse", p.address.lines.join(", "));
    out += &field("", format!("{} {} {}", p.address.postcode, p.address.city, p.address.country).trim());
    out += &field("E-mail", p.email.clone().unwrap_or_default());
    out += &field("Téléphone", p.phone.clone().unwrap_or_default());
    out += &field("IBAN", p.iban.as_deref().map(recouvre::identifiers::iban_print_form).unwrap_or_default());
    out += &field("BIC", p.bic.clone().unwrap_or_default());
    out += &field(
        "Signataire",
        [p.signatory_name.clone(), p.signatory_title.clone()].into_iter().flatten().collect::<Vec<_>>().join(", "),
    );
    out += &field(
        "Pénalités de retard",
        match p.late_penalty {
            LatePenaltyClause::LegalDefault => "taux légal par défaut".to_owned(),
            LatePenaltyClause::Rate(r) => format!("{} % par an (CGV)", format_number_fr(r)),
        },
    );
    out += &field("Délai de paiement", format!("{} jours", p.payment_term_days));
    out += &field("Calcul des intérêts", p.interest_options.day_basis.label());
    out += &field("Imputation", p.interest_options.imputation.label());
    out
}
