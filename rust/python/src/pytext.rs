//! Python `str` to Rust text and back, lone surrogates included.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// Lone surrogates (a JSON "\ud800" escape) have no Rust form. They travel as the last
/// 2,048 private-use characters, which every rule treats as CPython treats a surrogate
/// (no letter, digit, space or case), and come back as themselves.
const SURROGATE_STAND_IN: u32 = 0x10_F800;

/// A Python `str` as the core reads it, and whether it stood surrogates in.
pub struct Text<'a> {
    pub text: Cow<'a, str>,
    pub surrogates: bool,
}

pub fn read_text<'a>(string: &'a Bound<'_, PyString>) -> PyResult<Text<'a>> {
    if let Ok(text) = string.to_str() {
        return Ok(Text {
            text: Cow::Borrowed(text),
            surrogates: false,
        });
    }
    let encoded = string.call_method1("encode", ("utf-16-le", "surrogatepass"))?;
    let bytes = encoded.cast::<PyBytes>()?.as_bytes();
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut clashes = false;
    for decoded in char::decode_utf16(units) {
        let c = match decoded {
            Ok(c) => {
                clashes |= c as u32 >= SURROGATE_STAND_IN;
                c
            }
            Err(lone) => char::from_u32(SURROGATE_STAND_IN + u32::from(lone.unpaired_surrogate()) - 0xD800)
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        };
        text.push(c);
    }
    if clashes {
        // The stand-ins are taken: surrogates come back as U+FFFD (never seen in real input).
        return Ok(Text {
            text: string.to_string_lossy(),
            surrogates: false,
        });
    }
    Ok(Text {
        text: Cow::Owned(text),
        surrogates: true,
    })
}

pub fn python_text<'py>(py: Python<'py>, text: &str, surrogates: bool) -> PyResult<Bound<'py, PyString>> {
    if !surrogates || !text.chars().any(|c| c as u32 >= SURROGATE_STAND_IN) {
        return Ok(PyString::new(py, text));
    }
    let mut units = Vec::with_capacity(text.len() * 2);
    for c in text.chars() {
        let code = c as u32;
        if code >= SURROGATE_STAND_IN {
            units.extend_from_slice(&((code - SURROGATE_STAND_IN + 0xD800) as u16).to_le_bytes());
        } else {
            let mut buffer = [0u16; 2];
            for unit in c.encode_utf16(&mut buffer) {
                units.extend_from_slice(&unit.to_le_bytes());
            }
        }
    }
    PyString::from_encoded_object(
        PyBytes::new(py, &units).as_any(),
        Some(c"utf-16-le"),
        Some(c"surrogatepass"),
    )
}

pub fn optional_text<'py>(
    py: Python<'py>,
    text: Option<&str>,
    surrogates: bool,
) -> PyResult<Option<Bound<'py, PyString>>> {
    text.map(|text| python_text(py, text, surrogates)).transpose()
}

/// Core text back into the bytes Python's `str.encode("utf-8", "surrogatepass")` gives:
/// with `surrogates`, each stand-in becomes the lone surrogate it stood for.
pub fn surrogatepass_bytes(text: &str, surrogates: bool) -> Cow<'_, [u8]> {
    if !surrogates || !text.chars().any(|c| c as u32 >= SURROGATE_STAND_IN) {
        return Cow::Borrowed(text.as_bytes());
    }
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        let code = c as u32;
        if code >= SURROGATE_STAND_IN {
            let surrogate = code - SURROGATE_STAND_IN + 0xD800;
            bytes.extend_from_slice(&[
                0xE0 | (surrogate >> 12) as u8,
                0x80 | ((surrogate >> 6) & 0x3F) as u8,
                0x80 | (surrogate & 0x3F) as u8,
            ]);
        } else {
            bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
    Cow::Owned(bytes)
}
