//! The editable wording of each document: a subject line and a body in plain text, with
//! placeholders (`{debiteur.nom}`, `{total_du}`, `{date_limite}`…) filled from the ledger, blocks
//! (`{factures}`, `{decompte}`, `{paiement}`, `{echeancier}`) standing alone in a paragraph, and
//! paragraphs kept for one kind of debtor only (`[pro] …`, `[particulier] …`).
//!
//! A template is checked when it is saved: an unknown placeholder, one the document cannot fill, a
//! formal notice without its deadline or statement, or the 40 € indemnity in a paragraph a consumer
//! would read is refused there, with its line — never discovered as a gap in a printed letter.

use std::collections::BTreeSet;

use super::{DocumentKind, Lang};
use crate::error::{Error, Result};
use crate::parties::DebtorKind;

/// A template's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    /// Subject line (without "Objet :").
    pub subject: String,
    /// Body: paragraphs separated by blank lines.
    pub body: String,
    /// Line of the template file the body starts on, for error messages (3 in a file written by
    /// [`Wording::to_text`]: the subject, a blank line, the body).
    pub first_line: usize,
}

/// Where a placeholder can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every document.
    All,
    /// Documents about what is owed (all but the receipt).
    Claim,
    /// The payment-plan agreement.
    Plan,
    /// The receipt.
    Receipt,
}

impl Scope {
    fn allows(self, kind: DocumentKind) -> bool {
        match self {
            Scope::All => true,
            Scope::Claim => kind != DocumentKind::Recu,
            Scope::Plan => kind == DocumentKind::Echeancier,
            Scope::Receipt => kind == DocumentKind::Recu,
        }
    }
}

/// A placeholder the templates may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    /// Name, as written between braces.
    pub name: &'static str,
    /// What it prints.
    pub description: &'static str,
    /// A block (a table or a box) rather than words: it must stand alone in its paragraph.
    pub block: bool,
    scope: Scope,
}

const fn value(name: &'static str, description: &'static str, scope: Scope) -> Placeholder {
    Placeholder { name, description, block: false, scope }
}

const fn block(name: &'static str, description: &'static str, scope: Scope) -> Placeholder {
    Placeholder { name, description, block: true, scope }
}

/// Every placeholder, with what it prints.
pub const PLACEHOLDERS: &[Placeholder] = &[
    value("creancier.nom", "raison sociale de votre entreprise", Scope::All),
    value("creancier.ville", "ville de votre entreprise", Scope::All),
    value("creancier.signataire", "nom du signataire", Scope::All),
    value("creancier.telephone", "téléphone de votre entreprise", Scope::All),
    value("creancier.email", "e-mail de votre entreprise", Scope::All),
    value("debiteur.nom", "nom du débiteur", Scope::All),
    value("debiteur.reference", "référence du débiteur (R00012), rappelée dans les virements", Scope::All),
    value("date_lettre", "date du document, en toutes lettres", Scope::All),
    value("total_du", "total dû : principal, pénalités ou intérêts, indemnités et frais", Scope::Claim),
    value("principal_du", "principal restant dû", Scope::Claim),
    value("penalites", "pénalités de retard ou intérêts dus", Scope::Claim),
    value("indemnites", "indemnités forfaitaires de 40 € (débiteurs professionnels)", Scope::Claim),
    value("taux_penalites", "taux des pénalités et son fondement", Scope::Claim),
    value("nb_factures", "nombre de factures concernées", Scope::Claim),
    value("factures_liste", "numéros des factures concernées", Scope::Claim),
    value("premiere_echeance", "plus ancienne date d'échéance des factures concernées", Scope::Claim),
    value("date_limite", "date limite de paiement (date du document + délai)", Scope::Claim),
    value("delai_jours", "délai de paiement accordé, en jours", Scope::Claim),
    value("reference_paiement", "référence à indiquer sur le virement", Scope::Claim),
    value("plan.total", "montant échelonné", Scope::Plan),
    value("plan.nb_echeances", "nombre d'échéances", Scope::Plan),
    value("plan.rythme", "rythme des échéances (chaque mois…)", Scope::Plan),
    value("plan.premiere_date", "date de la première échéance", Scope::Plan),
    value("plan.derniere_date", "date de la dernière échéance", Scope::Plan),
    value("paiement.montant", "montant reçu", Scope::Receipt),
    value("paiement.date", "date de réception du paiement", Scope::Receipt),
    value("paiement.moyen", "moyen de paiement", Scope::Receipt),
    value("paiement.factures", "factures réglées par ce paiement", Scope::Receipt),
    value("reste_du", "montant restant dû après ce paiement", Scope::Receipt),
    block("factures", "tableau des factures (numéro, dates, montant, payé, reste dû)", Scope::Claim),
    block("decompte", "décompte : principal, pénalités avec leur fondement, indemnités, frais, total", Scope::Claim),
    block("paiement", "coordonnées de paiement avec le QR code de virement SEPA", Scope::Claim),
    block("echeancier", "tableau des échéances", Scope::Plan),
];

