//! The resource gauges the master and the agent both publish:
//! `<resource>_{total,used,percent}` and their `_revocable_` forms, for
//! each scalar resource Mesos counts. Named and read back in one place.

/// The scalar resources with gauges.
const RESOURCES: [&str; 4] = ["cpus", "gpus", "mem", "disk"];

/// What a resource gauge measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Total,
    Used,
    Percent,
}

const KINDS: [(&str, Kind); 3] = [
    ("total", Kind::Total),
    ("used", Kind::Used),
    ("percent", Kind::Percent),
];

/// One resource gauge, as its name says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Gauge {
    pub(crate) resource: &'static str,
    pub(crate) revocable: bool,
    pub(crate) kind: Kind,
}

impl Gauge {
    /// Its value from the resource's total and use.
    pub(crate) fn value(&self, total: f64, used: f64) -> f64 {
        match self.kind {
            Kind::Total => total,
            Kind::Used => used,
            Kind::Percent if total == 0.0 => 0.0,
            Kind::Percent => used / total,
        }
    }
}

/// Every resource gauge's name, each after `prefix`.
pub(crate) fn names(prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for resource in RESOURCES {
        for (kind, _) in KINDS {
            names.push(format!("{prefix}{resource}_{kind}"));
            names.push(format!("{prefix}{resource}_revocable_{kind}"));
        }
    }
    names
}

/// The gauge `name` (without its prefix) names, if it is one.
pub(crate) fn parse(name: &str) -> Option<Gauge> {
    let (resource, rest) = RESOURCES.iter().find_map(|resource| {
        name.strip_prefix(resource)
            .and_then(|rest| rest.strip_prefix('_'))
            .map(|rest| (*resource, rest))
    })?;
    let (revocable, rest) = match rest.strip_prefix("revocable_") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let kind = KINDS.iter().find(|(text, _)| *text == rest)?.1;
    Some(Gauge {
        resource,
        revocable,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back() {
        let names = names("");
        assert_eq!(24, names.len());
        for name in &names {
            assert!(parse(name).is_some(), "{name}");
        }
        assert_eq!(
            Some(Gauge {
                resource: "mem",
                revocable: true,
                kind: Kind::Percent
            }),
            parse("mem_revocable_percent")
        );
        assert_eq!(None, parse("mem_free"));
        assert_eq!(None, parse("ports_total"));
        assert_eq!(
            0.0,
            parse("cpus_percent").map_or(1.0, |g| g.value(0.0, 0.0))
        );
    }
}
