//! Mesos' AgentValidationTest (src/tests/slave_validation_tests.cpp): the
//! tests of the checks shared with the master, on secrets and
//! environments.

use bytes::Bytes;
use mesos::common::validation::{validate_environment, validate_secret};
use mesos::environment::{variable, Variable};
use mesos::secret::{self, Reference};
use mesos::{Environment, Secret};

use crate::validation_helpers::*;

fn value_of(data: &'static [u8]) -> secret::Value {
    secret::Value {
        data: Bytes::from_static(data),
    }
}

fn reference_to(name: &str) -> Reference {
    Reference {
        name: name.to_string(),
        key: None,
    }
}

/// A secret of VALUE type holding `SECRET_VALUE`.
fn secret_value() -> Secret {
    Secret {
        r#type: Some(secret::Type::Value as i32),
        value: Some(value_of(b"SECRET_VALUE")),
        ..Secret::default()
    }
}

#[test]
fn secret() {
    // VALUE type.
    {
        let mut secret = Secret {
            r#type: Some(secret::Type::Value as i32),
            ..Secret::default()
        };

        assert_error(
            validate_secret(&secret),
            "Secret of type VALUE must have the 'value' field set",
        );

        secret.value = Some(value_of(b"SECRET_VALUE"));
        secret.reference = Some(reference_to("SECRET_NAME"));

        assert_error(
            validate_secret(&secret),
            "Secret of type VALUE must not have the 'reference' field set",
        );

        secret.reference = None;
        assert_ok(validate_secret(&secret));
    }

    // REFERENCE type.
    {
        let mut secret = Secret {
            r#type: Some(secret::Type::Reference as i32),
            ..Secret::default()
        };

        assert_error(
            validate_secret(&secret),
            "Secret of type REFERENCE must have the 'reference' field set",
        );

        secret.reference = Some(reference_to("SECRET_NAME"));
        secret.value = Some(value_of(b"SECRET_VALUE"));

        assert_error(
            validate_secret(&secret),
            "Secret 'SECRET_NAME' of type REFERENCE must not have the 'value' field set",
        );

        secret.value = None;
        assert_ok(validate_secret(&secret));
    }
}

#[test]
fn environment() {
    // SECRET type.
    {
        let mut environment = Environment {
            variables: vec![Variable {
                name: "ENV_VAR_KEY".to_string(),
                r#type: Some(variable::Type::Secret as i32),
                ..Variable::default()
            }],
        };

        assert_error(
            validate_environment(&environment),
            "Environment variable 'ENV_VAR_KEY' of type 'SECRET' must have a secret set",
        );

        environment.variables[0].secret = Some(secret_value());
        environment.variables[0].value = Some("ENV_VAR_VALUE".to_string());

        assert_error(
            validate_environment(&environment),
            "Environment variable 'ENV_VAR_KEY' of type 'SECRET' must not have a value set",
        );

        environment.variables[0].value = None;
        if let Some(secret) = &mut environment.variables[0].secret {
            secret.value = Some(value_of(b"ab\0cd"));
        }

        assert_error(
            validate_environment(&environment),
            "Environment variable 'ENV_VAR_KEY' specifies a secret containing null bytes, which \
             is not allowed in the environment",
        );

        if let Some(secret) = &mut environment.variables[0].secret {
            secret.value = Some(value_of(b"SECRET_VALUE"));
        }
        assert_ok(validate_environment(&environment));
    }

    // VALUE type, the default: not set here.
    {
        let mut environment = Environment {
            variables: vec![Variable {
                name: "ENV_VAR_KEY".to_string(),
                ..Variable::default()
            }],
        };

        assert_error(
            validate_environment(&environment),
            "Environment variable 'ENV_VAR_KEY' of type 'VALUE' must have a value set",
        );

        environment.variables[0].value = Some("ENV_VAR_VALUE".to_string());
        environment.variables[0].secret = Some(secret_value());

        assert_error(
            validate_environment(&environment),
            "Environment variable 'ENV_VAR_KEY' of type 'VALUE' must not have a secret set",
        );

        environment.variables[0].secret = None;
        assert_ok(validate_environment(&environment));
    }

    // UNKNOWN type.
    {
        let environment = Environment {
            variables: vec![Variable {
                name: "ENV_VAR_KEY".to_string(),
                r#type: Some(variable::Type::Unknown as i32),
                value: Some("ENV_VAR_VALUE".to_string()),
                ..Variable::default()
            }],
        };

        assert_error(
            validate_environment(&environment),
            "Environment variable of type 'UNKNOWN' is not allowed",
        );
    }
}
