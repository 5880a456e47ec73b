//! Calendar days as users type and read them: `2026-11-24` or `24/11/2026` in, `24/11/2026` out.
//!
//! Dates are `chrono::NaiveDate` everywhere: a due date is a day in France, not an instant.

use chrono::NaiveDate;

/// Why a text could not be read as a date. The caller names the field and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Neither `AAAA-MM-JJ` nor `JJ/MM/AAAA`.
    Malformed,
    /// The right shape but not a day of the calendar (`31/02/2026`).
    NoSuchDay,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DateError::Malformed => "date illisible (formats acceptés : 2026-11-24 ou 24/11/2026)",
            DateError::NoSuchDay => "ce jour n'existe pas dans le calendrier",
        })
    }
}

/// [`parse_date`] for a form's field: a refusal names the field and the value typed.
pub fn parse_date_field(field: crate::Field, text: &str) -> crate::Result<NaiveDate> {
    parse_date(text).map_err(|e| crate::Error::invalid(field, text, e.to_string()))
}

/// Reads `2026-11-24` (ISO 8601) or `24/11/2026` (the French way). Two-digit years are refused:
/// a due date in 1926 or 2026 is not something to guess.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let text = text.trim();
    let numbers = |parts: Vec<&str>, widths: [usize; 3]| -> Result<[u32; 3], DateError> {
        if parts.len() != 3 {
            return Err(DateError::Malformed);
        }
        let mut out = [0_u32; 3];
        for (i, part) in parts.iter().enumerate() {
            let width_ok = if widths[i] == 4 { part.len() == 4 } else { (1..=2).contains(&part.len()) };
            if !width_ok || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateError::Malformed);
            }
            out[i] = part.parse().map_err(|_| DateError::Malformed)?;
        }
        Ok(out)
    };
    let (year, month, day) = if text.contains('/') {
        let [d, m, y] = numbers(text.split('/').collect(), [2, 2, 4])?;
        (y, m, d)
    } else {
        let [y, m, d] = numbers(text.split('-').collect(), [4, 2, 2])?;
        (y, m, d)
    };
    let year = i32::try_from(year).map_err(|_| DateError::Malformed)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay)
}

/// `24/11/2026`.
pub fn format_date_fr(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let expected = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for text in ["2026-11-24", "24/11/2026", " 24/11/2026 ", "2026-11-24"] {
            assert_eq!(parse_date(text), Ok(expected), "{text:?}");
        }
        assert_eq!(parse_date("1/2/2026"), Ok(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()));
        assert_eq!(parse_date("29/02/2028"), Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()));
    }

    #[test]
    fn refused_forms() {
        let cases = [
            ("31/02/2026", DateError::NoSuchDay),
            ("29/02/2026", DateError::NoSuchDay),
            ("2026-13-01", DateError::NoSuchDay),
            ("00/01/2026", DateError::NoSuchDay),
            ("24/11/26", DateError::Malformed),
            ("2026/11/24", DateError::Malformed),
            ("24-11-2026", DateError::Malformed),
            ("24.11.2026", DateError::Malformed),
            ("", DateError::Malformed),
            ("demain", DateError::Malformed),
            ("2026-11-24T10:00", DateError::Malformed),
            ("+2026-11-24", DateError::Malformed),
        ];
        for (text, error) in cases {
            assert_eq!(parse_date(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn french_display() {
        assert_eq!(format_date_fr(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()), "05/03/2026");
    }
}