/// Finds a placeholder by name.
pub fn placeholder(name: &str) -> Option<&'static Placeholder> {
    PLACEHOLDERS.iter().find(|p| p.name == name)
}

/// A paragraph's audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Everyone,
    Business,
    Consumer,
}

/// A rendered piece of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Running text, placeholders filled.
    Text(String),
    /// A block to insert.
    Block(&'static str),
}

impl Wording {
    /// The wording shipped with Recouvre, if the document exists in that language.
    pub fn shipped(kind: DocumentKind, lang: Lang) -> Option<Wording> {
        let text = match (lang, kind) {
            (Lang::Fr, DocumentKind::RelancePreventive) => include_str!("wording/fr/relance-preventive.txt"),
            (Lang::Fr, DocumentKind::RelanceAmiable) => include_str!("wording/fr/relance-amiable.txt"),
            (Lang::Fr, DocumentKind::RelanceFormelle) => include_str!("wording/fr/relance-formelle.txt"),
            (Lang::Fr, DocumentKind::DernierRappel) => include_str!("wording/fr/dernier-rappel.txt"),
            (Lang::Fr, DocumentKind::MiseEnDemeure) => include_str!("wording/fr/mise-en-demeure.txt"),
            (Lang::Fr, DocumentKind::Echeancier) => include_str!("wording/fr/echeancier.txt"),
            (Lang::Fr, DocumentKind::ReconnaissanceDeDette) => include_str!("wording/fr/reconnaissance-de-dette.txt"),
            (Lang::Fr, DocumentKind::Recu) => include_str!("wording/fr/recu.txt"),
            (Lang::En, DocumentKind::RelancePreventive) => include_str!("wording/en/relance-preventive.txt"),
            (Lang::En, DocumentKind::RelanceAmiable) => include_str!("wording/en/relance-amiable.txt"),
            (Lang::En, DocumentKind::RelanceFormelle) => include_str!("wording/en/relance-formelle.txt"),
            (Lang::En, DocumentKind::DernierRappel) => include_str!("wording/en/dernier-rappel.txt"),
            (Lang::En, DocumentKind::MiseEnDemeure) => include_str!("wording/en/mise-en-demeure.txt"),
            (Lang::En, _) => return None,
        };
        Some(Wording::parse(text))
    }

    /// Reads a template file: the first non-empty line is the subject (an "Objet :" or "Subject:"
    /// prefix is dropped), the rest is the body.
    pub fn parse(text: &str) -> Wording {
        let text = text.replace("\r\n", "\n");
        let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
        let first = lines.next().unwrap_or("").trim();
        let subject = ["Objet :", "Objet:", "Subject:", "Subject :"]
            .iter()
            .find_map(|prefix| first.strip_prefix(prefix))
            .unwrap_or(first)
            .trim()
            .to_owned();
        let subject_line = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
        let rest: Vec<&str> = lines.collect();
        let blank = rest.iter().take_while(|l| l.trim().is_empty()).count();
        let body = rest.join("\n").trim().to_owned();
        Wording { subject, body, first_line: subject_line + 1 + blank }
    }

    /// The text of the template file, as [`Wording::parse`] reads it.
    pub fn to_text(&self, lang: Lang) -> String {
        let prefix = if lang == Lang::Fr { "Objet :" } else { "Subject:" };
        format!("{prefix} {}\n\n{}\n", self.subject, self.body)
    }

    /// Paragraphs with the line each starts on (the subject is line 1, the body starts on line 3).
    fn paragraphs(&self) -> Vec<(usize, Audience, String)> {
        let mut out = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        let mut start = self.first_line;
        for (index, line) in self.body.lines().chain(std::iter::once("")).enumerate() {
            if current.is_empty() {
                start = self.first_line + index;
            }
            if line.trim().is_empty() {
                if !current.is_empty() {
                    let text = current.join("\n");
                    let (audience, text) = if let Some(rest) = text.strip_prefix("[pro]") {
                        (Audience::Business, rest.trim().to_owned())
                    } else if let Some(rest) = text.strip_prefix("[particulier]") {
                        (Audience::Consumer, rest.trim().to_owned())
                    } else {
                        (Audience::Everyone, text)
                    };
                    out.push((start, audience, text));
                    current.clear();
                }
            } else {
                current.push(line.trim_end());
            }
        }
        out
    }

