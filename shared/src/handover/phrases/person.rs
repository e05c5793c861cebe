//! The built-in detector of a request for a person, in English, Spanish, French and
//! German. Visitors ask in endless ways ("agent", "a real person please", "quiero hablar
//! con alguien", "Kundenservice bitte"), so instead of phrases it reads classes of words:
//! words that only ever mean a person who answers (an agent, a human, customer service)
//! are a request alone; words that may mean anyone (a person, someone, the team) are one
//! only next to a verb of contact or wanting, a "please", or a complaint about the bot.
//!
//! Words arrive folded (lower case, no accents, apostrophes split: "quelqu un").

/// Words that name someone who answers the visitor: a request on their own.
#[rustfmt::skip]
const AGENTS: &[&str] = &[
    // English
    "human", "humans", "operator", "operators", "representative", "representatives",
    "agent", "agents", "advisor", "adviser",
    // Spanish
    "humano", "humanos", "humana", "agente", "agentes", "asesor", "asesora", "asesores",
    "operador", "operadora", "representante", "representantes",
    // French (also "agent")
    "humain", "humains", "humaine", "conseiller", "conseillere", "conseillers",
    "operateur", "operatrice", "representant", "representante",
    // German
    "mensch", "menschen", "menschlichen", "menschlicher", "mitarbeiter", "mitarbeiterin",
    "mitarbeitern", "berater", "beraterin", "kundendienst", "kundenservice",
    "kundensupport", "kundenbetreuung", "kundenbetreuer", "kundenberater",
    "sachbearbeiter", "servicemitarbeiter", "ansprechpartner", "ansprechpartnerin",
    "kundenberatung", "supportmitarbeiter",
];

/// Two words that together name the people who answer ("customer service", "service
/// client", "atencion al cliente"): the first, then the second at most one word later.
#[rustfmt::skip]
const AGENT_PAIRS: &[(&[&str], &[&str])] = &[
    (
        &["customer", "client", "tech", "technical"],
        &["service", "services", "support", "care"],
    ),
    (
        &["support", "service", "help", "sales"],
        &["staff", "team", "desk", "person", "people", "department"],
    ),
    (&["servicio", "atencion"], &["cliente", "clientes", "clientela"]),
    (&["service", "services"], &["client", "clients", "clientele"]),
];

/// Endings of German compounds that name someone who answers ("Servicemitarbeiterin",
/// "Kundenberater"): as good as a word of [`AGENTS`].
#[rustfmt::skip]
const AGENT_ENDINGS: &[&str] = &["mitarbeiter", "mitarbeiterin", "berater", "beraterin"];

/// Words that may mean a person who answers, or anyone at all ("someone stole my
/// parcel", "the team discount"): a request only with a cue (see [`cue_near`]).
#[rustfmt::skip]
const PEOPLE: &[&str] = &[
    "person", "persons", "people", "someone", "somebody", "anyone", "anybody", "staff",
    "employee", "employees", "colleague", "manager", "supervisor", "team", "support",
    "persona", "personas", "alguien", "empleado", "empleada", "colega", "equipo", "soporte",
    "gerente", "encargado", "personne", "personnes", "quelqu", "collegue", "equipe",
    "responsable", "personen", "jemand", "jemanden", "jemandem", "kollege", "kollegin",
    "vorgesetzten",
];

/// Of [`PEOPLE`], the groups: a team is asked for only with a verb of contact, a plea for
/// help or a complaint about the bot, never by a "please" or a "want" ("a team discount
/// please", "I want my team to get a discount").
#[rustfmt::skip]
const TEAMS: &[&str] = &["team", "equipo", "equipe"];

/// Of [`PEOPLE`], those that stand for a single person: wanting one ("I need someone") is
/// asking for them, while wanting a team or support may be about anything.
#[rustfmt::skip]
const SOMEONE: &[&str] = &[
    "person", "someone", "somebody", "anyone", "anybody", "employee", "colleague",
    "manager", "supervisor", "persona", "alguien", "empleado", "empleada", "colega",
    "gerente", "encargado", "personne", "quelqu", "collegue", "responsable", "jemand",
    "jemanden", "jemandem", "kollege", "kollegin", "vorgesetzten",
];

