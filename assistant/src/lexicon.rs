//! Hand-written word lists: stop words, phrase rewrites and related words of
//! English retail; places are in [`places`].
//! Plain data, so that tuning the assistant means editing lists, not code.
//! Words are written in plain form; they are stemmed when a knowledge base is
//! built, so "shipping" here also covers "shipped" and "ships".

/// Words that carry no topic. Must stay sorted (a unit test checks), which
/// keeps duplicates out and the list easy to search by eye. Question words
/// ("how", "when") are here too: the topic words decide the answer, and
/// keeping them made unrelated "how do I …" questions look alike.
#[rustfmt::skip]
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "able", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any",
    "anymore", "anyone", "anything", "are", "as", "ask", "asking", "at", "be", "been",
    "before", "being", "both", "but", "by", "can", "cant", "could", "couldnt", "curious",
    "customer", "customers", "did", "didnt", "do", "does", "doesnt", "doing", "done", "dont",
    "each", "either", "else", "etc", "even", "ever", "for", "from", "get", "gets", "getting",
    "go", "goes", "going", "gonna", "got", "gotta", "had", "happen", "happened", "happens",
    "has", "hasnt", "have", "havent", "having", "he", "hello", "help", "her", "here", "hers",
    "hey", "hi", "him", "his", "how", "however", "hows", "i", "id", "if", "im", "in", "into",
    "is", "isnt", "it", "itll", "its", "ive", "just", "know", "let", "lets", "like", "made",
    "make", "many", "me", "might", "mine", "more", "most", "much", "must", "my", "myself",
    "need", "needs", "no", "nor", "not", "now", "of", "off", "ok", "okay", "on", "once", "one",
    "only", "or", "our", "ours", "ourselves", "out", "over", "part", "per", "please", "pls",
    "possible", "question", "re", "really", "say", "shall", "she", "should", "shouldnt", "so",
    "some", "somebody", "someone", "something", "sometimes", "still", "stuff", "such", "sure",
    "take", "takes", "tell", "than", "thank", "thanks", "that", "thats", "the", "their",
    "theirs", "them", "then", "there", "theres", "these", "they", "thing", "things", "this",
    "those", "through", "to", "today", "tomorrow", "tonight", "too", "under", "until", "up",
    "upon", "us", "very", "via", "wanna", "want", "wants", "was", "wasnt", "way", "we", "well",
    "were", "werent", "what", "whats", "when", "whens", "where", "wheres", "whether", "which",
    "while", "who", "whom", "whos", "whose", "why", "will", "with", "within", "without", "won",
    "wonder", "wondering", "wont", "work", "works", "would", "wouldnt", "yes", "yesterday",
    "yet", "you", "youd", "youll", "your", "youre", "yours", "yourself", "yourselves",
];

