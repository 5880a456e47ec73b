use super::*;

const HEADER: &str = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|\
PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise";

fn fec(lines: &[&str]) -> String {
    let mut text = HEADER.to_owned();
    for line in lines {
        text.push('\n');
        text.push_str(line);
    }
    text.push('\n');
    text
}

fn cents(c: i64) -> Decimal {
    from_cents(c)
}

/// A small year: an opening balance, a settled lettered invoice, an invoice partly paid (matched by
/// piece), one partly credited (lettered, partial), and a payment matched to nothing.
fn sample() -> String {
    fec(&[
        "AN|A nouveaux|1|20260101|411000|Clients|411DUP|Dupont SARL||20260101|Solde|500,00|0,00||||||",
        "VT|Ventes|2|20260105|411000|Clients|411DUP|Dupont SARL|FA-1|20260105|Facture FA-1|1200,00|0,00|AA|20260210|||",
        "VT|Ventes|2|20260105|706000|Prestations|||FA-1|20260105|Facture FA-1|0,00|1000,00|||||",
        "VT|Ventes|2|20260105|445710|TVA collectée|||FA-1|20260105|Facture FA-1|0,00|200,00|||||",
        "BQ|Banque|3|20260210|411000|Clients|411DUP|Dupont SARL|FA-1|20260210|Règlement FA-1|0,00|1200,00|AA|20260210|||",
        "BQ|Banque|3|20260210|512000|Banque|||FA-1|20260210|Règlement|1200,00|0,00|||||",
        "VT|Ventes|4|20260301|411000|Clients|411MAR|Martin|FA-2|20260301|Facture FA-2|600,00|0,00|||||",
        "VT|Ventes|4|20260301|706000|Prestations|||FA-2|20260301|Facture FA-2|0,00|500,00|||||",
        "VT|Ventes|4|20260301|445710|TVA collectée|||FA-2|20260301|Facture FA-2|0,00|100,00|||||",
        "BQ|Banque|5|20260320|411000|Clients|411MAR|Martin|FA-2|20260320|Acompte FA-2|0,00|200,00|||||",
        "VT|Ventes|6|20260401|411000|Clients|411MAR|Martin|FA-3|20260401|Facture FA-3|360,00|0,00|b||||",
        "VT|Ventes|6|20260401|706000|Prestations|||FA-3|20260401|Facture FA-3|0,00|300,00|||||",
        "VT|Ventes|6|20260401|445710|TVA collectée|||FA-3|20260401|Facture FA-3|0,00|60,00|||||",
        "VT|Ventes|7|20260410|411000|Clients|411MAR|Martin|AV-1|20260410|Avoir sur FA-3|0,00|120,00|b||||",
        "VT|Ventes|7|20260410|706000|Prestations|||AV-1|20260410|Avoir sur FA-3|100,00|0,00|||||",
        "VT|Ventes|7|20260410|445710|TVA collectée|||AV-1|20260410|Avoir sur FA-3|20,00|0,00|||||",
        "BQ|Banque|8|20260415|411000|Clients|411DUR|Durand||20260415|VIR DURAND|0,00|50,00|||||",
    ])
}

#[test]
fn rebuilds_the_open_items() {
    let batch = read("123456789FEC20261231.txt", sample().as_bytes());
    assert!(batch.rejected.is_empty(), "{:?}", batch.rejected);
    let invoices: Vec<(&str, &str, Decimal, Decimal)> =
        batch.invoices.iter().map(|i| (i.number.as_str(), i.debtor.name.as_str(), i.amount_incl_vat, i.vat)).collect();
    assert_eq!(
        invoices,
        vec![("FA-2", "Martin", cents(60000), cents(10000)), ("FA-3", "Martin", cents(36000), cents(6000))]
    );
    assert_eq!(batch.invoices[0].issue_date, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    assert_eq!(batch.invoices[0].debtor.account.as_deref(), Some("411MAR"));

    type Parts<'a> = &'a [(String, Option<Decimal>)];
    let payments: Vec<(Decimal, Parts)> = batch.payments.iter().map(|p| (p.amount, p.invoices.as_slice())).collect();
    assert_eq!(payments, vec![(cents(20000), &[("FA-2".to_owned(), Some(cents(20000)))][..]), (cents(5000), &[][..])]);

    let [note] = &batch.credit_notes[..] else { panic!("{:?}", batch.credit_notes) };
    assert_eq!(
        (note.number.as_str(), note.invoice_number.as_deref(), note.amount_incl_vat, note.vat),
        ("AV-1", Some("FA-3"), cents(12000), cents(2000))
    );

    let messages: Vec<(u64, &str)> =
        batch.notices.iter().map(|n| (n.origin.line.unwrap(), n.message.as_str())).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].0 == 2 && messages[0].1.contains("solde d'ouverture de 500.00 €"), "{messages:?}");
    assert!(messages[1].0 == 18 && messages[1].1.contains("Durand"), "{messages:?}");
}

#[test]
fn tabs_and_amount_with_sense() {
    let text = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t\
        PieceRef\tPieceDate\tEcritureLib\tMontant\tSens\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n\
        VE\tVentes\t1\t20260105\t41100000\tClients divers\t\t\tF9\t20260105\tFacture F9\t99,9\tD\t\t\t\t\t\n";
    let batch = read("fec.txt", text.as_bytes());
    assert!(batch.rejected.is_empty(), "{:?}", batch.rejected);
    assert_eq!(
        (batch.invoices[0].debtor.name.as_str(), batch.invoices[0].amount_incl_vat),
        ("Clients divers", cents(9990))
    );
}

#[test]
fn refusals_name_line_column_and_value() {
    let text = fec(&[
        "VT|Ventes|2|20260231|411000|Clients|411DUP|Dupont SARL|FA-1|20260105|Facture|1200,00|0,00|||||",
        "VT|Ventes|2|20260105|411000|Clients|411DUP|Dupont SARL|FA-1|20260105|Facture|12,34,5|0,00|||||",
        "VT|Ventes|2|20260105",
    ]);
    let batch = read("f.txt", text.as_bytes());
    let found: Vec<(u64, &str, &str)> =
        batch.rejected.iter().map(|r| (r.origin.line.unwrap(), r.field.as_str(), r.value.as_str())).collect();
    assert_eq!(found, vec![(2, "EcritureDate", "20260231"), (3, "Debit", "12,34,5"), (4, "CompteNum", "")]);

    let batch = read("f.txt", b"JournalCode;Debit\nVT;1\n");
    assert!(batch.rejected[0].reason.contains("EcritureDate"), "{}", batch.rejected[0].reason);
}

#[test]
fn amounts_and_dates() {
    for (text, expected) in [
        ("1234,56", Some(123456)),
        ("-0,5", Some(-50)),
        ("", Some(0)),
        ("0", Some(0)),
        ("1.5", Some(150)),
        ("12,345", None),
        ("1 234", None),
        ("-", None),
        ("+", None),
        ("12,34,5", None),
        ("1234,5000", Some(123450)),
    ] {
        assert_eq!(fec_cents(text), expected, "{text}");
    }
    assert_eq!(fec_date("20261124"), NaiveDate::from_ymd_opt(2026, 11, 24));
    assert_eq!(fec_date("20260231"), None);
    assert_eq!(fec_date("2026112"), None);
}
