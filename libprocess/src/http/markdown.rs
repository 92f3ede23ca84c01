//! A small Markdown to HTML renderer for the help pages: the subset help
//! texts use (headings, block quotes, code blocks and fences, paragraphs
//! with line breaks, inline code, `*` emphasis, inline and reference
//! links).
//! Everything else is shown as text, HTML-escaped.

use std::collections::HashMap;
use std::fmt::Write as _;

/// Renders `markdown` as HTML.
pub(crate) fn render(markdown: &str) -> String {
    // Reference definitions (`[label]: url`) are taken out first.
    let mut links = HashMap::new();
    let mut lines = Vec::new();
    for line in markdown.lines() {
        match definition(line) {
            Some((label, url)) => {
                links.insert(label.to_lowercase(), url.to_string());
            }
            None => lines.push(line),
        }
    }
    let mut out = String::new();
    render_blocks(&lines, &links, &mut out);
    out
}

/// `[label]: url`
fn definition(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (label, rest) = rest.split_once("]:")?;
    let url = rest.trim();
    (!label.is_empty() && !url.is_empty() && !url.contains(char::is_whitespace))
        .then_some((label, url))
}

fn render_blocks(lines: &[&str], links: &HashMap<String, String>, out: &mut String) {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
        } else if line.trim_start().starts_with("```") {
            let end = lines[i + 1..]
                .iter()
                .position(|l| l.trim_start().starts_with("```"))
                .map_or(lines.len(), |at| i + 1 + at);
            code(&lines[i + 1..end], out);
            i = end + 1;
        } else if let Some((depth, text)) = heading(line) {
            let _ = writeln!(out, "<h{0}>{1}</h{0}>", depth, inline(text, links));
            i += 1;
        } else if line.starts_with("    ") {
            let end = take_while(lines, i, |l| l.starts_with("    ") || l.trim().is_empty());
            let block: Vec<&str> = lines[i..end]
                .iter()
                .map(|l| l.get(4..).unwrap_or(""))
                .collect();
            code(&block, out);
            i = end;
        } else if line.trim_start().starts_with('>') {
            let end = take_while(lines, i, |l| l.trim_start().starts_with('>'));
            let quoted: Vec<&str> = lines[i..end]
                .iter()
                .map(|l| {
                    let l = l.trim_start().trim_start_matches('>');
                    l.strip_prefix(' ').unwrap_or(l)
                })
                .collect();
            out.push_str("<blockquote>\n");
            render_blocks(&quoted, links, out);
            out.push_str("</blockquote>\n");
            i = end;
        } else {
            let end = take_while(lines, i, |l| {
                !l.trim().is_empty()
                    && heading(l).is_none()
                    && !l.trim_start().starts_with('>')
                    && !l.trim_start().starts_with("```")
            });
            let text: Vec<String> = lines[i..end].iter().map(|l| inline(l, links)).collect();
            // Line breaks are kept, as the help pages always did.
            let _ = writeln!(out, "<p>{}</p>", text.join("<br>\n"));
            i = end.max(i + 1);
        }
    }
}

/// The end of the run of lines from `start` that `keep` accepts.
fn take_while(lines: &[&str], start: usize, keep: impl Fn(&str) -> bool) -> usize {
    lines[start..]
        .iter()
        .position(|l| !keep(l))
        .map_or(lines.len(), |at| start + at)
}

fn code(lines: &[&str], out: &mut String) {
    let text = lines.join("\n");
    let _ = writeln!(
        out,
        "<pre><code>{}</code></pre>",
        escape(text.trim_end_matches('\n'))
    );
}

/// `### Title ###` (closing hashes optional), depth 1 to 6.
fn heading(line: &str) -> Option<(usize, &str)> {
    let line = line.trim_start();
    let depth = line.bytes().take_while(|b| *b == b'#').count();
    if depth == 0 || depth > 6 {
        return None;
    }
    let text = line[depth..].strip_prefix(' ')?;
    Some((depth, text.trim().trim_end_matches('#').trim_end()))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline code, links and emphasis in one line.
fn inline(text: &str, links: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                let _ = write!(out, "<code>{}</code>", escape(after[..end].trim()));
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some((html, used)) = link(rest, links) {
            out.push_str(&html);
            rest = &rest[used..];
            continue;
        }
        if let Some((html, used)) = emphasis(rest, links) {
            out.push_str(&html);
            rest = &rest[used..];
            continue;
        }
        let next = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| matches!(c, '`' | '[' | '*'))
            .map_or(rest.len(), |(at, _)| at);
        out.push_str(&escape(&rest[..next]));
        rest = &rest[next..];
    }
    out
}

/// `[text](url)`, `[text][label]` or `[label]` with a definition; the
/// HTML and how many bytes it took.
fn link(text: &str, links: &HashMap<String, String>) -> Option<(String, usize)> {
    let after = text.strip_prefix('[')?;
    let close = after.find(']')?;
    let label = &after[..close];
    let tail = &after[close + 1..];
    let (url, used) = if let Some(inner) = tail.strip_prefix('(') {
        let end = inner.find(')')?;
        (inner[..end].trim().to_string(), 1 + close + 1 + 1 + end + 1)
    } else if let Some(inner) = tail.strip_prefix('[') {
        let end = inner.find(']')?;
        let reference = if inner[..end].is_empty() {
            label
        } else {
            &inner[..end]
        };
        let url = links.get(&reference.to_lowercase())?.clone();
        (url, 1 + close + 1 + 1 + end + 1)
    } else {
        (links.get(&label.to_lowercase())?.clone(), 1 + close + 1)
    };
    Some((
        format!("<a href=\"{}\">{}</a>", escape(&url), inline(label, links)),
        used,
    ))
}

/// `**strong**` or `*em*` (not underscores: help texts are full of
/// names like `framework_id`).
fn emphasis(text: &str, links: &HashMap<String, String>) -> Option<(String, usize)> {
    for (marker, tag) in [("**", "strong"), ("*", "em")] {
        let Some(after) = text.strip_prefix(marker) else {
            continue;
        };
        if after.starts_with(char::is_whitespace) {
            continue;
        }
        if let Some(end) = after.find(marker).filter(|end| *end > 0) {
            let html = format!("<{0}>{1}</{0}>", tag, inline(&after[..end], links));
            return Some((html, marker.len() * 2 + end));
        }
    }
    None
}
