//! Not an upstream suite: what `/help` serves, in libprocess' formats
//! (`HTTPTest.EndpointsHelp*` only check the status codes).

use libprocess::http::{self, Request, Url};
use libprocess::testing::await_ready;
use libprocess::{
    address, dispatch, spawn, terminate, wait, Future, Handlers, Process, RouteOptions,
};

use crate::http_test::listening;

/// A process with one route with help and one without.
struct HelpedProcess;

impl Process for HelpedProcess {
    fn id_prefix(&self) -> std::borrow::Cow<'static, str> {
        "helped".into()
    }

    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        let help = http::help::help(
            &http::help::tldr("Says hello."),
            Some(&http::help::description(&["Answers `hello`.", "Always."])),
            Some(&http::help::authentication(false)),
            None,
            None,
        );
        handlers.route_with("/hello", RouteOptions::help(help), |_: &mut Self, _| {
            Future::ready(http::ok("hello"))
        });
        handlers.route("/", |_: &mut Self, _| Future::ready(http::ok("")));
    }
}

#[test]
fn formats() {
    let _rt = listening();
    let pid = spawn(HelpedProcess);
    let id = pid.upid().id().to_string();
    await_ready(&dispatch(&pid, |_| ()));
    let help = |path: &str, agent: &str| {
        let at = address();
        let mut request = Request::new("GET", Url::new("http", at.ip(), at.port(), path));
        request.headers.insert("User-Agent", agent);
        await_ready(&http::request(request, false))
    };
    let markdown = |path: &str| {
        let response = help(path, "curl/8.5.0");
        assert_eq!(
            Some("text/x-markdown"),
            response.headers.get("Content-Type")
        );
        String::from_utf8(response.body_bytes().to_vec()).expect("text")
    };

    assert!(markdown("/help").contains(&format!("> [/{0}][{0}]\n", id)));
    assert!(markdown("/help").contains(&format!("\n[{0}]: help/{0}\n", id)));
    assert_eq!(
        format!(
            "## `/{0}` ##\n> [/{0}][{0}]\n> [/{0}/hello][{0}/hello]\n\n[{0}]: {0}\n[{0}/hello]: {0}/hello\n",
            id
        ),
        markdown(&format!("/help/{}", id))
    );
    assert_eq!(
        format!(
            "### USAGE ###\n>        /{}/hello\n\n### TL;DR; ###\nSays hello.\n\n\
             ### DESCRIPTION ###\nAnswers `hello`.\nAlways.\n\n\n\
             ### AUTHENTICATION ###\nThis endpoint does not require authentication.\n\n",
            id
        ),
        markdown(&format!("/help/{}/hello", id))
    );

    // A browser gets HTML.
    let page = help(&format!("/help/{}/hello", id), "Mozilla/5.0");
    assert_eq!(Some("text/html"), page.headers.get("Content-Type"));
    let page = String::from_utf8(page.body_bytes().to_vec()).expect("text");
    assert!(page.contains("<h3>TL;DR;</h3>"), "{}", page);
    assert!(page.contains("<code>hello</code>"), "{}", page);

    assert_eq!(400, help(&format!("/help/{}/nothing", id), "curl").code);
    terminate(&pid, false);
    wait(&pid, None);
}
