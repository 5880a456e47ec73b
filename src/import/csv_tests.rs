use super::*;

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

const INVOICES: &str = "N° Facture;Client;SIREN;Date;Échéance;Montant HT;TVA;Montant TTC;Réglé\n\
    FA-1;Dupont SARL;732 829 320;24/11/2026;24/12/2026;1 000,00;200,00;1 200,00;\n\
    FA-2;Martin;;2026-11-24;;100;0;100;40,5\n";

#[test]
fn invoices_with_french_numbers_and_dates() {
    let (batch, layout) = read("f.csv", INVOICES.as_bytes(), None, None);
    assert!(batch.rejected.is_empty(), "{:?}", batch.rejected);
    let layout = layout.unwrap();
    assert_eq!((layout.encoding, layout.delimiter, layout.mapping.kind), ("UTF-8", ';', CsvKind::Invoices));
    let [a, b] = &batch.invoices[..] else { panic!("{:?}", batch.invoices) };
    assert_eq!((a.number.as_str(), a.debtor.siren.as_deref()), ("FA-1", Some("732829320")));
    assert_eq!((a.amount_excl_vat, a.vat, a.amount_incl_vat), (dec("1000"), dec("200"), dec("1200")));
    assert_eq!(a.due_date, NaiveDate::from_ymd_opt(2026, 12, 24));
    assert_eq!(a.origin, Origin::line("f.csv", 2));
    assert_eq!((b.due_date, b.paid, b.issue_date), (None, dec("40.5"), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()));
}

#[test]
fn every_refusal_names_line_field_and_value() {
    let text = "Numéro,Client,Date,TTC\n\
        A1,Dupont,31/02/2026,10\n\
        A2,Dupont,01/02/2026,\"12,34,5\"\n\
        A3,,01/02/2026,10\n\
        A4,Dupont,01/02/2026,-10\n\
        A5,Dupont\n\
        A6,Dupont,01/02/2026,10\n";
    let (batch, _) = read("x.csv", text.as_bytes(), None, None);
    let found: Vec<(u64, &str, &str)> =
        batch.rejected.iter().map(|r| (r.origin.line.unwrap(), r.field.as_str(), r.value.as_str())).collect();
    assert_eq!(
        found,
        vec![
            (2, "« Date » (date)", "31/02/2026"),
            (3, "« TTC » (ttc)", "12,34,5"),
            (4, "« Client » (client)", ""),
            (5, "« TTC » (ttc)", "-10"),
            (6, "ligne", ""),
        ]
    );
    assert_eq!(batch.rejected[0].raw.as_deref(), Some("A1,Dupont,31/02/2026,10"));
    assert!(batch.rejected[4].reason.contains("tronqué"), "{}", batch.rejected[4].reason);
    assert_eq!(batch.invoices.len(), 1);
}

#[test]
fn windows_1252_and_tabs() {
    let bytes = b"Num\xe9ro\tClient\tDate\tTTC\nF1\tSoci\xe9t\xe9 G\xe9n\xe9rale\t2026-01-05\t12.50\n";
    let (batch, layout) = read("w.txt", bytes, None, None);
    assert_eq!(layout.unwrap().encoding, "windows-1252");
    assert_eq!(batch.invoices[0].debtor.name, "Société Générale");
    assert_eq!(batch.invoices[0].amount_incl_vat, dec("12.5"));
}

#[test]
fn missing_column_and_not_text() {
    let (batch, _) = read("m.csv", b"Client;Date;TTC\nDupont;01/01/2026;10\n", None, Some(CsvKind::Invoices));
    let [refusal] = &batch.rejected[..] else { panic!("{:?}", batch.rejected) };
    assert!(refusal.reason.contains("numéro de facture (numero)"), "{}", refusal.reason);
    let (batch, _) = read("x.xlsx", b"PK\x03\x04\x00\x00\x00", None, None);
    assert!(batch.rejected[0].reason.contains("pas un fichier texte"));
}

#[test]
fn credit_notes_and_bank_lines() {
    let text = "Numéro;Client;Date;TTC;Facture origine\nAV-1;Dupont;02/01/2026;-120;FA-1\n";
    let (batch, _) = read("a.csv", text.as_bytes(), None, None);
    let note = &batch.credit_notes[0];
    assert_eq!((note.amount_incl_vat, note.invoice_number.as_deref()), (dec("120"), Some("FA-1")));

    let bank = "Date opération;Libellé;Débit;Crédit\n\
        03/01/2026;VIR SEPA DUPONT R00012 FA-1;;1 200,00\n\
        04/01/2026;PRLV URSSAF;350,00;\n\
        05/01/2026;REMISE CHQ 1234567;;80,00\n";
    let (batch, layout) = read("releve.csv", bank.as_bytes(), None, None);
    assert_eq!(layout.unwrap().mapping.kind, CsvKind::Payments);
    assert!(batch.rejected.is_empty(), "{:?}", batch.rejected);
    let amounts: Vec<(Decimal, PaymentMethod)> = batch.payments.iter().map(|p| (p.amount, p.method)).collect();
    assert_eq!(amounts, vec![(dec("1200"), PaymentMethod::Virement), (dec("80"), PaymentMethod::Cheque)]);
    assert_eq!(batch.notices.len(), 1);
}

#[test]
fn dates_as_exported() {
    for (text, ok) in [
        ("24/11/2026", true),
        ("2026-11-24", true),
        ("24.11.2026", true),
        ("2026-11-24 00:00:00", true),
        ("31/02/2026", false),
        ("11/24/26", false),
    ] {
        assert_eq!(read_date(text).is_ok(), ok, "{text}");
    }
}
