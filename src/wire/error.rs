//! What can be wrong with a handshake message's body.

/// Why a handshake message could not be read in full. The parsers still hand back the fields
/// read before the problem (see [`super::handshake::Parsed`]), so a caller can show what the
/// peer did send and say where it went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The message ends inside this field (or a length inside it points past the end).
    #[error("{0} is cut short")]
    Truncated(&'static str),
    /// Bytes are left over after this field, which should have been the last.
    #[error("{extra} unexpected bytes after {after}")]
    TrailingBytes { after: &'static str, extra: usize },
}

/// Turns a missing read into [`Error::Truncated`] naming the field.
pub(crate) trait Need<T> {
    fn need(self, field: &'static str) -> Result<T, Error>;
}

impl<T> Need<T> for Option<T> {
    fn need(self, field: &'static str) -> Result<T, Error> {
        self.ok_or(Error::Truncated(field))
    }
}