    /// Checks the template for a document; `Ok` means every letter printed from it is complete.
    pub fn check(&self, kind: DocumentKind, lang: Lang) -> Result<()> {
        let template = format!("{} ({})", kind.as_str(), lang.as_str());
        let fail = |line: usize, message: String| Error::Template { template: template.clone(), line, message };
        if self.subject.is_empty() {
            return Err(fail(1, "l'objet est vide".into()));
        }
        let paragraphs = self.paragraphs();
        if paragraphs.is_empty() {
            return Err(fail(3, "le corps de la lettre est vide".into()));
        }
        let mut used = BTreeSet::new();
        let mut sources = vec![(1, Audience::Everyone, self.subject.clone())];
        sources.extend(paragraphs);
        for (line, audience, text) in &sources {
            let names = names_in(text).map_err(|m| fail(*line, m))?;
            for name in &names {
                let Some(found) = placeholder(name) else {
                    let hint = closest(name).map(|c| format!(" (vouliez-vous dire {{{c}}} ?)")).unwrap_or_default();
                    return Err(fail(*line, format!("espace réservé inconnu {{{name}}}{hint}")));
                };
                if !found.scope.allows(kind) {
                    return Err(fail(*line, format!("{{{name}}} n'a pas de sens dans ce document")));
                }
                if found.block && (text.trim() != format!("{{{name}}}") || *line == 1) {
                    return Err(fail(*line, format!("le bloc {{{name}}} doit être seul dans son paragraphe")));
                }
                used.insert(found.name);
            }
            if *audience != Audience::Business && mentions_indemnity(text) {
                return Err(fail(
                    *line,
                    "l'indemnité forfaitaire de 40 € ne concerne que les professionnels (C. com. L441-10) : ce paragraphe serait lu par un consommateur, commencez-le par [pro]".into(),
                ));
            }
        }
        let required: &[&str] = match kind {
            DocumentKind::MiseEnDemeure => &["factures", "decompte", "paiement", "date_limite", "total_du"],
            DocumentKind::Echeancier => &["echeancier", "plan.total"],
            DocumentKind::ReconnaissanceDeDette => &["total_du"],
            DocumentKind::Recu => &["paiement.montant"],
            _ if kind.asks_for_payment() => &["paiement"],
            _ => &[],
        };
        if let Some(missing) = required.iter().find(|r| !used.contains(**r)) {
            return Err(fail(1, format!("ce document doit contenir {{{missing}}}")));
        }
        if kind == DocumentKind::MiseEnDemeure {
            let words = [("fr", "mettons en demeure"), ("fr", "met en demeure"), ("en", "formal notice")];
            let text = self.body.to_lowercase();
            if !words.iter().any(|(l, w)| *l == lang.as_str() && text.contains(w)) {
                let expected =
                    if lang == Lang::Fr { "« nous vous mettons en demeure »" } else { "“formal notice”" };
                return Err(fail(3, format!("une mise en demeure doit le dire sans ambiguïté : {expected} manque")));
            }
        }
        Ok(())
    }

    /// Fills the template for one debtor: the subject and the body's pieces. `fill` gives a
    /// placeholder's value or the error saying what is missing.
    pub fn render(
        &self,
        debtor: DebtorKind,
        mut fill: impl FnMut(&str) -> Result<String>,
    ) -> Result<(String, Vec<Piece>)> {
        let subject = substitute(&self.subject, &mut fill)?;
        let mut pieces = Vec::new();
        for (_, audience, text) in self.paragraphs() {
            let shown = match audience {
                Audience::Everyone => true,
                Audience::Business => debtor == DebtorKind::Professionnel,
                Audience::Consumer => debtor == DebtorKind::Consommateur,
            };
            if !shown {
                continue;
            }
            match placeholder(text.trim().trim_matches(['{', '}'])).filter(|p| p.block && text.trim().starts_with('{'))
            {
                Some(block) => pieces.push(Piece::Block(block.name)),
                None => pieces.push(Piece::Text(substitute(&text, &mut fill)?)),
            }
        }
        Ok((subject, pieces))
    }
}

