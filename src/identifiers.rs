//! Business and bank identifiers, checked the way the registries check them: SIREN and SIRET (Luhn),
//! French VAT numbers (key derived from the SIREN), IBAN (ISO 13616 mod 97, country formats), BIC
//! (ISO 9362), country codes and French postcodes.
//!
//! Each function returns the canonical form (no spaces, upper case) or why the text is refused, in
//! words a user understands; the caller names the field.

use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};

/// Spaces, no-break spaces, dots and dashes people put in identifiers when they copy them.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.' | '-'))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The Luhn checksum INSEE uses for SIREN and SIRET numbers.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, byte)| {
            let digit = u32::from(byte - b'0');
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn all_digits(text: &str, count: usize) -> bool {
    text.len() == count && text.bytes().all(|b| b.is_ascii_digit())
}

/// A SIREN (9 digits, Luhn key), e.g. `732 829 320` → `732829320`.
pub fn siren(text: &str) -> Result<String, String> {
    let value = compact(text);
    if !all_digits(&value, 9) {
        return Err("un SIREN compte exactement 9 chiffres".into());
    }
    if !luhn_valid(&value) {
        return Err("la clé de contrôle (Luhn) du SIREN est fausse : vérifiez les chiffres".into());
    }
    Ok(value)
}

/// SIRET numbers of La Poste's establishments do not follow Luhn; INSEE checks them by the sum of
/// their digits being a multiple of 5.
const LA_POSTE_SIREN: &str = "356000000";

/// A SIRET (14 digits: the SIREN and a 5-digit establishment number, Luhn key over all 14).
pub fn siret(text: &str) -> Result<String, String> {
    let value = compact(text);
    if !all_digits(&value, 14) {
        return Err("un SIRET compte exactement 14 chiffres (SIREN + NIC)".into());
    }
    let valid = if value.starts_with(LA_POSTE_SIREN) {
        value.bytes().map(|b| u32::from(b - b'0')).sum::<u32>().is_multiple_of(5)
    } else {
        luhn_valid(&value)
    };
    if !valid {
        return Err("la clé de contrôle (Luhn) du SIRET est fausse : vérifiez les chiffres".into());
    }
    Ok(value)
}

/// A VAT identification number. French ones (`FR` + 2-character key + SIREN) are fully checked,
/// including the numeric key derived from the SIREN; other EU numbers are checked for shape only.
pub fn vat_number(text: &str) -> Result<String, String> {
    let value = compact(text);
    let country = value.get(..2).unwrap_or_default();
    // Byte slicing only once the first two characters are known to be ASCII letters (`Aé12` is not).
    if value.len() < 4
        || country.len() != 2
        || !country.bytes().all(|b| b.is_ascii_uppercase())
        || !value.get(2..).is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphanumeric()))
        || value.len() > 14
    {
        return Err("un numéro de TVA commence par le code pays (FR, BE…) suivi de 2 à 12 caractères".into());
    }
    if country == "FR" {
        if value.len() != 13 {
            return Err("un numéro de TVA français compte FR + 2 caractères de clé + 9 chiffres du SIREN".into());
        }
        let siren_part = &value[4..];
        siren(siren_part).map_err(|reason| format!("SIREN contenu dans le numéro de TVA : {reason}"))?;
        let key = &value[2..4];
        if key.bytes().all(|b| b.is_ascii_digit()) {
            let siren_number: u64 = siren_part.parse().unwrap_or_default();
            let expected = (12 + 3 * (siren_number % 97)) % 97;
            if key.parse::<u64>().ok() != Some(expected) {
                return Err(format!(
                    "la clé du numéro de TVA ne correspond pas au SIREN (clé attendue : {expected:02})"
                ));
            }
        }
    }
    Ok(value)
}

/// The French VAT number of a company, computed from its SIREN (what the tax office assigns).
pub fn french_vat_number_for(siren: &str) -> Option<String> {
    let number: u64 = siren.parse().ok()?;
    Some(format!("FR{:02}{siren}", (12 + 3 * (number % 97)) % 97))
}

/// An IBAN in its electronic form (`FR7630006000011234567890189`), checked for its mod-97 key and its
/// country's format.
pub fn iban(text: &str) -> Result<String, String> {
    let value = compact(text);
    match value.parse::<Iban>() {
        Ok(parsed) => Ok(parsed.electronic_str().to_owned()),
        Err(ParseIbanError::InvalidBaseIban { source: ParseBaseIbanError::InvalidChecksum }) => {
            Err("la clé de contrôle de l'IBAN (modulo 97) est fausse : vérifiez les caractères".into())
        }
        Err(ParseIbanError::InvalidBaseIban { source: ParseBaseIbanError::InvalidFormat }) => {
            Err("ce n'est pas un IBAN (2 lettres de pays, 2 chiffres de clé, puis le compte)".into())
        }
        Err(ParseIbanError::InvalidBban(_)) => Err("le numéro de compte ne suit pas le format de ce pays".into()),
        Err(ParseIbanError::UnknownCountry(_)) => Err("ce code pays n'utilise pas l'IBAN".into()),
    }
}

