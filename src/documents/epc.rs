//! The SEPA credit-transfer QR code (European Payments Council, "Quick Response Code: guidelines to
//! enable data capture for the initiation of a SEPA credit transfer", EPC069-12 v3.0): the debtor
//! scans it with their banking app and finds the transfer filled in — beneficiary, IBAN, amount and
//! the reference that lets the payment be matched back to them.

use rust_decimal::Decimal;

/// What a transfer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// Beneficiary name (the creditor), at most 70 characters.
    pub beneficiary: &'a str,
    /// IBAN, spaces allowed (they are removed).
    pub iban: &'a str,
    /// BIC, optional within the EEA since version 002.
    pub bic: Option<&'a str>,
    /// Amount in euros, 0.01 to 999 999 999.99.
    pub amount: Decimal,
    /// Unstructured remittance information, at most 140 characters.
    pub reference: &'a str,
}

/// The QR payload (version 002, UTF-8), or why none can be made: a letter then prints the bank
/// details without a code rather than a code a bank would refuse.
pub fn payload(transfer: &Transfer) -> Result<String, &'static str> {
    let iban: String = transfer.iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if iban.len() < 15 || iban.len() > 34 {
        return Err("IBAN absent ou invalide");
    }
    let amount = transfer.amount.round_dp(2);
    if amount < Decimal::new(1, 2) || amount > Decimal::new(99_999_999_999, 2) {
        return Err("montant hors des limites d'un virement SEPA (0,01 € à 999 999 999,99 €)");
    }
    let bic = transfer.bic.map(|b| b.trim().to_uppercase()).unwrap_or_default();
    let lines = [
        "BCD".to_owned(),
        "002".to_owned(),
        "1".to_owned(),
        "SCT".to_owned(),
        bic,
        clip(transfer.beneficiary.trim(), 70),
        iban,
        format!("EUR{amount:.2}"),
        String::new(),
        String::new(),
        clip(transfer.reference.trim(), 140),
    ];
    // Trailing empty elements may be omitted; the payload must stay under 331 bytes.
    let text = lines.join("\n").trim_end().to_owned();
    if text.len() > 331 {
        return Err("données du virement trop longues pour un QR code EPC");
    }
    Ok(text)
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The QR code modules (true = dark), square, row by row, without the quiet zone. EPC requires error
/// correction level M.
pub fn modules(payload: &str) -> Result<(usize, Vec<bool>), String> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("QR code : {e}"))?;
    let width = code.width();
    let colors = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((width, colors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer(amount: &str) -> Transfer<'static> {
        Transfer {
            beneficiary: "Atelier Dupont SARL",
            iban: "FR76 3000 6000 0112 3456 7890 189",
            bic: Some("agrifrpp"),
            amount: amount.parse().unwrap(),
            reference: "R00012 F-2026-001",
        }
    }

    #[test]
    fn payload_follows_epc069_12() {
        assert_eq!(
            payload(&transfer("1234.5")).unwrap(),
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Dupont SARL\nFR7630006000011234567890189\nEUR1234.50\n\n\nR00012 F-2026-001"
        );
    }

    #[test]
    fn out_of_range_amounts_and_missing_iban_give_no_code() {
        assert!(payload(&transfer("0")).is_err());
        assert!(payload(&transfer("1000000000")).is_err());
        assert!(payload(&Transfer { iban: "", ..transfer("10") }).is_err());
    }

    #[test]
    fn long_fields_are_clipped_to_their_limits() {
        let name = "N".repeat(100);
        let reference = "R".repeat(200);
        let text = payload(&Transfer { beneficiary: &name, reference: &reference, ..transfer("10") }).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[5].len(), 70);
        assert_eq!(lines[10].len(), 140);
    }

    #[test]
    fn modules_make_a_square_code() {
        let (width, dark) = modules(&payload(&transfer("10")).unwrap()).unwrap();
        assert_eq!(dark.len(), width * width);
        assert!((21..=69).contains(&width), "version 1 to 13: {width}");
        assert!(dark[0], "finder pattern corner is dark");
    }
}
