//! What the validation suites need beyond `helpers`: more of Mesos'
//! `src/tests/mesos.hpp` (`DEFAULT_EXECUTOR_INFO`,
//! `DEFAULT_FRAMEWORK_INFO`), `allocatedResources` of
//! `src/tests/resources_utils.hpp`, and the gtest assertions on
//! `Option<Error>`.

#![allow(dead_code)] // Each suite uses some of them.

use mesos::framework_info::{self, capability};
use mesos::{CommandInfo, ExecutorId, ExecutorInfo, Resources};
use stout::Try;

/// `allocatedResources(resources, role)`: the resources allocated to
/// `role`.
pub(crate) fn allocated_resources(resources: impl Into<Resources>, role: &str) -> Resources {
    let mut allocated = resources.into();
    allocated.allocate(role);
    allocated
}

/// `DEFAULT_EXECUTOR_INFO`: executor `default`, running `exit 1`.
pub(crate) fn default_executor_info() -> ExecutorInfo {
    ExecutorInfo {
        executor_id: ExecutorId {
            value: "default".to_string(),
        },
        command: Some(CommandInfo {
            value: Some("exit 1".to_string()),
            ..CommandInfo::default()
        }),
        ..ExecutorInfo::default()
    }
}

/// A framework capability of the given type.
pub(crate) fn framework_capability(kind: capability::Type) -> framework_info::Capability {
    framework_info::Capability {
        r#type: Some(kind as i32),
    }
}

/// `EXPECT_NONE(error)`, showing the error if there is one.
#[track_caller]
pub(crate) fn assert_ok(result: Try<()>) {
    if let Err(error) = result {
        panic!("unexpected error: {error}");
    }
}

/// `ASSERT_SOME(error); EXPECT_TRUE(strings::contains(error->message,
/// expected))`.
#[track_caller]
pub(crate) fn assert_error_contains(result: Try<()>, expected: &str) {
    match result {
        Ok(()) => panic!("no error, expected one containing {expected:?}"),
        Err(error) => assert!(
            error.message().contains(expected),
            "{:?} does not contain {:?}",
            error.message(),
            expected
        ),
    }
}

/// `EXPECT_SOME_EQ(Error(expected), error)`: the error's message is
/// exactly `expected`.
#[track_caller]
pub(crate) fn assert_error(result: Try<()>, expected: &str) {
    match result {
        Ok(()) => panic!("no error, expected {expected:?}"),
        Err(error) => assert_eq!(error.message(), expected),
    }
}
