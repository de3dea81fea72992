//! `--ladder`: the handshake drawn between a client and a server column, one arrow a message
//! in the direction it travelled, at its time; `═` for a message encrypted on the wire, `─`
//! for one in the clear.

use std::io::{self, Write};

use super::wrap::columns;
use super::{clean, DIM, HEAD};
use crate::report::{Message, MessageFields, Side};

/// `  12345.678 ms  `: the time column before the client's line.
const TIME: usize = 16;
/// The widest the space between the two lines gets, however wide the terminal.
const WIDEST: usize = 56;
/// Room for the arrow's shaft around a label: `───▶` and the ends.
const SHAFT: usize = 8;

pub(super) fn write(out: &mut dyn Write, messages: &[Message], width: usize) -> io::Result<()> {
    let labels: Vec<String> = messages.iter().map(label).collect();
    let longest = labels.iter().map(|l| columns(l)).max().unwrap_or(0);
    // Between the lines: as wide as the terminal allows, at most WIDEST, at least the longest
    // label with a shaft.
    let lane = width
        .saturating_sub(TIME + 2 + 4)
        .min(WIDEST)
        .max(longest + SHAFT);
    writeln!(
        out,
        "{HEAD}Handshake{HEAD:#} {DIM}(─ in the clear, ═ encrypted on the wire){DIM:#}"
    )?;
    // "client" and "server" centred over their lines.
    writeln!(
        out,
        "{:w$}client{:gap$}server",
        "",
        "",
        w = TIME - 3,
        gap = lane - 5
    )?;
    for (m, text) in messages.iter().zip(&labels) {
        let shaft = if m.encrypted { '═' } else { '─' };
        let rest = lane - columns(text) - 2;
        let (before, after) = match m.from {
            Side::Client => (3, rest - 3 - 1),
            Side::Server => (2, rest - 2 - 1),
        };
        let run = |n: usize| shaft.to_string().repeat(n);
        let arrow = match m.from {
            Side::Client => format!("│{} {text} {}▶│", run(before), run(after)),
            Side::Server => format!("│◀{} {text} {}│", run(before), run(after)),
        };
        writeln!(out, "  {DIM}{:>9.3} ms{DIM:#}  {arrow}", m.t_ms)?;
    }
    Ok(())
}

/// What an arrow says: the message's type and size, and an alert's description.
fn label(m: &Message) -> String {
    let kind = clean(&m.kind.to_string()).into_owned();
    match &m.fields {
        MessageFields::Alert(a) => match (&a.level, &a.description) {
            (Some(l), Some(d)) => format!("{kind} {} {}", clean(l), clean(d)),
            _ => format!("{kind} {} B", m.length),
        },
        _ => format!("{kind} {} B", m.length),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{MessageKind, RecordKind};
    use crate::wire::code_points::HandshakeType;

    fn m(from: Side, kind: MessageKind, encrypted: bool) -> Message {
        Message {
            t_ms: 1.25,
            from,
            record: RecordKind::Handshake,
            kind,
            length: 100,
            encrypted,
            fields: MessageFields::None,
            record_bytes: None,
        }
    }

    #[test]
    fn arrows_point_the_way_each_message_went() {
        let msgs = [
            m(Side::Client, HandshakeType::CLIENT_HELLO.into(), false),
            m(Side::Server, HandshakeType::FINISHED.into(), true),
        ];
        for width in [40, 80, 120] {
            let mut out = Vec::new();
            write(&mut out, &msgs, width).unwrap();
            let text = String::from_utf8(anstream::adapter::strip_bytes(&out).into_vec()).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), 4, "{text}");
            assert!(lines[2].contains("│─── ClientHello 100 B ─") && lines[2].ends_with("▶│"));
            assert!(lines[3].contains("│◀══ Finished 100 B ═") && lines[3].ends_with("═│"));
            // Both lines as long; the client and server columns where the bars are.
            assert_eq!(columns(lines[2]), columns(lines[3]), "{text}");
            let bar = lines[2].find('│').unwrap();
            assert_eq!(&lines[1][..bar + 3].trim(), &"client", "{text}");
            assert!(
                columns(lines[2]) <= width.max(TIME + 2 + 21 + SHAFT),
                "{text}"
            );
        }
    }
}