/// `FR76 3000 6000 0112 3456 7890 189`: the IBAN as it is printed on letters, in groups of four.
pub fn iban_print_form(electronic: &str) -> String {
    electronic
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A BIC (ISO 9362): 4 letters for the bank, 2 for the country, 2 characters for the place and an
/// optional 3-character branch code.
pub fn bic(text: &str) -> Result<String, String> {
    let value = compact(text);
    let bytes = value.as_bytes();
    let shape_ok = (value.len() == 8 || value.len() == 11)
        && bytes[..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6..].iter().all(u8::is_ascii_alphanumeric);
    if !shape_ok {
        return Err("un BIC compte 8 ou 11 caractères : 4 lettres (banque), 2 lettres (pays), 2 caractères (lieu), 3 facultatifs (agence)".into());
    }
    Ok(value)
}

/// An ISO 3166-1 alpha-2 country code (`FR`, `BE`, `DE`…).
pub fn country_code(text: &str) -> Result<String, String> {
    let value = text.trim().to_ascii_uppercase();
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err("code pays ISO à 2 lettres attendu (FR, BE, CH…)".into())
    }
}

/// A French postcode: 5 digits (Corsica included: 20000–20999).
pub fn french_postcode(text: &str) -> Result<String, String> {
    let value = text.trim().to_owned();
    if all_digits(&value, 5) { Ok(value) } else { Err("un code postal français compte 5 chiffres".into()) }
}

/// A plausible e-mail address: something, `@`, a domain with a dot. Deliverability is the mail
/// server's business; this catches typing slips.
pub fn email(text: &str) -> Result<String, String> {
    let value = text.trim().to_owned();
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if valid { Ok(value) } else { Err("adresse e-mail invalide (exemple : nom@domaine.fr)".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_and_siret() {
        // Real registered companies (public registry data).
        assert_eq!(siren("732 829 320"), Ok("732829320".into()));
        assert_eq!(siren("552 100 554"), Ok("552100554".into()));
        assert!(siren("732829321").is_err());
        assert!(siren("73282932").is_err());
        assert!(siren("73282932A").is_err());
        assert_eq!(siret("732 829 320 00074"), Ok("73282932000074".into()));
        assert!(siret("73282932000075").is_err());
        assert!(siret("7328293200007").is_err());
        // La Poste: sum of digits multiple of 5, not Luhn.
        assert_eq!(siret("35600000000051"), Ok("35600000000051".into()));
        assert!(siret("35600000000052").is_err());
    }

    #[test]
    fn vat_numbers() {
        assert_eq!(french_vat_number_for("732829320").as_deref(), Some("FR44732829320"));
        assert_eq!(vat_number("FR 44 732 829 320"), Ok("FR44732829320".into()));
        assert!(vat_number("FR45732829320").unwrap_err().contains("clé attendue : 44"));
        assert!(vat_number("FR4473282932").is_err());
        assert_eq!(vat_number("BE0123456749"), Ok("BE0123456749".into()));
        assert!(vat_number("12345").is_err());
        assert!(vat_number("Aé12").is_err(), "a multi-byte letter must not panic");
    }

    #[test]
    fn ibans() {
        assert_eq!(iban("FR76 3000 6000 0112 3456 7890 189"), Ok("FR7630006000011234567890189".into()));
        assert_eq!(iban("de44500105175407324931"), Ok("DE44500105175407324931".into()));
        assert!(iban("FR7630006000011234567890188").unwrap_err().contains("modulo 97"));
        assert!(iban("hello").is_err());
        assert_eq!(iban_print_form("FR7630006000011234567890189"), "FR76 3000 6000 0112 3456 7890 189");
    }

    #[test]
    fn bics_countries_postcodes_emails() {
        assert_eq!(bic("AGRIFRPP"), Ok("AGRIFRPP".into()));
        assert_eq!(bic("bnpafrppxxx"), Ok("BNPAFRPPXXX".into()));
        assert!(bic("AGRIFRP").is_err());
        assert!(bic("1GRIFRPP").is_err());
        assert_eq!(country_code("fr"), Ok("FR".into()));
        assert!(country_code("FRA").is_err());
        assert_eq!(french_postcode("69001"), Ok("69001".into()));
        assert!(french_postcode("6900").is_err());
        assert!(email("a@b.fr").is_ok());
        assert!(email("a@b").is_err());
        assert!(email("a b@c.fr").is_err());
    }
}
