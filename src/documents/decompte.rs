//! The décompte block of a letter: principal, penalties or interest with their legal basis and the
//! rates applied, indemnities, documented costs, total — in the letter's language.

use rust_decimal::Decimal;

use super::compose::{Claim, Facts};
use super::model::Figure;
use super::{Lang, locale};
use crate::law::interest::{DayBasis, RateBasis};
use crate::parties::DebtorKind;

/// The rate in words, with today's figure when one runs.
pub(super) fn rate_words(facts: &Facts) -> String {
    let lang = facts.lang;
    let basis = facts.statement.invoices.first().map(|i| i.basis);
    let latest = facts
        .statement
        .invoices
        .iter()
        .flat_map(|i| i.computation.segments.iter())
        .max_by_key(|s| s.to)
        .map(|s| locale::rate(lang, s.rate));
    let now = |text: String| match (&latest, lang) {
        (Some(rate), Lang::Fr) => format!("{text}, soit {rate} à ce jour"),
        (Some(rate), Lang::En) => format!("{text}, i.e. {rate} at present"),
        (None, _) => text,
    };
    match (basis, lang) {
        (Some(RateBasis::B2bContract(rate)), Lang::Fr) => {
            format!("au taux de {} prévu par nos conditions générales de vente", locale::rate(lang, rate))
        }
        (Some(RateBasis::B2bContract(rate)), Lang::En) => {
            format!("at the rate of {} set by our terms of sale", locale::rate(lang, rate))
        }
        (Some(RateBasis::ConsumerContract(rate)), Lang::Fr) => {
            format!("au taux de {} prévu au contrat", locale::rate(lang, rate))
        }
        (Some(RateBasis::ConsumerContract(rate)), Lang::En) => {
            format!("at the contractual rate of {}", locale::rate(lang, rate))
        }
        (Some(RateBasis::Legal), Lang::Fr) => now("au taux de l'intérêt légal".to_owned()),
        (Some(RateBasis::Legal), Lang::En) => now("at the French statutory interest rate".to_owned()),
        (_, Lang::Fr) => now("taux de refinancement de la BCE majoré de 10 points".to_owned()),
        (_, Lang::En) => now("ECB refinancing rate plus 10 percentage points".to_owned()),
    }
}

pub(super) fn figures(facts: &Facts, claim: &Claim) -> Vec<Figure> {
    let lang = facts.lang;
    let fr = lang == Lang::Fr;
    let money = |amount: Decimal| locale::amount(lang, amount);
    let statement = facts.statement;
    let at = locale::long_date(lang, facts.date);
    let mut lines = vec![Figure {
        label: if fr { "Principal restant dû".into() } else { "Principal outstanding".into() },
        amount: money(claim.principal),
        basis: None,
        strong: false,
    }];
    let consumer = statement.kind == DebtorKind::Consommateur;
    let interest_label = match (consumer, fr) {
        (false, true) => format!("Pénalités de retard au {at}"),
        (true, true) => format!("Intérêts de retard au {at}"),
        (false, false) => format!("Late-payment penalties to {at}"),
        (true, false) => format!("Late-payment interest to {at}"),
    };
    let mut rates: Vec<String> = Vec::new();
    for segment in statement.invoices.iter().flat_map(|i| i.computation.segments.iter()) {
        // The first part of a source names the figure ("taux BCE au 2026-07-01 (2.15 %) + 10 points");
        // the rest (articles, publication) is in the statement and the dossier.
        let source = segment.rate_source.split(" — ").next().unwrap_or(&segment.rate_source);
        let text = format!("{} ({source})", locale::rate(lang, segment.rate));
        if !rates.contains(&text) {
            rates.push(text);
        }
    }
    let day_basis = match (statement.options.day_basis, fr) {
        (basis, true) => basis.label().to_owned(),
        (DayBasis::Actual365, false) => "actual days / 365".to_owned(),
        (DayBasis::ActualActual, false) => "actual days / 365 or 366 (leap years)".to_owned(),
    };
    let mut basis = basis_words(facts);
    if !rates.is_empty() {
        let shown: Vec<&str> = rates.iter().take(4).map(String::as_str).collect();
        basis.push_str(if fr { ". Taux appliqués : " } else { ". Rates applied: " });
        basis.push_str(&shown.join(" ; "));
    }
    basis.push_str(if fr { ". Base de calcul : " } else { ". Day count: " });
    basis.push_str(&day_basis);
    basis.push('.');
    lines.push(Figure { label: interest_label, amount: money(claim.interest), basis: Some(basis), strong: false });
    if !consumer && claim.indemnities > Decimal::ZERO {
        let count = (claim.indemnities / Decimal::from(40)).round();
        lines.push(Figure {
            label: if fr {
                format!("Indemnités forfaitaires pour frais de recouvrement ({count} × 40 €)")
            } else {
                format!("Fixed indemnities for recovery costs ({count} × €40)")
            },
            amount: money(claim.indemnities),
            basis: Some(if fr {
                "C. com. art. L441-10 II et D441-5".into()
            } else {
                "French Commercial Code art. L441-10 II and D441-5".into()
            }),
            strong: false,
        });
    }
    if claim.costs > Decimal::ZERO {
        lines.push(Figure {
            label: if fr { "Frais de recouvrement justifiés".into() } else { "Documented recovery costs".into() },
            amount: money(claim.costs),
            basis: Some(if fr {
                "C. com. art. L441-10 II, sur justificatifs".into()
            } else {
                "French Commercial Code art. L441-10 II, on proof".into()
            }),
            strong: false,
        });
    }
    lines.push(Figure {
        label: if fr { format!("Total dû au {at}") } else { format!("Total due on {at}") },
        amount: money(claim.total),
        basis: None,
        strong: true,
    });
    lines
}

fn basis_words(facts: &Facts) -> String {
    if facts.lang == Lang::Fr {
        return facts.statement.legal_basis.clone();
    }
    match facts.statement.invoices.first().map(|i| i.basis) {
        Some(RateBasis::B2bContract(rate)) => format!(
            "Business debtor: late-payment penalties at the rate of {} set by the terms of sale, no lower than three times the statutory rate, and a fixed indemnity of €40 per invoice (French Commercial Code L441-10 II, D441-5)",
            locale::rate(Lang::En, rate)
        ),
        Some(RateBasis::Legal) => "Consumer debtor: interest at the French statutory rate from the formal notice (Civil Code 1231-6 and 1344-1)".to_owned(),
        Some(RateBasis::ConsumerContract(rate)) => format!(
            "Consumer debtor: contractual late-payment rate of {} (Civil Code 1231-5)",
            locale::rate(Lang::En, rate)
        ),
        _ => "Business debtor: late-payment penalties at the ECB refinancing rate plus 10 percentage points, due from the day after the due date without reminder, and a fixed indemnity of €40 per invoice (French Commercial Code L441-10 II, D441-5)".to_owned(),
    }
}
