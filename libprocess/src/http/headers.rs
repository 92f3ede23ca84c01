//! Header fields: names compare case-insensitively, one value per name.

use std::fmt;

/// HTTP headers as libprocess keeps them: a map with case-insensitive
/// names, one value per name, in insertion order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers {
    fields: Vec<(String, String)>,
}

impl Headers {
    /// No headers.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether `name` is set.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name` to `value`, replacing any value it had.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self
            .fields
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            Some(field) => field.1 = value,
            None => self.fields.push((name, value)),
        }
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let index = self
            .fields
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))?;
        Some(self.fields.remove(index).1)
    }

    /// How many headers are set.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether no header is set.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The headers in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Headers {
        let mut headers = Headers::new();
        for (name, value) in iter {
            headers.insert(name, value);
        }
        headers
    }
}

impl<N: Into<String>, V: Into<String>, const L: usize> From<[(N, V); L]> for Headers {
    fn from(fields: [(N, V); L]) -> Headers {
        fields.into_iter().collect()
    }
}
