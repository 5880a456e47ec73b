//! The harassment guard: the line between diligence and harassment. A creditor may remind, not
//! hound: a minimum spacing between two contacts with the same debtor, a weekly maximum, and phone
//! calls only on working days and during working hours.

use chrono::{Days, NaiveDateTime};
use serde::Serialize;

use super::calendar;
use super::scenario::Channel;
use crate::dates::format_date_fr;

/// The limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GuardSettings {
    /// Fewest days between two contacts with a debtor.
    pub min_days_between_contacts: u32,
    /// Most contacts with a debtor in any 7 days.
    pub max_contacts_per_week: u32,
}

impl Default for GuardSettings {
    fn default() -> Self {
        GuardSettings { min_days_between_contacts: 5, max_contacts_per_week: 2 }
    }
}

/// What the guard lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Channels that may be used now.
    pub allowed: Vec<Channel>,
    /// Why the others (or all) wait.
    pub reasons: Vec<String>,
}

/// Applies the limits to a step's channels at `now`, given the days of earlier contacts (any order).
/// A decision involves no contact and always passes.
pub fn check(
    channels: &[Channel],
    contacts: &[chrono::NaiveDate],
    now: NaiveDateTime,
    settings: GuardSettings,
) -> Verdict {
    let today = now.date();
    let mut reasons = Vec::new();
    let contacting: Vec<Channel> = channels.iter().copied().filter(|c| c.is_contact()).collect();
    if contacting.is_empty() {
        return Verdict { allowed: channels.to_vec(), reasons };
    }
    let past: Vec<chrono::NaiveDate> = contacts.iter().copied().filter(|d| *d <= today).collect();
    if let Some(last) = past.iter().max() {
        let next = last.checked_add_days(Days::new(settings.min_days_between_contacts.into())).unwrap_or(*last);
        if today < next {
            reasons.push(format!(
                "dernier contact le {} : attendre le {} ({} jours au moins entre deux contacts)",
                format_date_fr(*last),
                format_date_fr(next),
                settings.min_days_between_contacts
            ));
        }
    }
    let week_start = today.checked_sub_days(Days::new(6)).unwrap_or(today);
    let this_week = past.iter().filter(|d| **d >= week_start).count();
    if this_week >= usize::try_from(settings.max_contacts_per_week).unwrap_or(usize::MAX) {
        reasons.push(format!(
            "déjà {this_week} contacts ces 7 derniers jours (au plus {})",
            settings.max_contacts_per_week
        ));
    }
    if !reasons.is_empty() {
        return Verdict { allowed: Vec::new(), reasons };
    }
    let mut allowed = Vec::new();
    for channel in channels {
        if *channel == Channel::Phone {
            if let Some(name) = calendar::holiday(today) {
                reasons.push(format!("pas d'appel un jour férié ({name})"));
                continue;
            }
            if !calendar::is_working_day(today) {
                reasons.push("pas d'appel le dimanche".to_owned());
                continue;
            }
            if !calendar::is_calling_time(now.time()) {
                reasons.push("appel possible de 9 h à 12 h et de 14 h à 19 h".to_owned());
                continue;
            }
        }
        allowed.push(*channel);
    }
    Verdict { allowed, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn guard_table() {
        use Channel::*;
        let s = GuardSettings::default();
        // (channels, earlier contacts, now, allowed channels, reason fragment)
        type Case = (Vec<Channel>, Vec<&'static str>, &'static str, Vec<Channel>, &'static str);
        let cases: Vec<Case> = vec![
            (vec![Email], vec![], "2026-11-24 10:00", vec![Email], ""),
            // Contacted 4 days ago: wait until the 5th day.
            (vec![Email], vec!["2026-11-20"], "2026-11-24 10:00", vec![], "attendre le 25/11/2026"),
            (vec![Email], vec!["2026-11-19"], "2026-11-24 10:00", vec![Email], ""),
            // Two contacts in the last 7 days with a spacing of 5 days allowed: 18 and 23 Nov, now 24 →
            // the spacing already blocks; with a weekly maximum of 1, the weekly rule speaks too.
            (vec![Letter], vec!["2026-11-13", "2026-11-18"], "2026-11-23 10:00", vec![Letter], ""),
            // Phone on a Sunday, a public holiday, at lunch time, in the evening.
            (vec![Phone], vec![], "2026-11-22 10:00", vec![], "dimanche"),
            (vec![Phone], vec![], "2026-11-11 10:00", vec![], "Armistice"),
            (vec![Phone], vec![], "2026-11-24 12:30", vec![], "9 h à 12 h"),
            (vec![Phone], vec![], "2026-11-24 19:30", vec![], "9 h à 12 h"),
            // Phone and letter on a Sunday: the letter goes, the call waits.
            (vec![Phone, Letter], vec![], "2026-11-22 10:00", vec![Letter], "dimanche"),
            // A decision is not a contact.
            (vec![Decision], vec!["2026-11-23"], "2026-11-24 10:00", vec![Decision], ""),
            // Future contacts (recorded ahead) do not count.
            (vec![Email], vec!["2026-11-30"], "2026-11-24 10:00", vec![Email], ""),
        ];
        for (channels, contacts, now, allowed, reason) in cases {
            let contacts: Vec<NaiveDate> = contacts.iter().map(|c| day(c)).collect();
            let verdict = check(&channels, &contacts, at(now), s);
            assert_eq!(verdict.allowed, allowed, "{channels:?} {now}");
            assert!(verdict.reasons.join(" ").contains(reason), "{channels:?} {now}: {:?}", verdict.reasons);
        }
        // Weekly maximum: 3 contacts spaced by 2 days with a spacing rule of 1 day and a maximum of 2.
        let loose = GuardSettings { min_days_between_contacts: 1, max_contacts_per_week: 2 };
        let verdict = check(&[Email], &[day("2026-11-20"), day("2026-11-22")], at("2026-11-24 10:00"), loose);
        assert!(verdict.allowed.is_empty() && verdict.reasons[0].contains("7 derniers jours"), "{verdict:?}");
    }
}
