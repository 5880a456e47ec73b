//! The ledger's invoices as a CSV file our own importer reads back with no mapping to set: for the
//! accountant, a spreadsheet, or moving to another ledger file.

use std::collections::HashMap;

use crate::ledger::InvoiceLine;
use crate::money::to_plain;
use crate::parties::Debtor;

/// The headers, French, each recognised by [`super::mapping::Mapping::detect`].
pub const HEADERS: [&str; 16] = [
    "Numéro",
    "Client",
    "SIREN",
    "Type",
    "E-mail",
    "Adresse",
    "Code postal",
    "Ville",
    "Pays",
    "Date",
    "Échéance",
    "Montant HT",
    "TVA",
    "Montant TTC",
    "Réglé",
    "Description",
];

/// One line per invoice, `;`-separated, amounts with a decimal point, dates `AAAA-MM-JJ`; "Réglé"
/// is what payments and credit notes have settled, so a re-import rebuilds the same balances.
pub fn invoices_csv(lines: &[InvoiceLine], debtors: &HashMap<i64, Debtor>) -> String {
    let mut writer = ::csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let mut rows: Vec<Vec<String>> = vec![HEADERS.iter().map(|h| (*h).to_owned()).collect()];
    for line in lines {
        let invoice = &line.invoice;
        let debtor = debtors.get(&invoice.debtor_id);
        let field = |f: fn(&Debtor) -> String| debtor.map(f).unwrap_or_default();
        rows.push(vec![
            invoice.number.clone(),
            line.debtor_name.clone(),
            field(|d| d.siren.clone().unwrap_or_default()),
            field(|d| d.kind.as_str().to_owned()),
            field(|d| d.email.clone().unwrap_or_default()),
            field(|d| d.address.lines.join(" | ")),
            field(|d| d.address.postcode.clone()),
            field(|d| d.address.city.clone()),
            field(|d| d.address.country.clone()),
            invoice.issue_date.to_string(),
            invoice.due_date.to_string(),
            to_plain(invoice.amount_excl_vat),
            to_plain(invoice.vat),
            to_plain(invoice.amount_incl_vat),
            to_plain(line.balance.paid + line.balance.credited),
            invoice.description.clone(),
        ]);
    }
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
