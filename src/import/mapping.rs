//! Which CSV column holds what: recognised from the headers the usual French tools write, or given by
//! the user and saved as a named preset ("Export Henrri", "Banque Populaire") for the next month's file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::text::header_key;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    /// Invoices (and credit notes as negative invoices naming the invoice they cancel).
    Invoices,
    /// Payments received, as a bank exports its statement.
    Payments,
}

impl CsvKind {
    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            CsvKind::Invoices => "factures",
            CsvKind::Payments => "paiements",
        }
    }
}

/// A piece of information a CSV column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // Each variant is documented by its key and label.
pub enum Column {
    InvoiceNumber,
    Debtor,
    Siren,
    DebtorKind,
    Email,
    Phone,
    Address,
    Postcode,
    City,
    Country,
    Date,
    DueDate,
    AmountInclVat,
    AmountExclVat,
    Vat,
    Paid,
    Currency,
    Description,
    CancelsInvoice,
    Amount,
    Credit,
    Debit,
    Label,
    Method,
}

impl Column {
    /// Every column, in the order the wizard shows them.
    pub const ALL: [Column; 24] = [
        Column::InvoiceNumber,
        Column::Debtor,
        Column::Siren,
        Column::DebtorKind,
        Column::Email,
        Column::Phone,
        Column::Address,
        Column::Postcode,
        Column::City,
        Column::Country,
        Column::Date,
        Column::DueDate,
        Column::AmountInclVat,
        Column::AmountExclVat,
        Column::Vat,
        Column::Paid,
        Column::Currency,
        Column::Description,
        Column::CancelsInvoice,
        Column::Amount,
        Column::Credit,
        Column::Debit,
        Column::Label,
        Column::Method,
    ];

