//! The letter as HTML: the rich part of a reminder e-mail, and the page WeasyPrint renders in the
//! benchmark that compares both PDF engines on the same letter.

use super::model::{Align, Block, Letter};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
    out
}

/// A complete HTML document. `print` adds the A4 page rules (for a PDF engine); without it the
/// page suits an e-mail.
pub fn render(letter: &Letter, print: bool) -> String {
    let mut html = String::with_capacity(8192);
    html.push_str("<!DOCTYPE html>\n<html lang=\"");
    html.push_str(&letter.lang[..2]);
    html.push_str("\"><head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape(&letter.title));
    html.push_str("</title><style>");
    if print {
        html.push_str("@page{size:A4;margin:15mm 20mm 25mm 20mm;@bottom-center{content:\"");
        html.push_str(&letter.legal_mentions.replace('"', "'"));
        html.push_str("\";font-family:'Liberation Sans',Arial,sans-serif;font-size:7pt;color:#555}}");
        html.push_str(".window{position:absolute;left:90mm;top:37mm;width:78mm}");
    }
    html.push_str(
        "body{font-family:'Liberation Sans',Arial,sans-serif;font-size:10pt;color:#000;max-width:170mm}\
         .sender b{font-size:11pt}.date{text-align:right;margin-top:45mm}.subject{font-weight:bold}\
         table{width:100%;border-collapse:collapse;font-size:9pt}th{background:#e6e6e6;text-align:left}\
         th,td{padding:3pt;border-bottom:0.4pt solid #bbb}.r{text-align:right}.total td{font-weight:bold}\
         .figures td{border:none}.basis{font-size:7.5pt;color:#555}.pay{border:0.6pt solid #999;padding:6pt}\
         .sign{margin-top:12pt;text-align:right}.legal{font-size:7pt;color:#555;margin-top:16pt}",
    );
    html.push_str("</style></head><body>\n<div class=\"sender\">");
    for (index, line) in letter.sender.iter().enumerate() {
        if index == 0 {
            html.push_str(&format!("<b>{}</b><br>", escape(line)));
        } else {
            html.push_str(&format!("{}<br>", escape(line)));
        }
    }
    html.push_str("</div>\n<div class=\"window\">");
    for (index, line) in letter.recipient.iter().enumerate() {
        let line = escape(line);
        html.push_str(&if index == 0 { format!("<b>{line}</b><br>") } else { format!("{line}<br>") });
    }
    html.push_str(&format!("</div>\n<p class=\"date\">{}</p>\n", escape(&letter.place_date)));
    if let Some(registered) = &letter.registered {
        html.push_str(&format!("<p><b>{}</b></p>\n", escape(registered)));
    }
    for reference in &letter.references {
        html.push_str(&format!("<p>{}</p>\n", escape(reference)));
    }
    html.push_str(&format!("<p class=\"subject\">{}</p>\n", escape(&letter.subject)));
    if !letter.salutation.is_empty() {
        html.push_str(&format!("<p>{}</p>\n", escape(&letter.salutation)));
    }
    for block in &letter.blocks {
        match block {
            Block::Paragraph { text } => html.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Table(table) => {
                html.push_str("<table><thead><tr>");
                for column in &table.columns {
                    let class = if column.align == Align::Right { " class=\"r\"" } else { "" };
                    html.push_str(&format!("<th{class}>{}</th>", escape(&column.title)));
                }
                html.push_str("</tr></thead><tbody>");
                let rows = table.rows.iter().map(|r| (r, false)).chain(table.total.iter().map(|r| (r, true)));
                for (row, total) in rows {
                    html.push_str(if total { "<tr class=\"total\">" } else { "<tr>" });
                    for (cell, column) in row.iter().zip(&table.columns) {
                        let class = if column.align == Align::Right { " class=\"r\"" } else { "" };
                        html.push_str(&format!("<td{class}>{}</td>", escape(cell)));
                    }
                    html.push_str("</tr>");
                }
                html.push_str("</tbody></table>\n");
            }
            Block::Figures { lines } => {
                html.push_str("<table class=\"figures\">");
                for line in lines {
                    let (open, close) = if line.strong { ("<b>", "</b>") } else { ("", "") };
                    html.push_str(&format!("<tr><td>{open}{}{close}", escape(&line.label)));
                    if let Some(basis) = &line.basis {
                        html.push_str(&format!("<div class=\"basis\">{}</div>", escape(basis)));
                    }
                    html.push_str(&format!("</td><td class=\"r\">{open}{}{close}</td></tr>", escape(&line.amount)));
                }
                html.push_str("</table>\n");
            }
            Block::Payment(payment) => {
                html.push_str(&format!("<div class=\"pay\"><b>{}</b><br>", escape(&payment.heading)));
                for line in &payment.lines {
                    html.push_str(&format!("{}<br>", escape(line)));
                }
                html.push_str("</div>\n");
            }
        }
    }
    for signature in &letter.signatures {
        html.push_str(&format!("<p class=\"sign\">{}<br><b>{}</b>", escape(&signature.role), escape(&signature.name)));
        if let Some(title) = &signature.title {
            html.push_str(&format!("<br>{}", escape(title)));
        }
        html.push_str("</p>\n");
    }
    if !print {
        html.push_str(&format!("<p class=\"legal\">{}</p>\n", escape(&letter.legal_mentions)));
    }
    html.push_str("</body></html>\n");
    html
}
