//! The master's HTTP endpoints (Mesos' `src/master/http.cpp`): the v1
//! scheduler API for now.

pub(super) mod scheduler;
