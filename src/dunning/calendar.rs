//! French working days: public holidays of metropolitan France (Code du travail L3133-1), Easter-based
//! ones computed, and the working hours within which a phone call may be proposed.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

/// Easter Sunday of a year (Gregorian calendar; anonymous algorithm of Meeus/Jones/Butcher).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).unwrap_or(4), u32::try_from(day).unwrap_or(1))
        .unwrap_or_default()
}

/// The eleven public holidays of metropolitan France in a year, in date order, with their names.
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
    let easter = easter(year);
    let after_easter = |days: u64| easter.checked_add_days(Days::new(days)).unwrap_or(easter);
    let mut days = vec![
        (fixed(1, 1), "Jour de l'an"),
        (after_easter(1), "Lundi de Pâques"),
        (fixed(5, 1), "Fête du Travail"),
        (fixed(5, 8), "Victoire 1945"),
        (after_easter(39), "Ascension"),
        (after_easter(50), "Lundi de Pentecôte"),
        (fixed(7, 14), "Fête nationale"),
        (fixed(8, 15), "Assomption"),
        (fixed(11, 1), "Toussaint"),
        (fixed(11, 11), "Armistice 1918"),
        (fixed(12, 25), "Noël"),
    ];
    days.sort();
    days
}

/// The public holiday falling on `day`, if any.
pub fn holiday(day: NaiveDate) -> Option<&'static str> {
    public_holidays(day.year()).into_iter().find(|(d, _)| *d == day).map(|(_, name)| name)
}

/// Whether businesses are normally open: Monday to Saturday, not a public holiday.
pub fn is_working_day(day: NaiveDate) -> bool {
    day.weekday() != Weekday::Sun && holiday(day).is_none()
}

/// The hours within which a phone call may be proposed: 9:00–12:00 and 14:00–19:00.
pub fn is_calling_time(time: NaiveTime) -> bool {
    let h = |hour| NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
    (time >= h(9) && time < h(12)) || (time >= h(14) && time < h(19))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn easter_against_the_published_calendar() {
        for (year, date) in [
            (2019, "2019-04-21"),
            (2020, "2020-04-12"),
            (2021, "2021-04-04"),
            (2022, "2022-04-17"),
            (2023, "2023-04-09"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter(year), day(date), "{year}");
        }
    }

    #[test]
    fn french_holidays_2026() {
        // Service-public.fr's 2026 calendar.
        let expected = [
            "2026-01-01",
            "2026-04-06",
            "2026-05-01",
            "2026-05-08",
            "2026-05-14",
            "2026-05-25",
            "2026-07-14",
            "2026-08-15",
            "2026-11-01",
            "2026-11-11",
            "2026-12-25",
        ];
        let got: Vec<NaiveDate> = public_holidays(2026).into_iter().map(|(d, _)| d).collect();
        assert_eq!(got, expected.iter().map(|d| day(d)).collect::<Vec<_>>());
        assert_eq!(holiday(day("2026-05-14")), Some("Ascension"));
        assert!(!is_working_day(day("2026-11-11")));
        assert!(!is_working_day(day("2026-11-22"))); // a Sunday
        assert!(is_working_day(day("2026-11-21"))); // a Saturday
        assert!(is_working_day(day("2026-11-24")));
    }

    #[test]
    fn calling_hours() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(is_calling_time(t(9, 0)) && is_calling_time(t(18, 59)));
        assert!(!is_calling_time(t(8, 59)) && !is_calling_time(t(12, 30)) && !is_calling_time(t(19, 0)));
    }
}
