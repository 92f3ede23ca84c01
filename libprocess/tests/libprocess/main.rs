//! libprocess' own test suites, ported by name: `ProcessTest.Settle` is
//! `process_test::settle`.

mod await_test;
mod collect_test;
mod future_test;
mod http_authentication_test;
mod http_connection_test;
mod http_test;
mod io_test;
mod loop_test;
mod metrics_test;
mod process_remote_link_test;
mod process_test;
mod protobuf_test;
mod reap_test;
mod request_decoder_test;
mod ssl_test;
mod statistics_test;
mod subprocess_test;
mod testing_test;
mod time_series_test;
mod transport_test;
mod wire_test;
