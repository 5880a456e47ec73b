//! Demo data: a realistic French small business's receivables, to try the app without typing.
//!
//! The sample is a pure function of the date it ends on: the same date always gives the same
//! ledger (tests rely on it), and a user trying the app today sees invoices that are late today.
//! About 40 debtors (businesses and households), 300 invoices over 18 months, payments on time,
//! late, partial or missing, and a few credit notes.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::parties::{DebtorDetails, DebtorKind, PostalAddress, ProfileForm, Segment};
use crate::receivables::credit_note::NewCreditNote;
use crate::receivables::invoice::{CURRENCY, NewInvoice};
use crate::receivables::payment::{AllocationRequest, NewPayment, PaymentMethod};

/// What the demo put in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    /// Debtors created.
    pub debtors: usize,
    /// Invoices created.
    pub invoices: usize,
    /// Payments recorded.
    pub payments: usize,
    /// Credit notes recorded.
    pub credit_notes: usize,
}

/// SplitMix64: a tiny, well-known generator whose output never changes between versions of any
/// crate, which is what "deterministic demo data" needs.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A SIREN with a valid Luhn key from 8 digits.
pub(crate) fn siren_from(seed: u64) -> String {
    let body = format!("{:08}", seed % 100_000_000);
    (0..10)
        .map(|key| format!("{body}{key}"))
        .find(|candidate| crate::identifiers::siren(candidate).is_ok())
        .unwrap_or_else(|| format!("{body}0"))
}

const COMPANY_STEMS: [&str; 28] = [
    "Boulangerie Croustille",
    "Agence Horizon Communication",
    "Librairie du Vieux Lyon",
    "Cabinet Aubert & Associés",
    "Garage des Brotteaux",
    "Fromagerie Mère Richard",
    "Studio Pixel Nord",
    "Brasserie La Canute",
    "Menuiserie Lambert",
    "Hôtel des Célestins",
    "Pharmacie Bellecour",
    "Atelier Chocolat Sève",
    "Imprimerie Rhône-Alpes",
    "Cave Saint-Jean",
    "Architectes Morel Vidal",
    "Transports Girard",
    "Clinique vétérinaire des Pentes",
    "Salon Coiffure Émilie",
    "Épicerie fine Bazin",
    "Nantes Plomberie Services",
    "Éditions du Quai",
    "Fleuriste Pétales & Co",
    "Opticien Lumière",
    "Auto-école Confluence",
    "Traiteur Gabrielle",
    "Compagnie Théâtre Ô",
    "Domaine Viticole Perrin",
    "Conseil RH Oxalis",
];

const LEGAL_FORMS: [&str; 5] = ["SARL", "SAS", "SASU", "EURL", "SA"];

const PEOPLE: [(&str, &str); 12] = [
    ("Camille", "Durand"),
    ("Lucas", "Bernard"),
    ("Chloé", "Lefèvre"),
    ("Hugo", "Moreau"),
    ("Léa", "Fournier"),
    ("Nathan", "Girard"),
    ("Manon", "Bonnet"),
    ("Théo", "Mercier"),
    ("Inès", "Faure"),
    ("Jules", "Roussel"),
    ("Zoé", "Blanc"),
    ("Maël", "Guérin"),
];

const CITIES: [(&str, &str); 10] = [
    ("69001", "Lyon"),
    ("69003", "Lyon"),
    ("69006", "Lyon"),
    ("69100", "Villeurbanne"),
    ("44000", "Nantes"),
    ("75011", "Paris"),
    ("38000", "Grenoble"),
    ("42000", "Saint-Étienne"),
    ("13002", "Marseille"),
    ("33000", "Bordeaux"),
];

const STREETS: [&str; 10] = [
    "rue de la République",
    "quai Saint-Antoine",
    "avenue Jean Jaurès",
    "rue Mercière",
    "cours Lafayette",
    "rue Paul Bert",
    "boulevard des Belges",
    "place Bellecour",
    "rue de Brest",
    "rue Garibaldi",
];

