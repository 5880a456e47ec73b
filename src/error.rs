//! The core's errors: one user-facing message each (French, the product's language), and a stable
//! machine code for the shells (exit codes in the CLI, `{code, message}` across the IPC) so that no
//! caller ever branches on the wording.

use std::path::PathBuf;

/// A field a user fills in, named in error messages by its French label and its stable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // Each variant is documented by its label.
pub enum Field {
    Amount,
    AmountExclVat,
    Vat,
    IssueDate,
    DueDate,
    Date,
    At,
    Currency,
    InvoiceNumber,
    CreditNoteNumber,
    Debtor,
    DebtorKind,
    Name,
    LegalName,
    LegalForm,
    Siren,
    Siret,
    VatNumber,
    RcsCity,
    Iban,
    Bic,
    Email,
    Phone,
    Postcode,
    City,
    Country,
    Address,
    Segment,
    PaymentMethod,
    PenaltyRate,
    PaymentTermDays,
    Allocation,
    Attachment,
    SignatoryName,
    Status,
    DayBasis,
    Imputation,
    Rate,
    File,
    Count,
}

impl Field {
    /// Stable key, as in the CLI flags and the IPC (`due_date`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Amount => "amount",
            Field::AmountExclVat => "amount_excl_vat",
            Field::Vat => "vat",
            Field::IssueDate => "issue_date",
            Field::DueDate => "due_date",
            Field::Date => "date",
            Field::At => "at",
            Field::Currency => "currency",
            Field::InvoiceNumber => "number",
            Field::CreditNoteNumber => "credit_note_number",
            Field::Debtor => "debtor",
            Field::DebtorKind => "kind",
            Field::Name => "name",
            Field::LegalName => "legal_name",
            Field::LegalForm => "legal_form",
            Field::Siren => "siren",
            Field::Siret => "siret",
            Field::VatNumber => "vat_number",
            Field::RcsCity => "rcs_city",
            Field::Iban => "iban",
            Field::Bic => "bic",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Postcode => "postcode",
            Field::City => "city",
            Field::Country => "country",
            Field::Address => "address",
            Field::Segment => "segment",
            Field::PaymentMethod => "method",
            Field::PenaltyRate => "penalty_rate",
            Field::PaymentTermDays => "payment_term_days",
            Field::Allocation => "allocation",
            Field::Attachment => "attachment",
            Field::SignatoryName => "signatory_name",
            Field::Status => "status",
            Field::DayBasis => "day_basis",
            Field::Imputation => "imputation",
            Field::Rate => "basis",
            Field::File => "file",
            Field::Count => "count",
        }
    }

    /// The field as the French interface names it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Amount => "montant",
            Field::AmountExclVat => "montant HT",
            Field::Vat => "TVA",
            Field::IssueDate => "date d'émission",
            Field::DueDate => "date d'échéance",
            Field::Date => "date",
            Field::At => "date d'arrêté",
            Field::Currency => "devise",
            Field::InvoiceNumber => "numéro de facture",
            Field::CreditNoteNumber => "numéro d'avoir",
            Field::Debtor => "débiteur",
            Field::DebtorKind => "type de débiteur",
            Field::Name => "nom",
            Field::LegalName => "raison sociale",
            Field::LegalForm => "forme juridique",
            Field::Siren => "SIREN",
            Field::Siret => "SIRET",
            Field::VatNumber => "numéro de TVA",
            Field::RcsCity => "ville du RCS",
            Field::Iban => "IBAN",
            Field::Bic => "BIC",
            Field::Email => "e-mail",
            Field::Phone => "téléphone",
            Field::Postcode => "code postal",
            Field::City => "ville",
            Field::Country => "pays",
            Field::Address => "adresse",
            Field::Segment => "segment",
            Field::PaymentMethod => "moyen de paiement",
            Field::PenaltyRate => "taux des pénalités de retard",
            Field::PaymentTermDays => "délai de paiement",
            Field::Allocation => "affectation",
            Field::Attachment => "pièce jointe",
            Field::SignatoryName => "signataire",
            Field::Status => "statut",
            Field::DayBasis => "base de calcul des jours",
            Field::Imputation => "imputation des paiements",
            Field::Rate => "régime de taux",
            Field::File => "fichier",
            Field::Count => "nombre",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.label(), self.key())
    }
}

