//! Settings: PRODUCT.md's defaults, JSON patches, validation, message rendering.

use super::*;
use crate::protocol::{FieldRule, PreHandoverForm};

fn problems(s: &Settings) -> Vec<String> {
    s.validate()
        .expect_err("invalid settings")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_defaults_are_product_mds() {
    let s = Settings::default();
    assert_eq!(s.mode, AssistantMode::BotAndHuman);
    assert!(s.handover_on_unknown && s.handover_on_request);
    assert_eq!(s.suggestions, 0, "the suggestion step is optional");
    assert!(!s.form.asks_anything(), "the form is optional");
    assert!(s.notify_agent_assigned);
    assert_eq!(s.messages.offline_agent, "", "empty by default = not sent");
    assert_eq!(s.routing.eligible, Eligible::Everyone);
    assert_eq!(s.availability, Availability::OnlineOnly);
    assert_eq!(s.assignment, Assignment::Claim);
    assert!(s.rating);
    assert!(
        s.allowed_origins.is_empty(),
        "any site until an admin lists some"
    );
    assert_eq!(
        (s.queue_timeout_secs, s.holder_silence_secs),
        (Some(300), Some(600))
    );
    for (lang, phrase) in [
        ("en", "talk to a person"),
        ("es", "hablar con una persona"),
        ("fr", "parler a une personne"),
        ("de", "mit einem menschen"),
    ] {
        assert!(s.request_phrases.iter().any(|p| p == phrase), "{lang}");
    }
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn a_partial_json_object_sets_only_what_it_names() {
    let s: Settings = serde_json::from_str(
        r#"{"mode": "human_only", "messages": {"handover": "One moment."},
            "form": {"email": "required"},
            "routing": {"languages": {"es": "soporte"}},
            "assignment": {"auto_assign": {"max_chats": 2}},
            "availability": "online_and_offline", "queue_timeout_secs": null}"#,
    )
    .unwrap();
    let d = Settings::default();
    assert_eq!(s.mode, AssistantMode::HumanOnly);
    assert_eq!(s.messages.handover, "One moment.");
    assert_eq!(s.messages.no_agent, d.messages.no_agent);
    assert_eq!(
        s.form,
        PreHandoverForm {
            name: FieldRule::Off,
            email: FieldRule::Required
        }
    );
    assert_eq!(s.routing.team_for(Some("es")), Some("soporte".into()));
    assert_eq!(s.assignment, Assignment::AutoAssign { max_chats: 2 });
    assert_eq!(s.availability, Availability::OnlineAndOffline);
    assert_eq!(s.queue_timeout_secs, None);
    assert_eq!(s.holder_silence_secs, d.holder_silence_secs);
    assert_eq!(s.request_phrases, d.request_phrases);
}

#[test]
fn settings_survive_json_and_read_as_snake_case() {
    let s = Settings {
        routing: Routing {
            eligible: Eligible::Chosen {
                teams: vec!["support".into()],
                agents: vec![],
            },
            ..Routing::default()
        },
        ..Settings::default()
    };
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["mode"], "bot_and_human");
    assert_eq!(json["assignment"], "claim");
    assert_eq!(json["routing"]["eligible"]["chosen"]["teams"][0], "support");
    assert_eq!(serde_json::from_value::<Settings>(json).unwrap(), s);
}