const WORKS: [&str; 10] = [
    "Identité visuelle et charte graphique",
    "Maquettes site internet",
    "Affiches et flyers",
    "Catalogue printemps",
    "Refonte du logo",
    "Habillage réseaux sociaux",
    "Signalétique boutique",
    "Plaquette commerciale",
    "Illustrations sur mesure",
    "Étiquettes produits",
];

/// How a debtor pays, which drives what the demo records for each of its invoices.
#[derive(Clone, Copy)]
enum Habit {
    /// Pays on time or a few days early.
    Punctual,
    /// Pays, but 10 to 75 days late.
    Late,
    /// Pays part, late, and leaves invoices unpaid.
    Struggling,
}

/// The creditor of the demo: a design studio in Lyon.
fn demo_profile() -> ProfileForm {
    let text = |s: &str| Some(s.to_owned());
    ProfileForm {
        legal_name: text("Studio Martin Design"),
        legal_form: text("SARL"),
        siren: text("732829320"),
        siret: text("73282932000074"),
        vat_number: text("FR44732829320"),
        rcs_city: text("Lyon"),
        address_lines: text("12 rue des Capucins"),
        postcode: text("69001"),
        city: text("Lyon"),
        country: text("FR"),
        email: text("contact@studio-martin.fr"),
        phone: text("04 78 00 00 00"),
        iban: text("FR7630006000011234567890189"),
        bic: text("AGRIFRPP"),
        signatory_name: text("Élodie Martin"),
        signatory_title: text("Gérante"),
        late_penalty: text("legal"),
        payment_term_days: text("30"),
        day_basis: None,
        imputation: None,
    }
}

fn demo_debtors(seq: &mut Sequence) -> Vec<(DebtorDetails, Habit)> {
    let mut out = Vec::with_capacity(40);
    for (index, stem) in COMPANY_STEMS.iter().enumerate() {
        let (postcode, city) = *seq.pick(&CITIES);
        let habit = match index {
            5 | 19 => Habit::Struggling,
            _ if index % 7 == 0 || index % 7 == 3 => Habit::Late,
            _ => Habit::Punctual,
        };
        let (first, last) = *seq.pick(&PEOPLE);
        let form = seq.pick(&LEGAL_FORMS);
        out.push((
            DebtorDetails {
                kind: DebtorKind::Professionnel,
                name: format!("{stem} {form}"),
                siren: Some(siren_from(seq.next())),
                contact_name: Some(format!("{first} {last}")),
                address: PostalAddress {
                    lines: vec![format!("{} {}", 1 + seq.below(120), seq.pick(&STREETS))],
                    postcode: postcode.to_owned(),
                    city: city.to_owned(),
                    country: "FR".to_owned(),
                },
                email: Some(format!("compta{}@exemple.fr", index + 1)),
                phone: Some(format!("04 72 {:02} {:02} {:02}", seq.below(100), seq.below(100), seq.below(100))),
                segment: match index % 4 {
                    0 => Segment::Strategique,
                    1 | 2 => Segment::Regulier,
                    _ => Segment::Nouveau,
                },
                notes: String::new(),
                contract_penalty_rate: None,
            },
            habit,
        ));
    }
    for (index, (first, last)) in PEOPLE.iter().enumerate() {
        let (postcode, city) = *seq.pick(&CITIES);
        out.push((
            DebtorDetails {
                kind: DebtorKind::Consommateur,
                name: format!("{first} {last}"),
                siren: None,
                contact_name: None,
                address: PostalAddress {
                    lines: vec![format!("{} {}", 1 + seq.below(80), seq.pick(&STREETS))],
                    postcode: postcode.to_owned(),
                    city: city.to_owned(),
                    country: "FR".to_owned(),
                },
                email: Some(format!("{}.{}@exemple.fr", first.to_lowercase(), index + 1)),
                phone: Some(format!(
                    "06 {:02} {:02} {:02} {:02}",
                    seq.below(100),
                    seq.below(100),
                    seq.below(100),
                    seq.below(100)
                )),
                segment: Segment::Nouveau,
                notes: if index == 2 { "Préfère être contactée par e-mail.".to_owned() } else { String::new() },
                contract_penalty_rate: None,
            },
            if index % 4 == 1 {
                Habit::Late
            } else if index == 6 {
                Habit::Struggling
            } else {
                Habit::Punctual
            },
        ));
    }
    out
}

