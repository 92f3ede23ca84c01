//! Process ids as stored in UPIDs: short ids (`master`, `slave(1)`,
//! `(42)`) inline, longer ones shared. Copying an inline id touches no
//! shared counter, which keeps the message path free of cross-core
//! reference counting.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU8;
use std::ops::Deref;
use std::sync::Arc;

const INLINE: usize = 23;

#[derive(Clone)]
pub(crate) enum Id {
    Inline(Inline),
    Shared(Arc<str>),
}

/// An id of up to [`INLINE`] bytes, in three aligned words: copies of it
/// are whole words. (With the length and bytes as fields of the enum,
/// each copy moved the bytes in overlapping 4-byte pieces that the next
/// load of them could not forward from, a stall on every message.) The
/// length is kept plus one, and its zero is the `Shared` variant's tag.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
pub(crate) struct Inline {
    bytes: [u8; INLINE],
    len_plus_one: NonZeroU8,
}

const _: () = assert!(std::mem::size_of::<Id>() == 24);

impl Id {
    pub(crate) fn new(id: &str) -> Id {
        if id.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..id.len()].copy_from_slice(id.as_bytes());
            Id::Inline(Inline {
                bytes,
                len_plus_one: NonZeroU8::MIN.saturating_add(id.len() as u8),
            })
        } else {
            Id::Shared(id.into())
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            #[allow(unsafe_code)]
            // SAFETY: the bytes were copied from a `&str` and the length is
            // that string's, so they are valid UTF-8 (checking again on
            // every lookup showed up in profiles).
            Id::Inline(inline) => unsafe {
                std::str::from_utf8_unchecked(
                    &inline.bytes[..inline.len_plus_one.get() as usize - 1],
                )
            },
            Id::Shared(id) => id,
        }
    }
}

impl Deref for Id {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Id {}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_str().as_bytes())
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    fn cmp(&self, other: &Id) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::{Id, INLINE};

    #[test]
    fn ids_read_back_inline_and_shared() {
        for len in [0, 1, INLINE - 1, INLINE, INLINE + 1, 64] {
            let text: String = "abcdefghij".chars().cycle().take(len).collect();
            let id = Id::new(&text);
            assert_eq!(len <= INLINE, matches!(id, Id::Inline(_)), "{len}");
            assert_eq!(text, id.as_str());
            assert_eq!(id, id.clone());
            assert_eq!(text, id.clone().as_str());
        }
        assert_ne!(Id::new("ab"), Id::new("abc"));
    }
}
