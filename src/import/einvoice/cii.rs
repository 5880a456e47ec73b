//! UN/CEFACT Cross Industry Invoice (D16B), the syntax of Factur-X / ZUGFeRD 2 and of bare CII files.
//!
//! Elements are matched by local name: the prefixes (`rsm`, `ram`, `udt`) are conventions, and some
//! generators choose others. The paths written here keep the usual prefixes because they are also
//! what a refusal shows when an element is missing.

use super::{Buyer, Doc, Draft, Seller};

const DOCUMENT: &str = "rsm:ExchangedDocument";
const SETTLEMENT: &str = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement";
const SELLER: &str = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty";
const BUYER: &str = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty";
const TOTALS: &str = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation";

/// Collects the business terms of a CII invoice.
pub(super) fn draft(doc: &Doc) -> Draft {
    let currency = doc.item(&format!("{SETTLEMENT}/ram:InvoiceCurrencyCode"));
    // BT-110 is the TaxTotalAmount in the invoice currency; a second one, in the VAT accounting
    // currency (BT-111), may sit next to it.
    let vat_path = format!("{TOTALS}/ram:TaxTotalAmount");
    let vat_candidates = doc.select(0, &vat_path);
    let vat = vat_candidates
        .iter()
        .copied()
        .find(|&i| currency.text.is_some() && doc.attr(i, "currencyID") == currency.text.as_deref())
        .or_else(|| vat_candidates.iter().copied().find(|&i| doc.attr(i, "currencyID").is_none()));
    let notes = doc
        .select(0, &format!("{DOCUMENT}/ram:IncludedNote"))
        .into_iter()
        .filter(|&note| doc.select(note, "ram:SubjectCode").into_iter().all(|s| doc.text(s).is_none()))
        .flat_map(|note| doc.select(note, "ram:Content"))
        .filter_map(|content| doc.text(content))
        .collect();
    let lines = doc.select(0, "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem");
    let first_line = lines
        .first()
        .and_then(|&line| doc.select(line, "ram:SpecifiedTradeProduct/ram:Name").first().and_then(|&n| doc.text(n)));
    Draft {
        root: doc.path(0),
        credit_root: false,
        profile: doc.item("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID").text,
        type_code: doc.item(&format!("{DOCUMENT}/ram:TypeCode")),
        number: doc.item(&format!("{DOCUMENT}/ram:ID")),
        issue_date: doc.item(&format!("{DOCUMENT}/ram:IssueDateTime/udt:DateTimeString")),
        due_date: doc
            .item(&format!("{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString")),
        payment_terms: doc.item(&format!("{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:Description")).text,
        currency,
        amount_excl_vat: doc.item(&format!("{TOTALS}/ram:TaxBasisTotalAmount")),
        vat: doc.at(vat, &vat_path),
        amount_incl_vat: doc.item(&format!("{TOTALS}/ram:GrandTotalAmount")),
        prepaid: doc.item(&format!("{TOTALS}/ram:TotalPrepaidAmount")),
        rounding: doc.item(&format!("{TOTALS}/ram:RoundingAmount")),
        due_payable: doc.item(&format!("{TOTALS}/ram:DuePayableAmount")),
        invoice_reference: doc.item(&format!("{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID")).text,
        notes,
        first_line,
        line_count: lines.len(),
        buyer: buyer(doc),
        seller: seller(doc),
    }
}

fn seller(doc: &Doc) -> Seller {
    Seller {
        path: doc.select(0, SELLER).first().map(|&i| doc.path(i)).unwrap_or_default(),
        name: doc.item(&format!("{SELLER}/ram:Name")).text,
        legal_id: doc.identifier(&format!("{SELLER}/ram:SpecifiedLegalOrganization/ram:ID")),
        tax_ids: doc.texts(&format!("{SELLER}/ram:SpecifiedTaxRegistration/ram:ID")),
    }
}