/// Everything that can go wrong in the core, with the one message the user reads.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the user gave breaks a rule.
    #[error("{field} « {value} » refusé : {reason}.")]
    Invalid {
        /// Which field.
        field: Field,
        /// The value as given (or as read).
        value: String,
        /// Why, in plain words.
        reason: String,
    },
    /// No debtor has this number.
    #[error("Débiteur inconnu : aucun débiteur n° {0} dans ce registre.")]
    UnknownDebtor(i64),
    /// No invoice has this number.
    #[error("Facture inconnue : aucune facture « {0} » dans ce registre.")]
    UnknownInvoice(String),
    /// No payment has this number.
    #[error("Paiement inconnu : aucun paiement n° {0} dans ce registre.")]
    UnknownPayment(i64),
    /// Invoice numbers are unique per creditor (one ledger is one creditor's books).
    #[error("Le numéro de facture « {0} » existe déjà dans ce registre : un numéro ne sert qu'une fois.")]
    DuplicateInvoiceNumber(String),
    /// Credit-note numbers are unique too.
    #[error("Le numéro d'avoir « {0} » existe déjà dans ce registre : un numéro ne sert qu'une fois.")]
    DuplicateCreditNoteNumber(String),
    /// A payment would be allocated beyond what it brought, or an invoice beyond what it still owes.
    #[error("Affectation refusée : {0}.")]
    OverAllocation(String),
    /// The creditor profile has not been filled in yet.
    #[error(
        "Le profil de votre entreprise n'est pas encore renseigné : lancez « recouvre profile set --legal-name … »."
    )]
    NoProfile,
    /// The demo data go only into an empty ledger: they must never mix with real books.
    #[error(
        "Ce registre contient déjà des données : les données de démonstration ne vont que dans un registre vide (utilisez --db pour en créer un autre)."
    )]
    LedgerNotEmpty,
    /// A rate file has a line the engine cannot use.
    #[error("Fichier de taux « {file} », ligne {line}, champ {field} « {value} » : {reason}. Rien n'a été importé.")]
    RateFile {
        /// The file as named by the user.
        file: String,
        /// 1-based line.
        line: u64,
        /// Column.
        field: String,
        /// Value found.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// The rate table lacks a figure the computation needs; no older figure is reused in its place.
    #[error(
        "Taux manquant : {what} pour {when}. La table des taux ne le contient pas encore : importez une table à jour (recouvre rates import FICHIER) ; aucun taux plus ancien n'est réutilisé à sa place."
    )]
    MissingRate {
        /// Which figure.
        what: String,
        /// For which day or half-year.
        when: String,
    },
    /// A letter template's wording breaks a rule (unknown placeholder, a formal notice without its
    /// deadline, the 40 € in a consumer's paragraph…), found when it is saved.
    #[error("Modèle « {template} », ligne {line} : {message}. Le modèle n'a pas été enregistré.")]
    Template {
        /// Kind and language (`mise-en-demeure (fr)`).
        template: String,
        /// 1-based line of the template text (the subject is line 1).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A letter needs a value the ledger does not have: it is never printed with a gap.
    #[error("Impossible de rédiger ce document : {what} manque ({{{placeholder}}}). {fix}")]
    MissingValue {
        /// The placeholder or block needing it.
        placeholder: String,
        /// What is missing, in words.
        what: String,
        /// How to fill it in.
        fix: String,
    },
    /// An import found lines it cannot take, and the user did not choose to import the valid ones.
    #[error(
        "Import refusé : {count} ligne(s) ou document(s) en erreur, dont {first}. Rien n'a été importé : corrigez le fichier, ou importez les lignes valides (--valid-only) et corrigez les autres dans le fichier des rejets."
    )]
    ImportRefused {
        /// How many refusals.
        count: usize,
        /// The first one, with its file, line and field.
        first: String,
    },
    /// The SMTP server refused the message or could not be reached.
    #[error("Envoi de l'e-mail impossible : {0}. Le message .eml reste disponible pour votre messagerie.")]
    Smtp(String),
    /// The operating system's keyring (where the SMTP password lives) is unavailable.
    #[error("Trousseau du système indisponible : {0}. Le mot de passe SMTP n'est jamais enregistré ailleurs.")]
    Keyring(String),
    /// The file was written by a newer Recouvre; opening it could damage it.
    #[error(
        "Ce registre a été créé par une version plus récente de Recouvre (schéma {found}, cette version connaît le schéma {supported}). Mettez Recouvre à jour pour l'ouvrir ; le fichier n'a pas été modifié."
    )]
    NewerLedger {
        /// Highest schema version recorded in the file.
        found: i64,
        /// Highest schema version this build knows.
        supported: i64,
    },
    /// The file exists but is not a Recouvre ledger (another SQLite database, or not SQLite at all).
    #[error("« {}» n'est pas un registre Recouvre ; le fichier n'a pas été modifié.", path.display())]
    NotALedger {
        /// The file.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("Impossible d'accéder au fichier « {} » : {source}.", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The database failed in a way the user cannot fix by changing their input.
    #[error("Erreur de la base de données : {0}.")]
    Storage(#[from] sqlx::Error),
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: Field, value: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid { field, value: value.into(), reason: reason.into() }
    }

    /// A stable code for machines (IPC, scripts). Never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid_input",
            Error::UnknownDebtor(_) => "unknown_debtor",
            Error::UnknownInvoice(_) => "unknown_invoice",
            Error::UnknownPayment(_) => "unknown_payment",
            Error::DuplicateInvoiceNumber(_) => "duplicate_invoice_number",
            Error::DuplicateCreditNoteNumber(_) => "duplicate_credit_note_number",
            Error::OverAllocation(_) => "over_allocation",
            Error::NoProfile => "no_profile",
            Error::RateFile { .. } => "rate_file",
            Error::MissingRate { .. } => "missing_rate",
            Error::LedgerNotEmpty => "ledger_not_empty",
            Error::Template { .. } => "template",
            Error::MissingValue { .. } => "missing_value",
            Error::ImportRefused { .. } => "import_refused",
            Error::Smtp(_) => "smtp",
            Error::Keyring(_) => "keyring",
            Error::NewerLedger { .. } => "newer_ledger",
            Error::NotALedger { .. } => "not_a_ledger",
            Error::File { .. } => "file",
            Error::Storage(_) => "storage",
        }
    }

    /// Whether the user can fix this by changing what they typed (the CLI exits with 2), as opposed
    /// to a problem of the machine or the file (exit 1).
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Invalid { .. }
            | Error::UnknownDebtor(_)
            | Error::UnknownInvoice(_)
            | Error::UnknownPayment(_)
            | Error::DuplicateInvoiceNumber(_)
            | Error::DuplicateCreditNoteNumber(_)
            | Error::OverAllocation(_)
            | Error::NoProfile
            | Error::RateFile { .. }
            | Error::MissingRate { .. }
            | Error::Template { .. }
            | Error::MissingValue { .. }
            | Error::ImportRefused { .. }
            | Error::LedgerNotEmpty => true,
            Error::NewerLedger { .. }
            | Error::NotALedger { .. }
            | Error::File { .. }
            | Error::Storage(_)
            | Error::Smtp(_)
            | Error::Keyring(_) => false,
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
