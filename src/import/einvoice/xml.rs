//! The XML layer under the e-invoice readers: the bytes decoded, then parsed into a flat, bounded list
//! of elements that the syntax readers query by path.
//!
//! A flat list (parent and children as indexes) keeps every walk iterative; the depth and the element
//! count are capped because the input is whatever the user dropped, and it is fuzzed.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// Real invoices nest about ten levels deep; a cap keeps hostile files from exhausting the stack or
/// the time spent building paths.
const MAX_DEPTH: usize = 64;
/// An EXTENDED invoice with a thousand lines has some 50 000 elements.
const MAX_ELEMENTS: usize = 200_000;

/// E-invoices are UTF-8 by the standard; a declared legacy encoding or a UTF-16 BOM is honoured, as
/// some exporters still write them.
pub(super) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        return if had_errors {
            Err(format!("caractères invalides pour l'encodage {}", encoding.name()))
        } else {
            Ok(text)
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let head = String::from_utf8_lossy(bytes.get(..200).unwrap_or(bytes)).into_owned();
    let label = head
        .split_once("encoding=")
        .and_then(|(_, rest)| rest.get(1..))
        .and_then(|rest| rest.split(['"', '\'']).next())
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    match label {
        Some(encoding) if encoding != encoding_rs::UTF_8 => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if had_errors {
                Err(format!("caractères invalides pour l'encodage {}", encoding.name()))
            } else {
                Ok(text)
            }
        }
        _ => {
            Err("le XML n'est pas en UTF-8 (caractères invalides) : ce n'est pas une facture électronique valide"
                .into())
        }
    }
}

/// One element of a parsed XML document.
struct Node {
    parent: Option<usize>,
    qname: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<usize>,
}

/// An XML document as a flat list of elements, root first: easy to query by path, nothing recursive.
pub(super) struct Doc {
    nodes: Vec<Node>,
}