/// Multi-word expressions replaced by one word before stop words are
/// dropped (their words are often stop words themselves: "get here").
/// Patterns may have up to two stop words between their words. The first
/// matching pattern wins, so longer ones come first.
pub(crate) const PHRASES: &[(&str, &str)] = &[
    ("out of stock", "stock"),
    ("sold out", "stock"),
    // The time one has to do something is a deadline, which answers give in days
    // ("within 60 days"); how long a thing takes is asked as "how long".
    ("how many days have", "deadline"),
    ("within days", "deadline days"),
    ("within weeks", "deadline weeks"),
    // An amount from which something holds is a minimum ("free on orders over $50").
    ("order over", "order minimum"),
    ("spend over", "spend minimum"),
    ("at least", "minimum"),
    ("how long have", "deadline"),
    ("how many days", "long"),
    ("delivery time", "delivery long"),
    ("shipping time", "shipping long"),
    ("transit time", "shipping long"),
    ("how much", "cost"),
    ("tracking number", "track"),
    ("large order", "bulk order"),
    ("big order", "bulk order"),
    ("money back", "refund"),
    ("money come back", "refund"),
    ("send back", "return"),
    // Who bears a cost is who pays it.
    ("who covers", "pay"),
    ("who cover", "pay"),
    ("take back", "return"),
    ("bring back", "return"),
    ("give back", "return"),
    ("get here", "arrive"),
    ("show up", "arrive"),
    ("turn up", "arrive"),
    ("get to me", "arrive"),
    ("log in", "login"),
    ("log on", "login"),
    ("sign in", "login"),
    ("opt out", "unsubscribe"),
    ("take off", "remove"),
    ("mailing list", "newsletter"),
    ("email list", "newsletter"),
    ("mail list", "newsletter"),
    ("let know", "notify"),
    ("keep posted", "notify"),
    // Where one's things are is their tracking ("where is my order").
    ("where my", "track"),
    ("wheres my", "track"),
    // What arrived is short of what was ordered.
    ("only got", "missing"),
    ("only received", "missing"),
    // Something bought that does not fit is to be exchanged; the word stays for sizing.
    ("too small", "small exchange"),
    ("too big", "big exchange"),
    ("too large", "large exchange"),
    ("too tight", "tight exchange"),
    ("too loose", "loose exchange"),
    ("wrong size", "size exchange"),
    ("doesnt fit", "fit exchange"),
    ("didnt fit", "fit exchange"),
    ("does not fit", "fit exchange"),
    ("did not fit", "fit exchange"),
    ("stop order", "cancel order"),
    ("order by mistake", "cancel order"),
    ("order by accident", "cancel order"),
    ("new address", "change address"),
    // Wearing out is a defect, which warranties cover.
    ("fall apart", "defect"),
    ("fell apart", "defect"),
    ("come apart", "defect"),
    ("came apart", "defect"),
    ("opening hours", "open"),
    ("opening times", "open"),
    ("business hours", "open"),
    ("store hours", "store open"),
    ("e mail", "email"),
    ("pre order", "preorder"),
    ("gift card", "giftcard"),
    ("gift voucher", "giftcard"),
    ("gift certificate", "giftcard"),
    ("credit card", "payment"),
    ("apple pay", "applepay"),
    ("google pay", "googlepay"),
    ("american express", "amex"),
    ("debit card", "payment"),
    ("eco friendly", "sustainable"),
    ("environmentally friendly", "sustainable"),
    ("environment friendly", "sustainable"),
    ("made of", "material"),
    ("made from", "material"),
    ("check out", "checkout"),
    ("in person", "physical"),
];

pub(crate) mod places;

/// Strength of a match between two words of the same group below.
pub(crate) const SYNONYM_STRENGTH: f32 = 0.8;

