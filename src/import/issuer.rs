//! Whose invoices these are. Since e-invoicing reception became mandatory (September 2026), users'
//! folders fill with Factur-X files from their *suppliers*: imported as they are, a supplier's invoice
//! would become a receivable on the user's own books, chased by reminders it has no right to send.
//! An import therefore takes only documents the creditor issued, and never makes the creditor its own
//! debtor.
//!
//! Only identities that can be compared without guessing count: SIRENs. A document whose seller has
//! no French identifier (a German supplier, a MINIMUM profile that leaves it out), or a ledger whose
//! profile has no SIREN yet, is taken as the user's own, as CSV and FEC lines always are.

use super::{Batch, ImportedDebtor, ImportedIssuer, Origin, Rejection};

/// Moves out of the batch, into its refusals, every invoice or credit note that the creditor (SIREN
/// `creditor`, `None` when the profile does not say) did not issue, or that makes the creditor
/// its own debtor.
pub fn refuse_foreign(batch: &mut Batch, creditor: Option<&str>) {
    let Some(creditor) = creditor else { return };
    let mut refused = Vec::new();
    batch.invoices.retain(|invoice| {
        let refusal = foreign(invoice.issuer.as_ref(), &invoice.debtor, &invoice.origin, creditor);
        let keep = refusal.is_none();
        refused.extend(refusal);
        keep
    });
    batch.credit_notes.retain(|note| {
        let refusal = foreign(note.issuer.as_ref(), &note.debtor, &note.origin, creditor);
        let keep = refusal.is_none();
        refused.extend(refusal);
        keep
    });
    batch.rejected.extend(refused);
}

/// Why a document is not the creditor's to collect, if it is not.
fn foreign(
    issuer: Option<&ImportedIssuer>,
    debtor: &ImportedDebtor,
    origin: &Origin,
    creditor: &str,
) -> Option<Rejection> {
    if let Some(issuer) = issuer
        && let Some(siren) = issuer.siren.as_deref()
        && siren != creditor
    {
        let who = issuer.name.as_deref().map_or_else(String::new, |name| format!("« {name} », "));
        return Some(Rejection {
            origin: issuer.origin.clone(),
            field: "SIREN du vendeur (BT-30 / BT-31)".into(),
            value: siren.to_owned(),
            reason: format!(
                "document émis par {who}SIREN {siren}, et non par vous (SIREN {creditor} dans votre profil) : une \
                 facture reçue d'un fournisseur n'est pas une créance à recouvrer"
            ),
            raw: origin.raw.clone(),
        });
    }
    if debtor.siren.as_deref() == Some(creditor) {
        return Some(Rejection {
            origin: origin.clone(),
            field: "SIREN du client".into(),
            value: creditor.to_owned(),
            reason: "ce client porte votre propre SIREN : vous ne pouvez pas être votre propre débiteur (facture \
                     reçue, ou client mal identifié dans le fichier)"
                .into(),
            raw: origin.raw.clone(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::*;
    use crate::import::{ImportedCreditNote, ImportedInvoice};

    const OURS: &str = "732829320";
    const SUPPLIER: &str = "999999998";

    fn invoice(number: &str, issuer: Option<&str>, debtor: Option<&str>) -> ImportedInvoice {
        ImportedInvoice {
            origin: Origin::xml("f.pdf", "/rsm:CrossIndustryInvoice"),
            debtor: ImportedDebtor { name: "Client".into(), siren: debtor.map(str::to_owned), ..Default::default() },
            issuer: issuer.map(|siren| ImportedIssuer {
                name: Some("Au bon moulin".into()),
                siren: (!siren.is_empty()).then(|| siren.to_owned()),
                origin: Origin::xml("f.pdf", "/rsm:CrossIndustryInvoice/…/ram:SellerTradeParty"),
            }),
            number: number.into(),
            issue_date: NaiveDate::MIN,
            due_date: None,
            payment_terms: None,
            amount_excl_vat: Decimal::ONE,
            vat: Decimal::ZERO,
            amount_incl_vat: Decimal::ONE,
            paid: Decimal::ZERO,
            paid_on: None,
            currency: "EUR".into(),
            description: String::new(),
            attachment: None,
        }
    }

    #[test]
    fn only_the_creditors_own_documents_are_kept() {
        // (issuer SIREN: None = no seller at all, "" = a seller without SIREN; debtor SIREN; kept?)
        let cases = [
            (None, None, true),
            (Some(""), None, true),
            (Some(OURS), None, true),
            (Some(OURS), Some(SUPPLIER), true),
            (Some(SUPPLIER), None, false),
            (Some(SUPPLIER), Some(OURS), false),
            (None, Some(OURS), false),
            (Some(""), Some(OURS), false),
        ];
        for (i, &(issuer, debtor, kept)) in cases.iter().enumerate() {
            let mut batch = Batch { invoices: vec![invoice(&format!("F{i}"), issuer, debtor)], ..Batch::default() };
            refuse_foreign(&mut batch, Some(OURS));
            assert_eq!((batch.invoices.len(), batch.rejected.len()), if kept { (1, 0) } else { (0, 1) }, "{i}");
            // Without a SIREN in the profile there is nothing to compare with.
            let mut batch = Batch { invoices: vec![invoice("F", issuer, debtor)], ..Batch::default() };
            refuse_foreign(&mut batch, None);
            assert_eq!((batch.invoices.len(), batch.rejected.len()), (1, 0), "{i} without a profile SIREN");
        }
    }

    #[test]
    fn a_suppliers_credit_note_is_refused_naming_the_seller() {
        let supplier = invoice("A1", Some(SUPPLIER), None);
        let note = ImportedCreditNote {
            origin: supplier.origin.clone(),
            debtor: supplier.debtor.clone(),
            issuer: supplier.issuer.clone(),
            number: "A1".into(),
            invoice_number: None,
            issue_date: NaiveDate::MIN,
            amount_incl_vat: Decimal::ONE,
            vat: Decimal::ZERO,
            currency: "EUR".into(),
            reason: String::new(),
        };
        let mut batch = Batch { credit_notes: vec![note], ..Batch::default() };
        refuse_foreign(&mut batch, Some(OURS));
        assert!(batch.credit_notes.is_empty());
        let refusal = &batch.rejected[0];
        assert_eq!(refusal.origin.path.as_deref(), Some("/rsm:CrossIndustryInvoice/…/ram:SellerTradeParty"));
        assert_eq!(refusal.value, SUPPLIER);
        assert!(refusal.reason.contains("« Au bon moulin »") && refusal.reason.contains(OURS), "{refusal}");
    }
}
