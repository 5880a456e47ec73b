//! OASIS UBL 2.1 `Invoice` and `CreditNote`, the other EN 16931 syntax (Peppol, XRechnung, Chorus Pro).
//!
//! Elements are matched by local name, as in CII; the paths keep the usual `cac` / `cbc` prefixes for
//! the refusals that name a missing element.

use super::{Buyer, Doc, Draft, Item, Seller};

const PARTY: &str = "cac:AccountingCustomerParty/cac:Party";
const SELLER: &str = "cac:AccountingSupplierParty/cac:Party";
const TOTALS: &str = "cac:LegalMonetaryTotal";

/// Collects the business terms of a UBL invoice or credit note.
pub(super) fn draft(doc: &Doc) -> Draft {
    let credit_root = doc.local(0) == "CreditNote";
    let currency = doc.item("cbc:DocumentCurrencyCode");
    // BT-110 is the TaxTotal in the document currency; another one may give it in the tax currency.
    let vat_path = "cac:TaxTotal/cbc:TaxAmount";
    let vat_candidates = doc.select(0, vat_path);
    let vat = vat_candidates
        .iter()
        .copied()
        .find(|&i| currency.text.is_some() && doc.attr(i, "currencyID") == currency.text.as_deref())
        .or_else(|| vat_candidates.iter().copied().find(|&i| doc.attr(i, "currencyID").is_none()));
    // UBL has no subject code element: EN 16931 puts it in front of the text, `#REG#…`.
    let notes = doc.texts("cbc:Note").into_iter().filter(|note| !has_subject(note)).collect();
    let line_path = if credit_root { "cac:CreditNoteLine" } else { "cac:InvoiceLine" };
    let lines = doc.select(0, line_path);
    let first_line =
        lines.first().and_then(|&line| doc.select(line, "cac:Item/cbc:Name").first().and_then(|&n| doc.text(n)));
    let type_code = if credit_root { "cbc:CreditNoteTypeCode" } else { "cbc:InvoiceTypeCode" };
    Draft {
        root: doc.path(0),
        credit_root,
        profile: doc.item("cbc:CustomizationID").text,
        type_code: doc.item(type_code),
        number: doc.item("cbc:ID"),
        issue_date: doc.item("cbc:IssueDate"),
        due_date: first_found([doc.item("cbc:DueDate"), doc.item("cac:PaymentMeans/cbc:PaymentDueDate")]),
        payment_terms: doc.item("cac:PaymentTerms/cbc:Note").text,
        currency,
        amount_excl_vat: doc.item(&format!("{TOTALS}/cbc:TaxExclusiveAmount")),
        vat: doc.at(vat, vat_path),
        amount_incl_vat: doc.item(&format!("{TOTALS}/cbc:TaxInclusiveAmount")),
        prepaid: doc.item(&format!("{TOTALS}/cbc:PrepaidAmount")),
        rounding: doc.item(&format!("{TOTALS}/cbc:PayableRoundingAmount")),
        due_payable: doc.item(&format!("{TOTALS}/cbc:PayableAmount")),
        invoice_reference: doc.item("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID").text,
        notes,
        first_line,
        line_count: lines.len(),
        buyer: buyer(doc),
        seller: seller(doc),
    }
}

fn seller(doc: &Doc) -> Seller {
    let name = first_found([
        doc.item(&format!("{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName")),
        doc.item(&format!("{SELLER}/cac:PartyName/cbc:Name")),
    ]);
    Seller {
        path: doc.select(0, SELLER).first().map(|&i| doc.path(i)).unwrap_or_default(),
        name: name.text,
        legal_id: doc.identifier(&format!("{SELLER}/cac:PartyLegalEntity/cbc:CompanyID")),
        tax_ids: doc.texts(&format!("{SELLER}/cac:PartyTaxScheme/cbc:CompanyID")),
    }
}

