//! Target parsing: whatever a user or a targets file says.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = tlsprobe::target::Target::parse(s, 443) {
            // What parses must print back as something that parses to the same target.
            let again = tlsprobe::target::Target::parse(&t.to_string(), 443).expect("round trip");
            assert_eq!(t, again);
        }
    }
});
