//! The panel's styles, injected into the shadow root. `--c` (the brand colour) is set by the
//! loader on the host element; the bubble's own base styles live in the loader.

/// When the panel covers the whole screen (the `@media` rule below): then it keeps the
/// focus inside.
pub const FULL_SCREEN: &str = "(max-width:480px)";

pub const CSS: &str = "\
.panel{position:fixed;bottom:92px;right:20px;z-index:2147483647;box-sizing:border-box;\
width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 112px);\
display:flex;flex-direction:column;background:#fff;color:#1f2328;border-radius:14px;\
box-shadow:0 12px 40px rgba(0,0,0,.25);overflow:hidden;text-align:left;\
font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\
.panel.left{right:auto;left:20px}\
.panel[hidden]{display:none}\
.head{display:flex;align-items:center;gap:8px;padding:12px 10px 12px 16px;background:var(--c);color:#fff}\
.head div{flex:1;min-width:0}\
.title{margin:0;font-size:16px;font-weight:600}\
.status{margin:2px 0 0;font-size:13px;opacity:.92}\
.close{all:unset;box-sizing:border-box;width:36px;height:36px;border-radius:50%;text-align:center;\
font-size:24px;line-height:36px;cursor:pointer;color:#fff}\
.close:hover{background:rgba(255,255,255,.18)}\
.close:focus-visible{outline:2px solid #fff}\
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f5f6f7}\
.typing{margin:0;padding:0 14px 6px;font-size:12px;color:#57606a;background:#f5f6f7}\
.log:focus-visible{outline:2px solid var(--c);outline-offset:-2px}\
.msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;\
background:#fff;border:1px solid #e1e4e8;align-self:flex-start;border-bottom-left-radius:4px}\
.msg.visitor{align-self:flex-end;background:var(--c);color:#fff;border-color:transparent;\
border-bottom-left-radius:14px;border-bottom-right-radius:4px}\
.msg.agent{border-color:var(--c)}\
.msg.system{align-self:center;background:none;border:0;color:#57606a;font-size:13px;text-align:center;max-width:95%}\
.msg.visitor.pending{background:#fff;color:#1f2328;border:1px dashed var(--c)}\
.off .pending::after{content:'Not sent yet';display:block;font-size:12px;color:#57606a}\
.name{display:block;font-size:12px;font-weight:600;color:var(--c);margin-bottom:2px}\
.error{margin:0;padding:8px 16px;background:#fdecea;color:#8a1c12;font-size:13px}\
.error[hidden]{display:none}\
form{margin:0}\
.compose{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid #e1e4e8;background:#fff}\
textarea{flex:1;box-sizing:border-box;resize:none;field-sizing:content;min-height:40px;max-height:128px;\
margin:0;padding:9px 11px;border:1px solid #c9ced4;border-radius:10px;font:inherit;color:inherit;background:#fff}\
textarea:focus{outline:2px solid var(--c);outline-offset:-1px;border-color:transparent}\
button{box-sizing:border-box;height:40px;margin:0;border:0;border-radius:10px;padding:0 16px;\
background:var(--c);color:#fff;font:inherit;font-weight:600;cursor:pointer}\
button:focus-visible{outline:2px solid var(--c);outline-offset:2px}\
button.secondary{background:#fff;color:var(--c);border:1px solid var(--c)}\
.extra{display:flex;flex-direction:column;gap:8px;padding:10px 12px;border-top:1px solid #e1e4e8;background:#fff}\
.extra[hidden]{display:none}\
.extra label{display:flex;flex-direction:column;gap:4px;font-size:13px;color:#57606a}\
.extra input{box-sizing:border-box;height:36px;padding:0 10px;border:1px solid #c9ced4;border-radius:8px;\
font:inherit;color:#1f2328}\
.prechat{display:flex;flex-direction:column;gap:8px}\
.actions{display:flex;gap:8px}\
.rating,.more,.leave{display:flex;flex-direction:column;gap:8px}\
.leave textarea{flex:none;min-height:64px}\
.prompt{margin:0;font-size:14px;font-weight:600}\
.stars{display:flex;gap:4px}\
.more[hidden]{display:none}\
button.star{width:40px;padding:0;background:none;color:#6e7781;font-size:26px}\
button.star:hover,button.star:focus-visible,button.star[aria-pressed=true]{color:var(--c)}\
.bubble.unread::after{content:'';position:absolute;top:2px;right:2px;width:12px;height:12px;\
border-radius:50%;background:#d93025;border:2px solid #fff}\
@media (max-width:480px){.panel,.panel.left{inset:0;width:auto;height:auto;max-width:none;\
max-height:none;border-radius:0}.panel:not([hidden])~.bubble{display:none}textarea{font-size:16px}}\
@media (prefers-reduced-motion:no-preference){.panel{animation:baton-in .16s ease-out}}\
@keyframes baton-in{from{opacity:0;transform:translateY(8px)}}";
