//! Text files as other tools write them: the encoding (UTF-8 with or without BOM, UTF-16, Windows-1252
//! from older French software), the field separator, and header names written every which way.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// A file decoded to text, with the encoding that was recognised (shown in the dry run, so a user
/// whose accents come out wrong knows why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// `UTF-8`, `UTF-16LE`, `windows-1252`…
    pub encoding: &'static str,
}

/// Why bytes are not a text file we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Nothing in it.
    Empty,
    /// NUL bytes without a UTF-16 mark: a spreadsheet, an archive, a PDF.
    Binary,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DecodeError::Empty => "le fichier est vide",
            DecodeError::Binary => {
                "ce n'est pas un fichier texte (un classeur Excel ou un PDF ?) : exportez-le en CSV ou en texte"
            }
        })
    }
}

/// Decodes a text file: a byte-order mark decides; else valid UTF-8 is UTF-8; else the encoding is
/// guessed from the bytes (chardetng, as Firefox does), which for French files without BOM is
/// Windows-1252 — a superset of the ISO-8859-15 the FEC regulation names, for every letter French uses.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok(Decoded { text: text.into_owned(), encoding: encoding.name() });
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_owned(), encoding: UTF_8.name() });
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(Some(b"fr"), false);
    // Only single-byte Western encodings make sense for French business files; anything exotic
    // (a Cyrillic or Japanese guess on a short file) is a worse bet than Windows-1252.
    let encoding =
        if [UTF_16LE, UTF_16BE].contains(&guessed) || !guessed.is_single_byte() { WINDOWS_1252 } else { guessed };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(Decoded { text: text.into_owned(), encoding: encoding.name() })
}

/// The field separator of a delimited file: among `;`, tab, `,` and `|`, the one that splits the
/// first lines into the same number (more than one) of fields most consistently. French software
/// writes `;` because the comma is the decimal separator; a tie goes to `;`, then tab.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b';', 0_usize, 0_usize);
    for candidate in [b';', b'\t', b',', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, candidate)).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        if (consistent, first) > (best.1, best.2) {
            best = (candidate, consistent, first);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            count += 1;
        }
    }
    count
}

/// A header as a key to compare: lower case, accents and punctuation dropped (`N° Facture` and
/// `n_facture` both give `nfacture`).
pub fn header_key(header: &str) -> String {
    header
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'â' | 'ä' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'î' | 'ï' => Some('i'),
            'ô' | 'ö' => Some('o'),
            'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let cases: &[(&[u8], &str, &str)] = &[
            (b"\xef\xbb\xbfNum\xc3\xa9ro", "UTF-8", "Numéro"),
            (b"Num\xc3\xa9ro", "UTF-8", "Numéro"),
            (
                b"Num\xe9ro;Montant r\xe9gl\xe9;Soci\xe9t\xe9 G\xe9n\xe9rale",
                "windows-1252",
                "Numéro;Montant réglé;Société Générale",
            ),
            (b"\xff\xfeN\x00\xe9\x00", "UTF-16LE", "Né"),
            (b"\x80 d\xfb", "windows-1252", "€ dû"),
        ];
        for (bytes, encoding, text) in cases {
            let decoded = decode(bytes).unwrap();
            assert_eq!((decoded.encoding, decoded.text.as_str()), (*encoding, *text));
        }
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"PK\x03\x04\x00\x00"), Err(DecodeError::Binary));
    }

    #[test]
    fn delimiters() {
        let cases = [
            ("a;b;c\n1;2,5;3\n", b';'),
            ("a,b,c\n1,\"2,5\",3\n", b','),
            ("a\tb\n1\t2,5\n", b'\t'),
            ("JournalCode|JournalLib\nVT|Ventes\n", b'|'),
            ("Montant\n12,5\n", b';'),
            ("seul\n", b';'),
        ];
        for (text, expected) in cases {
            assert_eq!(detect_delimiter(text) as char, expected as char, "{text:?}");
        }
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key("N° Facture"), "nfacture");
        assert_eq!(header_key("Date d'échéance"), "datedecheance");
        assert_eq!(header_key("Montant_TTC"), "montantttc");
    }
}