    /// Key typed in `--map KEY=HEADER`.
    pub fn key(self) -> &'static str {
        self.describe().0
    }

    /// French label.
    pub fn label(self) -> &'static str {
        self.describe().1
    }

    fn describe(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Column::InvoiceNumber => (
                "numero",
                "numéro de facture",
                &[
                    "numero",
                    "nfacture",
                    "numerofacture",
                    "numerodefacture",
                    "nofacture",
                    "numfacture",
                    "facture",
                    "invoicenumber",
                    "invoiceno",
                    "invoice",
                    "piece",
                    "numeropiece",
                    "reffacture",
                ],
            ),
            Column::Debtor => (
                "client",
                "client",
                &[
                    "client",
                    "nomclient",
                    "clientnom",
                    "debiteur",
                    "raisonsociale",
                    "societe",
                    "entreprise",
                    "tiers",
                    "customer",
                    "customername",
                    "acheteur",
                    "buyer",
                    "nom",
                    "name",
                    "emetteur",
                    "donneurdordre",
                ],
            ),
            Column::Siren => ("siren", "SIREN (ou SIRET)", &["siren", "sirenclient", "siret", "siretclient"]),
            Column::DebtorKind => ("type", "type de client", &["type", "typeclient", "typedeclient", "categorie"]),
            Column::Email => ("email", "e-mail", &["email", "mail", "courriel", "adresseemail", "emailclient"]),
            Column::Phone => ("telephone", "téléphone", &["telephone", "tel", "phone", "portable"]),
            Column::Address => ("adresse", "adresse", &["adresse", "address", "rue", "adresseclient"]),
            Column::Postcode => ("code_postal", "code postal", &["codepostal", "cp", "postcode", "zip", "zipcode"]),
            Column::City => ("ville", "ville", &["ville", "city", "commune"]),
            Column::Country => ("pays", "pays", &["pays", "country", "codepays"]),
            Column::Date => (
                "date",
                "date (d'émission, ou de l'opération)",
                &[
                    "date",
                    "datefacture",
                    "datedefacture",
                    "dateemission",
                    "datedemission",
                    "issuedate",
                    "invoicedate",
                    "dateoperation",
                    "datedoperation",
                    "dateop",
                    "datecomptable",
                    "datepaiement",
                    "datedepaiement",
                ],
            ),
            Column::DueDate => (
                "echeance",
                "échéance",
                &["echeance", "dateecheance", "datedecheance", "duedate", "datelimite", "datelimitedepaiement"],
            ),
            Column::AmountInclVat => (
                "ttc",
                "montant TTC",
                &["ttc", "montantttc", "totalttc", "amountinclvat", "totalamount", "total", "netapayer"],
            ),
            Column::AmountExclVat => {
                ("ht", "montant HT", &["ht", "montantht", "totalht", "amountexclvat", "netamount", "montanthorstaxe"])
            }
            Column::Vat => ("tva", "TVA", &["tva", "montanttva", "totaltva", "vat", "vatamount"]),
            Column::Paid => (
                "paye",
                "déjà payé",
                &["paye", "montantpaye", "regle", "montantregle", "dejapaye", "dejaregle", "paid", "amountpaid"],
            ),
            Column::Currency => ("devise", "devise", &["devise", "currency", "monnaie"]),
            Column::Description => ("description", "description", &["description", "objet", "designation"]),
            Column::CancelsInvoice => (
                "facture_origine",
                "facture annulée (pour un avoir)",
                &["factureorigine", "facturedorigine", "factureannulee", "avoirsur", "facturereference"],
            ),
            Column::Amount => ("montant", "montant", &["montant", "amount", "somme", "montanteur"]),
            Column::Credit => ("credit", "crédit", &["credit", "encaissement", "montantcredit", "creditEUR"]),
            Column::Debit => ("debit", "débit", &["debit", "decaissement", "montantdebit"]),
            Column::Label => (
                "libelle",
                "libellé",
                &["libelle", "label", "libelleoperation", "libelledeloperation", "detail", "communication", "motif"],
            ),
            Column::Method => (
                "moyen",
                "moyen de paiement",
                &["moyen", "moyendepaiement", "mode", "modedepaiement", "modedereglement", "method"],
            ),
        }
    }

    /// Reads a key typed by the user.
    pub fn parse(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key.trim())
    }

    /// The columns a file of this kind must have (one of each inner group).
    pub fn required(kind: CsvKind) -> &'static [&'static [Column]] {
        match kind {
            CsvKind::Invoices => &[
                &[Column::InvoiceNumber],
                &[Column::Debtor],
                &[Column::Date],
                &[Column::AmountInclVat, Column::AmountExclVat],
            ],
            CsvKind::Payments => &[&[Column::Date], &[Column::Amount, Column::Credit]],
        }
    }

    /// Whether the column makes sense in a file of this kind.
    pub fn applies_to(self, kind: CsvKind) -> bool {
        match kind {
            CsvKind::Invoices => !matches!(self, Column::Amount | Column::Credit | Column::Debit | Column::Label),
            CsvKind::Payments => matches!(
                self,
                Column::Date
                    | Column::Amount
                    | Column::Credit
                    | Column::Debit
                    | Column::Label
                    | Column::Debtor
                    | Column::Siren
                    | Column::InvoiceNumber
                    | Column::Method
            ),
        }
    }
}

/// Synonyms too general to be recognised as the start of a longer header (`Total HT` is not a total
/// including VAT, `Date d'échéance` not the issue date).
const GENERIC: [&str; 9] = ["total", "montant", "date", "client", "nom", "name", "type", "mode", "tel"];

/// Which header holds each column: what a preset saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// What the file holds.
    pub kind: CsvKind,
    /// The header (as written in the file) of each column used.
    pub columns: BTreeMap<Column, String>,
}

