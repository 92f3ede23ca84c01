//! Reading resources as `--resources` gives them: `cpus:2;mem:1024;
//! ports:[31000-32000];disk(role):100`, or a JSON array of `Resource`s.

#![allow(deprecated)] // JSON input may use the old `role` field.

use serde_json::Value as Json;
use stout::strings::trim;
use stout::{Error, Try};

use super::format::upgrade_resource;
use super::validate::{validate, validate_command_line};
use super::Resources;
use crate::resource::{reservation_info, ReservationInfo};
use crate::{value, Resource};

impl Resources {
    /// Parses `--resources` text or JSON, unreserved where no role is
    /// given. Every resource must be valid, and command-line resources may
    /// not be persistent volumes, revocable or dynamically reserved.
    pub fn parse(text: &str) -> Try<Resources> {
        Resources::parse_with_role(text, "*")
    }

    /// [`Resources::parse`], reserving what names no role to
    /// `default_role` (unless it is `*`).
    pub fn parse_with_role(text: &str, default_role: &str) -> Try<Resources> {
        let mut result = Resources::new();
        for resource in Resources::from_string(text, default_role)? {
            validate(&resource)?;
            result.add(std::sync::Arc::new(resource.into()));
        }
        validate_command_line(&result)?;
        Ok(result)
    }

    /// One resource from its name, value text and role: a static
    /// reservation to `role` unless it is `*`.
    pub fn parse_resource(name: &str, value: &str, role: &str) -> Try<Resource> {
        let parsed = crate::common::values::parse(value).map_err(|e| {
            Error::new(format!(
                "Failed to parse resource {} value {} error {}",
                name, value, e
            ))
        })?;
        if parsed.r#type() == value::Type::Text {
            return Err(Error::new(format!(
                "Bad type for resource {} value {} type TEXT",
                name, value
            )));
        }
        let mut reservations = Vec::new();
        if role != "*" {
            reservations.push(ReservationInfo {
                r#type: Some(reservation_info::Type::Static as i32),
                role: Some(role.to_string()),
                ..ReservationInfo::default()
            });
        }
        Ok(Resource {
            name: name.to_string(),
            r#type: parsed.r#type,
            scalar: parsed.scalar,
            ranges: parsed.ranges,
            set: parsed.set,
            reservations,
            ..Resource::default()
        })
    }

    /// Resources from a JSON array of `Resource` objects; those naming
    /// no role or reservation get `default_role`. The result is not
    /// validated.
    pub fn from_json(json: &Json, default_role: &str) -> Try<Vec<Resource>> {
        let mut resources = crate::json::parse_array::<Resource>(json)
            .map_err(|e| e.context("Some JSON resources were not formatted properly"))?;
        for resource in &mut resources {
            if resource.role.is_none() && resource.reservations.is_empty() {
                resource.role = Some(default_role.to_string());
            }
            upgrade_resource(resource);
        }
        Ok(resources)
    }

    /// Resources from `name(role):value;...` text. The result is not
    /// validated.
    pub fn from_simple_string(text: &str, default_role: &str) -> Try<Vec<Resource>> {
        let mut resources = Vec::new();
        for token in text.split(';').filter(|t| !t.is_empty()) {
            let pair: Vec<&str> = token.split(':').filter(|p| !p.is_empty()).collect();
            let [name, value] = pair[..] else {
                return Err(Error::new(format!(
                    "Bad value for resources, missing or extra ':' in {}",
                    token
                )));
            };
            let (name, role) = match name.find('(') {
                None => (trim(name), default_role),
                Some(open) => match name.find(')') {
                    Some(close) if close > open => {
                        (trim(&name[..open]), trim(&name[open + 1..close]))
                    }
                    _ => {
                        return Err(Error::new(format!(
                            "Bad value for resources, mismatched parentheses in {}",
                            token
                        )))
                    }
                },
            };
            resources.push(Resources::parse_resource(name, value, role)?);
        }
        Ok(resources)
    }

    /// [`Resources::from_json`] if `text` is a JSON array, else
    /// [`Resources::from_simple_string`].
    pub fn from_string(text: &str, default_role: &str) -> Try<Vec<Resource>> {
        match serde_json::from_str::<Json>(text) {
            Ok(json @ Json::Array(_)) => Resources::from_json(&json, default_role),
            _ => Resources::from_simple_string(text, default_role),
        }
    }
}