#[test]
fn a_misspelt_field_is_an_error_not_ignored() {
    let err = serde_json::from_str::<Settings>(r#"{"handover_on_unknwn": false}"#).unwrap_err();
    assert!(err.to_string().contains("handover_on_unknwn"), "{err}");
    let err = serde_json::from_str::<Settings>(r#"{"messages": {"hand_over": ""}}"#).unwrap_err();
    assert!(err.to_string().contains("hand_over"), "{err}");
}

#[test]
fn every_problem_names_its_field() {
    let mut s = Settings {
        request_phrases: vec!["ok".into(), " ?! ".into()],
        suggestions: 6,
        assignment: Assignment::AutoAssign { max_chats: 0 },
        queue_timeout_secs: Some(0),
        holder_silence_secs: Some(8 * 24 * 3600),
        ..Settings::default()
    };
    s.messages.agent_assigned = "{agnet} joined".into();
    s.messages.handover = "You are number {position}".into();
    s.messages.suggestions = "Did you mean…".into();
    s.messages.no_agent = "x".repeat(crate::protocol::MAX_TEXT_CHARS + 1);
    let fields: Vec<String> = s
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "request_phrases[1]",
            "messages.handover",
            "messages.agent_assigned",
            "messages.no_agent",
            "messages.suggestions",
            "suggestions",
            "assignment.auto_assign.max_chats",
            "queue_timeout_secs",
            "holder_silence_secs",
        ]
    );
    let all = problems(&s);
    assert!(all.contains(
        &"messages.agent_assigned: {agnet} is not filled in here; this message can use {agent}"
            .to_string()
    ));
    assert!(all.contains(
        &"messages.handover: {position} is not filled in here; this message takes no placeholders"
            .to_string()
    ));
    assert!(all.contains(
        &"queue_timeout_secs: must be from 1 to 604800 seconds (7 days); use null to wait for ever"
            .to_string()
    ));
}

#[test]
fn no_phrases_of_ones_own_leaves_the_built_in_detector_and_lists_are_capped() {
    let s = Settings {
        request_phrases: vec![],
        ..Settings::default()
    };
    assert_eq!(s.validate(), Ok(()));
    assert!(asks_for_person("can I talk to a human", &s.request_phrases));
    let mut s = Settings {
        request_phrases: (0..201).map(|i| format!("phrase {i}")).collect(),
        ..Settings::default()
    };
    s.routing.languages = (0..101)
        .map(|i| (format!("x{i}"), "t".to_string()))
        .collect();
    let all = problems(&s);
    assert!(
        all.contains(&"request_phrases: list at most 200 phrases".to_string()),
        "{all:?}"
    );
    assert!(
        all.contains(&"routing.languages: route at most 100 languages".to_string()),
        "{all:?}"
    );
}

#[test]
fn routing_must_name_someone_and_stay_within_the_eligible_teams() {
    let mut s = Settings::default();
    s.routing.eligible = Eligible::Chosen {
        teams: vec![],
        agents: vec![" ".into()],
    };
    assert_eq!(problems(&s), ["routing.eligible.agents: an id is blank"]);
    s.routing.eligible = Eligible::Chosen {
        teams: vec![],
        agents: vec![],
    };
    assert_eq!(
        problems(&s),
        ["routing.eligible: choose at least one team or agent, or \"everyone\""]
    );
    s.routing.eligible = Eligible::Chosen {
        teams: vec!["support".into()],
        agents: vec![],
    };
    s.routing.languages.insert("es".into(), "soporte".into());
    s.routing.languages.insert("ES".into(), "support".into());
    s.routing.default_team = Some("".into());
    assert_eq!(
        problems(&s),
        [
            "routing.languages.ES: not a language tag in lower case, like \"es\" or \"pt-br\"",
            "routing.languages.es: team \"soporte\" is not among the eligible teams (routing.eligible.teams)",
            "routing.default_team: the team id is blank",
        ]
    );
}

#[test]
fn messages_fill_in_placeholders_once_and_blank_means_off() {
    let agent = [(Placeholder::Agent, "{position}")];
    assert_eq!(
        render("{agent} is here at {position} {", &agent).as_deref(),
        Some("{position} is here at {position} {")
    );
    assert_eq!(render(" \n", &agent), None);
    assert_eq!(
        render("{agent}{agent}", &[(Placeholder::Agent, "Ana")]).as_deref(),
        Some("AnaAna")
    );
}

#[test]
fn every_default_message_uses_only_its_placeholders() {
    for (name, text, allowed) in Messages::default().each() {
        for p in Placeholder::ALL {
            if text.contains(p.token()) {
                assert!(allowed.contains(&p), "messages.{name} uses {}", p.token());
            }
        }
    }
}

