//! Factur-X / ZUGFeRD 2: a PDF/A-3 whose invoice data is an embedded XML file, listed in the catalog's
//! `/Names /EmbeddedFiles` name tree and in its `/AF` (associated files) array.
//!
//! The PDF is hostile input: lopdf bounds nesting and decompression, the name tree is walked with an
//! explicit stack and a visit budget, and the whole lookup runs under `catch_unwind` in case a corner
//! of lopdf still panics on a crafted file.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Dictionary, Document, LoadOptions, Object};

use super::MAX_BYTES;

/// The names the Factur-X, ZUGFeRD 2 and XRechnung specifications give the embedded invoice,
/// compared in lower case (`ZUGFeRD-invoice.xml` included).
const INVOICE_FILE_NAMES: [&str; 3] = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"];

/// A name tree is balanced and shallow; anything deeper is crafted.
const MAX_TREE_DEPTH: usize = 16;
/// Name-tree nodes and file specifications looked at before giving up.
const MAX_VISITS: usize = 10_000;

/// Why a PDF without the attachment cannot be imported, in the user's words.
const NOT_FACTURX: &str = "ce PDF n'est pas une Factur-X (pas de fichier factur-x.xml joint) : il ne peut pas être importé \
                           comme facture électronique ; saisissez la facture à la main et joignez-lui le PDF";

/// The invoice XML found in a PDF, with the name it was attached under.
#[derive(Debug)]
pub(super) struct Embedded {
    pub(super) name: String,
    pub(super) xml: Vec<u8>,
}

/// Finds and decompresses the invoice XML a Factur-X PDF carries; the error is a reason for the user.
pub(super) fn extract(pdf: &[u8]) -> Result<Embedded, String> {
    catch_unwind(AssertUnwindSafe(|| find(pdf)))
        .unwrap_or_else(|_| Err("PDF illisible : sa structure est endommagée".to_owned()))
}

fn find(pdf: &[u8]) -> Result<Embedded, String> {
    let options = LoadOptions { max_decompressed_size: Some(MAX_BYTES), ..LoadOptions::default() };
    let doc = Document::load_mem_with_options(pdf, options)
        .map_err(|_| "PDF illisible : le fichier est tronqué ou endommagé".to_owned())?;
    let catalog =
        doc.catalog().map_err(|_| "PDF illisible : il n'a pas de catalogue (fichier endommagé)".to_owned())?;
    let mut specs: Vec<(Option<String>, &Dictionary)> = Vec::new();
    let tree = dictionary(&doc, catalog, b"Names").and_then(|names| dictionary(&doc, names, b"EmbeddedFiles"));
    if let Some(tree) = tree {
        walk_name_tree(&doc, tree, &mut specs);
    }
    if let Some(Object::Array(files)) = get(&doc, catalog, b"AF") {
        specs.extend(
            files.iter().take(MAX_VISITS).filter_map(|file| as_dictionary(&doc, file)).map(|spec| (None, spec)),
        );
    }
    for (key, spec) in specs {
        let names = [key, text(&doc, spec, b"UF"), text(&doc, spec, b"F")];
        let Some(name) = names.into_iter().flatten().find(|name| is_invoice_file(name)) else { continue };
        let Some(ef) = dictionary(&doc, spec, b"EF") else { continue };
        let stream = [b"F".as_slice(), b"UF"].into_iter().find_map(|key| match get(&doc, ef, key) {
            Some(Object::Stream(stream)) => Some(stream),
            _ => None,
        });
        let Some(stream) = stream else { continue };
        let xml = stream
            .get_plain_content_with_limit(MAX_BYTES)
            .map_err(|_| format!("le fichier {name} joint au PDF est illisible (endommagé ou trop gros)"))?;
        return Ok(Embedded { name, xml });
    }
    Err(NOT_FACTURX.to_owned())
}

