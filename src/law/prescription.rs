//! Prescription (limitation) of a claim: when it expires, given what interrupted or suspended it.
//!
//! - 5 years between traders and in civil matters (C. com. L110-4, C. civ. 2224), 2 years for a
//!   professional's claim against a consumer (C. conso. L218-2), from the delivery or completion date.
//! - An acknowledgement of the debt (a partial payment, a signed plan, a written acknowledgement), a
//!   court claim served, an enforcement act each start a new full period (C. civ. 2231, 2240, 2241, 2244).
//! - A mediation suspends the period while it lasts, and at least six months remain after it ends
//!   (C. civ. 2238, 2230).
//! - A reminder or a formal notice does **not** interrupt prescription: there is no such event here.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use super::facts::PrescriptionEventKind;
use crate::parties::DebtorKind;

/// An event that changes the limitation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Event {
    /// What.
    pub kind: PrescriptionEventKind,
    /// When (start of a mediation).
    pub on: NaiveDate,
    /// End of a mediation (`None`: still going on at the date asked).
    pub until: Option<NaiveDate>,
}

/// How close the expiry is, at the date asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alert {
    /// More than 90 days left.
    None,
    /// 90 days or less.
    Within90Days,
    /// 30 days or less.
    Within30Days,
    /// Expired: the claim can no longer be brought to court.
    Expired,
}

/// The limitation of one claim at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limitation {
    /// Years of the period.
    pub years: u32,
    /// The texts.
    pub basis: &'static str,
    /// Where the current period started (delivery, or the last interruption).
    pub runs_from: NaiveDate,
    /// Last day a court claim can be brought.
    pub expires_on: NaiveDate,
    /// Days left at the date asked (negative once expired).
    pub days_left: i64,
    /// Alert level.
    pub alert: Alert,
    /// What happened, in order, in plain words.
    pub history: Vec<String>,
}

/// The limitation period for a debtor of this kind: years and texts.
pub fn period(kind: DebtorKind) -> (u32, &'static str) {
    match kind {
        DebtorKind::Professionnel => (5, "5 ans (C. com. L110-4, C. civ. 2224)"),
        DebtorKind::Consommateur => (2, "2 ans (C. conso. L218-2)"),
    }
}

fn plus_years(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(Months::new(12 * years)).unwrap_or(NaiveDate::MAX)
}