/// `#AAI#text`: a note whose subject is coded, regulatory or otherwise, rather than free text.
fn has_subject(note: &str) -> bool {
    note.strip_prefix('#')
        .and_then(|rest| rest.split_once('#'))
        .is_some_and(|(code, _)| (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The first item with text, else the first one, whose path says where it was expected.
fn first_found<const N: usize>(items: [Item; N]) -> Item {
    let fallback = items.first().cloned().unwrap_or_default();
    items.into_iter().find(|item| item.text.is_some()).unwrap_or(fallback)
}

fn buyer(doc: &Doc) -> Buyer {
    let address = |name: &str| doc.texts(&format!("{PARTY}/cac:PostalAddress/{name}"));
    let endpoint = doc
        .select(0, &format!("{PARTY}/cbc:EndpointID"))
        .into_iter()
        .filter(|&i| doc.attr(i, "schemeID").is_some_and(|scheme| scheme.eq_ignore_ascii_case("EM")))
        .filter_map(|i| doc.text(i));
    let contact = doc.texts(&format!("{PARTY}/cac:Contact/cbc:ElectronicMail"));
    // BT-44 is the registration name; the trading name (BT-45) stands in when it is missing.
    let name = first_found([
        doc.item(&format!("{PARTY}/cac:PartyLegalEntity/cbc:RegistrationName")),
        doc.item(&format!("{PARTY}/cac:PartyName/cbc:Name")),
    ]);
    let lines = ["cbc:StreetName", "cbc:AdditionalStreetName", "cac:AddressLine/cbc:Line"];
    Buyer {
        name,
        legal_id: doc.identifier(&format!("{PARTY}/cac:PartyLegalEntity/cbc:CompanyID")),
        tax_ids: doc.texts(&format!("{PARTY}/cac:PartyTaxScheme/cbc:CompanyID")),
        lines: lines.into_iter().flat_map(address).collect(),
        postcode: address("cbc:PostalZone").into_iter().next(),
        city: address("cbc:CityName").into_iter().next(),
        country: address("cac:Country/cbc:IdentificationCode").into_iter().next(),
        emails: endpoint.chain(contact).collect(),
        phone: doc.item(&format!("{PARTY}/cac:Contact/cbc:Telephone")).text,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::super::read;
    use super::super::tests::{fixture, rejected};
    use crate::import::{Batch, ImportedInvoice};

    fn cents(value: i64) -> Decimal {
        Decimal::new(value, 2)
    }

    /// The invoice with what tells the forms apart blanked: where it was read and the file kept.
    fn comparable(batch: &Batch) -> ImportedInvoice {
        assert!(batch.rejected.is_empty() && batch.credit_notes.is_empty(), "{batch:?}");
        let mut invoice = batch.invoices.first().cloned().expect("one invoice");
        assert!(invoice.attachment.take().is_some_and(|a| !a.bytes.is_empty()));
        invoice.origin = crate::import::Origin::file("");
        if let Some(issuer) = &mut invoice.issuer {
            issuer.origin = crate::import::Origin::file("");
        }
        invoice
    }

    #[test]
    fn the_three_forms_of_an_invoice_read_alike() {
        for name in ["EN16931_Einfach", "EN16931_Einfach_DueDate", "EN16931_Gutschrift"] {
            let ubl = read(&format!("{name}.ubl.xml"), &fixture(&format!("ubl/{name}.ubl.xml")));
            assert_eq!(ubl.invoices[0].origin.path.as_deref(), Some("/Invoice"));
            let cii = read(&format!("{name}.cii.xml"), &fixture(&format!("cii/{name}.cii.xml")));
            let pdf = read(&format!("{name}.pdf"), &fixture(&format!("factur-x/{name}.pdf")));
            let ubl = comparable(&ubl);
            assert_eq!(ubl, comparable(&cii), "{name}: UBL and CII");
            assert_eq!(ubl, comparable(&pdf), "{name}: UBL and Factur-X");
        }
        let invoice = comparable(&read("e.xml", &fixture("ubl/EN16931_Einfach.ubl.xml")));
        assert_eq!(invoice.number, "471102");
        assert_eq!(Some(invoice.issue_date), NaiveDate::from_ymd_opt(2018, 3, 5));
        assert_eq!(invoice.due_date, None);
        assert!(invoice.payment_terms.as_deref().is_some_and(|t| t.starts_with("Zahlbar innerhalb 30 Tagen")));
        assert_eq!(
            (invoice.amount_excl_vat, invoice.vat, invoice.amount_incl_vat),
            (cents(47300), cents(5687), cents(52987))
        );
        assert_eq!((invoice.paid, invoice.currency.as_str()), (cents(0), "EUR"));
        assert_eq!(invoice.debtor.name, "Kunden AG Mitte");
        assert_eq!(invoice.debtor.siren, None);
        let address = invoice.debtor.address.expect("address");
        assert_eq!(
            (address.lines, address.postcode, address.city, address.country),
            (vec!["Kundenstraße 15".to_owned()], "69876".to_owned(), "Frankfurt".to_owned(), "DE".to_owned())
        );
        assert_eq!(invoice.description, "Trennblätter A4 et 1 autre ligne");
        let due = comparable(&read("d.xml", &fixture("ubl/EN16931_Einfach_DueDate.ubl.xml")));
        assert_eq!(due.due_date, NaiveDate::from_ymd_opt(2019, 3, 5));
    }

    /// A small UBL document of the given root, with each pair of `replace` swapped in.
    fn tiny(root: &str, replace: &[(&str, &str)]) -> Batch {
        let line = if root == "CreditNote" { "CreditNoteLine" } else { "InvoiceLine" };
        let mut xml = format!(
            r#"<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>A-7</cbc:ID>
  <cbc:IssueDate>2026-03-02</cbc:IssueDate>
  <cbc:Note>#AAI#Geste commercial</cbc:Note>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F-1</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="EM">compta@client.fr</cbc:EndpointID>
    <cac:PartyName><cbc:Name>Client SARL</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID>FR19787878784</cbc:CompanyID></cac:PartyTaxScheme>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentDueDate>2026-04-01</cbc:PaymentDueDate></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">10.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:TaxExclusiveAmount currencyID="EUR">50.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">60.00</cbc:TaxInclusiveAmount>
  </cac:LegalMonetaryTotal>
  <cac:{line}><cbc:ID>1</cbc:ID><cac:Item><cbc:Name>Reprise</cbc:Name></cac:Item></cac:{line}>
</{root}>"#
        );
        for (from, to) in replace {
            assert!(xml.contains(from), "{from}");
            xml = xml.replacen(from, to, 1);
        }
        read("tiny.ubl.xml", xml.as_bytes())
    }

    #[test]
    fn handcrafted_cases() {
        let batch = tiny("CreditNote", &[]);
        let [credit] = batch.credit_notes.as_slice() else { panic!("{batch:?}") };
        assert_eq!((credit.number.as_str(), credit.invoice_number.as_deref()), ("A-7", Some("F-1")));
        assert_eq!((credit.amount_incl_vat, credit.vat), (cents(6000), cents(1000)));
        assert_eq!(credit.debtor.siren.as_deref(), Some("787878784"));
        assert_eq!(credit.debtor.email.as_deref(), Some("compta@client.fr"));
        assert_eq!(credit.reason, "Avoir électronique", "a coded note is not the reason");
        assert_eq!(credit.origin.path.as_deref(), Some("/CreditNote"));

        let batch = tiny("Invoice", &[]);
        let invoice = &batch.invoices[0];
        assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2026, 4, 1));
        assert_eq!((invoice.description.as_str(), invoice.debtor.name.as_str()), ("Reprise", "Client SARL"));
        assert_eq!(invoice.attachment.as_ref().map(|a| a.file_name.as_str()), Some("tiny.ubl.xml"));

        let xyz = tiny("Invoice", &[(">EUR<", ">XYZ<")]);
        assert_eq!(xyz.invoices[0].currency, "XYZ");
        assert_eq!(tiny("Invoice", &[("#AAI#Geste", "Geste")]).invoices[0].description, "Reprise");

        let cases = [
            (("<cbc:ID>A-7</cbc:ID>", ""), "numéro de facture (BT-1)", "", "/Invoice/cbc:ID"),
            (("2026-03-02", "2026-02-31"), "date d'émission (BT-2)", "2026-02-31", "/Invoice/cbc:IssueDate"),
            (("2026-03-02", "02/03/2026"), "date d'émission (BT-2)", "02/03/2026", "/Invoice/cbc:IssueDate"),
            (
                (">60.00<", ">12,34,5<"),
                "montant TTC (BT-112)",
                "12,34,5",
                "/Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
            ),
            ((">10.00<", ">dix<"), "total de TVA (BT-110)", "dix", "/Invoice/cac:TaxTotal/cbc:TaxAmount"),
            ((">EUR<", ">€<"), "devise (BT-5)", "€", "/Invoice/cbc:DocumentCurrencyCode"),
            (
                ("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", ""),
                "devise (BT-5)",
                "",
                "/Invoice/cbc:DocumentCurrencyCode",
            ),
            (
                ("<cac:PartyName><cbc:Name>Client SARL</cbc:Name></cac:PartyName>", ""),
                "nom du client (BT-44)",
                "",
                "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
            ),
            (
                ("2026-04-01", "2026-04-31"),
                "échéance (BT-9)",
                "2026-04-31",
                "/Invoice/cac:PaymentMeans/cbc:PaymentDueDate",
            ),
        ];
        for ((from, to), field, value, path) in cases {
            let batch = tiny("Invoice", &[(from, to)]);
            let rejection = rejected(&batch);
            assert_eq!(
                (rejection.field.as_str(), rejection.value.as_str()),
                (field, value),
                "{from} → {to}: {rejection}"
            );
            assert_eq!(rejection.origin.path.as_deref(), Some(path), "{from} → {to}");
        }
    }

    #[test]
    fn prefixed_roots_and_broken_files() {
        let prefixed = fixture("ubl/EN16931_Einfach.ubl.xml");
        let text = String::from_utf8_lossy(&prefixed)
            .replacen("<Invoice xmlns=", "<ubl:Invoice xmlns:ubl=", 1)
            .replacen("</Invoice>", "</ubl:Invoice>", 1);
        assert_eq!(read("p.xml", text.as_bytes()).invoices[0].origin.path.as_deref(), Some("/ubl:Invoice"));
        let batch = read("unknown-currency.ubl.xml", &fixture("broken/unknown-currency.ubl.xml"));
        assert_eq!(batch.invoices[0].currency, "XYZ");
        let batch = read("bad-currency.ubl.xml", &fixture("broken/bad-currency.ubl.xml"));
        let rejection = rejected(&batch);
        assert_eq!((rejection.field.as_str(), rejection.value.as_str()), ("devise (BT-5)", "eur"));
    }
}
