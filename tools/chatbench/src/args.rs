//! The command line: `--name value` pairs, each with a default.

pub const USAGE: &str =
    "usage: baton-chatbench --url http://127.0.0.1:8787 --agents EMAIL:PASSWORD,... \
[--rooms 100] [--period-ms 1000] [--duration-s 20] [--ramp-s 5] [--drain-s 10] \
[--setup-concurrency 8] [--server-pid PID] [--label NAME]";

pub struct Args {
    /// The server's base, `http://host:port`.
    pub url: String,
    pub agents: Vec<(String, String)>,
    pub rooms: usize,
    pub period_ms: u64,
    pub duration_s: u64,
    /// The clients' first messages are spread over this many seconds.
    pub ramp_s: u64,
    /// How long to wait for what is still on its way once the senders stop.
    pub drain_s: u64,
    pub setup_concurrency: usize,
    /// The server's top process: its tree's CPU is measured over the chat.
    pub server_pid: Option<u32>,
    pub label: String,
}

impl Args {
    pub fn parse(mut argv: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut a = Args {
            url: String::new(),
            agents: Vec::new(),
            rooms: 100,
            period_ms: 1000,
            duration_s: 20,
            ramp_s: 5,
            drain_s: 10,
            setup_concurrency: 8,
            server_pid: None,
            label: "baton".into(),
        };
        while let Some(flag) = argv.next() {
            let value = argv.next().ok_or(format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: not a number: {value}"))
            };
            match flag.as_str() {
                "--url" => a.url = value.trim_end_matches('/').to_string(),
                "--agents" => {
                    a.agents = value
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| match s.split_once(':') {
                            Some((e, p)) => Ok((e.to_string(), p.to_string())),
                            None => Err(format!("--agents: not EMAIL:PASSWORD: {s}")),
                        })
                        .collect::<Result<_, _>>()?
                }
                "--rooms" => a.rooms = number()? as usize,
                "--period-ms" => a.period_ms = number()?.max(1),
                "--duration-s" => a.duration_s = number()?,
                "--ramp-s" => a.ramp_s = number()?,
                "--drain-s" => a.drain_s = number()?,
                "--setup-concurrency" => a.setup_concurrency = number()?.max(1) as usize,
                "--server-pid" => a.server_pid = Some(number()? as u32),
                "--label" => a.label = value,
                _ => return Err(format!("unknown option {flag}")),
            }
        }
        if a.url.is_empty() || a.agents.is_empty() {
            return Err("--url and --agents are needed".into());
        }
        Ok(a)
    }
}