/// When the claim on an invoice delivered on `delivered_on` expires, given the events (any order;
/// events after `at` are ignored), at date `at`.
pub fn limitation(kind: DebtorKind, delivered_on: NaiveDate, events: &[Event], at: NaiveDate) -> Limitation {
    let (years, basis) = period(kind);
    let mut runs_from = delivered_on;
    let mut expires_on = plus_years(delivered_on, years);
    let mut history = vec![format!("Délai de {basis} à compter de la livraison ou de la prestation du {delivered_on}")];
    let mut events: Vec<Event> = events.iter().copied().filter(|e| e.on <= at).collect();
    events.sort_by_key(|e| e.on);
    for event in events {
        if event.on > expires_on {
            history.push(format!(
                "{} le {} : sans effet, la prescription était acquise le {expires_on}",
                event.kind.label(),
                event.on
            ));
            continue;
        }
        match event.kind {
            PrescriptionEventKind::Mediation => {
                let end = event.until.unwrap_or(at).min(at);
                let suspended = u64::try_from((end - event.on).num_days()).unwrap_or(0);
                let extended = expires_on.checked_add_days(Days::new(suspended)).unwrap_or(NaiveDate::MAX);
                // At least six months remain once the mediation ends (C. civ. 2238, 2230).
                let six_months = end.checked_add_months(Months::new(6)).unwrap_or(NaiveDate::MAX);
                expires_on = extended.max(six_months);
                history.push(match event.until {
                    Some(until) if until <= at => {
                        format!(
                            "{} du {} au {until} : délai suspendu, fin reportée au {expires_on}",
                            event.kind.label(),
                            event.on
                        )
                    }
                    _ => format!("{} en cours depuis le {} : délai suspendu", event.kind.label(), event.on),
                });
            }
            PrescriptionEventKind::Acknowledgement
            | PrescriptionEventKind::CourtClaimServed
            | PrescriptionEventKind::Enforcement => {
                runs_from = event.on;
                expires_on = plus_years(event.on, years);
                history.push(format!("{} le {} : nouveau délai jusqu'au {expires_on}", event.kind.label(), event.on));
            }
        }
    }
    let days_left = (expires_on - at).num_days();
    let alert = match days_left {
        d if d < 0 => Alert::Expired,
        0..=30 => Alert::Within30Days,
        31..=90 => Alert::Within90Days,
        _ => Alert::None,
    };
    Limitation { years, basis, runs_from, expires_on, days_left, alert, history }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    fn event(kind: PrescriptionEventKind, on: &str, until: Option<&str>) -> Event {
        Event { kind, on: day(on), until: until.map(day) }
    }

    #[test]
    fn limitation_cases() {
        use DebtorKind::*;
        use PrescriptionEventKind::*;
        // (name, debtor kind, delivered on, events, at, expires on, alert)
        type Case = (&'static str, DebtorKind, &'static str, Vec<Event>, &'static str, &'static str, Alert);
        let cases: Vec<Case> = vec![
            // B2B: 5 years from delivery, 15 March 2022 → 15 March 2027.
            ("b2b plain", Professionnel, "2022-03-15", vec![], "2026-11-24", "2027-03-15", Alert::None),
            // B2C: 2 years, 1 Feb 2025 → 1 Feb 2027; at 24 Nov 2026, 69 days left.
            ("b2c plain", Consommateur, "2025-02-01", vec![], "2026-11-24", "2027-02-01", Alert::Within90Days),
            // A partial payment on 10 Jan 2025 restarts 2 years: 10 Jan 2027, 47 days left.
            (
                "b2c acknowledged",
                Consommateur,
                "2024-06-01",
                vec![event(Acknowledgement, "2025-01-10", None)],
                "2026-11-24",
                "2027-01-10",
                Alert::Within90Days,
            ),
            // Without that payment, it expired on 1 June 2026.
            ("b2c expired", Consommateur, "2024-06-01", vec![], "2026-11-24", "2026-06-01", Alert::Expired),
            // Injonction de payer served 3 March 2025 on a 2021 delivery: 5 years from service.
            (
                "court claim",
                Professionnel,
                "2021-01-10",
                vec![event(CourtClaimServed, "2025-03-03", None)],
                "2026-11-24",
                "2030-03-03",
                Alert::None,
            ),
            // Mediation of 60 days (1 Sept–31 Oct 2026) on a claim expiring 10 Dec 2026: suspended 60
            // days → 8 Feb 2027, but at least 6 months after its end → 30 April 2027.
            (
                "mediation",
                Consommateur,
                "2024-12-10",
                vec![event(Mediation, "2026-09-01", Some("2026-10-31"))],
                "2026-11-24",
                "2027-04-30",
                Alert::None,
            ),
            // An acknowledgement after expiry does not revive the period.
            (
                "too late",
                Consommateur,
                "2022-01-01",
                vec![event(Acknowledgement, "2024-06-01", None)],
                "2026-11-24",
                "2024-01-01",
                Alert::Expired,
            ),
            // 20 days left.
            ("30-day alert", Professionnel, "2021-12-14", vec![], "2026-11-24", "2026-12-14", Alert::Within30Days),
            // An event after the date asked is not known yet.
            (
                "future event",
                Professionnel,
                "2021-12-14",
                vec![event(Enforcement, "2027-01-01", None)],
                "2026-11-24",
                "2026-12-14",
                Alert::Within30Days,
            ),
        ];
        for (name, kind, delivered, events, at, expires, alert) in cases {
            let got = limitation(kind, day(delivered), &events, day(at));
            assert_eq!((got.expires_on, got.alert), (day(expires), alert), "{name}: {got:#?}");
        }
    }
}
