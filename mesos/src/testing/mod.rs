//! What Mesos' tests build on (`src/tests/mesos.hpp`), for this crate's
//! tests and for anyone porting Mesos' scenarios: call matchers on
//! messages and HTTP requests, and gmock-style expectations for mock
//! schedulers, executors and containerizers.

mod calls;
mod mock;

pub use calls::*;
pub use mock::Expectations;