/// Groups of words that mean the same thing for this shop's questions.
/// Every pair inside a group is related; a word may sit in several groups
/// (the relation is not transitive: "update" ~ "change" ~ "reset").
#[rustfmt::skip]
pub(crate) const SYNONYMS: &[&[&str]] = &[
    &["refund", "reimburse", "reimbursement", "repay", "repayment"],
    &["arrive", "arrival", "deliver", "delivery", "ship", "shipping", "shipment", "dispatch", "come", "came", "receive", "reach", "postage"],
    &["cost", "price", "pricing", "fee", "charge", "postage", "expensive"],
    &["package", "parcel", "shipment", "box", "delivery"],
    &["buy", "bought", "purchase", "sell", "sold"],
    &["order", "purchase", "buy"],
    &["item", "product", "gear", "equipment", "merchandise", "article"],
    &["track", "trace", "status", "whereabouts"],
    &["cancel", "cancellation", "cancelation"],
    &["change", "update", "edit", "modify", "amend", "correct"],
    &["reset", "recover", "restore", "change"],
    &["wrong", "incorrect", "mistake", "typo", "misspelled"],
    &["pay", "payment"],
    // Methods the demo shop accepts; unknown ones ("bitcoin") stay unknown.
    &["paypal", "applepay", "googlepay", "visa", "mastercard", "amex"],
    &["giftcard", "voucher"],
    &["redeem", "use", "apply", "spend"],
    &["warranty", "guarantee", "guaranty", "warrantee"],
    &["repair", "fix", "mend", "patch", "sew", "stitch"],
    &["broken", "broke", "damaged", "damage", "defective", "faulty", "cracked", "smashed", "dented", "busted", "ripped",
      "crushed", "bent", "snapped", "shattered", "scratched", "punctured", "defect"],
    &["size", "sizing", "fit", "fitting"],
    &["small", "smaller", "big", "bigger", "large", "larger", "tight", "loose", "narrow", "wide"],
    &["store", "shop", "outlet", "showroom", "boutique"],
    &["store", "storage", "keep"],
    &["locate", "location", "based", "situated"],
    &["physical", "visit", "retail", "local"],
    &["match", "beat"],
    &["cheap", "cheaper", "cheapest", "lower", "less"],
    &["elsewhere", "competitor", "retailer", "site", "website"],
    &["find", "found", "saw", "spotted", "seen"],
    &["discount", "reduction", "deal", "coupon", "sale"],
    &["student", "college", "university", "school", "teacher"],
    &["military", "veteran", "army", "soldier", "navy"],
    &["reward", "loyalty", "member", "membership", "point"],
    &["program", "programme", "scheme", "club"],
    &["restock", "stock", "available", "availability", "inventory"],
    &["notify", "notification", "alert", "remind"],
    &["preorder", "prebook", "reserve", "reservation"],
    &["new", "upcoming", "unreleased", "release", "released", "launch"],
    &["missing", "lost", "stolen", "gone", "incomplete"],
    &["password", "passcode", "login", "signin"],
    &["forgot", "forget", "forgotten", "remember", "lost"],
    &["unsubscribe", "stop", "optout", "remove"],
    &["email", "newsletter", "mail", "spam", "marketing", "mailing", "message"],
    &["waterproof", "rewaterproof", "repellency", "repellent", "dwr", "proofing", "leak",
      "leaking", "leaky", "wet", "soak", "soaking", "soaked", "damp", "goretex", "membrane"],
    &["wash", "clean", "launder", "laundry"],
    &["jacket", "coat", "raincoat", "parka", "shell"],
    &["tent", "shelter"],
    &["bulk", "wholesale", "volume", "quantity", "quote", "quotation"],
    &["team", "company", "business", "corporate", "organisation", "organization", "group", "firm", "employer", "staff",
      "office", "employee", "coworker", "colleague", "workplace"],
    &["sustainable", "sustainability", "eco", "environment", "environmental", "green", "ethical", "recycled", "recycle", "planet",
      "ethically", "organic", "responsibly", "responsible", "biodegradable", "compostable", "carbon", "footprint"],
    &["material", "fabric", "textile"],
    &["international", "abroad", "overseas", "worldwide", "foreign", "outside", "globally", "country",
      "canada", "uk", "britain", "england", "scotland", "ireland", "eu", "europe", "germany", "france", "spain", "italy"],
    &["canada", "canadian"],
    &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "weekday"],
    &["custom", "duty", "import", "tax", "vat", "tariff"],
    &["exchange", "swap", "switch", "trade"],
    &["different", "another", "other", "bigger", "smaller", "larger", "instead", "replace"],
    &["deadline", "window", "period", "limit"],
    &["long", "soon", "fast", "quick", "speed"],
    &["boot", "shoe", "footwear"],
    &["guide", "chart", "table"],
    &["zipper", "zip"],
    &["policy", "rule", "terms", "conditions"],
    &["account", "profile"],
    &["photo", "picture", "image"],
    &["enter", "entered", "type", "typed", "input"],
    &["tear", "torn", "rip", "ripped", "hole"],
];

/// Strength of a match between words of a group of [`RELATED`]: weaker than
/// a synonym, and not counted in answers (see `score::Reach`).
pub(crate) const RELATED_STRENGTH: f32 = 0.6;

/// Words that often stand for one another in a shop's questions without
/// meaning the same ("return" a thing, "refund" the money).
#[rustfmt::skip]
pub(crate) const RELATED: &[&[&str]] = &[
    &["refund", "return"],
    &["refund", "money"],
    &["ship", "send", "sent"],
    &["missing", "nothing"],
    &["address", "move", "moved", "relocate"],
    &["open", "hours", "closing", "closed"],
    &["warranty", "lifetime", "durable", "durability", "year"],
    &["return", "unused", "unworn", "worn", "wear", "tags"],
];

/// Strength of a match between a specific product and a generic word
/// ("my boots arrived damaged" ~ "my item arrived damaged"). Weaker than a
/// synonym, and specific products are not related to each other: tent care
/// is no answer for boots.
pub(crate) const GENERIC_STRENGTH: f32 = 0.6;

pub(crate) const GENERIC_GOODS: &[&str] = &["item", "product", "gear", "equipment", "merchandise"];

#[rustfmt::skip]
pub(crate) const SPECIFIC_GOODS: &[&str] = &[
    "tent", "jacket", "coat", "boot", "shoe", "backpack", "rucksack", "bag", "pant", "trouser",
    "glove", "hat", "stove", "shirt", "fleece", "sock", "tarp", "hoodie", "parka", "raincoat",
    "mattress", "sleeping", "pad", "pole", "stake", "poncho", "vest", "short", "legging",
    "sandal", "sneaker", "helmet", "harness", "headlamp", "lantern", "bottle", "pair",
];
