//! Endpoint help (libprocess' `process/help.hpp`): the text routes are
//! installed with, served at `/help`, and the helpers that format it.
//!
//! `/help` lists the processes that have routes, `/help/<id>` the routes
//! of one, `/help/<id>/<route>` the help of one route; `/help?format=json`
//! gives everything as JSON. The help is Markdown: `curl` and `HTTPie`
//! get it as `text/x-markdown`, anything else (a browser) as an HTML
//! page.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{bad_request, ok, ok_json, Request, Response};

/// The id `/help` answers for (no process has it).
pub(crate) const HELP: &str = "help";

/// The usual layout of a route's help: a one-line summary, then the
/// optional sections, each under its Markdown heading (libprocess'
/// `HELP`).
pub fn help(
    tldr: &str,
    description: Option<&str>,
    authentication: Option<&str>,
    authorization: Option<&str>,
    references: Option<&str>,
) -> String {
    let mut help = format!("### TL;DR; ###\n{}", tldr);
    if !help.ends_with('\n') {
        help.push('\n');
    }
    for (title, section) in [
        ("DESCRIPTION", description),
        ("AUTHENTICATION", authentication),
        ("AUTHORIZATION", authorization),
    ] {
        if let Some(section) = section {
            let _ = write!(help, "\n### {} ###\n{}", title, section);
        }
    }
    if !help.ends_with('\n') {
        help.push('\n');
    }
    if let Some(references) = references {
        help.push('\n');
        help.push_str(references);
    }
    help
}

/// A usage line: `>        <usage>` (libprocess' `USAGE`).
pub fn usage(usage: &str) -> String {
    format!(">        {}\n", usage)
}

/// The summary, ended by a newline (libprocess' `TLDR`).
pub fn tldr(tldr: &str) -> String {
    format!("{}\n", tldr)
}

/// Lines joined by newlines and followed by an empty line (libprocess'
/// `DESCRIPTION`).
pub fn description(lines: &[&str]) -> String {
    lines_then_blank(lines)
}

/// Whether the endpoint asks for authentication (libprocess'
/// `AUTHENTICATION`).
pub fn authentication(required: bool) -> String {
    if required {
        "This endpoint requires authentication iff HTTP authentication is\nenabled.\n".to_string()
    } else {
        "This endpoint does not require authentication.\n".to_string()
    }
}

/// Lines as [`description`] (libprocess' `AUTHORIZATION`).
pub fn authorization(lines: &[&str]) -> String {
    lines_then_blank(lines)
}

/// Lines as [`description`] (libprocess' `REFERENCES`).
pub fn references(lines: &[&str]) -> String {
    lines_then_blank(lines)
}

fn lines_then_blank(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push_str("\n\n");
    text
}

/// The help of every route, by process id and route name (`/a/b`).
#[derive(Default)]
pub(crate) struct Registry {
    helps: BTreeMap<String, BTreeMap<String, String>>,
}

/// `<id><name>` less a trailing `/`: what a route is reached at.
fn usage_path(id: &str, name: &str) -> String {
    let path = format!("{}{}", id, name);
    match path.strip_suffix('/') {
        Some(path) => path.to_string(),
        None => path,
    }
}

impl Registry {
    /// Records route `name` of process `id`, with its help or a note that
    /// it has none; `delegate` is the process that also answers at `/`.
    pub(crate) fn add(&mut self, id: &str, name: &str, help: Option<&str>, delegate: Option<&str>) {
        if id == HELP || id == super::server::PROCESSES {
            return;
        }
        let path = format!("/{}", usage_path(id, name));
        let text = match help {
            Some(help) => {
                let mut text = "### USAGE ###\n".to_string();
                // The delegate's routes answer without the id too.
                if delegate == Some(id) {
                    text.push_str(&usage(&usage_path("", name)));
                }
                text.push_str(&usage(&path));
                text.push('\n');
                text.push_str(help);
                text
            }
            None => format!("## No help page for `{}`\n", path),
        };
        self.helps
            .entry(id.to_string())
            .or_default()
            .insert(name.to_string(), text);
    }

    /// Forgets every route of process `id`.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        self.helps.remove(id).is_some()
    }

    fn json(&self) -> serde_json::Value {
        let processes: Vec<serde_json::Value> = self
            .helps
            .iter()
            .map(|(id, names)| {
                let endpoints: Vec<serde_json::Value> = names
                    .iter()
                    .map(|(name, text)| serde_json::json!({"name": name, "text": text}))
                    .collect();
                serde_json::json!({"id": id, "endpoints": endpoints})
            })
            .collect();
        serde_json::json!({ "processes": processes })
    }

    /// Answers `/help`, `/help/<id>` and `/help/<id>/<route>`.
    pub(crate) fn serve(&self, request: &Request) -> Response {
        // `help`, the id, then the rest (a route name may have slashes).
        let mut tokens = request.url.path.split('/').filter(|t| !t.is_empty());
        let _help = tokens.next();
        let id = tokens.next().map(decode);
        let rest: Vec<&str> = tokens.collect();
        let name = (!rest.is_empty()).then(|| decode(&rest.join("/")));

        let mut document = String::new();
        let mut references = String::new();
        match (id, name) {
            (None, _) => {
                if request.url.query.get("format").map(String::as_str) == Some("json") {
                    return ok_json(self.json(), None);
                }
                document.push_str("## HELP\n");
                for id in self.helps.keys() {
                    let _ = writeln!(document, "> [/{}][{}]", id, id);
                    let _ = writeln!(references, "[{}]: help/{}", id, id);
                }
            }
            (Some(id), None) => {
                let Some(names) = self.helps.get(&id) else {
                    return bad_request(Some(format!("No help available for '/{}'.\n", id)));
                };
                let _ = writeln!(document, "## `/{}` ##", id);
                for name in names.keys() {
                    let path = usage_path(&id, name);
                    let _ = writeln!(document, "> [/{}][{}]", path, path);
                    let _ = writeln!(references, "[{}]: {}", path, path);
                }
            }
            (Some(id), Some(name)) => {
                let Some(names) = self.helps.get(&id) else {
                    return bad_request(Some(format!("No help available for '/{}'.\n", id)));
                };
                let Some(text) = names.get(&format!("/{}", name)) else {
                    return bad_request(Some(format!(
                        "No help available for '/{}/{}'.\n",
                        id, name
                    )));
                };
                document.push_str(text);
            }
        }
        let markdown = format!("{}\n{}", document, references);

        // Command line tools get the Markdown itself.
        let agent = request.headers.get("User-Agent").unwrap_or_default();
        if agent.starts_with("curl") || agent.starts_with("HTTPie") {
            let mut response = ok(markdown);
            response.headers.insert("Content-Type", "text/x-markdown");
            return response;
        }
        let mut response = ok(html(&markdown));
        response.headers.insert("Content-Type", "text/html");
        response
    }
}

/// A path segment, percent-decoded when it decodes.
fn decode(segment: &str) -> String {
    crate::wire::percent_decode(segment).unwrap_or_else(|_| segment.to_string())
}

/// The help page a browser gets: the Markdown rendered.
fn html(markdown: &str) -> String {
    format!(
        "<html><head><title>Help</title><style>\
         body {{ font-family: Helvetica, arial, sans-serif; font-size: 14px; \
         line-height: 1.6; background-color: white; padding: 30px; }} \
         blockquote {{ border-left: 5px solid #dddddd; padding: 0 10px; \
         color: #777777; margin: 0 0 20px; }} \
         a {{ color: #0088cc; text-decoration: none; }}\
         </style></head><body>\n{}</body></html>",
        super::markdown::render(markdown)
    )
}
