//! What Mesos' tests build on (`src/tests/mesos.hpp`), for this crate's
//! tests and for anyone porting Mesos' scenarios: call matchers on
//! messages and HTTP requests, gmock-style expectations, a mock
//! scheduler (driver or v1 HTTP) and executor, the test containerizer,
//! and the master and agent started in-process (`cluster`).

mod calls;
pub mod cluster;
mod containerizer;
mod defaults;
mod executor;
mod http_scheduler;
mod mock;
mod scheduler;

pub use calls::*;
pub use containerizer::TestContainerizer;
pub use defaults::*;
pub use executor::{send_status_update_from_task, send_status_update_from_task_id, MockExecutor};
pub use http_scheduler::{test_mesos, MockHttpScheduler};
pub use mock::Expectations;
pub use scheduler::{decline_offers, launch_tasks, MockScheduler};