/// Fills an empty ledger with the demo business's 18 months ending on `until`. Refuses a ledger
/// that already holds anything: demo data must never mix with real books. One transaction.
pub async fn fill(ledger: &Ledger, until: NaiveDate) -> Result<DemoSummary> {
    if !ledger.counts().await?.is_empty() || ledger.profile().await?.is_some() {
        return Err(Error::LedgerNotEmpty);
    }
    let mut seq = Sequence(0x5245_434F_5556_5245); // "RECOUVRE"
    let mut tx = ledger.begin().await?;
    tx.update_profile(&demo_profile()).await?;
    let debtors = demo_debtors(&mut seq);
    let mut ids = Vec::with_capacity(debtors.len());
    for (details, habit) in &debtors {
        ids.push((tx.add_debtor_details(details).await?, *habit));
    }
    let start = until.checked_sub_months(Months::new(18)).unwrap_or(until);
    let span = u64::try_from((until - start).num_days()).unwrap_or(1).max(1);

    // 300 invoices at random days of the 18 months, numbered in date order per year.
    let mut drafts: Vec<(NaiveDate, usize)> = (0..300)
        .map(|_| {
            let day = start.checked_add_days(Days::new(seq.below(span))).unwrap_or(start);
            let debtor = usize::try_from(seq.below(ids.len() as u64)).unwrap_or(0);
            (day, debtor)
        })
        .collect();
    drafts.sort();
    let mut invoices = Vec::with_capacity(drafts.len());
    let mut per_year = std::collections::BTreeMap::<i32, u32>::new();
    for (issue_date, debtor_index) in &drafts {
        let (debtor, _) = &ids[*debtor_index];
        let sequence = per_year.entry(issue_date.year()).or_insert(0);
        *sequence += 1;
        let consumer = debtor.kind == DebtorKind::Consommateur;
        let excl_cents = if consumer { 8_000 + seq.below(60_000) } else { 30_000 + seq.below(320_000) };
        let excl = Decimal::new(i64::try_from(excl_cents).unwrap_or(10_000), 2);
        let vat = (excl * Decimal::new(20, 2)).round_dp(2);
        let term = if consumer { 15 } else { *seq.pick(&[30_u64, 30, 30, 45, 60]) };
        invoices.push(NewInvoice {
            debtor_id: debtor.id,
            number: format!("F-{}-{:04}", issue_date.year(), sequence),
            issue_date: *issue_date,
            due_date: issue_date.checked_add_days(Days::new(term)).unwrap_or(*issue_date),
            amount_excl_vat: excl,
            vat,
            amount_incl_vat: excl + vat,
            currency: CURRENCY.to_owned(),
            description: seq.pick(&WORKS).to_string(),
            attachment: None,
            delivered_on: None,
        });
    }
    tx.add_invoices(&invoices).await?;

    // Credit notes first (a discount agreed soon after the invoice), then payments of what is left.
    let mut summary = DemoSummary { debtors: ids.len(), invoices: invoices.len(), payments: 0, credit_notes: 0 };
    let mut owed: Vec<Decimal> = invoices.iter().map(|i| i.amount_incl_vat).collect();
    for (index, invoice) in invoices.iter().enumerate() {
        if !seq.chance(4) {
            continue;
        }
        let full = seq.chance(30);
        let amount =
            if full { invoice.amount_incl_vat } else { (invoice.amount_incl_vat / Decimal::from(10)).round_dp(2) };
        let date = invoice.issue_date.checked_add_days(Days::new(3 + seq.below(10))).unwrap_or(invoice.issue_date);
        if date > until {
            continue;
        }
        summary.credit_notes += 1;
        tx.add_credit_note(&NewCreditNote {
            number: format!("AV-{}-{:03}", date.year(), summary.credit_notes),
            invoice_number: invoice.number.clone(),
            issue_date: date,
            amount_incl_vat: amount,
            vat: (amount / Decimal::from(6)).round_dp(2),
            reason: if full { "Commande annulée".to_owned() } else { "Remise commerciale de 10 %".to_owned() },
        })
        .await?;
        owed[index] -= amount;
    }
    for (index, invoice) in invoices.iter().enumerate() {
        if owed[index] <= Decimal::ZERO {
            continue;
        }
        let habit = ids[drafts[index].1].1;
        let days = |seq: &mut Sequence, from: u64, span: u64| i64::try_from(from + seq.below(span)).unwrap_or(0);
        let (delay, share_percent): (i64, i64) = match habit {
            Habit::Punctual if seq.chance(5) => (days(&mut seq, 15, 30), 100),
            Habit::Punctual => (days(&mut seq, 0, 9) - 5, 100),
            Habit::Late => (days(&mut seq, 10, 65), 100),
            Habit::Struggling if seq.chance(35) => (0, 0),
            Habit::Struggling if seq.chance(40) => (days(&mut seq, 30, 90), 50),
            Habit::Struggling => (days(&mut seq, 30, 120), 100),
        };
        if share_percent == 0 {
            continue;
        }
        let paid_on = invoice.due_date + chrono::Duration::days(delay);
        let paid_on = paid_on.max(invoice.issue_date);
        if paid_on > until {
            continue;
        }
        let amount = (owed[index] * Decimal::from(share_percent) / Decimal::ONE_HUNDRED).round_dp(2);
        summary.payments += 1;
        tx.add_payment(&NewPayment {
            debtor_id: invoice.debtor_id,
            received_on: paid_on,
            amount,
            method: *seq.pick(&[
                PaymentMethod::Virement,
                PaymentMethod::Virement,
                PaymentMethod::Cheque,
                PaymentMethod::Cb,
            ]),
            reference: Some(format!("{} {}", if seq.chance(50) { "VIR" } else { "REM" }, invoice.number)),
            allocation: AllocationRequest::Invoices(vec![(invoice.number.clone(), Some(amount))]),
        })
        .await?;
    }
    // One client paid a round sum on account, left as a credit to allocate.
    let first_late = ids.iter().find(|(_, h)| matches!(h, Habit::Late)).map_or(ids[0].0.id, |(d, _)| d.id);
    let on_account = until.checked_sub_days(Days::new(6)).unwrap_or(until);
    tx.add_payment(&NewPayment {
        debtor_id: first_late,
        received_on: on_account,
        amount: Decimal::from(500),
        method: PaymentMethod::Virement,
        reference: Some("VIR ACOMPTE SANS REFERENCE".to_owned()),
        allocation: AllocationRequest::Unallocated,
    })
    .await?;
    summary.payments += 1;
    tx.commit().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirens_are_valid_and_sequence_is_stable() {
        for seed in [0_u64, 1, 42, 99_999_999, u64::MAX] {
            assert!(crate::identifiers::siren(&siren_from(seed)).is_ok(), "{seed}");
        }
        let mut a = Sequence(7);
        let mut b = Sequence(7);
        assert_eq!((0..100).map(|_| a.next()).collect::<Vec<_>>(), (0..100).map(|_| b.next()).collect::<Vec<_>>());
        // SplitMix64's published first output for seed 0.
        assert_eq!(Sequence(0).next(), 0xE220_A839_7B1D_CDAF);
    }
}
