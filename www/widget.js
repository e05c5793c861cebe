/* Baton chat loader. One tag:
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
  let root, bubble, widget, loading;

  let open = () => {
    if (widget) return widget.toggle();
    loading =
      loading ||
      import(base + "widget/pkg/baton_widget.js")
        .then(async (m) => {
          await m.default();
          m.mount(root, {
            api: new URL(data.api || ".", script.src).href,
            assistant: data.assistant || "default",
            lang: data.lang || doc.documentElement.lang || "en",
            color: data.color,
            position: left ? "left" : "right",
            title: data.title,
          });
          widget = m; // mounted and open: later clicks toggle it
        })
        .catch((e) => {
          loading = 0;
          console.error("baton:", e);
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
      "[aria-expanded=true] .o,[aria-expanded=false] .x{display:none}</style>" +
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
