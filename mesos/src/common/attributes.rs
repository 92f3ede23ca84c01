//! An agent's attributes (`--attributes=rack:2;os:centos`), as Mesos'
//! `Attributes` class parses, compares and looks them up.

use stout::{Error, Try};

use super::values::{self, Compare};
use crate::value::{self, Ranges, Scalar, Text};
use crate::Attribute;

/// A list of attributes; equal to another when each holds the other's
/// attributes, whatever their order.
#[derive(Clone, Debug, Default)]
pub struct Attributes {
    attributes: Vec<Attribute>,
}

impl Attributes {
    /// Parses `name:value` pairs separated by `;` or newlines. A value is
    /// a scalar, ranges or text (everything after the first `:`, so
    /// `attr:foo:bar` is the text `foo:bar`); sets are not attributes.
    pub fn parse(text: &str) -> Try<Attributes> {
        let mut attributes = Attributes::default();
        for token in text.split([';', '\n']).filter(|t| !t.is_empty()) {
            match token.split_once(':') {
                Some((name, value)) if !name.is_empty() && !value.is_empty() => {
                    attributes.add(Attributes::parse_one(name, value)?);
                }
                _ => {
                    return Err(Error::new(format!(
                        "Invalid attribute key:value pair '{}'",
                        token
                    )))
                }
            }
        }
        Ok(attributes)
    }

    /// One attribute `name` with value `text`.
    pub fn parse_one(name: &str, text: &str) -> Try<Attribute> {
        let parsed = values::parse(text).map_err(|e| {
            Error::new(format!(
                "Failed to parse attribute {} text {} error {}",
                name, text, e
            ))
        })?;
        let mut attribute = Attribute {
            name: name.to_string(),
            r#type: parsed.r#type,
            ..Attribute::default()
        };
        match parsed.r#type() {
            value::Type::Scalar => attribute.scalar = parsed.scalar,
            value::Type::Ranges => attribute.ranges = parsed.ranges,
            value::Type::Text => attribute.text = parsed.text,
            value::Type::Set => {
                return Err(Error::new(format!(
                    "Bad type for attribute {} text {} type SET",
                    name, text
                )))
            }
        }
        Ok(attribute)
    }

    /// Appends `attribute`.
    pub fn add(&mut self, attribute: Attribute) {
        self.attributes.push(attribute);
    }

    /// How many attributes there are.
    pub fn len(&self) -> usize {
        self.attributes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }

    /// The attributes in order.
    pub fn iter(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes.iter()
    }

    /// The first attribute with `attribute`'s name and type.
    pub fn get(&self, attribute: &Attribute) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name == attribute.name && a.r#type == attribute.r#type)
    }

    /// Whether an attribute with the same name, type and value is here.
    pub fn contains(&self, attribute: &Attribute) -> bool {
        self.attributes.iter().any(|a| same(a, attribute))
    }

    /// The first scalar named `name`.
    pub fn scalar(&self, name: &str) -> Option<Scalar> {
        self.typed(name, value::Type::Scalar).and_then(|a| a.scalar)
    }

    /// The first ranges named `name`.
    pub fn ranges(&self, name: &str) -> Option<Ranges> {
        self.typed(name, value::Type::Ranges)
            .and_then(|a| a.ranges.clone())
    }

    /// The first text named `name`.
    pub fn text(&self, name: &str) -> Option<Text> {
        self.typed(name, value::Type::Text)
            .and_then(|a| a.text.clone())
    }

    fn typed(&self, name: &str, kind: value::Type) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name == name && a.r#type() == kind)
    }
}

/// Same name, type and (Mesos-equal) value.
fn same(a: &Attribute, b: &Attribute) -> bool {
    if a.name != b.name || a.r#type != b.r#type {
        return false;
    }
    match a.r#type() {
        value::Type::Scalar => match (&a.scalar, &b.scalar) {
            (Some(x), Some(y)) => x.equals(y),
            _ => false,
        },
        value::Type::Ranges => match (&a.ranges, &b.ranges) {
            (Some(x), Some(y)) => x.equals(y),
            _ => false,
        },
        value::Type::Text => match (&a.text, &b.text) {
            (Some(x), Some(y)) => x.equals(y),
            _ => false,
        },
        value::Type::Set => false,
    }
}

impl PartialEq for Attributes {
    fn eq(&self, other: &Attributes) -> bool {
        self.len() == other.len()
            && self.iter().all(|a| other.contains(a))
            && other.iter().all(|a| self.contains(a))
    }
}

impl FromIterator<Attribute> for Attributes {
    fn from_iter<I: IntoIterator<Item = Attribute>>(iter: I) -> Attributes {
        Attributes {
            attributes: iter.into_iter().collect(),
        }
    }
}
