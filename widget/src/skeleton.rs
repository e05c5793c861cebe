//! The panel's fixed markup, parsed once by the browser. Building the same tree call by
//! call cost the widget about 1 KB gzip of wasm. Nothing here comes from the page or the
//! conversation: the title is set as text afterwards, and every message as text too.

pub const HTML: &str = "\
<div class=head><div><h2 class=title></h2>\
<p class=status role=status>Connecting…</p></div>\
<button class=close type=button aria-label=\"Close chat\">×</button></div>\
<div class=log role=log aria-live=polite aria-label=Messages tabindex=0></div>\
<p class=typing aria-live=polite hidden></p>\
<div class=extra hidden></div>\
<p class=error role=alert hidden></p>\
<form class=compose><textarea name=text rows=1 aria-label=Message \
placeholder=\"Write a message…\"></textarea><button type=submit>Send</button></form>";

/// The rating strip: a visible question, five stars (1 to 5 in order, each pressed up to
/// the score chosen), then an optional comment and the button that sends both.
pub const RATING: &str = "\
<form class=rating aria-labelledby=rate-q><p id=rate-q class=prompt>How would you rate this chat?</p>\
<div class=stars role=group aria-labelledby=rate-q>\
<button type=button class=star aria-pressed=false aria-label=\"1 of 5 stars\">★</button>\
<button type=button class=star aria-pressed=false aria-label=\"2 of 5 stars\">★</button>\
<button type=button class=star aria-pressed=false aria-label=\"3 of 5 stars\">★</button>\
<button type=button class=star aria-pressed=false aria-label=\"4 of 5 stars\">★</button>\
<button type=button class=star aria-pressed=false aria-label=\"5 of 5 stars\">★</button></div>\
<div class=more hidden><label>A comment (optional)<input name=comment type=text maxlength=4000></label>\
<button type=submit>Send rating</button></div></form>";

/// Nobody is available: the visitor may leave their email and a message for the team.
pub const LEAVE: &str = "\
<form class=leave aria-labelledby=leave-q novalidate><p id=leave-q class=prompt>\
Nobody can answer right now. Leave a message and the team will write back.</p>\
<label>Your email<input name=email type=email autocomplete=email maxlength=200 required></label>\
<label>Your message<textarea name=message rows=3 maxlength=4000 required></textarea></label>\
<div class=actions><button type=submit>Send message</button></div></form>";
