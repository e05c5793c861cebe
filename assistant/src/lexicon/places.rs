//! Places a shop's visitors name instead of the country a knowledge base
//! names ("I live in Toronto" ~ "we ship to Canada"): countries and regions
//! with their provinces, nations and largest cities, single words only. US
//! places are left out: "US" is in many answers about other things.

/// (country or region as answers name it, places in it).
#[rustfmt::skip]
pub(crate) const PLACES: &[(&str, &[&str])] = &[
    ("canada", &[
        "ontario", "quebec", "alberta", "manitoba", "saskatchewan", "newfoundland", "yukon",
        "nunavut", "toronto", "montreal", "vancouver", "calgary", "ottawa", "edmonton",
        "winnipeg", "halifax", "hamilton", "saskatoon", "regina",
    ]),
    ("uk", &[
        "britain", "british", "england", "scotland", "scottish", "wales", "welsh",
        "london", "manchester", "birmingham", "liverpool", "leeds", "glasgow", "edinburgh",
        "cardiff", "belfast", "bristol", "sheffield", "newcastle",
    ]),
    ("eu", &[
        "europe", "european", "germany", "france", "spain", "italy", "netherlands", "holland", "belgium", "austria",
        "portugal", "ireland", "irish", "sweden", "denmark", "finland", "poland", "greece",
        "czechia", "hungary", "romania", "bulgaria", "croatia", "slovakia", "slovenia",
        "luxembourg", "estonia", "latvia", "lithuania", "malta", "cyprus", "berlin", "munich",
        "hamburg", "paris", "lyon", "marseille", "madrid", "barcelona", "rome", "milan",
        "amsterdam", "rotterdam", "brussels", "vienna", "lisbon", "dublin", "stockholm",
        "copenhagen", "helsinki", "warsaw", "athens", "prague", "budapest",
    ]),
];