impl Mapping {
    /// Recognises the columns of a file of this kind from its headers; an exact synonym wins over a
    /// header that merely contains one, and a header is used once.
    pub fn detect(kind: CsvKind, headers: &[String]) -> Mapping {
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let mut columns = BTreeMap::new();
        let mut used = vec![false; headers.len()];
        for exact in [true, false] {
            for column in Column::ALL.into_iter().filter(|c| c.applies_to(kind)) {
                if columns.contains_key(&column) {
                    continue;
                }
                let found = column.describe().2.iter().find_map(|synonym| {
                    let synonym = synonym.to_lowercase();
                    keys.iter().enumerate().position(|(i, k)| {
                        !used[i]
                            && !k.is_empty()
                            && if exact {
                                *k == synonym
                            } else {
                                k.starts_with(&synonym) && !GENERIC.contains(&synonym.as_str())
                            }
                    })
                });
                if let Some(i) = found {
                    used[i] = true;
                    columns.insert(column, headers[i].clone());
                }
            }
        }
        Mapping { kind, columns }
    }

    /// Whether invoices or payments: invoices when the invoice columns are all there, else payments
    /// when theirs are.
    pub fn detect_kind(headers: &[String]) -> Mapping {
        let invoices = Mapping::detect(CsvKind::Invoices, headers);
        if invoices.missing().is_empty() {
            return invoices;
        }
        let payments = Mapping::detect(CsvKind::Payments, headers);
        if payments.missing().is_empty() { payments } else { invoices }
    }

    /// Required columns that no header holds, each as the labels of its alternatives.
    pub fn missing(&self) -> Vec<Column> {
        Column::required(self.kind)
            .iter()
            .filter(|group| !group.iter().any(|c| self.columns.contains_key(c)))
            .map(|group| group[0])
            .collect()
    }

    /// Applies `KEY=HEADER` overrides typed by the user (`--map numero="N° pièce"`); an empty header
    /// removes the column.
    pub fn set(&mut self, key: &str, header: &str) -> Result<(), String> {
        let column = Column::parse(key).ok_or_else(|| {
            let keys: Vec<&str> = Column::ALL.iter().map(|c| c.key()).collect();
            format!("colonne « {key} » inconnue (possibles : {})", keys.join(", "))
        })?;
        if header.trim().is_empty() {
            self.columns.remove(&column);
        } else {
            self.columns.insert(column, header.trim().to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(';').map(str::to_owned).collect()
    }

    #[test]
    fn recognises_the_usual_exports() {
        type Case<'a> = (&'a str, CsvKind, &'a [(Column, &'a str)]);
        let cases: &[Case] = &[
            (
                "N° Facture;Client;SIREN;Date;Échéance;Montant HT;TVA;Montant TTC;Réglé",
                CsvKind::Invoices,
                &[
                    (Column::InvoiceNumber, "N° Facture"),
                    (Column::Debtor, "Client"),
                    (Column::Date, "Date"),
                    (Column::DueDate, "Échéance"),
                    (Column::AmountExclVat, "Montant HT"),
                    (Column::AmountInclVat, "Montant TTC"),
                    (Column::Paid, "Réglé"),
                ],
            ),
            (
                "Invoice number;Customer name;Issue date;Due date;Total",
                CsvKind::Invoices,
                &[(Column::InvoiceNumber, "Invoice number"), (Column::AmountInclVat, "Total")],
            ),
            (
                "Date opération;Libellé;Débit;Crédit",
                CsvKind::Payments,
                &[
                    (Column::Date, "Date opération"),
                    (Column::Label, "Libellé"),
                    (Column::Debit, "Débit"),
                    (Column::Credit, "Crédit"),
                ],
            ),
        ];
        for (line, kind, expected) in cases {
            let mapping = Mapping::detect_kind(&headers(line));
            assert_eq!(mapping.kind, *kind, "{line}");
            assert!(mapping.missing().is_empty(), "{line}: {:?}", mapping.missing());
            for (column, header) in *expected {
                assert_eq!(mapping.columns.get(column).map(String::as_str), Some(*header), "{line}: {column:?}");
            }
        }
    }

    #[test]
    fn missing_and_overrides() {
        let mut mapping = Mapping::detect(CsvKind::Invoices, &headers("Pièce;Tiers;Jour;Total"));
        assert_eq!(mapping.missing(), vec![Column::Date]);
        mapping.set("date", "Jour").unwrap();
        assert!(mapping.missing().is_empty());
        assert!(mapping.set("nope", "x").unwrap_err().contains("numero"));
    }
}
