//! Mesos' `version` process (`src/version/version.cpp`): `/version`
//! answers the Mesos version and how this build was made; and the build
//! information `/state` and `GET_VERSION` share.

use libprocess::http::Request;
use libprocess::{Future, Handlers, Process, RouteOptions};
use serde_json::{json, Value};

use crate::VersionInfo;

/// When and by whom this build was made (Mesos' `build::DATE`, `TIME`,
/// `USER`).
#[derive(Clone, Copy, Debug)]
pub struct Build {
    /// `YYYY-MM-DD HH:MM:SS`.
    pub date: &'static str,
    /// Seconds since the epoch.
    pub time: f64,
    /// Who built it (may be empty).
    pub user: &'static str,
}

/// This build's information.
pub fn build() -> Build {
    Build {
        date: env!("MESOS_BUILD_DATE"),
        time: env!("MESOS_BUILD_TIME").parse().unwrap_or(0.0),
        user: env!("MESOS_BUILD_USER"),
    }
}

/// `/version`'s object (Mesos' `version()`; no git fields, this build
/// does not record them).
pub fn version_json() -> Value {
    let build = build();
    json!({
        "version": crate::MESOS_VERSION,
        "build_date": build.date,
        "build_time": build.time,
        "build_user": build.user,
    })
}

/// The version and build as `GET_VERSION` answers them.
pub fn version_info() -> VersionInfo {
    let build = build();
    VersionInfo {
        version: crate::MESOS_VERSION.to_string(),
        build_date: Some(build.date.to_string()),
        build_time: Some(build.time),
        build_user: Some(build.user.to_string()),
        ..VersionInfo::default()
    }
}

/// The process serving `/version`.
#[derive(Debug, Default)]
pub struct VersionProcess;

/// The route's help.
const HELP: &str = "## TL;DR; ##\n\nProvides version information.\n\n## DESCRIPTION ##\n\n\
Example:\n\n```\n{\n  \"version\":\"0.26.0\",\n  \"build_user\":\"username\",\n  \
\"build_time\":1443894750,\n  \"build_date\":\"2015-10-04 01:52:30\"\n}\n```\n";

impl Process for VersionProcess {
    fn initialize(&mut self, handlers: &mut Handlers<Self>) {
        handlers.route_with("/", RouteOptions::help(HELP), |_, request: Request| {
            Future::ready(crate::common::http::ok_json(&version_json(), &request))
        });
    }
}

/// Spawns the `version` process unless one runs already (the master and
/// agents of `mesos-local` share one).
pub fn spawn() {
    let _ = libprocess::spawn_with_id(VersionProcess, "version");
}
