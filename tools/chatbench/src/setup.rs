//! Setting the conversations up over HTTP: each is created, its visitor asks for a person
//! and an agent (in turn) claims it.

use std::sync::Arc;

use serde_json::json;
use tokio::sync::Semaphore;

use crate::args::Args;
use crate::http::{agent_online, call};

/// One held conversation: its id and both sides' tokens.
pub struct Room {
    pub id: String,
    pub visitor_token: String,
    pub agent_token: String,
}

pub async fn rooms(args: &Args) -> Result<Vec<Room>, String> {
    let mut agents = Vec::new();
    for (email, password) in &args.agents {
        agents.push(agent_online(&args.url, email, password)?);
    }
    let agents = Arc::new(agents);
    let gate = Arc::new(Semaphore::new(args.setup_concurrency));
    let mut tasks = Vec::new();
    for n in 0..args.rooms {
        let (agents, gate, base) = (agents.clone(), gate.clone(), args.url.clone());
        tasks.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await.map_err(|e| e.to_string())?;
            let agent = agents[n % agents.len()].clone();
            tokio::task::spawn_blocking(move || room(&base, agent))
                .await
                .map_err(|e| e.to_string())?
        }));
    }
    let mut rooms = Vec::new();
    for t in tasks {
        rooms.push(t.await.map_err(|e| e.to_string())??);
    }
    Ok(rooms)
}

fn room(base: &str, agent_token: String) -> Result<Room, String> {
    let created = call(
        base,
        "POST",
        "/api/conversations",
        None,
        Some(json!({})),
        201,
    )?;
    let id = created["id"]
        .as_str()
        .ok_or("no conversation id")?
        .to_string();
    let visitor_token = created["token"]
        .as_str()
        .ok_or("no visitor token")?
        .to_string();
    let ask = json!({"client_id": "ask", "text": "I want to talk to a human"});
    let path = format!("/api/conversations/{id}/messages");
    call(base, "POST", &path, Some(&visitor_token), Some(ask), 201)?;
    let path = format!("/api/conversations/{id}/claim");
    call(base, "POST", &path, Some(&agent_token), None, 200)?;
    Ok(Room {
        id,
        visitor_token,
        agent_token,
    })
}
