//! TLS for the transport and the HTTP client, configured as libprocess'
//! OpenSSL support is (`LIBPROCESS_SSL_*`, see [`Flags`]) and carried by
//! rustls.
//!
//! With [`Flags::enabled`], a runtime's listening socket speaks TLS (and
//! also plain text with [`Flags::support_downgrade`]), and every
//! connection it opens, for messages or through [`crate::http`], is TLS.
//! A runtime takes its flags from [`crate::Builder::ssl`], or from the
//! environment through [`crate::Builder::from_environment`].

mod context;
mod flags;
mod stream;
mod verify;

pub(crate) use context::Context;
pub use flags::{Flags, HostnameValidationScheme};
pub(crate) use stream::{accept, connect, is_no_shared_cipher, write_all_flushed, Stream};