fn buyer(doc: &Doc) -> Buyer {
    let address = |name: &str| doc.item(&format!("{BUYER}/ram:PostalTradeAddress/ram:{name}")).text;
    // The electronic address (BT-49) is an e-mail only under scheme EM; the contact's e-mail is one.
    let endpoint = doc
        .select(0, &format!("{BUYER}/ram:URIUniversalCommunication/ram:URIID"))
        .into_iter()
        .filter(|&i| doc.attr(i, "schemeID").is_none_or(|scheme| scheme.eq_ignore_ascii_case("EM")))
        .filter_map(|i| doc.text(i));
    let contact = doc.texts(&format!("{BUYER}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID"));
    Buyer {
        name: doc.item(&format!("{BUYER}/ram:Name")),
        legal_id: doc.identifier(&format!("{BUYER}/ram:SpecifiedLegalOrganization/ram:ID")),
        tax_ids: doc.texts(&format!("{BUYER}/ram:SpecifiedTaxRegistration/ram:ID")),
        lines: ["LineOne", "LineTwo", "LineThree"].into_iter().filter_map(address).collect(),
        postcode: address("PostcodeCode"),
        city: address("CityName"),
        country: address("CountryID"),
        emails: endpoint.chain(contact).collect(),
        phone: doc
            .item(&format!("{BUYER}/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:CompleteNumber"))
            .text,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::super::read;
    use super::super::tests::{fixture, rejected};
    use crate::import::Batch;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn cents(value: i64) -> Decimal {
        Decimal::new(value, 2)
    }

    /// A small CII invoice in which each pair of `replace` swaps one piece of text for another.
    fn tiny(replace: &[(&str, &str)]) -> Batch {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument>
    <ram:ID>F-2026-001</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20260115</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerTradeParty>
        <ram:Name>Client &amp; Fils</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">732829320</ram:ID></ram:SpecifiedLegalOrganization>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>
        <ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"#;
        let mut xml = xml.to_owned();
        for (from, to) in replace {
            assert!(xml.contains(from), "{from}");
            xml = xml.replacen(from, to, 1);
        }
        read("tiny.xml", xml.as_bytes())
    }

    #[test]
    fn french_samples_in_every_profile() {
        for (file, due, address) in [
            ("factur-x/Facture_FR_MINIMUM.pdf", None, false),
            ("factur-x/Facture_FR_BASICWL.pdf", day(2017, 12, 13), true),
            ("factur-x/Facture_FR_EN16931.pdf", day(2017, 12, 13), true),
        ] {
            let bytes = fixture(file);
            let batch = read(file, &bytes);
            assert!(batch.rejected.is_empty(), "{file}: {:?}", batch.rejected);
            let [invoice] = batch.invoices.as_slice() else { panic!("{file}: {batch:?}") };
            assert_eq!(invoice.number, "FA-2017-0010");
            assert_eq!(Some(invoice.issue_date), day(2017, 11, 13));
            assert_eq!(invoice.due_date, due, "{file}");
            assert_eq!(invoice.amount_incl_vat, cents(67115));
            assert_eq!(invoice.vat, cents(4625));
            assert_eq!(invoice.amount_excl_vat, cents(62490));
            assert_eq!(invoice.paid, cents(20100), "{file}");
            assert_eq!(invoice.currency, "EUR");
            assert_eq!(invoice.debtor.name, "Ma jolie boutique");
            assert_eq!(invoice.debtor.siren.as_deref(), Some("787878784"));
            assert_eq!(invoice.origin.path.as_deref(), Some("factur-x.xml:/rsm:CrossIndustryInvoice"));
            let attachment = invoice.attachment.as_ref().expect("the PDF is kept");
            assert_eq!(attachment.file_name, file.rsplit('/').next().unwrap_or(file));
            assert_eq!(attachment.bytes, bytes);
            let postal = invoice.debtor.address.as_ref();
            assert_eq!(postal.map(|a| a.city.as_str()), address.then_some("Lyon"), "{file}");
            if address {
                assert_eq!(postal.map(|a| a.lines.clone()), Some(vec!["35 rue de la République".to_owned()]));
                assert_eq!(postal.map(|a| a.country.as_str()), Some("FR"));
            }
        }
        let bytes = fixture("factur-x/Facture_FR_MINIMUM.pdf");
        let minimum = &read("Facture_FR_MINIMUM.pdf", &bytes).invoices[0];
        assert_eq!(minimum.description, "Facture électronique (Factur-X MINIMUM)");
        let bytes = fixture("factur-x/Facture_FR_EN16931.pdf");
        let full = &read("Facture_FR_EN16931.pdf", &bytes).invoices[0];
        assert_eq!(full.description, "Nougat de l'Abbaye 250g et 2 autres lignes");
        assert_eq!(full.payment_terms.as_deref(), Some("30% d'acompte, solde à 30 j"));
        assert_eq!(full.debtor.email.as_deref(), Some("alexandre.payet@majolieboutique.net"));
        assert_eq!(full.debtor.phone.as_deref(), Some("+33 4 72 07 08 67"));
        // The seller's SIRET (BT-30, scheme 0002) gives the SIREN an import compares with the profile's.
        let seller = full.issuer.as_ref().map(|s| (s.name.as_deref(), s.siren.as_deref()));
        assert_eq!(seller, Some((Some("Au bon moulin"), Some("999999998"))));
        // MINIMUM names the seller by its VAT number too (BT-31).
        assert_eq!(minimum.issuer.as_ref().and_then(|s| s.siren.as_deref()), Some("999999998"));
    }

    #[test]
    fn a_foreign_buyer_has_no_siren() {
        let bytes = fixture("factur-x/Facture_UE_BASICWL.pdf");
        let batch = read("Facture_UE_BASICWL.pdf", &bytes);
        let invoice = &batch.invoices[0];
        assert_eq!((invoice.number.as_str(), invoice.debtor.name.as_str()), ("FA-2017-0008", "Me gusta olive"));
        assert_eq!(invoice.debtor.siren, None);
        assert_eq!((invoice.vat, invoice.paid), (cents(0), cents(62300)));
        assert_eq!(invoice.debtor.address.as_ref().map(|a| a.country.as_str()), Some("ES"));
    }

    #[test]
    fn french_credit_notes_are_positive() {
        for file in ["factur-x/Avoir_FR_type380_EN16931.pdf", "factur-x/Avoir_FR_type381_BASIC.pdf"] {
            let batch = read(file, &fixture(file));
            assert!(batch.invoices.is_empty() && batch.rejected.is_empty(), "{file}: {batch:?}");
            let [credit] = batch.credit_notes.as_slice() else { panic!("{file}: {batch:?}") };
            assert_eq!(credit.number, "AV-2017-0005");
            assert_eq!(credit.invoice_number.as_deref(), Some("FA-2017-0010"));
            assert_eq!(Some(credit.issue_date), day(2017, 11, 16));
            assert_eq!((credit.amount_incl_vat, credit.vat), (cents(23347), cents(1499)), "{file}");
            assert_eq!(credit.currency, "EUR");
            assert_eq!(credit.debtor.siren.as_deref(), Some("787878784"));
            assert!(credit.reason.starts_with("Avoir suite à bidon 10L"), "{}", credit.reason);
        }
    }

    #[test]
    fn the_bare_cii_reads_like_the_embedded_one() {
        for name in ["EN16931_Einfach", "EN16931_Einfach_DueDate", "EN16931_Gutschrift"] {
            let cii = read("x.xml", &fixture(&format!("cii/{name}.cii.xml")));
            let pdf = read("x.pdf", &fixture(&format!("factur-x/{name}.pdf")));
            let (mut cii, mut pdf) = (cii.invoices[0].clone(), pdf.invoices[0].clone());
            assert_eq!(cii.origin.path.as_deref(), Some("/rsm:CrossIndustryInvoice"));
            assert_eq!(cii.attachment.as_ref().map(|a| a.file_name.as_str()), Some("x.xml"));
            // A German seller: named, with a VAT number but no SIREN to compare with the profile's.
            let seller = cii.issuer.as_mut().expect("the seller (BG-4)");
            assert_eq!((seller.name.as_deref(), seller.siren.as_deref()), (Some("Lieferant GmbH"), None));
            assert!(seller.origin.path.as_deref().is_some_and(|p| p.ends_with("/ram:SellerTradeParty")), "{seller:?}");
            seller.origin = pdf.issuer.as_ref().expect("the seller (BG-4)").origin.clone();
            (cii.origin, cii.attachment) = (pdf.origin.clone(), None);
            pdf.attachment = None;
            assert_eq!(cii, pdf, "{name}");
        }
    }

    #[test]
    fn handcrafted_cases() {
        let ok = tiny(&[]);
        let invoice = &ok.invoices[0];
        assert_eq!((invoice.vat, invoice.paid, invoice.due_date), (cents(2000), cents(0), None));
        assert_eq!(invoice.debtor.name, "Client & Fils");
        assert_eq!(invoice.debtor.siren.as_deref(), Some("732829320"));
        assert_eq!(invoice.description, "Facture électronique");

        let cases = [
            (
                ("<ram:ID>F-2026-001</ram:ID>", ""),
                "numéro de facture (BT-1)",
                "",
                "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
            ),
            (
                ("<ram:ID>F-2026-001</ram:ID>", "<ram:ID> </ram:ID>"),
                "numéro de facture (BT-1)",
                "",
                "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
            ),
            (
                ("20260115", "20260231"),
                "date d'émission (BT-2)",
                "20260231",
                "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
            ),
            (
                ("120.00", "12,34,5"),
                "montant TTC (BT-112)",
                "12,34,5",
                "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount",
            ),
            (
                ("<ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>", ""),
                "montant TTC (BT-112)",
                "",
                "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount",
            ),
            (
                ("<ram:Name>Client &amp; Fils</ram:Name>", ""),
                "nom du client (BT-44)",
                "",
                "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name",
            ),
            (
                (">EUR<", ">euro<"),
                "devise (BT-5)",
                "euro",
                "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode",
            ),
            (
                (">380<", ">facture<"),
                "type de document (BT-3)",
                "facture",
                "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode",
            ),
            (
                ("<ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>", ""),
                "montant HT (BT-109)",
                "",
                "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxBasisTotalAmount",
            ),
        ];
        for ((from, to), field, value, path) in cases {
            let batch = tiny(&[(from, to)]);
            let rejection = rejected(&batch);
            assert_eq!(
                (rejection.field.as_str(), rejection.value.as_str()),
                (field, value),
                "{from} → {to}: {rejection}"
            );
            assert_eq!(rejection.origin.path.as_deref(), Some(path), "{from} → {to}");
            assert_eq!(rejection.origin.file, "tiny.xml");
            assert!(!rejection.reason.is_empty());
        }

        let xyz = tiny(&[(">EUR<", ">XYZ<")]);
        assert_eq!(xyz.invoices[0].currency, "XYZ", "the ledger, not the reader, refuses other currencies");
        let credit = tiny(&[(">380<", ">381<")]);
        assert_eq!((credit.credit_notes[0].amount_incl_vat, credit.credit_notes[0].vat), (cents(12000), cents(2000)));
        assert_eq!(credit.credit_notes[0].reason, "Avoir électronique");
        let negative = tiny(&[(">120.00<", ">-120.00<"), (">100.00<", ">-100.00<")]);
        assert_eq!(negative.credit_notes[0].amount_incl_vat, cents(12000));
        let due = tiny(&[(
            "</ram:InvoiceCurrencyCode>",
            "</ram:InvoiceCurrencyCode><ram:SpecifiedTradePaymentTerms><ram:Description>à 45 jours</ram:Description></ram:SpecifiedTradePaymentTerms>",
        )]);
        assert_eq!((due.invoices[0].due_date, due.invoices[0].payment_terms.as_deref()), (None, Some("à 45 jours")));
        let vat_only = tiny(&[(
            "<ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>",
            "<ram:TaxTotalAmount currencyID=\"USD\">1.00</ram:TaxTotalAmount><ram:TaxTotalAmount currencyID=\"EUR\">20.00</ram:TaxTotalAmount>",
        )]);
        assert_eq!((vat_only.invoices[0].amount_excl_vat, vat_only.invoices[0].vat), (cents(10000), cents(2000)));
        let rounding = tiny(&[(
            "<ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>",
            "<ram:TaxTotalAmount currencyID=\"EUR\">20.01</ram:TaxTotalAmount><ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>",
        )]);
        assert_eq!((rounding.invoices[0].amount_excl_vat, rounding.invoices[0].vat), (cents(9999), cents(2001)));
    }
}