/// Collects the (name, file specification) pairs of an `/EmbeddedFiles` name tree.
fn walk_name_tree<'a>(doc: &'a Document, root: &'a Dictionary, specs: &mut Vec<(Option<String>, &'a Dictionary)>) {
    let mut stack = vec![(root, 0_usize)];
    let mut visits = 0_usize;
    while let Some((node, depth)) = stack.pop() {
        visits += 1;
        if visits > MAX_VISITS {
            return;
        }
        if let Some(Object::Array(pairs)) = get(doc, node, b"Names") {
            for pair in pairs.chunks_exact(2).take(MAX_VISITS) {
                if let [key, value] = pair
                    && let Some(spec) = as_dictionary(doc, value)
                {
                    specs.push((pdf_text(doc, key), spec));
                }
            }
        }
        if depth < MAX_TREE_DEPTH
            && let Some(Object::Array(kids)) = get(doc, node, b"Kids")
        {
            stack.extend(
                kids.iter().take(MAX_VISITS).filter_map(|kid| as_dictionary(doc, kid)).map(|kid| (kid, depth + 1)),
            );
        }
    }
}

fn is_invoice_file(name: &str) -> bool {
    let name = name.trim().to_lowercase();
    INVOICE_FILE_NAMES.contains(&name.as_str())
}

/// A dictionary entry, references followed (lopdf bounds the chain).
fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let value = dict.get(key).ok()?;
    doc.dereference(value).ok().map(|(_, object)| object)
}

fn as_dictionary<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match doc.dereference(object).ok()?.1 {
        Object::Dictionary(dict) => Some(dict),
        Object::Stream(stream) => Some(&stream.dict),
        _ => None,
    }
}

fn dictionary<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    as_dictionary(doc, dict.get(key).ok()?)
}

fn text(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    pdf_text(doc, dict.get(key).ok()?)
}