/// Words that make a person real rather than a bot ("a real person", "echte Person").
#[rustfmt::skip]
const REAL: &[&str] = &[
    "real", "live", "actual", "genuine", "echte", "echten", "echter", "echtes", "echt",
    "vrai", "vraie", "veritable", "reel", "reelle", "verdadera", "verdadero", "viva",
    "vivo", "lebende", "lebenden",
];

/// Verbs of getting in touch: with any word of [`PEOPLE`], a request.
#[rustfmt::skip]
const CONTACT: &[&str] = &[
    "talk", "speak", "chat", "contact", "reach", "connect", "transfer", "forward",
    "escalate", "put", "pass", "hablar", "habla", "hable", "comunicar", "comunicarme",
    "comuniqueme", "comunicame", "contactar", "pasar", "pasame", "paseme", "pase",
    "transferir", "transfiera", "transfiere", "conectar", "conecteme", "parler", "parle",
    "passer", "passez", "passe", "contacter", "joindre", "transferer", "transferez",
    "mettre", "mettez", "relation", "sprechen", "spreche", "reden", "verbinden",
    "verbinde", "verbunden", "weiterleiten", "durchstellen", "kontakt", "kontaktieren",
    "erreichen",
];

/// Verbs of wanting: with a word of [`SOMEONE`] after them, a request.
#[rustfmt::skip]
const WANT: &[&str] = &[
    "want", "need", "like", "get", "give", "request", "quiero", "necesito", "quisiera",
    "queria", "deseo", "dame", "deme", "veux", "voudrais", "besoin", "aimerais", "mochte", "brauche", "hatte", "gerne", "gern",
];

/// Asking for help from the person just named ("can someone help me").
#[rustfmt::skip]
const HELP: &[&str] = &[
    "help", "assist", "ayude", "ayudar", "ayudarme", "aider", "aide", "helfen", "hilft",
];

/// Politeness that turns a bare noun into a request ("a person please").
#[rustfmt::skip]
const PLEASE: &[&str] = &["please", "pls", "plz", "favor", "porfa", "svp", "plait", "bitte"];

/// Complaints about the bot: with any word of [`PEOPLE`], a request.
#[rustfmt::skip]
const NOT_A_BOT: &[&str] = &[
    "bot", "robot", "chatbot", "machine", "automated", "useless", "stupid", "inutil",
    "maquina", "automate", "nul", "nutzlos", "dumm", "blod",
];

/// Words that join a person to a request when right before them ("with a person", "con
/// una persona", "mit einer Person"), never after ("a tent for 4 people with a porch").
#[rustfmt::skip]
const WITH: &[&str] = &["with", "con", "avec", "mit"];

/// How far (in words) a cue may be from the word it qualifies.
const NEAR: usize = 5;

/// Whether folded `words` ask for a person.
pub(super) fn asks(words: &[&str]) -> bool {
    let people: Vec<usize> = (0..words.len()).filter(|&i| is_people(words, i)).collect();
    words.iter().any(|w| is_agent(w))
        || agent_pair(words)
        || people
            .iter()
            .any(|&i| real_near(words, i) || cue_near(words, i))
        || (!people.is_empty() && words.iter().any(|w| NOT_A_BOT.contains(w)))
        || (!people.is_empty() && words.iter().all(|w| ONLY.contains(w) || PEOPLE.contains(w)))
}

/// Little words a bare request may hold besides the noun ("a person", "un agent").
#[rustfmt::skip]
const ONLY: &[&str] = &["a", "an", "the", "some", "un", "una", "une", "le", "la", "el", "ein", "eine", "einen", "einem"];

fn is_agent(word: &str) -> bool {
    AGENTS.contains(&word)
        || AGENT_ENDINGS
            .iter()
            .any(|end| word.len() > end.len() && word.ends_with(end))
}

/// Words of [`PEOPLE`] that mean a person here: not "in person" (physically), nor French
/// "personne ne/n'" (nobody).
fn is_people(words: &[&str], i: usize) -> bool {
    let word = words[i];
    if !PEOPLE.contains(&word) {
        return false;
    }
    let before = i.checked_sub(1).map(|b| words[b]);
    let after = words.get(i + 1).copied();
    let in_person = matches!(before, Some("in" | "en")) && word.starts_with("person");
    let nobody = word == "personne" && matches!(after, Some("ne" | "n"));
    !(in_person || nobody)
}

