//! The measured part: every room's visitor and agent connect, then each sends a message
//! every `period_ms` (±20 %) for `duration_s`, open loop. A message's text carries its
//! room, side, number and send time; the other side's receipt gives its latency, and
//! what never arrives (within `drain_s` after the senders stop) is lost.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::args::Args;
use crate::setup::Room;

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Visitor,
    Agent,
}

impl Side {
    fn tag(self) -> &'static str {
        match self {
            Side::Visitor => "v",
            Side::Agent => "a",
        }
    }
    fn other(self) -> Side {
        match self {
            Side::Visitor => Side::Agent,
            Side::Agent => Side::Visitor,
        }
    }
    /// The author role of what this side sends, as the server reports it.
    fn role(self) -> &'static str {
        match self {
            Side::Visitor => "visitor",
            Side::Agent => "agent",
        }
    }
}

/// What every client saw, summed.
#[derive(Default)]
pub struct Outcome {
    pub sent: u64,
    /// Latency of each first receipt, in microseconds.
    latencies_us: Vec<u64>,
    pub doubled: u64,
    /// Frames and bytes of every kind the clients received during the chat.
    pub frames: u64,
    pub bytes: u64,
    /// From the first send to the last first receipt.
    span: Duration,
}

impl Outcome {
    pub fn delivered(&self) -> u64 {
        self.latencies_us.len() as u64
    }
    pub fn lost(&self) -> u64 {
        self.sent.saturating_sub(self.delivered())
    }
    pub fn delivered_per_s(&self) -> f64 {
        self.delivered() as f64 / self.span.as_secs_f64().max(1e-9)
    }
    /// In milliseconds.
    pub fn percentile(&self, q: f64) -> f64 {
        let mut v = self.latencies_us.clone();
        if v.is_empty() {
            return 0.0;
        }
        v.sort_unstable();
        let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
        v[i] as f64 / 1000.0
    }
}

/// What one client received.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    doubled: u64,
    frames: u64,
    bytes: u64,
    last_receipt: Option<Instant>,
    error: Option<String>,
}

/// Every client, connected and caught up.
pub struct Ready(Vec<(usize, Side, Socket)>);

/// Connects both sides of every room; each hears the conversation's state.
pub async fn connect(args: &Args, rooms: &[Room]) -> Result<Ready, String> {
    let ws_base = args.url.replacen("http", "ws", 1);
    // Everyone connects and hears the conversation's state before anyone sends.
    let mut sockets = Vec::new();
    for (n, room) in rooms.iter().enumerate() {
        for (side, token) in [
            (Side::Visitor, &room.visitor_token),
            (Side::Agent, &room.agent_token),
        ] {
            let url = format!(
                "{ws_base}/api/conversations/{}/ws?token={token}&after=0",
                room.id
            );
            let (ws, _) = tokio_tungstenite::connect_async(url.as_str())
                .await
                .map_err(|e| format!("room {n}: {} socket: {e}", side.role()))?;
            sockets.push((n, side, ws));
        }
    }
    let mut ready = Vec::new();
    for (n, side, mut ws) in sockets {
        loop {
            let frame = ws
                .next()
                .await
                .ok_or(format!("room {n}: closed before its state"))?;
            let frame = frame.map_err(|e| format!("room {n}: {e}"))?;
            if let WsMessage::Text(t) = frame {
                if serde_json::from_str::<Value>(&t)
                    .ok()
                    .and_then(|v| v["type"].as_str().map(str::to_owned))
                    .as_deref()
                    == Some("state")
                {
                    break;
                }
            }
        }
        ready.push((n, side, ws));
    }
    Ok(Ready(ready))
}