/// A PDF text string: UTF-16BE with its BOM, UTF-8 with its BOM (PDF 2.0), else PDFDocEncoding,
/// which agrees with Latin-1 on every character a file name uses.
fn pdf_text(doc: &Document, object: &Object) -> Option<String> {
    let bytes = match doc.dereference(object).ok()?.1 {
        Object::String(bytes, _) | Object::Name(bytes) => bytes,
        _ => return None,
    };
    Some(if let Some(utf16) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair.first().copied().unwrap_or(0), pair.last().copied().unwrap_or(0)]));
        char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
    } else if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(utf8).into_owned()
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::super::tests::{fixture, rejected};
    use super::*;

    #[test]
    fn every_sample_carries_its_xml() {
        for name in [
            "Avoir_FR_type380_EN16931",
            "Avoir_FR_type381_BASIC",
            "EN16931_Einfach",
            "EN16931_Einfach_DueDate",
            "EN16931_Gutschrift",
            "Facture_FR_BASICWL",
            "Facture_FR_EN16931",
            "Facture_FR_MINIMUM",
            "Facture_UE_BASICWL",
        ] {
            let embedded = extract(&fixture(&format!("factur-x/{name}.pdf"))).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(embedded.name, "factur-x.xml");
            assert!(embedded.xml.windows(20).any(|w| w == b"CrossIndustryInvoice"), "{name}");
        }
        let cii = fixture("cii/EN16931_Einfach.cii.xml");
        let embedded = extract(&fixture("factur-x/EN16931_Einfach.pdf")).map(|e| e.xml).unwrap_or_default();
        let lines = |bytes: &[u8]| String::from_utf8_lossy(bytes).lines().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(lines(&embedded), lines(&cii), "the bare CII is the embedded one");
    }

    /// A PDF carrying `xml` under `name`, compressed, listed through a two-level `/EmbeddedFiles`
    /// name tree (`/Kids`) when `tree`, else only in the catalog's `/AF` array.
    fn pdf_with(name: &str, xml: &[u8], tree: bool) -> Vec<u8> {
        use lopdf::{Stream, StringFormat, dictionary};
        let mut doc = Document::with_version("1.7");
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(xml, 6);
        let file = doc
            .add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile", "Filter" => "FlateDecode" }, compressed));
        let key = || Object::String(name.as_bytes().to_vec(), StringFormat::Literal);
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec", "F" => key(), "UF" => key(), "AFRelationship" => "Alternative",
            "EF" => dictionary! { "F" => file },
        });
        let mut catalog = dictionary! { "Type" => "Catalog" };
        if tree {
            let leaf = doc.add_object(dictionary! { "Names" => vec![key(), spec.into()] });
            let kids = doc.add_object(dictionary! { "Kids" => vec![leaf.into()] });
            catalog.set("Names", dictionary! { "EmbeddedFiles" => kids });
        } else {
            catalog.set("AF", vec![Object::Reference(spec)]);
        }
        let root = doc.add_object(catalog);
        doc.trailer.set("Root", root);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("an in-memory PDF");
        bytes
    }

    #[test]
    fn the_xml_is_found_by_tree_or_associated_files() {
        let cii = fixture("cii/EN16931_Einfach.cii.xml");
        let ubl = fixture("ubl/EN16931_Einfach.ubl.xml");
        for (name, xml, tree, path) in [
            ("ZUGFeRD-invoice.xml", &cii, true, "ZUGFeRD-invoice.xml:/rsm:CrossIndustryInvoice"),
            ("factur-x.xml", &cii, false, "factur-x.xml:/rsm:CrossIndustryInvoice"),
            ("xrechnung.xml", &ubl, true, "xrechnung.xml:/Invoice"),
        ] {
            let pdf = pdf_with(name, xml, tree);
            let batch = read("facture.pdf", &pdf);
            let [invoice] = batch.invoices.as_slice() else { panic!("{name}: {batch:?}") };
            assert_eq!((invoice.number.as_str(), invoice.origin.path.as_deref()), ("471102", Some(path)));
            assert_eq!(
                invoice.attachment.as_ref().map(|a| (a.file_name.as_str(), a.bytes.len())),
                Some(("facture.pdf", pdf.len()))
            );
        }
        let broken = String::from_utf8_lossy(&cii).replacen("<ram:ID>471102</ram:ID>", "", 1);
        let batch = read("facture.pdf", &pdf_with("factur-x.xml", broken.as_bytes(), true));
        let path = "factur-x.xml:/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID";
        assert_eq!(rejected(&batch).origin.path.as_deref(), Some(path));
        let batch = read("facture.pdf", &pdf_with("factur-x.xml", b"<html/>", false));
        assert_eq!(rejected(&batch).origin.path.as_deref(), Some("factur-x.xml:/html"));
        let batch = read("facture.pdf", &pdf_with("invoice.xml", &cii, true));
        assert!(rejected(&batch).reason.contains("n'est pas une Factur-X"));
    }

    #[test]
    fn names_are_compared_case_insensitively() {
        assert!(is_invoice_file("ZUGFeRD-invoice.xml"));
        assert!(is_invoice_file("Factur-X.XML"));
        assert!(is_invoice_file("xrechnung.xml"));
        assert!(!is_invoice_file("invoice.xml"));
        let doc = Document::new();
        let utf16 = Object::String(b"\xFE\xFF\x00f\x00a\x00c".to_vec(), lopdf::StringFormat::Hexadecimal);
        assert_eq!(pdf_text(&doc, &utf16).as_deref(), Some("fac"));
        let odd = Object::String(b"\xFE\xFF\x00".to_vec(), lopdf::StringFormat::Literal);
        assert_eq!(pdf_text(&doc, &odd).as_deref(), Some(""));
    }

    #[test]
    fn broken_and_plain_pdfs_are_refused() {
        let plain = read("broken/plain.pdf", &fixture("broken/plain.pdf"));
        let rejection = rejected(&plain);
        assert!(rejection.reason.contains("n'est pas une Factur-X"), "{rejection}");
        assert_eq!(rejection.origin.file, "broken/plain.pdf");
        let other = read("other-attachment.pdf", &fixture("broken/other-attachment.pdf"));
        assert_eq!(rejected(&other).reason, rejection.reason, "notes.txt is not an invoice");
        let truncated = read("truncated.pdf", &fixture("broken/truncated.pdf"));
        assert!(rejected(&truncated).reason.contains("PDF"), "{}", rejected(&truncated));
        let whole = fixture("factur-x/Facture_FR_EN16931.pdf");
        for cut in [0, 5, 100, 1000, whole.len() / 2, whole.len().saturating_sub(1000), whole.len().saturating_sub(10)]
        {
            let mut bytes = b"%PDF-1.7\n".to_vec();
            bytes.extend(whole.get(cut..).unwrap_or_default());
            let batch = read("x.pdf", &bytes);
            assert_eq!(batch.len() + batch.rejected.len(), 1, "{cut}");
            let batch = read("y.pdf", whole.get(..cut).unwrap_or_default());
            assert_eq!(batch.len() + batch.rejected.len(), 1, "{cut}");
        }
        let garbage: Vec<u8> = b"%PDF-1.4\n"
            .iter()
            .copied()
            .chain((0..5000_u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8))
            .collect();
        assert!(rejected(&read("garbage.pdf", &garbage)).reason.contains("PDF"));
    }
}
