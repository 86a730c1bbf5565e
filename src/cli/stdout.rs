//! Standard output, as every command writes it.

use std::io::{self, ErrorKind, StdoutLock, Write};

/// Standard output, locked. A reader that stops reading (`oauthlint … | head -1`) is not a
/// failure of the run: what it did not read is dropped, and the command still exits with the code
/// its findings give, as `grep` and `ruff` do.
pub struct Stdout {
    inner: StdoutLock<'static>,
    closed: bool,
}

pub fn stdout() -> Stdout {
    Stdout {
        inner: io::stdout().lock(),
        closed: false,
    }
}

impl Stdout {
    /// `result`, or `dropped` once the reader has gone.
    fn unless_closed<T>(&mut self, result: io::Result<T>, dropped: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(dropped)
            }
            result => result,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.unless_closed(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.unless_closed(result, ())
    }
}
