//! Baton's chat benchmark. `scripts/bench` starts a fresh server and runs this against it:
//! K conversations, each held by an agent (created over HTTP, the visitor asks for a
//! person, an agent claims it), then visitor and agent each send a message every P ms
//! (±20 %, open loop) over their WebSockets for D seconds. It prints what was delivered
//! per second, the latency from send to receipt at the other side (p50, p99), what was
//! lost or doubled, the server's CPU per 1,000 delivered messages (its process tree,
//! from /proc), and what each chat message cost inside the Worker (workspace requests,
//! SQL statements, alarms set, frames), read from its counters (`BENCH_COUNTERS`).

mod args;
mod chat;
mod cpu;
mod http;
mod setup;

use std::time::Instant;

use serde_json::{json, Value};

#[tokio::main]
async fn main() {
    let args = match args::Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("chatbench: {e}\n\n{}", args::USAGE);
            std::process::exit(2);
        }
    };
    if let Err(e) = run(args).await {
        eprintln!("chatbench: {e}");
        std::process::exit(1);
    }
}

async fn run(args: args::Args) -> Result<(), String> {
    let t0 = Instant::now();
    let rooms = setup::rooms(&args).await?;
    let setup_s = t0.elapsed().as_secs_f64();
    eprintln!(
        "chatbench: {} conversations set up in {setup_s:.1} s",
        rooms.len()
    );

    let ready = chat::connect(&args, &rooms).await?;
    let counters_before = http::counters(&args.url)?;
    let cpu_before = args.server_pid.map(cpu::ticks_of_tree);
    let result = chat::run(&args, ready).await?;
    let cpu_after = args.server_pid.map(cpu::ticks_of_tree);
    // A server still working through a backlog may not answer in time: then the run
    // reports no counters rather than nothing.
    let counters_after = http::counters(&args.url).unwrap_or_else(|e| {
        eprintln!("chatbench: no counters after the run: {e}");
        Value::Null
    });

    let cpu_s = match (cpu_before, cpu_after) {
        (Some(a), Some(b)) => Some(cpu::seconds(b.saturating_sub(a))),
        _ => None,
    };
    let delta = |name: &str| {
        let get = |c: &Value| c.get(name).and_then(Value::as_u64).unwrap_or(0);
        get(&counters_after).saturating_sub(get(&counters_before))
    };
    let stored = delta("messages_stored");
    let per_message = |name: &str| {
        if stored == 0 || counters_after.is_null() {
            Value::Null
        } else {
            json!(round3(delta(name) as f64 / stored as f64))
        }
    };
    let delivered = result.delivered();
    let report = json!({
        "label": args.label,
        "rooms": rooms.len(),
        "period_ms": args.period_ms,
        "duration_s": args.duration_s,
        "setup_s": round3(setup_s),
        "sent": result.sent,
        "delivered": delivered,
        "delivered_per_s": round3(result.delivered_per_s()),
        "p50_ms": round3(result.percentile(0.50)),
        "p99_ms": round3(result.percentile(0.99)),
        "lost": result.lost(),
        "doubled": result.doubled,
        "server_cpu_s": cpu_s.map(round3),
        "server_cpu_s_per_1000_delivered": cpu_s.filter(|_| delivered > 0)
            .map(|s| round3(s * 1000.0 / delivered as f64)),
        "frames_received_per_message": round3(result.frames as f64 / result.sent.max(1) as f64),
        "bytes_received_per_message": round3(result.bytes as f64 / result.sent.max(1) as f64),
        "per_stored_message": {
            "messages_stored": stored,
            "workspace_requests": per_message("workspace_requests"),
            "workspace_settings_reads": per_message("workspace_settings_reads"),
            "workspace_handover_events": per_message("workspace_handover_events"),
            "conversation_sql_statements": per_message("conversation_sql"),
            "alarms_set": per_message("alarms_set"),
            "frames_sent": per_message("frames_sent"),
        },
        "counters_delta": counters_after.as_object().map(|o| {
            o.keys().map(|k| (k.clone(), json!(delta(k)))).collect::<serde_json::Map<_, _>>()
        }),
    });
    println!(
        "{:<12} K={:<4} P={:<5} delivered {:>7.1} msg/s  p50 {:>7.1} ms  p99 {:>8.1} ms  lost {}  doubled {}  cpu/1000 {}  ws req/msg {}  sql/msg {}",
        args.label,
        rooms.len(),
        args.period_ms,
        result.delivered_per_s(),
        result.percentile(0.50),
        result.percentile(0.99),
        result.lost(),
        result.doubled,
        report["server_cpu_s_per_1000_delivered"],
        report["per_stored_message"]["workspace_requests"],
        report["per_stored_message"]["conversation_sql_statements"],
    );
    println!("{report}");
    Ok(())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
