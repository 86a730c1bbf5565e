//! The `oauthlint.toml` reader on arbitrary text: never a panic, and every error points inside
//! the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauthlint::settings::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err((message, span)) = Config::parse_text(text) {
        assert!(!message.is_empty());
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?} outside {} bytes", text.len());
    }
});
