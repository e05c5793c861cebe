/* Baton chat loader: scripts/build-widget minifies this file into www/widget.js, naming
 * the widget's content-hashed module in WIDGET_MODULE. One tag:
 *   <script src="https://HOST/widget.js" data-assistant="demo" data-color="#2f6f4f"
 *           data-position="right" data-lang="en" async></script>
 * Optional: data-title (panel heading), data-api (API base; default: this script's folder).
 * Adds <div id="baton-chat"> with an open shadow root holding the bubble; nothing else is
 * fetched until the visitor clicks it (or had the chat open before a reload). */
(() => {
  let doc = document;
  let script = doc.currentScript || doc.querySelector("script[data-assistant]");
  let data = script.dataset;
  let base = new URL(".", script.src).href;
  let left = data.position == "left";
  let root, bubble, widget, loading, module, failed, tries = 0;

  let open = () => {
    if (widget) return widget.toggle();
    failed && failed.remove();
    loading =
      loading ||
      (module =
        module ||
        // A module that failed to load stays failed under its URL: a retry asks anew.
        import(base + WIDGET_MODULE + (tries ? "?retry=" + tries : "")).catch((e) => {
          module = 0;
          tries++;
          throw e;
        }))
        .then(async (m) => {
          await m.default();
          m.mount(root, {
            api: new URL(data.api || ".", script.src).href,
            assistant: data.assistant || "default",
            lang: data.lang || doc.documentElement.lang || "en",
            color: data.color,
            position: left ? "left" : "right",
            title: data.title,
            // The visitor's context frame (docs/protocol.md): the widget sends it when it changed.
            context: () => {
              let visitor;
              try {
                // This browser's own random id: it links its chats, for agents only.
                visitor = localStorage["baton:visitor"] ||= Array.from(
                  crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(36)).join("");
              } catch (e) {}
              return JSON.stringify({
                type: "context",
                context: {
                  visitor,
                  url: location.href,
                  title: doc.title,
                  referrer: doc.referrer,
                  language: navigator.language,
                  time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
                  user_agent: navigator.userAgent,
                },
              });
            },
          });
          widget = m; // mounted and open: later clicks toggle it
        })
        .catch((e) => {
          loading = 0;
          console.error("baton:", e);
          // Never a dead bubble: say so, with a way to try again.
          failed = doc.createElement("p");
          failed.className = "fail";
          failed.setAttribute("role", "alert");
          failed.textContent = "The chat could not load. ";
          let retry = doc.createElement("button");
          retry.textContent = "Try again";
          retry.onclick = open;
          failed.append(retry);
          root.append(failed);
        });
  };

  let start = () => {
    let host = doc.createElement("div");
    host.id = "baton-chat";
    host.style.setProperty("--c", data.color || "#2f6f4f");
    root = host.attachShadow({ mode: "open" });
    root.innerHTML =
      "<style>:host{all:initial!important}" +
      ".bubble{position:fixed;bottom:20px;" + (left ? "left" : "right") + ":20px;z-index:2147483647;" +
      "box-sizing:border-box;width:60px;height:60px;margin:0;padding:0;border:0;border-radius:50%;" +
      "background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);" +
      "display:flex;align-items:center;justify-content:center}" +
      ".bubble:focus-visible{outline:3px solid var(--c);outline-offset:3px}" +
      ".bubble svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}" +
      "[aria-expanded=true] .o,[aria-expanded=false] .x{display:none}" +
      ".fail{position:fixed;bottom:90px;" + (left ? "left" : "right") + ":20px;z-index:2147483647;margin:0;" +
      "padding:10px 14px;border-radius:8px;background:#fff;color:#222;font:14px/1.4 system-ui,sans-serif;" +
      "box-shadow:0 4px 14px rgba(0,0,0,.3)}.fail button{font:inherit;color:#fff;background:var(--c);" +
      "border:0;border-radius:6px;padding:4px 10px;cursor:pointer}</style>" +
      '<button class="bubble" type="button" aria-label="Open chat" aria-haspopup="dialog" aria-expanded="false"><svg viewBox="0 0 24 24" aria-hidden="true">' +
      '<path class="o" d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z"/>' +
      '<path class="x" d="M6 6l12 12M18 6 6 18"/></svg></button>';
    bubble = root.lastChild;
    bubble.onclick = open;
    doc.body.append(host);
    try {
      // The visitor had the chat open before reloading: carry on.
      if (localStorage.getItem("baton:open") == "1") open();
    } catch (e) {}
  };

  doc.body ? start() : doc.addEventListener("DOMContentLoaded", start);
})();
