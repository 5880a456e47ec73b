//! Amounts and dates as a letter prints them, in its language: `1 234,56 €` and "24 novembre 2026"
//! in French, `€1,234.56` and "24 November 2026" in English.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::Lang;
use crate::money::format_eur;

/// An amount in euros.
pub fn amount(lang: Lang, value: Decimal) -> String {
    match lang {
        Lang::Fr => format_eur(value),
        Lang::En => {
            let text = format_eur(value.abs());
            let digits = text.trim_end_matches('€').trim_end_matches('\u{a0}').replace('\u{202f}', ",");
            let digits = match digits.rsplit_once(',') {
                Some((whole, cents)) if cents.len() == 2 => format!("{whole}.{cents}"),
                _ => digits,
            };
            let sign = if value.is_sign_negative() && !value.is_zero() { "-" } else { "" };
            format!("{sign}€{digits}")
        }
    }
}

/// A day in words ("24 novembre 2026", "1er juillet 2026").
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = date.month0() as usize;
    match lang {
        Lang::Fr if date.day() == 1 => format!("1er {} {}", FR[month], date.year()),
        Lang::Fr => format!("{} {} {}", date.day(), FR[month], date.year()),
        Lang::En => format!("{} {} {}", date.day(), EN[month], date.year()),
    }
}

/// A day in figures, in a table ("24/11/2026").
pub fn short_date(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Fr => date.format("%d/%m/%Y").to_string(),
        Lang::En => date.format("%d %b %Y").to_string(),
    }
}

/// "Lyon, le 24 novembre 2026" / "Lyon, 24 November 2026".
pub fn place_date(lang: Lang, city: &str, date: NaiveDate) -> String {
    match (lang, city.trim()) {
        (Lang::Fr, "") => format!("Le {}", long_date(lang, date)),
        (Lang::Fr, city) => format!("{city}, le {}", long_date(lang, date)),
        (Lang::En, "") => long_date(lang, date),
        (Lang::En, city) => format!("{city}, {}", long_date(lang, date)),
    }
}

/// A percentage rate ("12,15 %" / "12.15%").
pub fn rate(lang: Lang, value: Decimal) -> String {
    let text = value.normalize().to_string();
    match lang {
        Lang::Fr => format!("{}\u{a0}%", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn amounts_in_both_languages() {
        let cases = [
            (Lang::Fr, "1234.56", "1\u{202f}234,56\u{a0}€"),
            (Lang::Fr, "40", "40,00\u{a0}€"),
            (Lang::En, "1234.56", "€1,234.56"),
            (Lang::En, "1234567.5", "€1,234,567.50"),
            (Lang::En, "40", "€40.00"),
            (Lang::En, "-12.3", "-€12.30"),
        ];
        for (lang, value, expected) in cases {
            assert_eq!(amount(lang, value.parse().unwrap()), expected, "{lang:?} {value}");
        }
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(long_date(Lang::Fr, day(2026, 11, 24)), "24 novembre 2026");
        assert_eq!(long_date(Lang::Fr, day(2026, 7, 1)), "1er juillet 2026");
        assert_eq!(long_date(Lang::En, day(2026, 7, 1)), "1 July 2026");
        assert_eq!(place_date(Lang::Fr, "Lyon", day(2026, 11, 24)), "Lyon, le 24 novembre 2026");
        assert_eq!(place_date(Lang::En, "Lyon", day(2026, 11, 24)), "Lyon, 24 November 2026");
        assert_eq!(rate(Lang::Fr, "12.150".parse().unwrap()), "12,15\u{a0}%");
    }
}
