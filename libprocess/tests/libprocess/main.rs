//! libprocess' own test suites, ported by name: `ProcessTest.Settle` is
//! `process_test::settle`.

mod process_test;
