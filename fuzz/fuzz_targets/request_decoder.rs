//! Feeds arbitrary bytes, split at an arbitrary point, to the request
//! decoder and parses whatever requests come out as messages: nothing from
//! the network may panic, and splitting the input must not change the
//! result.

#![no_main]

use libfuzzer_sys::fuzz_target;
use libprocess::wire::{is_message, parse_message, RequestDecoder};

fuzz_target!(|data: &[u8]| {
    let Some((&split, data)) = data.split_first() else {
        return;
    };
    let split = (split as usize).min(data.len());
    let local = "127.0.0.1:5050".parse().expect("a valid address");

    let mut whole = RequestDecoder::default();
    let at_once = whole.decode(data);

    let mut parts = RequestDecoder::default();
    let first = parts.decode(&data[..split]);
    let in_parts = first.and_then(|mut requests| {
        requests.extend(parts.decode(&data[split..])?);
        Ok(requests)
    });

    match (at_once, in_parts) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            for request in a {
                if is_message(&request) {
                    let _ = parse_message(request, local);
                }
            }
        }
        (Err(_), Err(_)) => {}
        // An error may surface at a different point, but never only one way.
        (a, b) => panic!(
            "split changed the outcome: {:?} vs {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    }
});