#[test]
fn the_example_in_docs_settings_md_reads_and_validates() {
    let doc = include_str!("../../../../docs/settings.md");
    let example = doc
        .split("## Example")
        .nth(1)
        .and_then(|s| s.split("```json").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("an example JSON block");
    let s: Settings = serde_json::from_str(example).unwrap();
    assert_eq!(s.validate(), Ok(()));
    assert_eq!(
        s.routing.team_for(Some("es-AR")).as_deref(),
        Some("soporte")
    );
    assert_eq!(s.messages.no_agent, Messages::default().no_agent);
}

#[test]
fn docs_settings_md_names_every_setting_and_message() {
    let doc = include_str!("../../../../docs/settings.md");
    let json = serde_json::to_value(Settings::default()).unwrap();
    for field in json.as_object().unwrap().keys() {
        if field != "messages" && field != "routing" {
            assert!(doc.contains(&format!("| `{field}` |")), "{field}");
        }
    }
    for (name, _, _) in Messages::default().each() {
        assert!(doc.contains(&format!("| `{name}` |")), "messages.{name}");
    }
    for field in [
        "routing.eligible",
        "routing.languages",
        "routing.default_team",
    ] {
        assert!(doc.contains(&format!("| `{field}` |")), "{field}");
    }
}

#[test]
fn allowed_origins_keep_other_sites_out_and_servers_in() {
    let anyone = Settings::default();
    assert!(anyone.allows_origin(Some("https://elsewhere.example")));
    let shop = Settings {
        allowed_origins: vec![
            "https://shop.example".into(),
            "http://localhost:8080".into(),
        ],
        ..Settings::default()
    };
    assert!(shop.allows_origin(Some("https://shop.example")));
    assert!(
        shop.allows_origin(Some("HTTPS://Shop.Example")),
        "origins compare without case"
    );
    assert!(shop.allows_origin(Some("http://localhost:8080")));
    assert!(
        !shop.allows_origin(Some("http://shop.example")),
        "another scheme is another site"
    );
    assert!(!shop.allows_origin(Some("http://localhost:8081")));
    assert!(!shop.allows_origin(Some("https://shop.example.evil")));
    assert!(
        !shop.allows_origin(Some("null")),
        "a sandboxed page names no site"
    );
    assert!(
        shop.allows_origin(None),
        "a server calling the API is not a site's widget"
    );
}

#[test]
fn an_allowed_origin_must_be_a_site_not_a_page() {
    let good = Settings {
        allowed_origins: vec![
            "https://shop.example".into(),
            "http://127.0.0.1:8787".into(),
        ],
        ..Settings::default()
    };
    assert_eq!(good.validate(), Ok(()));
    let bad = Settings {
        allowed_origins: vec![
            "shop.example".into(),
            "https://shop.example/".into(),
            "https://shop.example/checkout".into(),
            "https://shop.example:80a".into(),
            "https://".into(),
        ],
        ..Settings::default()
    };
    let found = problems(&bad);
    assert_eq!(found.len(), 5, "{found:?}");
    for (i, p) in found.iter().enumerate() {
        assert!(p.starts_with(&format!("allowed_origins[{i}]: ")), "{p}");
        assert!(
            p.contains("https://shop.example or http://localhost:8080"),
            "{p}"
        );
    }
    let many = Settings {
        allowed_origins: (0..=MAX_ORIGINS)
            .map(|i| format!("https://s{i}.example"))
            .collect(),
        ..Settings::default()
    };
    assert_eq!(
        problems(&many),
        vec![format!("allowed_origins: list at most {MAX_ORIGINS} sites")]
    );
}

#[test]
fn an_external_bot_is_an_http_address() {
    for good in ["https://bot.example/answer", "http://127.0.0.1:9000/"] {
        let s = Settings {
            bot_url: Some(good.into()),
            ..Settings::default()
        };
        assert_eq!(s.validate(), Ok(()), "{good}");
    }
    for bad in [
        "bot.example",
        "ftp://bot.example",
        "https://bot.example/a b",
    ] {
        let s = Settings {
            bot_url: Some(bad.into()),
            ..Settings::default()
        };
        let found = problems(&s);
        assert_eq!(found.len(), 1, "{bad}: {found:?}");
        assert!(found[0].starts_with("bot_url: "), "{found:?}");
    }
}