/// `ram:ID` → `ID`.
fn local_name(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

impl Doc {
    pub(super) fn parse(text: &str) -> Result<Doc, String> {
        let mut reader = Reader::from_str(text.strip_prefix('\u{feff}').unwrap_or(text));
        let mut nodes: Vec<Node> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            let event = reader.read_event().map_err(|error| {
                format!(
                    "XML mal formé vers l'octet {} ({error}) : le fichier est peut-être tronqué",
                    reader.error_position()
                )
            })?;
            let (start, closes) = match event {
                Event::Start(start) => (start, false),
                Event::Empty(start) => (start, true),
                Event::End(_) => {
                    open.pop();
                    continue;
                }
                Event::Text(text) => {
                    push_text(&mut nodes, &open, &text.xml10_content());
                    continue;
                }
                Event::CData(data) => {
                    push_text(&mut nodes, &open, &data.xml10_content());
                    continue;
                }
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match &*reference {
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "amp" => "&".into(),
                            "apos" => "'".into(),
                            "quot" => "\"".into(),
                            other => format!("&{other};"),
                        },
                        Err(_) => "\u{fffd}".into(),
                    };
                    push_text(&mut nodes, &open, &resolved);
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if open.is_empty() && !nodes.is_empty() {
                return Err("XML mal formé : plusieurs éléments racine".into());
            }
            if open.len() >= MAX_DEPTH || nodes.len() >= MAX_ELEMENTS {
                return Err("XML trop profond ou trop volumineux pour une facture".into());
            }
            let attributes = start
                .attributes()
                .filter_map(Result::ok)
                .filter_map(|a| {
                    let value = a.normalized_value(XmlVersion::Implicit1_0).ok()?;
                    Some((a.key.as_ref().to_owned(), value.into_owned()))
                })
                .collect();
            let index = nodes.len();
            let parent = open.last().copied();
            if let Some(node) = parent.and_then(|p| nodes.get_mut(p)) {
                node.children.push(index);
            }
            nodes.push(Node {
                parent,
                qname: start.name().as_ref().to_owned(),
                attributes,
                text: String::new(),
                children: Vec::new(),
            });
            if !closes {
                open.push(index);
            }
        }
        if !open.is_empty() {
            return Err("XML incomplet : des éléments ne sont pas fermés, le fichier est peut-être tronqué".into());
        }
        if nodes.is_empty() {
            return Err("aucun élément XML : ce n'est pas une facture électronique".into());
        }
        Ok(Doc { nodes })
    }

    pub(super) fn local(&self, index: usize) -> &str {
        self.nodes.get(index).map_or("", |n| local_name(&n.qname))
    }

    /// The namespace of the root element, from its own declarations (that is where e-invoices put it).
    pub(super) fn root_namespace(&self) -> &str {
        let Some(root) = self.nodes.first() else { return "" };
        let key = match root.qname.split_once(':') {
            Some((prefix, _)) => format!("xmlns:{prefix}"),
            None => "xmlns".to_owned(),
        };
        root.attributes.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str())
    }

    /// The elements at `relative` (`ram:A/ram:B`, prefixes ignored) below element `from`.
    pub(super) fn select(&self, from: usize, relative: &str) -> Vec<usize> {
        let mut current = vec![from];
        for step in relative.split('/').filter(|s| !s.is_empty()) {
            let step = local_name(step);
            current = current
                .iter()
                .filter_map(|&i| self.nodes.get(i))
                .flat_map(|n| n.children.iter().copied())
                .filter(|&c| self.local(c) == step)
                .collect();
        }
        current
    }

    /// The trimmed text of an element with its whitespace runs collapsed; `None` when blank.
    pub(super) fn text(&self, index: usize) -> Option<String> {
        let text = self.nodes.get(index).map(|n| clean(&n.text)).unwrap_or_default();
        (!text.is_empty()).then_some(text)
    }

    /// The value of an attribute, by local name.
    pub(super) fn attr(&self, index: usize, name: &str) -> Option<&str> {
        let node = self.nodes.get(index)?;
        node.attributes.iter().find(|(k, _)| local_name(k) == name).map(|(_, v)| v.trim())
    }

    /// The element's path from the root, with the prefixes as written.
    pub(super) fn path(&self, index: usize) -> String {
        let mut names = Vec::new();
        let mut current = Some(index);
        while let Some(node) = current.and_then(|i| self.nodes.get(i)) {
            names.push(node.qname.as_str());
            current = node.parent;
            if names.len() > MAX_DEPTH {
                break;
            }
        }
        names.iter().rev().fold(String::new(), |path, name| path + "/" + name)
    }

    /// The first element at `relative` below the root with some text, else where it was expected.
    pub(super) fn item(&self, relative: &str) -> Item {
        let found = self.select(0, relative);
        found.iter().find_map(|&i| self.text(i).map(|text| (i, text))).map_or_else(
            || self.at(found.first().copied(), relative),
            |(i, text)| Item { text: Some(text), path: self.path(i) },
        )
    }

    /// The element `index` when there is one, else the place `relative` to the root it belongs.
    pub(super) fn at(&self, index: Option<usize>, relative: &str) -> Item {
        match index {
            Some(i) => Item { text: self.text(i), path: self.path(i) },
            None => Item { text: None, path: format!("{}/{relative}", self.path(0)) },
        }
    }

    /// The texts of every element at `relative` below the root.
    pub(super) fn texts(&self, relative: &str) -> Vec<String> {
        self.select(0, relative).into_iter().filter_map(|i| self.text(i)).collect()
    }

    /// The first identifier with text at `relative` below the root, with its `schemeID` (`0002`
    /// SIREN, `0009` SIRET…) when it says one.
    pub(super) fn identifier(&self, relative: &str) -> Option<(String, Option<String>)> {
        self.select(0, relative)
            .into_iter()
            .find_map(|i| self.text(i).map(|id| (id, self.attr(i, "schemeID").map(str::to_owned))))
    }
}

fn push_text(nodes: &mut [Node], open: &[usize], text: &str) {
    if let Some(node) = open.last().and_then(|&i| nodes.get_mut(i)) {
        node.text.push_str(text);
    }
}

/// Whitespace runs (the line breaks and tabs of pretty-printed XML) become one space.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default().trim_end()),
        None => text.to_owned(),
    }
}

/// A business term as found: its text (`None` when absent or blank) and its XML path, or the path it
/// was expected at.
#[derive(Debug, Clone, Default)]
pub(super) struct Item {
    pub(super) text: Option<String>,
    pub(super) path: String,
}

#[cfg(test)]
mod tests {
    use super::super::tests::rejected;
    use super::super::{MAX_BYTES, read};
    use super::*;

    #[test]
    fn hostile_xml_is_bounded() {
        let deep = "<a>".repeat(10_000);
        let batch = read("deep.xml", deep.as_bytes());
        assert!(rejected(&batch).reason.contains("trop profond"));
        let wide = format!("<a>{}</a>", "<b/>".repeat(MAX_ELEMENTS + 1));
        assert!(rejected(&read("wide.xml", wide.as_bytes())).reason.contains("trop volumineux"));
        let two_roots = "<CrossIndustryInvoice/><CrossIndustryInvoice/>";
        assert!(rejected(&read("two.xml", two_roots.as_bytes())).reason.contains("racine"));
        let big = vec![b' '; MAX_BYTES + 1];
        assert_eq!(rejected(&read("big.xml", &big)).field, "taille du fichier");
    }

    #[test]
    fn legacy_encodings_are_decoded() {
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9t\xe9</a>";
        assert_eq!(decode(latin).as_deref(), Ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>été</a>"));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16).as_deref(), Ok("<a>é</a>"));
    }
}