/// The chat itself, and what came of it.
pub async fn run(args: &Args, Ready(ready): Ready) -> Result<Outcome, String> {
    let start = Instant::now();
    let total_sent = Arc::new(AtomicU64::new(0));
    let total_seen = Arc::new(AtomicU64::new(0));
    let count = ready.len() as u64;
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for (i, (room, side, ws)) in ready.into_iter().enumerate() {
        let plan = Plan {
            room,
            side,
            period: Duration::from_millis(args.period_ms),
            // Spread the first messages over the ramp.
            offset: Duration::from_millis(args.ramp_s * 1000 * i as u64 / count.max(1)),
            until: start + Duration::from_secs(args.ramp_s + args.duration_s),
            seed: i as u64 * 2654435761 + 1,
        };
        let (sink, stream) = ws.split();
        let tally = Arc::new(Mutex::new(Tally::default()));
        senders.push(tokio::spawn(send(sink, plan, start, total_sent.clone())));
        let other = side.other();
        receivers.push((
            tally.clone(),
            tokio::spawn(receive(stream, other, start, tally, total_seen.clone())),
        ));
    }

    // Once the senders are due to stop, wait until everything sent has arrived, or the
    // drain is over. A server that cannot keep up may leave senders blocked on a full
    // socket: the deadline ends them too, and what they could not send was not sent.
    let senders_done = start + Duration::from_secs(args.ramp_s + args.duration_s);
    tokio::time::sleep_until(senders_done.into()).await;
    let drain_until = Instant::now() + Duration::from_secs(args.drain_s);
    while Instant::now() < drain_until {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (sent, seen) = (
            total_sent.load(Ordering::Relaxed),
            total_seen.load(Ordering::Relaxed),
        );
        if seen >= sent && senders.iter().all(|s| s.is_finished()) {
            break;
        }
    }
    for s in &senders {
        s.abort();
    }
    let mut out = Outcome {
        sent: total_sent.load(Ordering::Relaxed),
        ..Outcome::default()
    };
    let mut last = start;
    for (tally, task) in receivers {
        task.abort();
        let _ = task.await;
        let t = std::mem::take(&mut *tally.lock().map_err(|e| e.to_string())?);
        if let Some(e) = t.error {
            return Err(e);
        }
        out.latencies_us.extend(t.latencies_us);
        out.doubled += t.doubled;
        out.frames += t.frames;
        out.bytes += t.bytes;
        last = last.max(t.last_receipt.unwrap_or(start));
    }
    out.span = last.duration_since(start);
    Ok(out)
}

struct Plan {
    room: usize,
    side: Side,
    period: Duration,
    offset: Duration,
    until: Instant,
    seed: u64,
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One side of one room sends on its plan: "m <room> <side> <n> <sent at, µs>".
async fn send(
    mut sink: SplitSink<Socket, WsMessage>,
    plan: Plan,
    start: Instant,
    sent: Arc<AtomicU64>,
) {
    let mut rng = plan.seed;
    let mut at = start + plan.offset;
    let mut n = 0u64;
    while at < plan.until {
        tokio::time::sleep_until(at.into()).await;
        let now = Instant::now();
        let us = now.duration_since(start).as_micros();
        let text = format!("m {} {} {n} {us}", plan.room, plan.side.tag());
        let frame =
            json!({"type": "send", "client_id": format!("{}{n}", plan.side.tag()), "text": text});
        if sink.send(WsMessage::text(frame.to_string())).await.is_err() {
            return;
        }
        n += 1;
        sent.fetch_add(1, Ordering::Relaxed);
        // ±20 % around the period, from a small LCG: repeatable per client.
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let jitter = 0.8 + 0.4 * ((rng >> 33) as f64 / (1u64 << 31) as f64);
        at = now + plan.period.mul_f64(jitter);
    }
}

/// One side of one room tallies what the `other` side sent.
async fn receive(
    mut stream: SplitStream<Socket>,
    other: Side,
    start: Instant,
    tally: Arc<Mutex<Tally>>,
    total_seen: Arc<AtomicU64>,
) {
    let mut seen = HashSet::new();
    while let Some(frame) = stream.next().await {
        let text = match frame {
            Ok(WsMessage::Text(text)) => text,
            Ok(_) => continue,
            Err(e) => {
                tally.lock().expect("tally").error = Some(format!("receive: {e}"));
                return;
            }
        };
        let now = Instant::now();
        let mut t = tally.lock().expect("tally");
        t.frames += 1;
        t.bytes += text.len() as u64;
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if v["type"] != "message" || v["author"]["role"] != other.role() {
            continue;
        }
        let words: Vec<&str> = v["text"].as_str().unwrap_or("").split(' ').collect();
        if words.len() != 5 || words[0] != "m" || words[2] != other.tag() {
            continue;
        }
        let (Ok(num), Ok(sent_at)) = (words[3].parse::<u64>(), words[4].parse::<u64>()) else {
            continue;
        };
        if !seen.insert(num) {
            t.doubled += 1;
            continue;
        }
        t.latencies_us
            .push((now.duration_since(start).as_micros() as u64).saturating_sub(sent_at));
        t.last_receipt = Some(now);
        total_seen.fetch_add(1, Ordering::Relaxed);
    }
}