fn mentions_indemnity(text: &str) -> bool {
    let lower = text.to_lowercase().replace(['\u{a0}', '\u{202f}'], " ");
    ["{indemnites}", "40 €", "40 eur", "€40", "40,00 €", "indemnité forfaitaire", "fixed indemnity"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The placeholder names in a text, or why its braces do not pair.
fn names_in(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("accolade fermante « } » sans accolade ouvrante".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("accolade « { » jamais fermée")?;
        let name = &after[..close];
        if name.contains('{') {
            return Err("accolade « { » jamais fermée".into());
        }
        names.push(name.trim().to_owned());
        rest = &after[close + 1..];
    }
    Ok(names)
}

fn substitute(text: &str, fill: &mut impl FnMut(&str) -> Result<String>) -> Result<String> {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        out.push_str(&fill(after[..close].trim())?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn closest(name: &str) -> Option<&'static str> {
    let distance = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut previous = row[0];
            row[0] = i + 1;
            for j in 0..b.len() {
                let current = row[j + 1];
                row[j + 1] = (previous + usize::from(ca != b[j])).min(row[j] + 1).min(current + 1);
                previous = current;
            }
        }
        row[b.len()]
    };
    PLACEHOLDERS.iter().map(|p| (distance(name, p.name), p.name)).filter(|(d, _)| *d <= 3).min().map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wording(text: &str) -> Wording {
        Wording::parse(text)
    }

    #[test]
    fn every_shipped_template_passes_its_own_checks() {
        for kind in DocumentKind::ALL {
            for lang in kind.languages() {
                let shipped = Wording::shipped(kind, *lang).expect("shipped");
                shipped.check(kind, *lang).unwrap_or_else(|e| panic!("{kind:?} {lang:?}: {e}"));
                assert_eq!(Wording::parse(&shipped.to_text(*lang)), shipped, "round trip {kind:?} {lang:?}");
            }
        }
    }

    #[test]
    fn refused_templates_say_the_line_and_why() {
        let notice = DocumentKind::MiseEnDemeure;
        let cases = [
            ("Objet : X\n\nBonjour {debiteur.nomm}.", 3, "vouliez-vous dire {debiteur.nom}"),
            ("Objet : X\n\nBonjour.\n\nPayez {plan.total}.", 5, "n'a pas de sens"),
            ("Objet : X\n\nBonjour {debiteur.nom.", 3, "jamais fermée"),
            ("Objet : X\n\nVoir {factures} ici.", 3, "seul dans son paragraphe"),
            (
                "Objet : X\n\nNous vous mettons en demeure.\n\n{factures}\n\n{decompte}\n\n{paiement}",
                1,
                "{date_limite}",
            ),
            (
                "Objet : X\n\nNous vous mettons en demeure de payer {total_du} avant le {date_limite}.\n\n{factures}\n\n{decompte}\n\n{paiement}\n\nPlus 40 € d'indemnité.",
                11,
                "[pro]",
            ),
            (
                "Objet : X\n\nPayez {total_du} avant le {date_limite}.\n\n{factures}\n\n{decompte}\n\n{paiement}",
                3,
                "mettons en demeure",
            ),
        ];
        for (text, line, reason) in cases {
            match wording(text).check(notice, Lang::Fr) {
                Err(Error::Template { line: found, message, .. }) => {
                    assert_eq!(found, line, "{text:?}: {message}");
                    assert!(message.contains(reason), "{text:?}: {message}");
                }
                other => panic!("{text:?} accepted: {other:?}"),
            }
        }
    }

    #[test]
    fn audience_paragraphs_follow_the_debtor() {
        let text = wording("Objet : Relance {debiteur.nom}\n\nA\n\n[pro] B 40 €\n\n[particulier] C\n\n{paiement}");
        text.check(DocumentKind::RelanceAmiable, Lang::Fr).unwrap();
        let fill = |name: &str| Ok(format!("<{name}>"));
        let (subject, business) = text.render(DebtorKind::Professionnel, fill).unwrap();
        assert_eq!(subject, "Relance <debiteur.nom>");
        assert_eq!(business, vec![Piece::Text("A".into()), Piece::Text("B 40 €".into()), Piece::Block("paiement")]);
        let (_, consumer) = text.render(DebtorKind::Consommateur, fill).unwrap();
        assert_eq!(consumer, vec![Piece::Text("A".into()), Piece::Text("C".into()), Piece::Block("paiement")]);
    }

    #[test]
    fn a_missing_value_stops_the_rendering() {
        let text = wording("Objet : X\n\nSigné {creancier.signataire}.\n\n{paiement}");
        let result = text.render(DebtorKind::Professionnel, |name| {
            Err(Error::MissingValue { placeholder: name.into(), what: "le signataire".into(), fix: String::new() })
        });
        assert!(
            matches!(result, Err(Error::MissingValue { placeholder, .. }) if placeholder == "creancier.signataire")
        );
    }
}