fn agent_pair(words: &[&str]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        AGENT_PAIRS.iter().any(|(first, second)| {
            first.contains(w)
                && words[i + 1..]
                    .iter()
                    .take(2)
                    .any(|next| second.contains(next))
        })
    })
}

/// A word that makes the person at `i` real, right beside it ("real person", "persona
/// real", "echte Person").
fn real_near(words: &[&str], i: usize) -> bool {
    let from = i.saturating_sub(2);
    let to = (i + 3).min(words.len());
    words[from..to].iter().any(|w| REAL.contains(w))
}

/// A cue for the person at `i`: a verb of contact before it or soon after ("someone I can
/// talk to", "alguien con quien hablar"), a verb of wanting before a single person, a
/// plea for help after, or a "please" beside it.
fn cue_near(words: &[&str], i: usize) -> bool {
    let before = &words[i.saturating_sub(NEAR)..i];
    let after = &words[i + 1..(i + 1 + NEAR).min(words.len())];
    let any = |ws: &[&str], list: &[&str]| ws.iter().any(|w| list.contains(w));
    let near_after = &after[..after.len().min(3)];
    let group = TEAMS.contains(&words[i]);
    any(before, CONTACT)
        || any(after, CONTACT)
        || any(near_after, HELP)
        || any(&before[before.len().saturating_sub(2)..], WITH)
        || (SOMEONE.contains(&words[i]) && any(before, WANT))
        || (!group && any(&before[before.len().saturating_sub(2)..], PLEASE))
        || (!group && any(near_after, PLEASE))
}

#[cfg(test)]
mod tests {
    use super::super::fold;

    fn asks(text: &str) -> bool {
        let folded = fold(text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        super::asks(&words)
    }

    #[test]
    fn names_of_people_who_answer_are_requests_alone() {
        for text in [
            "agent",
            "Human!!",
            "a representative, now",
            "customer service",
            "tech support please",
            "un agente",
            "humano?",
            "le service client",
            "un conseiller",
            "atención al cliente",
            "Kundenservice",
            "Servicemitarbeiterin",
            "ein Mensch",
        ] {
            assert!(asks(text), "{text:?}");
        }
    }

    #[test]
    fn words_for_anyone_are_requests_with_a_cue() {
        for text in [
            // a verb of contact, before or after
            "can I talk to someone",
            "put me through to your team",
            "is there anybody I could speak with",
            "quiero hablar con alguien",
            "je voudrais parler à quelqu'un",
            "kann ich mit jemandem sprechen",
            // wanting a single person
            "get me a person",
            "necesito una persona",
            "j'ai besoin d'une personne",
            // a plea for help, a please, a complaint about the bot
            "could somebody help me",
            "a person please",
            "alguien por favor",
            "quelqu'un svp",
            "jemand bitte",
            "this bot is useless, get me someone from support",
            // real, not a bot
            "a real person",
            "una persona real",
            "une vraie personne",
            "Kundenservice bitte, echte Person",
            // bare
            "someone",
            "support",
        ] {
            assert!(asks(text), "{text:?}");
        }
    }

    #[test]
    fn ordinary_questions_are_not_requests() {
        for text in [
            "can I buy in person",
            "puedo comprar en persona",
            "je peux payer en personne ?",
            "someone stole my package",
            "does someone need to sign for the delivery",
            "my order was delivered to somebody else",
            "is there a team discount please",
            "I want my team to get matching jackets",
            "how many people fit in this tent",
            "a tent for 4 people with a porch",
            "cuántas personas caben en la tienda",
            "wie viele Personen passen in das Zelt",
            "Zelt für zwei Personen mit Vorzelt",
            "do you support apple pay",
            "do you ship to canada",
            "personne ne",
        ] {
            assert!(!asks(text), "{text:?}");
        }
    }

    #[test]
    fn every_shipped_phrase_is_understood() {
        for phrase in super::super::DEFAULT_REQUEST_PHRASES {
            assert!(asks(phrase), "{phrase:?}");
        }
    }
}
