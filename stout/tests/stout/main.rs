//! stout's own test suites, ported by name: `DurationTest.ParseAndTry`
//! is `duration_test::parse_and_try`.

mod bytes_test;
mod duration_test;
mod flags_file_test;
mod flags_test;
mod fs_test;
mod json_test;
mod net_test;
mod os_test;
mod path_test;
mod protobuf_test;
mod recordio_test;
mod rmdir_test;
mod uuid_test;
